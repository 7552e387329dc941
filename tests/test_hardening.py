"""Regression tests for the defects a hostile run found: never lie, never crash, never clobber.

Report writes (devices, symlinks, read-only files, one failure not stopping the others) are
in test_writes.py; the rest is here, one test (or a few) per defect.
"""

from __future__ import annotations

import json

import pytest

API = '[[tool.neuron-classification.items]]\nname = "{name}"\nkind = "api"\ntarget = "{target}"\n'
COMPAT = """
import pytest
pytestmark = pytest.mark.neuron_stable("{name}", kind="api")
def test_call(): pass
@pytest.mark.neuron_compat
def test_compat(): pass
"""


# --- 2. a contracts entry of the wrong shape is one usage error, before any test runs ---------


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("{}", "'type' must be 'function', 'class', 'flag' or 'env', not None"),
        ("1", "must be an object, not 1"),
        ('{"type": "function", "parameters": [{"name": "x"}]}', "'parameters' has a parameter that is not"),
        ('{"type": "class", "init": [], "methods": 3}', "'methods' must be an object"),
    ],
)
def test_a_malformed_contracts_entry_is_a_usage_error(project, entry, problem):
    project.config(API.format(name="mylib.trace", target="json:dumps"))
    (project.path / "neuron-contracts.json").write_text(
        f'{{"schema": "pytest-neuron-classification-contracts/1", "contracts": {{"mylib.trace": {entry}}}}}'
    )
    project.pytester.makepyfile(test_a="def test_a(): pass")
    result = project.pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [f"ERROR: neuron-classification: *neuron-contracts.json: contracts entry 'mylib.trace': {problem}*"]
    )
    result.stdout.no_fnmatch_line("*passed*")


# --- 3. markers that a conftest adds in pytest_collection_modifyitems count ------------------


@pytest.mark.parametrize("order", ["", "tryfirst=True", "trylast=True"])
def test_markers_added_by_a_conftest_count(project, order):
    project.pytester.makeconftest(
        f"""
        import pytest
        @pytest.hookimpl({order})
        def pytest_collection_modifyitems(items):
            for item in items:
                if "cache" in item.name:
                    item.add_marker(pytest.mark.neuron_beta("cache"))
        """
    )
    project.pytester.makepyfile(test_a="def test_cache(): pass\ndef test_other(): pass\n")
    result, report = project.run()
    assert report.statuses == {"cache": {"basic": "met"}}
    # -m neuron_beta selects the test, and the audit agrees with the selection.
    if order != "trylast=True":  # a marker added after -m selected is pytest's blind spot too
        result, report = project.run("-m", "neuron_beta")
        result.assert_outcomes(passed=1, deselected=1)
        assert report.statuses == {"cache": {"basic": "met"}}


# --- 4. a run that lost its evidence, or was interrupted, never says it passed ---------------


def test_a_run_whose_only_worker_died_does_not_pass(project):
    pytest.importorskip("xdist")
    project.module("runtime", level="beta", extra="import os\ndef test_crash(): os._exit(1)\n")
    result, report = project.run_subprocess("-n", "1", "--max-worker-restart", "0", "-p", "no:randomly")
    assert report["passed"] is False
    assert report["lost"] and report["lost"][0].startswith("gw0")
    result.stdout.fnmatch_lines(["neuron-classification: FAILED: no evidence from gw0*: the audit cannot tell*"])
    assert result.ret != 0


def test_a_lost_worker_under_warn_is_said_but_does_not_fail(project):
    pytest.importorskip("xdist")
    project.module("runtime", level="beta", categories=(), extra="import os\ndef test_crash(): os._exit(1)\n")
    result, report = project.run_subprocess(
        "-n", "1", "--max-worker-restart", "0", "-p", "no:randomly", "--neuron-enforce=warn"
    )
    assert report["passed"] is False
    result.stdout.fnmatch_lines(["neuron-classification: no evidence from gw0*; not failing the run (enforce=warn)"])


