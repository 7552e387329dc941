"""Classifying tests by path from the inventory, and the documentation table command."""

from __future__ import annotations

import pytest

from pytest_neuron_classification.items import glob_regex

RUNTIME = """
[[tool.neuron-classification.items]]
name = "runtime"
kind = "package"
level = "beta"
tests = ["tests/runtime/**", "tests/test_rt.py"]
"""


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("tests/runtime/**", "tests/runtime/test_a.py", True),
        ("tests/runtime/**", "tests/runtime/deep/test_b.py", True),
        ("tests/runtime/**", "tests/runtimes/test_a.py", False),
        ("tests/test_rt.py", "tests/test_rt.py", True),
        ("tests/test_*.py", "tests/sub/test_a.py", False),
        ("tests/**/test_perf_*.py", "tests/test_perf_x.py", True),
        ("tests/**/test_perf_*.py", "tests/a/b/test_perf_x.py", True),
        ("tests/test_?.py", "tests/test_ab.py", False),
    ],
)
def test_glob_patterns(pattern, path, matches):
    assert bool(glob_regex(pattern).match(path)) is matches


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
        [
            "  tests/test_rt.py::test_it: the test carries neuron_stable for item 'runtime', but pyproject.toml "
            "items[[]0] classifies its file as beta through a tests glob; keep one level"
        ]
    )
    assert result.ret == 1


def test_tests_key_must_be_a_list_of_strings(pytester, project):
    project.config('[[tool.neuron-classification.items]]\nname = "rt"\ntests = "tests/**"\n')
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*items[[]0] (rt): tests must be a list of strings, not 'tests/**'"])


INVENTORY = """
[[tool.neuron-classification.items]]
name = "neuronx-distributed"
kind = "package"
level = "beta"
since = "2.19.0"

[[tool.neuron-classification.items]]
name = "torch_neuronx.trace"
kind = "api"

[[tool.neuron-classification.items]]
name = "llama"
kind = "model"
level = "beta"
framework = "pytorch-neuronx"
library = "neuronx-distributed"
workload = "training"

[[tool.neuron-classification.items]]
name = "--auto-cast"
kind = "api"
level = "alpha"
"""


def test_table_markdown(project):
    project.config(INVENTORY)
    done = project.cli("table")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("## Software classification\n\nItems not listed here are Stable.")
    assert "| --auto-cast | api | Alpha |  |  |" in out
    assert "| llama | model | Beta | pytorch-neuronx, neuronx-distributed, training |  |" in out
    assert "| neuronx-distributed | package | Beta |  | 2.19.0 |" in out
    assert "torch_neuronx.trace" not in out
    assert "### What the levels mean" in out
    assert "| Stable | Basic and compatibility tests; incremental changes only" in out


def test_table_rst_with_an_audit(pytester, project):
    project.config(INVENTORY)
    pytester.makepyfile(test_x="import pytest\n@pytest.mark.neuron_beta('cache')\ndef test_a(): pass")
    pytester.runpytest("--neuron-json=r.json")
    done = project.cli("table", "--format", "rst", "--json", "r.json")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("Software classification\n=======================\n")
    assert ".. list-table::\n   :header-rows: 1\n" in out
    assert "   * - cache\n     - feature\n     - Beta\n     -\n     -\n     - basic met\n" in out
    assert (
        "   * - neuronx-distributed\n     - package\n     - Beta\n     -\n     - 2.19.0\n     - basic missing\n" in out
    )


def test_table_without_config(project):
    done = project.cli("table")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "python -m pytest_neuron_classification table: error: pyproject.toml: no such file; "
        "give --config PATH or --json REPORT"
    )
