"""The daily loop (README: "Partial runs", "Statuses", "Command line and ini options"): a run of one
file or one test never cries wolf, a suite runs without the plugin's audit, markers inherit what
the inventory says, and the summary's words match its facts."""

from __future__ import annotations

from fnmatch import fnmatch
from unittest.mock import ANY

import pytest
from sample_projects import GLOB_INVENTORY, glob_suite

GHOST = """
[[tool.neuron-classification.items]]
name = "ghost"
level = "beta"
tests = ["tests/test_ghost.py"]
"""


@pytest.fixture
def suite(project):
    """An inventory that classifies three files by globs; every obligation is met by the whole suite."""
    return glob_suite(project)


def test_the_full_run_meets_everything(suite):
    result, report = suite.run()
    assert result.ret == 0
    assert report.statuses == {"pkg": {"standard": "met", "performance": "met"}, "einsum": {"basic": "met"}}


@pytest.mark.parametrize(
    ("args", "statuses"),
    [
        (
            ("tests/test_pkg.py::test_unit",),
            {"pkg": {"standard": "not-run", "performance": "not-run"}, "einsum": {"basic": "not-run"}},
        ),
        (
            ("tests/test_pkg.py",),
            {"pkg": {"standard": "met", "performance": "not-run"}, "einsum": {"basic": "not-run"}},
        ),
        (
            ("--ignore=tests/test_einsum.py",),
            {"pkg": {"standard": "met", "performance": "met"}, "einsum": {"basic": "not-run"}},
        ),
    ],
)
def test_a_partial_run_never_says_add_a_test(suite, args, statuses):
    result, report = suite.run(*args)
    assert result.ret == 0
    # Not "missing": the run says why it is partial, naming what narrowed it, in a note and in each hint.
    assert report.statuses == statuses
    why = report["partial"]
    assert args[0] in why
    (einsum,) = [i for i in report["items"] if i["id"] == "einsum"]
    assert why in einsum["obligations"][0]["hint"] and "tests/test_einsum.py" in einsum["obligations"][0]["hint"]
    result.stdout.fnmatch_lines([suite.literal(f"note: *({why})*")])


def test_a_partial_run_that_saw_everything_it_judges_says_nothing_of_it(suite):
    suite.config(GLOB_INVENTORY.split("\n\n")[0])  # einsum only
    result, report = suite.run("tests/test_einsum.py")
    assert result.ret == 0
    assert report.statuses == {"einsum": {"basic": "met"}}
    result.stdout.no_fnmatch_line("note: *")


def test_a_folder_given_without_testpaths_is_the_whole_suite(suite):
    # Most projects run `pytest tests` without testpaths: that run must still fail on a missing test.
    (suite.path / "tests" / "test_pkg_perf.py").unlink()
    result, report = suite.run("tests")
    assert result.ret == 1
    assert report["partial"] == ""
    assert report.statuses["pkg"]["performance"] == "missing"
    result, report = suite.run("tests/test_pkg.py")
    assert result.ret == 0
    assert report.statuses["pkg"]["performance"] == "not-run"


def test_a_folder_narrower_than_testpaths_is_partial(suite):
    suite.pytester.makepyprojecttoml(
        '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n[tool.neuron-classification]\n' + GLOB_INVENTORY
    )
    (suite.path / "tests" / "unit").mkdir()
    (suite.path / "tests" / "unit" / "test_other.py").write_text("def test_other(): pass\n")
    result, report = suite.run("tests/unit")
    assert result.ret == 0
    assert fnmatch(report["partial"], "tests/unit *(tests)")
    assert set(report.statuses["pkg"].values()) == {"not-run"}


SPLIT = {
    "tests/unit/test_u.py": "import pytest\npytestmark = pytest.mark.neuron_stable('pkg')\ndef test_u(): pass\n",
    "tests/integ/test_i.py": "import pytest\npytestmark = pytest.mark.neuron_stable('pkg')\n"
    "@pytest.mark.neuron_integration\ndef test_i(): pass\n"
    "@pytest.mark.neuron_performance\ndef test_p(neuron_metric): neuron_metric('tput', 5.0, 'x/s')\n",
}


@pytest.fixture
def split(project):
    """A Stable package whose unit tests and integration tests are in two folders, without testpaths."""
    project.config('[[tool.neuron-classification.items]]\nname = "pkg"\nkind = "package"\n')
    project.write(SPLIT)
    return project


