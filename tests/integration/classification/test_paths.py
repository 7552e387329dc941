"""Classifying tests by path from the inventory's ``tests`` globs (the table command: tests/system/cli/test_table.py)."""

from __future__ import annotations

import pytest

from pytest_neuron_classification.core.globs import glob_regex
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