def test_an_interrupted_run_is_reported_as_interrupted(project):
    project.module(
        "runtime", level="beta", extra="def test_stop():\n    pytest.exit('maintenance window', returncode=0)\n"
    )
    result, report = project.run()
    assert report["passed"] is False
    assert report["interrupted"] == "Exit: maintenance window"
    result.stdout.fnmatch_lines(
        ["neuron-classification: INTERRUPTED (Exit: maintenance window): only what ran before is judged*"]
    )


# --- 5. APIs written in C ---------------------------------------------------------------------


def test_c_targets_are_met_by_a_compat_test_and_hold_once_recorded(project):
    project.config(API.format(name="date", target="datetime:date") + API.format(name="int", target="builtins:int"))
    project.pytester.makepyfile(test_date=COMPAT.format(name="date"), test_int=COMPAT.format(name="int"))
    result, report = project.run()
    assert report.statuses == {"date": {"basic": "met", "compat": "met"}, "int": {"basic": "met", "compat": "met"}}
    assert result.ret == 0
    project.pytester.runpytest("--neuron-update-contracts")
    result, report = project.run()
    assert {i["name"]: i["contract"]["state"] for i in report["items"]} == {"date": "holds", "int": "holds"}
    assert "date" in json.loads((project.path / "neuron-contracts.json").read_text())["contracts"]


# --- 6. --lf never turns tests it did not collect into "add a test" -------------------------


def test_last_failed_does_not_report_uncollected_tests_as_missing(project, monkeypatch):
    project.config('[[tool.neuron-classification.items]]\nname = "runtime"\nkind = "package"\n')
    project.module("runtime", categories=("functional", "integration", "performance"))
    project.pytester.makepyfile(
        test_cache="import os, pytest\npytestmark = pytest.mark.neuron_beta\n"
        "def test_ok(): pass\n"
        "def test_flaky(): assert not os.environ.get('BREAK')\n"
    )
    monkeypatch.setenv("BREAK", "1")
    project.pytester.runpytest("-p", "cacheprovider")  # test_flaky fails; every other test passes
    monkeypatch.delenv("BREAK")
    result, report = project.run("--lf")
    # --lf collected test_cache.py::test_flaky only: the Stable runtime's tests exist but were not
    # collected, so they are not "missing".
    assert report.statuses == {
        "runtime": {"standard": "not-run", "performance": "not-run"},
        "cache": {"basic": "met"},
    }
    assert report.outcomes == {"test_flaky": "passed"}  # --lf does not even collect test_ok
    assert report["partial"] == "--lf collected only the files of previously failed tests"
    result.stdout.no_fnmatch_line("*add a passing test*")
    result.stdout.fnmatch_lines(["note: this run collected only part of the suite (--lf*"])
    assert result.ret == 0


# --- 7. user code that raises or exits while we import or inspect it ------------------------


def test_a_target_module_that_exits_at_import_is_one_line(project):
    project.pytester.makepyfile(
        exiting="import sys\nsys.exit(3)\n",
        getattrs="def __getattr__(name):\n    raise RuntimeError('boom %r' % object())\n",
    )
    project.config(API.format(name="ex", target="exiting:f") + API.format(name="ga", target="getattrs:g"))
    project.pytester.makepyfile(test_ex=COMPAT.format(name="ex"), test_ga=COMPAT.format(name="ga"))
    result, _report = project.run("-p", "no:cacheprovider")
    assert result.ret == 1  # not 3: the target's sys.exit does not end the run
    result.stdout.fnmatch_lines(
        [
            "  stable api ex: compat failing -> fix the target: cannot import exiting: SystemExit: 3",
            "  stable api ga: compat failing -> fix the target: looking up getattrs:g raised RuntimeError: boom <object object>",
        ]
    )
    assert "0x" not in result.stdout.str()
    assert "Traceback" not in result.stdout.str()


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("import sys\nsys.exit(3)\n", "api-modules: cannot import apimod: SystemExit: 3"),
        ('__all__ = ["f", 3]\ndef f(): pass\n', "api-modules: apimod.__all__ has a non-string entry 3; fix __all__"),
        (
            "def __getattr__(name):\n    raise KeyError(name)\n__all__ = ['f']\n",
            "api-modules: listing the public names of apimod raised KeyError",
        ),
    ],
)
def test_api_modules_that_misbehave_are_one_usage_error(project, source, message):
    project.pytester.makepyfile(apimod=source)
    project.pytester.syspathinsert()
    project.config('api-modules = ["apimod"]\n')
    result = project.pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: neuron-classification: pyproject.toml: {message}*"])
    assert "INTERNALERROR" not in result.stderr.str()