def test_a_folder_narrower_than_the_rootdir_is_partial(split, monkeypatch):
    result, report = split.run()
    assert result.ret == 0
    assert report.statuses == {"pkg": {"standard": "met", "performance": "met"}}
    for folder, cwd in (("tests/unit", "."), ("unit", "tests")):
        monkeypatch.chdir(split.path / cwd)
        result, report = split.run(folder)
        assert result.ret == 0, folder
        assert report.statuses == {"pkg": {"standard": "not-run", "performance": "not-run"}}
        assert fnmatch(report["partial"], "tests/unit given, narrower than the suite (.)")
        result.stdout.no_fnmatch_line("*add a *")


def test_a_part_of_standard_not_collected_is_not_run(suite):
    # test_unit (functional) ran; test_integration was not collected: standard is not judged here.
    result, report = suite.run("tests/test_pkg.py::test_unit")
    assert report.statuses["pkg"] == {"standard": "not-run", "performance": "not-run"}
    result.stdout.fnmatch_lines(
        ["  stable package pkg: standard not-run -> *tests/test_pkg.py, tests/test_pkg_perf.py*"]
    )


def test_a_partial_run_names_only_the_test_files_of_a_glob_those_it_did_not_collect_first(suite):
    suite.config(GLOB_INVENTORY.replace('"tests/test_pkg*.py"', '"tests/**"'))
    suite.write({"tests/__init__.py": "", "tests/run_tests.py": "", "tests/helpers.py": "", "tests/data.json": "{}"})
    _, report = suite.run("tests/test_einsum.py")
    assert report.statuses["pkg"] == {"standard": "not-run", "performance": "not-run"}
    hints = {ob["hint"] for item in report["items"] if item["id"] == "pkg" for ob in item["obligations"]}
    # Files pytest collects, named after the item first; the one this run collected last.
    assert {h.split("its tests are in ")[1] for h in hints} == {
        "tests/test_pkg.py, tests/test_pkg_perf.py (+1 more): run them or the whole suite"
    }
    _, report = suite.run("tests/test_pkg.py")
    (performance,) = [o for i in report["items"] if i["id"] == "pkg" for o in i["obligations"] if o["status"] != "met"]
    assert "its tests are in tests/test_pkg_perf.py, tests/test_einsum.py (+1 more):" in performance["hint"]


def test_a_glob_that_matches_no_file_still_fails_a_partial_run(suite):
    suite.config(GLOB_INVENTORY + GHOST)
    for args in ((), ("tests/test_pkg.py::test_unit",), ("tests/test_pkg.py", "--neuron-scope=collected")):
        result, report = suite.run(*args)
        assert result.ret == 1, args
        assert report.statuses["ghost"] == {"basic": "missing"}
    result.stdout.fnmatch_lines(["  beta feature ghost: basic missing -> *'tests/test_ghost.py'*"])


def test_a_failing_test_still_fails_a_partial_run(suite):
    (suite.path / "tests" / "test_pkg.py").write_text("def test_unit(): assert 0\n")
    result, report = suite.run("tests/test_pkg.py")
    assert result.ret == 1
    assert report.statuses["pkg"]["standard"] == "failing"


METRIC_TEST = """
import pytest
pytestmark = pytest.mark.neuron_stable("rt", kind="package")
@pytest.mark.neuron_performance
def test_speed(neuron_metric):
    neuron_metric("tput", {value}, "x/s", min=10)
"""


def test_neuron_metric_without_the_plugin(project):
    project.config("")
    project.pytester.makepyfile(test_rt=METRIC_TEST.format(value=50))
    result = project.pytester.runpytest("-p", "no:neuron_classification", "--strict-markers")
    result.assert_outcomes(passed=1)
    result.stdout.no_fnmatch_line("*neuron classification*")
    project.pytester.makepyfile(test_rt=METRIC_TEST.format(value=5))
    result = project.pytester.runpytest("-p", "no:neuron_classification", "--strict-markers")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["FAILED test_rt.py::test_speed - Failed: tput = 5 x/s*min 10 x/s"])


def test_the_plugin_module_alone_brings_the_fixture(project, monkeypatch):
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    project.config("")
    project.pytester.makepyfile(test_rt=METRIC_TEST.format(value=50))
    result, report = project.run("-p", "pytest_neuron_classification.plugin")
    result.assert_outcomes(passed=1)
    assert report.statuses["rt"]["performance"] == "met"


MODELS = """
[[tool.neuron-classification.items]]
name = "mixer_mlp"
kind = "model"
level = "beta"
framework = "pytorch"
library = "timm"
workload = "inference"
"""


MIXER = """
import pytest
@pytest.mark.neuron_beta("mixer_mlp")
@pytest.mark.neuron_accuracy
def test_top1(neuron_metric):
    neuron_metric("top1", 0.8)
"""


def test_a_marker_inherits_the_one_coupling_of_an_inventory_model(project):
    project.config(MODELS)
    project.pytester.makepyfile(test_mixer=MIXER)
    result, report = project.run()
    assert result.ret == 0, result.stdout.str()
    assert report.statuses == {"mixer_mlp[framework=pytorch,library=timm,workload=inference]": {"accuracy": "met"}}


