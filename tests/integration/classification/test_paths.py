"""Classifying tests by path from the inventory's ``tests`` globs (the table command: tests/system/cli/test_table.py)."""

from __future__ import annotations

import pytest

from pytest_neuron_classification.core.globs import TestPatterns, glob_regex
from pytest_neuron_classification.core.items import Catalog
from pytest_neuron_classification.storage.test_files import matches_a_file

RUNTIME = """
[[tool.neuron-classification.items]]
name = "runtime"
kind = "package"
level = "beta"
tests = ["tests/runtime/**", "tests/test_rt.py"]
"""


def test_inventory_paths_classify_unmarked_tests(pytester, project):
    project.config(RUNTIME)
    pytester.mkpydir("tests")
    runtime = pytester.mkdir("tests/runtime")
    (runtime / "test_exec.py").write_text("def test_exec(): pass\n")
    (pytester.path / "tests" / "test_rt.py").write_text("def test_rt(): pass\n")
    (pytester.path / "tests" / "test_other.py").write_text("def test_other(): pass\n")
    result, report = project.run()
    assert report.statuses == {"runtime": {"basic": "met"}}
    assert sorted(t["nodeid"] for t in report["tests"]) == [
        "tests/runtime/test_exec.py::test_exec",
        "tests/test_rt.py::test_rt",
    ]
    assert result.ret == 0


def test_paths_and_markers_combine(pytester, project):
    project.config(RUNTIME)
    pytester.mkpydir("tests")
    (pytester.path / "tests" / "test_rt.py").write_text(
        "import pytest\n@pytest.mark.neuron_alpha('flag', kind='api')\ndef test_both(): pass\n"
        "@pytest.mark.neuron_beta('runtime')\ndef test_same(): pass\n"
    )
    _, report = project.run()
    assert {t["nodeid"].split("::")[1]: t["items"] for t in report["tests"]} == {
        "test_both": ["flag", "runtime"],
        "test_same": ["runtime"],
    }


def test_path_and_marker_at_two_levels_is_an_error(pytester, project):
    project.config(RUNTIME)
    pytester.mkpydir("tests")
    (pytester.path / "tests" / "test_rt.py").write_text(
        "import pytest\n@pytest.mark.neuron_stable('runtime')\ndef test_it(): pass\n"
    )
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(
        ["  tests/test_rt.py::test_it: *'runtime'*stable*beta*tests glob of pyproject.toml items[[]0]*"]
    )
    assert result.ret == 1


def test_a_tests_glob_outside_the_pyprojects_folder_is_a_usage_error(project):
    # An absolute glob and one that goes up through a folder are in the catalogue.
    project.config('[[tool.neuron-classification.items]]\nname = "rt"\ntests = ["../other/*.py"]\n')
    project.module("rt")
    result = project.pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: neuron-classification: pyproject.toml: *items[[]0] (rt): *'../other/[*].py'*"])


@pytest.mark.parametrize("glob", ["./tests/test_a.py", "tests", "tests/", "tests/test_[ab].py"])
def test_glob_spellings_classify_the_file(pytester, project, glob):
    project.config(
        f'[[tool.neuron-classification.items]]\nname = "rt"\nkind = "package"\nlevel = "beta"\ntests = ["{glob}"]\n'
    )
    pytester.mkdir("tests").joinpath("test_a.py").write_text("def test_a(): pass\n")
    result, report = project.run()
    assert report["notes"] == []  # the glob matched a file
    assert report.statuses == {"rt": {"basic": "met"}}
    assert [t["items"] for t in report["tests"]] == [["rt"]]
    assert result.ret == 0
    # The note for a glob no collected file matched looks for files the same way.
    assert matches_a_file(project.path, glob, glob_regex(glob))
    assert not matches_a_file(project.path, glob.replace("test_", "tset_").replace("tests", "nothing"), glob_regex("x"))


def test_a_tests_glob_that_matches_no_file_is_reported(project):
    project.config('[[tool.neuron-classification.items]]\nname = "rt"\nlevel = "beta"\ntests = ["tests/runtmie/**"]\n')
    project.pytester.makepyfile(test_a="def test_a(): pass")
    result, report = project.run()
    (note,) = report["notes"]
    assert note.startswith("pyproject.toml items[0] (rt): ") and "'tests/runtmie/**'" in note
    result.stdout.fnmatch_lines([f"note: {project.literal(note)}"])


OPS = """import pytest
def test_rearrange_a(): pass
@pytest.mark.parametrize("n", [1, 2])
def test_rearrange_b(n): pass
@pytest.mark.parametrize("dt", ["float32", "int8"])
def test_add(dt): pass
def test_other(): pass
class TestReduce:
    def test_sum(self): pass
"""
NODE_PATTERNS = """
[[tool.neuron-classification.items]]
name = "rearrange"
level = "beta"
tests = ["tests/test_ops.py::test_rearrange*"]
[[tool.neuron-classification.items]]
name = "add_float"
level = "alpha"
tests = ["tests/test_ops.py::test_add[float*]"]
[[tool.neuron-classification.items]]
name = "reduce"
level = "alpha"
tests = ["tests/test_ops.py::TestReduce"]
"""