# --- 8. merge and table validate every value of a report --------------------------------------


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda r: r["tests"][0].update(outcome="bogus"), "unknown outcome of test_runtime.py::test_unit 'bogus'"),
        (lambda r: r["items"][0].update(level="gamma"), "unknown level 'gamma'"),
        (lambda r: r["items"][0].update(name=7), "the item name must be a non-empty string, not 7"),
        (lambda r: r["items"][0].update(kind="model"), "model 'runtime' needs workload"),
        (
            lambda r: r["policy"].update(obligations=[{"kind": "api", "level": "beta", "obligations": ["x"]}]),
            "unknown obligation 'x'",
        ),
        (
            lambda r: r["policy"].update(obligations=[r["policy"]["obligations"][0]]),
            "the policy has no obligations for stable package",
        ),
    ],
)
def test_merge_refuses_bad_values_with_exit_2(project, damage, message):
    project.module()
    project.run()
    report = json.loads((project.path / "neuron-report.json").read_text())
    damage(report)
    (project.path / "bad.json").write_text(json.dumps(report))
    done = project.cli("merge", "bad.json")
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert "error: bad.json: " in done.stderr and message in done.stderr
    done = project.cli("table", "--json", "bad.json")
    assert done.returncode == 2 and message in done.stderr


def test_merge_refuses_a_contract_state_it_does_not_know(project):
    project.config(API.format(name="dumps", target="json:dumps"))
    project.pytester.makepyfile(test_dumps=COMPAT.format(name="dumps"))
    project.run()
    report = json.loads((project.path / "neuron-report.json").read_text())
    report["items"][0]["contract"]["state"] = "fine"
    (project.path / "bad.json").write_text(json.dumps(report))
    done = project.cli("merge", "bad.json")
    assert done.returncode == 2
    assert "unknown contract state 'fine'" in done.stderr


def test_table_with_a_config_whose_tool_is_not_a_table(project):
    (project.path / "pyproject.toml").write_text('tool = "x"\n')
    done = project.cli("table")
    assert done.returncode == 2
    assert done.stderr.strip().endswith("pyproject.toml: 'tool' must be a table ([tool]), not 'x'")


def test_merge_names_a_file_given_twice_and_counts_one_report(project):
    project.module()
    project.run()
    done = project.cli("merge", "neuron-report.json", "./neuron-report.json")
    assert done.returncode == 2
    assert "neuron-report.json is given twice; give each report once" in done.stderr
    done = project.cli("merge", "neuron-report.json")
    assert "note: merged from 1 report: neuron-report.json" in done.stdout


# --- 10. item ids cannot collide, and 11/12 config values --------------------------------------


def test_a_name_that_looks_like_a_model_id_is_refused(project):
    project.pytester.makepyfile(
        test_a="import pytest\n@pytest.mark.neuron_beta('llama[framework=pt,workload=inference]')\ndef test_a(): pass\n"
    )
    result = project.pytester.runpytest()
    assert result.ret == 1
    result.stdout.fnmatch_lines(["*the item name 'llama[[]framework=pt,workload=inference]' contains*rename it"])


def test_a_float_since_says_to_quote_it(project):
    project.config('[[tool.neuron-classification.items]]\nname = "rt"\nsince = 2.10\n')
    result = project.pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ['*items[[]0] (rt): since = 2.1 is not a string; quote the version, like since = "2.10.0"']
    )


def test_enforce_on_the_command_line_is_case_insensitive(project):
    project.module(categories=("functional",))
    result, report = project.run("--neuron-enforce=WARN")
    assert result.ret == 0
    assert report["enforce"] == "warn"


def test_a_notice_that_takes_effect_before_it_is_announced(project):
    project.config(
        API.format(name="dumps", target="json:dumps")
        + '[[tool.neuron-classification.notices]]\nitem = "dumps"\nannounced = 2026-09-01\neffective = 2026-08-01\n'
    )
    result = project.pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*notices[[]0]: effective (2026-08-01) is before announced (2026-09-01); swap them"])


