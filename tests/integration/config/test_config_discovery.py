"""``[tool.neuron-classification]`` is read from the nearest pyproject.toml at or above the rootdir
when pytest's config file is an ini file (``tests/pytest.ini`` makes ``tests/`` the rootdir)."""

from __future__ import annotations

import pytest
from sample_projects import REPO_CONFIG, REPO_CONFIG_HEADER, repo_with_tests_ini

#: Any such header: a run that reads no pyproject.toml above the rootdir prints none.
ANY_HEADER = "neuron-classification: *pyproject.toml"


@pytest.fixture
def repo(pytester: pytest.Pytester):
    """repo/pyproject.toml with the table, repo/.git, and repo/tests/pytest.ini (an empty [pytest])."""
    return repo_with_tests_ini(pytester)


@pytest.mark.parametrize("where", ["tests", "repo"])
def test_config_above_a_tests_pytest_ini_is_read(project, repo, monkeypatch, where):
    args = ()
    if where == "tests":
        monkeypatch.chdir(repo)
    else:
        args = ("tests",)  # from the repository root: pytest still takes tests/pytest.ini
    result, report = project.run(*args)
    result.stdout.fnmatch_lines([REPO_CONFIG_HEADER, f"rootdir: {repo}", "configfile: pytest.ini"])
    # The inventory is read, and the tests glob is relative to repo/, not to the rootdir tests/.
    assert report.statuses == {"neuron-runtime": {"basic": "met"}, "nxd": {"basic": "missing"}}
    assert [t["nodeid"] for t in report["tests"]] == ["runtime/test_rt.py::test_speed"]
    assert result.ret == 1


def test_relative_paths_are_relative_to_the_pyproject(project, repo, monkeypatch):
    monkeypatch.chdir(repo)
    result, _ = project.run("--neuron-update-metrics", "--neuron-enforce=warn")
    assert result.ret == 0
    assert (project.path / "neuron-metrics.json").is_file()
    assert not (repo / "neuron-metrics.json").exists()


def test_messages_name_the_file_read(project, repo, monkeypatch):
    monkeypatch.chdir(repo)
    project.path.joinpath("pyproject.toml").write_text(REPO_CONFIG.replace("]\n", ']\nenforce = "loud"\n', 1))
    result = project.pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: neuron-classification: ../pyproject.toml: *enforce*'loud'*"])


def test_an_unmatched_glob_is_looked_for_from_the_pyproject(project, repo, monkeypatch):
    monkeypatch.chdir(repo)
    project.path.joinpath("pyproject.toml").write_text(REPO_CONFIG.replace("tests/runtime/**", "tests/nothing/**"))
    result, report = project.run()
    assert [n for n in report["notes"] if n.startswith("../pyproject.toml ") and "'tests/nothing/**'" in n]
    result.stdout.fnmatch_lines(["note: ../pyproject.toml *(neuron-runtime)*'tests/nothing/**'*"])
    assert report.statuses["neuron-runtime"] == {"basic": "missing"}


def test_the_walk_stops_at_the_first_pyproject_even_without_a_table(pytester, project, repo, monkeypatch):
    repo.joinpath("pyproject.toml").write_text("[project]\nname = 'x'\n")  # in the rootdir: the one
    monkeypatch.chdir(repo)
    result, report = project.run()
    assert report["items"] == []
    assert result.ret == 0
    result.stdout.no_fnmatch_line(ANY_HEADER)


def test_the_walk_stops_at_the_repository_root(pytester, project, monkeypatch):
    pytester.path.joinpath("pyproject.toml").write_text(REPO_CONFIG)  # outside the repository
    tests = pytester.mkdir("repo").joinpath("tests")
    tests.mkdir()
    tests.parent.joinpath(".git").mkdir()
    tests.joinpath("pytest.ini").write_text("[pytest]\n")
    tests.joinpath("test_rt.py").write_text(
        "import pytest\npytestmark = pytest.mark.neuron_beta\ndef test_it(): pass\n"
    )
    monkeypatch.chdir(tests)
    result, report = project.run()
    assert [i["id"] for i in report["items"]] == ["rt"]  # the outer inventory was not read
    assert result.ret == 0
    result.stdout.no_fnmatch_line(ANY_HEADER)


def test_a_pyproject_in_the_rootdir_prints_no_header(project):
    project.config(REPO_CONFIG.split("\n", 2)[2])
    project.module("rt", level="beta")
    result, report = project.run()
    result.stdout.fnmatch_lines([f"rootdir: {project.path}", "configfile: pyproject.toml"])
    result.stdout.no_fnmatch_line(ANY_HEADER)
    # The table was read all the same: its inventory is judged beside the marked item.
    assert report.statuses == {
        "neuron-runtime": {"basic": "missing"},
        "nxd": {"basic": "missing"},
        "rt": {"basic": "met"},
    }
    assert result.ret == 1


def test_a_glob_whose_files_were_not_collected_is_found_from_the_pyproject(project, repo, monkeypatch):
    monkeypatch.chdir(repo)
    result, report = project.run("test_other.py", "--neuron-scope=collected")
    assert report["notes"] == []  # no glob that matches no file
    assert report["out_of_scope"] == ["neuron-runtime", "nxd"]
    assert result.ret == 0


@pytest.fixture
def nested(pytester, monkeypatch):
    """parent/proj/pytest.ini and a test, no .git: parent/pyproject.toml is another project's file."""
    proj = pytester.mkdir("proj")
    proj.joinpath("pytest.ini").write_text("[pytest]\n")
    proj.joinpath("test_a.py").write_text("def test_a(): pass\n")
    monkeypatch.chdir(proj)
    return pytester.path.joinpath("pyproject.toml")


@pytest.mark.parametrize(
    "text",
    [
        "this is = = not toml\n",
        "[project]\nname = 'x'\n",
        "# tool.neuron-classification comes later\n[project]\nname = 'x'\n",
    ],
)
def test_a_pyproject_above_without_the_table_is_not_read(project, nested, text):
    nested.write_text(text)
    result, report = project.run()
    assert result.ret == 0
    assert report["items"] == [] and report["tests"] == []
    result.stdout.no_fnmatch_line(ANY_HEADER)
    result.stdout.no_fnmatch_line("*neuron-classification:*TOML*")


def test_a_pyproject_above_that_names_the_table_but_is_invalid_is_an_error(project, nested):
    nested.write_text("[tool.neuron-classification]\nenforce = = 'error'\n")
    result = project.pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: neuron-classification: ../pyproject.toml: *TOML*"])


def test_a_pyproject_above_without_the_table_still_stops_the_walk(project, nested):
    inner = nested.parent / "proj" / "sub"
    inner.mkdir()
    inner.joinpath("pytest.ini").write_text("[pytest]\n")
    inner.joinpath("test_b.py").write_text("import pytest\npytestmark = pytest.mark.neuron_beta\ndef test_b(): pass\n")
    # proj/pyproject.toml (no table) lies between the rootdir sub/ and the table in parent/.
    nested.parent.joinpath("proj", "pyproject.toml").write_text("[project]\nname = 'proj'\n")
    nested.write_text(REPO_CONFIG)
    result, report = project.run(str(inner))
    assert [i["id"] for i in report["items"]] == ["b"]  # parent/'s inventory was not read
    result.stdout.no_fnmatch_line(ANY_HEADER)
    assert result.ret == 0


def test_a_pyproject_above_that_is_not_text_is_not_read(project, nested):
    nested.write_bytes(b"[project]\nname = '\xff\xfe'\n")
    result, report = project.run()
    assert result.ret == 0
    assert report["items"] == [] and report["tests"] == []