def test_two_inventory_couplings_need_the_marker_to_choose(project):
    project.config(MODELS + MODELS.replace('"inference"', '"training"'))
    project.pytester.makepyfile(
        test_mixer="import pytest\n@pytest.mark.neuron_beta('mixer_mlp')\ndef test_any(): pass\n"
        "@pytest.mark.neuron_beta('mixer_mlp', workload='training')\n@pytest.mark.neuron_accuracy\n"
        "def test_training(neuron_metric): neuron_metric('top1', 0.8)\n"
    )
    result, report = project.run()
    result.assert_outcomes(passed=1, errors=1)
    assert report["errors"] == [ANY]
    result.stdout.fnmatch_lines(["  test_mixer.py::test_any: *mixer_mlp*workload*"])
    assert report.statuses["mixer_mlp[framework=pytorch,library=timm,workload=training]"] == {"accuracy": "met"}


SDK = "def trace(fn):\n    return fn\n\ndef compile(model):\n    return model\n"


def test_a_listed_api_modules_name_keeps_its_implied_target(project):
    project.pytester.makepyprojecttoml(
        '[tool.pytest.ini_options]\npythonpath = ["."]\n[tool.neuron-classification]\napi-modules = ["mysdk"]\n'
        '[[tool.neuron-classification.items]]\nname = "mysdk.compile"\nkind = "api"\nsince = "1.0"\n'
    )
    project.pytester.makepyfile(
        mysdk=SDK,
        test_sdk="import pytest\n@pytest.mark.neuron_stable('mysdk.trace')\ndef test_trace(): pass\n"
        "@pytest.mark.neuron_stable('mysdk.compile')\ndef test_compile(): pass\n",
    )
    result, report = project.run()
    compile_ = next(i for i in report["items"] if i["name"] == "mysdk.compile")
    assert (compile_["target"], compile_["contract"]["state"]) == ("mysdk:compile", "no-baseline")
    project.pytester.runpytest("--neuron-update-contracts")
    result, report = project.run()
    assert result.ret == 0, result.stdout.str()
    assert report.statuses == {
        "mysdk.compile": {"basic": "met", "compat": "met"},
        "mysdk.trace": {"basic": "met", "compat": "met"},
    }


def test_the_verdict_counts_met_baselined_and_waived_apart(project):
    project.config(
        '[[tool.neuron-classification.items]]\nname = "a"\nkind = "package"\nlevel = "beta"\n'
        '[[tool.neuron-classification.items]]\nname = "b"\nkind = "package"\nlevel = "beta"\n'
        '[[tool.neuron-classification.items]]\nname = "c"\nkind = "package"\nlevel = "beta"\n'
        '[[tool.neuron-classification.waivers]]\nitem = "c"\nobligation = "basic"\nreason = "r"\nowner = "o"\n'
        "expires = 2999-01-01\n"
    )
    project.module("a", level="beta")
    project.pytester.runpytest("--neuron-baseline=gaps.json", "--neuron-update-baseline")
    result, report = project.run("--neuron-baseline=gaps.json")
    assert result.ret == 0
    assert report.statuses == {"a": {"basic": "met"}, "b": {"basic": "missing"}, "c": {"basic": "waived"}}
    assert [o.get("baselined") for i in report["items"] for o in i["obligations"]] == [None, True, None]
    # The verdict counts each of the three apart.
    result.stdout.fnmatch_lines(["neuron-classification: 1 of 3 *, 1 *, 1 waived"])


MODEL = """
import os, pytest
pytestmark = pytest.mark.neuron_stable("llama", kind="model", workload="inference")
@pytest.mark.neuron_accuracy
def test_accuracy(neuron_metric):
    neuron_metric("top1", 0.9, better="higher")
@pytest.mark.neuron_performance
def test_latency(neuron_metric):
    neuron_metric("latency_p90", float(os.environ.get("LATENCY", "12.0")), "ms", better="lower", max=100)
"""


def test_a_regression_is_named_where_the_obligation_fails(project, monkeypatch):
    project.config("")
    project.pytester.makepyfile(test_llama=MODEL)
    monkeypatch.delenv("LATENCY", raising=False)
    project.pytester.runpytest("--neuron-update-metrics")
    monkeypatch.setenv("LATENCY", "17.2")
    result, _ = project.run()
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            "  model    llama (inference)  accuracy met (top1 0.9), performance failing (*latency_p90 *12 -> 17.2 ms*)",
            "metric baselines: 1 *; 1 *",
            "  stable model llama (inference): latency_p90 *12 -> 17.2 ms*",
        ]
    )
