"""Classifying tests by path from the inventory, and the documentation table command."""

from __future__ import annotations

from fnmatch import fnmatchcase

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pytest_neuron_classification.core.globs import glob_regex
from pytest_neuron_classification.storage.test_files import matches_a_file

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
        ["  tests/test_rt.py::test_it: *'runtime'*stable*beta*tests glob of pyproject.toml items[[]0]*"]
    )
    assert result.ret == 1


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


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("./tests/test_a.py", "tests/test_a.py", True),
        ("tests", "tests/test_a.py", True),
        ("tests", "tests/deep/test_a.py", True),
        ("tests", "testsuite/test_a.py", False),
        ("tests/", "tests/deep/test_a.py", True),
        ("tests/test_[ab].py", "tests/test_a.py", True),
        ("tests/test_[ab].py", "tests/test_c.py", False),
        ("tests/test_[!ab].py", "tests/test_c.py", True),
        ("tests/test_[a-c].py", "tests/test_b.py", True),
        ("tests/*", "tests/deep/test_a.py", False),  # a wildcard part still stays within its folder
        ("tests/test_a.py", "tests/test_a.py/x", True),  # harmless: a file has nothing below it
    ],
)
def test_glob_spellings_people_write(pattern, path, matches):
    assert bool(glob_regex(pattern).match(path)) is matches


PARTS = st.text(st.sampled_from("ab*?[]!-"), min_size=1, max_size=5)
PATH_PARTS = st.text(st.sampled_from("ab[]!-"), min_size=1, max_size=4)


@given(st.lists(PARTS, min_size=1, max_size=3), st.lists(PATH_PARTS, min_size=1, max_size=4))
def test_glob_regex_agrees_with_fnmatch_part_by_part(parts, path_parts):
    """Without ``**``, a glob matches a path when each part matches as fnmatch says; a last part
    without wildcards (a folder) also covers the paths below it."""
    assume(not any("**" in p for p in parts))
    pattern, path = "/".join(parts), "/".join(path_parts)
    folder = not any(c in parts[-1] for c in "*?[")
    same_depth = len(path_parts) == len(parts) or (folder and len(path_parts) > len(parts))
    expected = same_depth and all(fnmatchcase(name, part) for name, part in zip(path_parts, parts))
    assert bool(glob_regex(pattern).match(path)) is expected


NAME_CHARACTERS = st.sampled_from("ab-!^.\\]") | st.characters(blacklist_characters="/", blacklist_categories=("Cs",))


@given(st.text(st.sampled_from("*?[") | NAME_CHARACTERS, max_size=8), st.text(NAME_CHARACTERS, max_size=6))
def test_one_part_matches_a_name_as_fnmatch_says(part, name):
    """One part (no ``/``, no ``**``) matches a file name exactly as :func:`fnmatch.fnmatchcase` does."""
    assume("**" not in part)
    assert bool(glob_regex(part).match(name)) is fnmatchcase(name, part)


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