def test_node_id_patterns_classify_part_of_a_file(pytester, project):
    project.config(NODE_PATTERNS)
    pytester.mkdir("tests").joinpath("test_ops.py").write_text(OPS)
    result, report = project.run()
    assert result.ret == 0
    assert {t["nodeid"]: t["items"] for t in report["tests"]} == {
        "tests/test_ops.py::TestReduce::test_sum": ["reduce"],
        "tests/test_ops.py::test_add[float32]": ["add_float"],
        "tests/test_ops.py::test_rearrange_a": ["rearrange"],
        "tests/test_ops.py::test_rearrange_b[1]": ["rearrange"],
        "tests/test_ops.py::test_rearrange_b[2]": ["rearrange"],
    }
    # The tests a pattern names carry its level marker, so -m selects exactly them.
    selected = pytester.runpytest("-m", "neuron_alpha", "--collect-only", "-q")
    assert [line for line in selected.stdout.lines if line.startswith("tests/")] == [
        "tests/test_ops.py::test_add[float32]",
        "tests/test_ops.py::TestReduce::test_sum",
    ]


def test_a_node_id_pattern_and_a_marker_at_two_levels_is_an_error(pytester, project):
    project.config(NODE_PATTERNS)
    pytester.mkdir("tests").joinpath("test_ops.py").write_text(
        "import pytest\n@pytest.mark.neuron_stable('rearrange')\ndef test_rearrange_a(): pass\n"
    )
    result, report = project.run()
    assert result.ret == 1
    assert report["errors"][0].startswith("tests/test_ops.py::test_rearrange_a: item 'rearrange' is stable")


def test_category_tests_give_a_category_by_path(pytester, project):
    project.config(
        'category-tests = { integration = ["tests/test_examples.py"], performance = ["tests/test_ops.py::test_big*"] }\n'
    )
    tests = pytester.mkdir("tests")
    tests.joinpath("test_examples.py").write_text(
        "import pytest\npytestmark = pytest.mark.neuron_stable('einops')\ndef test_example(): pass\n"
    )
    tests.joinpath("test_ops.py").write_text(
        "import pytest\npytestmark = pytest.mark.neuron_stable('einops')\n"
        "def test_unit(): pass\ndef test_big(neuron_metric): neuron_metric('speed', 3.0, 'x/s')\n"
    )
    result, report = project.run()
    assert {t["nodeid"]: t["categories"] for t in report["tests"]} == {
        "tests/test_examples.py::test_example": ["integration"],
        "tests/test_ops.py::test_big": ["performance"],
        "tests/test_ops.py::test_unit": ["functional"],
    }
    assert report.statuses == {"einops": {"standard": "met", "performance": "met"}}
    assert result.ret == 0


def test_a_run_without_a_node_id_patterns_file_leaves_its_item_not_run(pytester, project):
    # The pattern's tests are in its file, which is on disk: a run of other files did not see them.
    project.config(NODE_PATTERNS)
    tests = pytester.mkdir("tests")
    tests.joinpath("test_ops.py").write_text(OPS)
    tests.joinpath("test_more.py").write_text(
        "import pytest\npytestmark = pytest.mark.neuron_beta('more')\ndef test_m(): pass\n"
    )
    _, report = project.run("tests/test_more.py")
    assert report.statuses["rearrange"] == {"basic": "not-run"}
    item = next(i for i in report["items"] if i["name"] == "rearrange")
    assert "tests/test_ops.py" in item["obligations"][0]["hint"]


def test_without_a_node_id_pattern_no_test_is_matched_by_its_id(pytester, project, monkeypatch):
    # The per-file fast path: with no pattern holding '::', a test costs its file's lookup only.
    def per_test(*args, **kwargs):
        raise AssertionError("a test was matched by its node id")

    monkeypatch.setattr(Catalog, "node_claims", per_test)
    monkeypatch.setattr(TestPatterns, "of_test", per_test)
    project.config('category-tests = { integration = ["tests/test_e.py"] }\n' + RUNTIME)
    tests = pytester.mkdir("tests")
    tests.joinpath("test_rt.py").write_text("def test_rt(): pass\n")
    tests.joinpath("test_e.py").write_text(
        "import pytest\npytestmark = pytest.mark.neuron_beta('runtime')\ndef test_e(): pass\n"
    )
    result, report = project.run()
    assert result.ret == 0
    assert {t["nodeid"]: t["categories"] for t in report["tests"]} == {
        "tests/test_e.py::test_e": ["integration"],
        "tests/test_rt.py::test_rt": ["functional"],
    }


def test_a_glob_matches_a_file_name_stored_decomposed(pytester, project):
    # macOS's HFS+ stores test_café.py with a combining accent; the inventory is typed composed.
    # Names are read in their one spelling (NFC), so the glob classifies the file and finds it on disk.
    project.config(
        '[[tool.neuron-classification.items]]\nname = "cache"\nkind = "feature"\nlevel = "beta"\n'
        'tests = ["tests/test_caf\u00e9.py"]\n'
    )
    (pytester.mkdir("tests") / "test_cafe\u0301.py").write_text("def test_hit(): pass\n", encoding="utf-8")
    result, report = project.run()
    assert report.statuses == {"cache": {"basic": "met"}}
    assert "matches no file" not in result.stdout.str()
    assert result.ret == 0
    assert matches_a_file(pytester.path, "tests/test_caf\u00e9.py", glob_regex("tests/test_caf\u00e9.py"))