# --- the misleading reports found on the way ---------------------------------------------------


def test_updating_the_gap_baseline_on_a_partial_run_keeps_what_it_did_not_judge(project):
    project.module("runtime", categories=("functional",))
    project.pytester.makepyfile(
        test_cache="import pytest\npytestmark = pytest.mark.neuron_beta\ndef test_c(): assert 0\n"
    )
    project.pytester.runpytest("--neuron-baseline=b.json", "--neuron-update-baseline")
    assert json.loads((project.path / "b.json").read_text())["gaps"] == [
        "cache :: basic",
        "runtime :: performance",
        "runtime :: standard",
    ]
    # A -k run that does not reach the cache tests must not drop the cache gap.
    project.pytester.runpytest("--neuron-baseline=b.json", "--neuron-update-baseline", "-k", "runtime")
    assert json.loads((project.path / "b.json").read_text())["gaps"] == [
        "cache :: basic",
        "runtime :: performance",
        "runtime :: standard",
    ]


def test_a_tests_glob_that_matches_no_file_is_reported(project):
    project.config('[[tool.neuron-classification.items]]\nname = "rt"\nlevel = "beta"\ntests = ["tests/runtmie/**"]\n')
    project.pytester.makepyfile(test_a="def test_a(): pass")
    result, report = project.run()
    note = "pyproject.toml items[0] (rt): tests glob 'tests/runtmie/**' matches no file; fix the glob"
    assert note in report["notes"]
    result.stdout.fnmatch_lines([f"note: {project.literal(note)}"])


def test_which_module_declares_an_item_does_not_depend_on_test_order(project):
    project.pytester.makepyfile(
        test_b="import pytest\npytestmark = pytest.mark.neuron_beta('cache')\ndef test_b(): pass\n",
        test_a="import pytest\npytestmark = pytest.mark.neuron_beta('cache')\ndef test_a(): pass\n",
    )
    _, forward = project.run(report="forward.json")
    project.pytester.makeconftest("def pytest_collection_modifyitems(items):\n    items.reverse()\n")
    _, backward = project.run(report="backward.json")
    assert forward["items"][0]["origin"] == backward["items"][0]["origin"] == "test_a.py"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--neuron-json=out.json", "--neuron-markdown=out.json"),
            "--neuron-json and --neuron-markdown name the same file out.json",
        ),
        (("--neuron-json=",), "--neuron-json= is empty; give a file path"),
        (
            ("--neuron-json=test_a.py",),
            "--neuron-json=test_a.py: refusing to overwrite test_a.py, a source or configuration file",
        ),
    ],
)
def test_report_paths_that_would_lose_a_report_or_a_test(project, args, message):
    project.pytester.makepyfile(test_a="def test_a(): pass")
    result = project.pytester.runpytest(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: neuron-classification: {message}*"])
    assert (project.path / "test_a.py").read_text() == "def test_a(): pass"


def test_a_long_item_name_is_cut_in_the_summary_only(project):
    name = "a_feature_with_a_name_much_longer_than_any_table_should_be_padded_to"
    project.pytester.makepyfile(test_a=f"import pytest\n@pytest.mark.neuron_beta({name!r})\ndef test_a(): pass\n")
    result, report = project.run()
    result.stdout.fnmatch_lines([f"  feature  {name[:57]}...  basic met"])
    assert report["items"][0]["name"] == name


# --- found by a hostile run of the measured-evidence release --------------------------------


def test_a_measurement_that_broke_its_bound_is_not_evidence_even_if_the_test_passed(project):
    project.module(
        "llama",
        level="beta",
        kind="model",
        categories=(),
        workload="inference",
        extra="@pytest.mark.neuron_accuracy\ndef test_acc(neuron_metric):\n"
        "    for value in (0.42, 0.95):  # a retry loop that swallows the first failure\n"
        "        try:\n            neuron_metric('top1', value, min=0.9)\n            break\n"
        "        except pytest.fail.Exception:\n            continue\n",
    )
    result, report = project.run()
    assert result.ret == 1
    assert report.statuses == {"llama[workload=inference]": {"accuracy": "failing"}}
    result.stdout.fnmatch_lines(
        ["*accuracy failing -> top1 = 0.42, below min 0.9 in test_llama.py::test_acc, although the test passed*"]
    )


@pytest.mark.parametrize("target", ["pyproject.toml", "link.json"])
def test_reports_never_replace_sources_or_config_even_through_a_link(project, target):
    project.config("")
    project.module()
    (project.path / "link.json").symlink_to(project.path / "test_runtime.py")
    before = (project.path / "test_runtime.py").read_text(), (project.path / "pyproject.toml").read_text()
    result = project.pytester.runpytest(f"--neuron-json={target}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*refusing to overwrite*a source or configuration file*"])
    assert ((project.path / "test_runtime.py").read_text(), (project.path / "pyproject.toml").read_text()) == before


def test_merge_and_contracts_never_replace_sources(project):
    project.module()
    project.run()
    done = project.cli("merge", "neuron-report.json", "--json", "test_runtime.py")
    assert done.returncode == 2
    assert "refusing to overwrite a source or configuration file" in done.stderr
    project.config('contracts = "test_runtime.py"\n')
    result = project.pytester.runpytest("--neuron-update-contracts")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "pytestmark" in (project.path / "test_runtime.py").read_text()


def test_the_json_report_can_go_to_stdout(project):
    project.module()
    result = project.pytester.runpytest_subprocess("--neuron-json=/dev/stdout", "-p", "no:randomly", "-q")
    assert result.ret == 1  # the module's performance gap
    text = result.stdout.str()
    assert json.loads(text[text.index("{") : text.rindex("}") + 1])["schema"] == "pytest-neuron-classification/2"
    assert "ERROR" not in result.stdout.str()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            "neuron_metric('a\\udcffb', 1.0)",
            "neuron_metric: the metric name 'a\\udcffb' contains a control character or a lone surrogate",
        ),
        (
            "neuron_metric('thr\\nFAKE', 1.0)",
            "neuron_metric: the metric name 'thr\\nFAKE' contains a control character",
        ),
        (
            "neuron_metric('x', 1.0, 'ms\\n| row |')",
            "neuron_metric: the unit of x 'ms\\n| row |' contains a control character",
        ),
        ("neuron_metric('x', 10**400)", "neuron_metric: the value of x must be a number a float can hold"),
    ],
)
def test_odd_metric_arguments_are_one_line(project, call, message):
    project.module(extra=f"@pytest.mark.neuron_performance\ndef test_speed(neuron_metric):\n    {call}\n")
    result, _report = project.run()
    result.stdout.fnmatch_lines([f"{project.literal(message)}*"])
    assert "During handling" not in result.stdout.str()
    assert "Traceback" not in result.stdout.str()


def test_numbers_from_numeric_libraries_are_accepted(project):
    project.module(
        extra="class F32:\n    def __float__(self): return 2.5\n"
        "@pytest.mark.neuron_performance\ndef test_speed(neuron_metric):\n    neuron_metric('top1', F32())\n"
    )
    _result, report = project.run()
    assert report.statuses["runtime"]["performance"] == "met"


def test_a_run_stopped_early_never_claims_passed(project):
    project.pytester.makepyfile(
        test_a="def test_crash(): assert 0\n",
        test_b="import pytest\npytestmark = pytest.mark.neuron_beta('cache')\ndef test_b(): pass\n",
    )
    _result, report = project.run("-x", "-p", "no:randomly")
    assert report["passed"] is False
    assert report["interrupted"].startswith("stopped early")


def test_enforce_levels_differing_only_in_case_are_an_error(project):
    project.config('enforce = { Stable = "error", stable = "off" }\n')
    result = project.pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*enforce names stable twice (levels are case-insensitive); keep one"])


def test_merge_refuses_a_policy_whose_measured_is_not_a_list(project):
    project.module()
    project.run()
    report = json.loads((project.path / "neuron-report.json").read_text())
    report["policy"]["measured"] = "performance"
    (project.path / "bad.json").write_text(json.dumps(report))
    done = project.cli("merge", "bad.json")
    assert done.returncode == 2
    assert "policy.measured must list known categories" in done.stderr
