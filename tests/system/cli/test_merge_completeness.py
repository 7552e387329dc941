"""``merge`` knows what is missing: a shard without a report, a shard given twice, reports of two
collections, and reports that say nothing about their place.

Every shard report here comes from a real pytest run, split by a conftest in the manner of
pytest-split (its ``--splits``/``--group`` options, stored where pytest-split stores them) or by
the run's own ``--neuron-shard=K/N``; the merge runs in a subprocess, as in CI.
"""

from __future__ import annotations

import json
import shutil

import pytest

#: pytest-split's options and deselection: group K (from 1) of N keeps every N-th test.
SPLIT = """
def pytest_addoption(parser):
    parser.addoption("--splits", dest="splits", type=int, default=None)
    parser.addoption("--group", dest="group", type=int, default=None)

def pytest_collection_modifyitems(config, items):
    splits, group = config.option.splits, config.option.group
    if splits:
        keep = [t for i, t in enumerate(items) if i % splits == group - 1]
        config.hook.pytest_deselected(items=[t for t in items if t not in keep])
        items[:] = keep
"""
#: A Stable package whose tests fall in every group; ``test_io`` fails when FAIL_IO is set.
TESTS = """
import os
import pytest
pytestmark = pytest.mark.neuron_stable("runtime", kind="package")
@pytest.mark.parametrize("n", range(5))
def test_unit(n): pass
@pytest.mark.neuron_integration
def test_io(): assert not os.environ.get("FAIL_IO")
@pytest.mark.neuron_performance
def test_speed(neuron_metric): neuron_metric("speed", 1.0)
"""
MISSING_2 = "shard 2/3 missing: no report for group 2 of 3 (pytest-split)"


@pytest.fixture
def suite(pytester: pytest.Pytester, project) -> pytest.Pytester:
    project.config("")
    pytester.makeconftest(SPLIT)
    pytester.makepyfile(test_runtime=TESTS)
    return pytester


def group(pytester: pytest.Pytester, k: int, name: str = "") -> str:
    name = name or f"s{k}.json"
    pytester.runpytest(
        "--splits=3", f"--group={k}", f"--neuron-json={name}", "-p", "no:randomly", "-p", "no:cacheprovider"
    )
    return name


def test_a_missing_shard_fails_the_merge_in_one_line(suite, project):
    s1, s3 = group(suite, 1), group(suite, 3)
    done = project.cli("merge", s1, s3, "--json", "merged.json")
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert MISSING_2 in lines
    assert lines[-1] == f"neuron-classification: FAILED: {MISSING_2}"
    merged = project.read("merged.json")
    assert merged["errors"] == [MISSING_2]
    assert merged["passed"] is False
    assert merged["completeness"]["shards"] == [
        {"by": "pytest-split", "count": 3, "present": {"1": s1, "3": s3}, "missing": [2]}
    ]
    # Under warn the merge says it, does not fail, and still never says passed.
    warned = project.cli("merge", s1, s3, "--enforce", "warn", "--json", "warned.json")
    assert warned.returncode == 0
    assert warned.stdout.splitlines()[-1] == (f"neuron-classification: {MISSING_2}; not failing the run (enforce=warn)")
    assert project.read("warned.json")["passed"] is False
    # The Markdown and HTML reports list it too, beside their verdict.
    project.cli("merge", s1, s3, "--markdown", "merged.md", "--html", "merged.html")
    markdown = (suite.path / "merged.md").read_text()
    assert f"### Completeness\n\n- {MISSING_2}\n" in markdown
    page = (suite.path / "merged.html").read_text()
    assert f"<h2>Completeness (1)</h2>\n<ul><li>{MISSING_2}</li>" in page


def test_every_shard_given_passes(suite, project):
    reports = [group(suite, k) for k in (1, 2, 3)]
    done = project.cli("merge", *reports, "--json", "merged.json")
    assert done.returncode == 0, done.stdout + done.stderr
    merged = project.read("merged.json")
    assert merged["errors"] == [] and merged["passed"] is True
    assert merged["completeness"]["shards"][0]["missing"] == []
    assert not [n for n in merged["notes"] if n.startswith("completeness unknown")]


def test_a_shard_of_neuron_shard_names_the_option(pytester, project):
    project.module(categories=("functional", "integration"))
    pytester.runpytest("--neuron-shard=1/2", "--neuron-json=a.json")
    done = project.cli("merge", "a.json")
    assert "shard 2/2 missing: no report for shard 2 of 2 (--neuron-shard)" in done.stdout.splitlines()
    assert done.returncode == 1


def test_a_shard_given_twice_alike_counts_once(suite, project):
    s1, s2, s3 = (group(suite, k) for k in (1, 2, 3))
    again = group(suite, 2, "s2-rerun.json")  # the job re-run: the same tests, the same outcomes
    done = project.cli("merge", s1, s2, again, s3, "--json", "merged.json")
    assert done.returncode == 0, done.stdout + done.stderr
    note = (
        "shard 2/3 (pytest-split) given twice, in s2.json and s2-rerun.json: the same tests and outcomes, counted once"
    )
    assert f"note: {note}" in done.stdout.splitlines()
    merged = project.read("merged.json")
    assert note in merged["notes"]
    assert merged["completeness"]["shards"][0]["present"] == {"1": s1, "2": s2, "3": s3}


def test_a_shard_given_twice_with_other_results_is_refused(suite, project, monkeypatch):
    s1, s2, s3 = (group(suite, k) for k in (1, 2, 3))
    holder = next(k for k in (1, 2, 3) if "test_runtime.py::test_io" in _ran(project, f"s{k}.json"))
    monkeypatch.setenv("FAIL_IO", "1")
    other = group(suite, holder, "other.json")
    done = project.cli("merge", s1, s2, s3, other, "--json", "merged.json")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"python -m pytest_neuron_classification merge: error: shard {holder}/3 (pytest-split) is given twice with "
        f"different results, in s{holder}.json and other.json (test_runtime.py::test_io: passed in the first, failed "
        "in the second); give each shard's report once"
    ]
    assert not (project.path / "merged.json").exists()


def test_shards_of_two_collections_are_named(suite, project):
    s1, s2 = group(suite, 1), group(suite, 2)
    # The third job ran a later commit: one more test in the suite.
    (suite.path / "test_runtime.py").write_text(TESTS + "def test_new(): pass\n")
    s3 = group(suite, 3)
    done = project.cli("merge", s1, s2, s3, "--json", "merged.json")
    assert done.returncode == 1, done.stdout + done.stderr
    # Each shard lists its own selection only: which tests one commit lacks is not known, their counts are.
    line = "reports of 2 collections: s1.json, s2.json (7 tests); s3.json (8 tests): merge the reports of one commit"
    assert line in done.stdout.splitlines()
    assert project.read("merged.json")["errors"][0] == line


def test_reports_without_placement_say_completeness_is_unknown(suite, project):
    for name in ("a.json", "b.json"):
        suite.runpytest(f"--neuron-json={name}", "-p", "no:cacheprovider")
        report = project.read(name)
        del report["placement"]  # a report written before placement existed
        (suite.path / name).write_text(json.dumps(report))
    done = project.cli("merge", "a.json", "b.json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "note: completeness unknown: 2 reports, no shard numbers and no collection" in done.stdout.splitlines()


def test_a_collection_report_makes_completeness_known(suite, project):
    suite.runpytest("--neuron-json=run.json", "-p", "no:cacheprovider")
    suite.runpytest("--collect-only", "--neuron-json=col.json", "-p", "no:cacheprovider")
    shutil.copy(suite.path / "run.json", suite.path / "run2.json")
    done = project.cli("merge", "run.json", "col.json")
    assert "completeness unknown" not in done.stdout
    # Two jobs of one collection count its classified tests: a missing job would show in the count.
    counted = project.cli("merge", "run.json", "run2.json")
    assert "completeness unknown" not in counted.stdout and counted.returncode == 0
    for name in ("run.json", "run2.json"):  # written before the reports counted their collection
        report = project.read(name)
        del report["placement"]["collection"]["classified"], report["placement"]["collection"]["stable"]
        (suite.path / name).write_text(json.dumps(report))
    unknown = project.cli("merge", "run.json", "run2.json")
    assert "note: completeness unknown: 2 reports, no shard numbers and no collection" in unknown.stdout.splitlines()


def _ran(project, report: str) -> set[str]:
    return {t["nodeid"] for t in project.read(report)["tests"] if t["outcome"] != "not-run"}


#: Two test files, one per CI job: a Stable package in each.
CC = """
import pytest
pytestmark = pytest.mark.neuron_stable("cc", kind="package")
def test_p(): pass
@pytest.mark.neuron_integration
def test_i(): pass
"""
OTHER = CC.replace('"cc"', '"other"')


def test_a_test_that_ran_in_no_job_fails_the_merge_and_its_file_is_named(pytester, project):
    project.config("")
    project.write({"tests/test_cc.py": CC, "tests/test_other.py": OTHER})
    # The job of tests/test_other.py uploaded its report; the job of tests/test_cc.py did not.
    pytester.runpytest("tests/test_other.py", "--neuron-json=run.json", "-p", "no:cacheprovider")
    pytester.runpytest("--collect-only", "--neuron-json=col.json", "-p", "no:cacheprovider")
    done = project.cli("merge", "run.json", "col.json", "--json", "merged.json")
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    line = "never ran in any job: tests/test_cc.py::test_i, tests/test_cc.py::test_p"
    assert line in lines
    assert lines[-1].startswith(f"neuron-classification: FAILED: {line}")
    # What the missing job would have run exists: the merge does not ask for a test.
    assert "  stable package cc: performance missing -> no report covers tests/test_cc.py (a missing job?)" in lines
    merged = project.read("merged.json")
    assert merged.statuses["cc"]["standard"] == "not-run"
    assert line in merged["errors"] and merged["passed"] is False
    # The other item's file ran: its missing performance test is missing indeed.
    assert any(s.startswith("  stable package other: performance missing -> add a passing test") for s in lines)
    # Under warn the merge says it, does not fail, and still never says passed.
    warned = project.cli("merge", "run.json", "col.json", "--enforce", "warn", "--json", "warned.json")
    assert warned.returncode == 0 and line in warned.stdout.splitlines()
    assert project.read("warned.json")["passed"] is False


def test_every_shard_given_counts_what_no_job_ran(suite, project):
    # Every group of the split ran -m "not neuron_integration": test_io ran in no job. No report
    # lists it (each lists its own selection), but each counts the collection's Stable tests.
    reports = [f"s{k}.json" for k in (1, 2, 3)]
    for k, name in enumerate(reports, 1):
        suite.runpytest("--splits=3", f"--group={k}", f"--neuron-json={name}", "-m", "not neuron_integration")
    assert all("test_runtime.py::test_io" not in _listed(project, name) for name in reports)
    done = project.cli("merge", *reports, "--json", "merged.json")
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(s.startswith("never ran in any job: 1 Stable test of the collection") for s in lines)
    merged = project.read("merged.json")
    assert merged["completeness"]["unlisted"] == {"classified": 1, "stable": 1}
    # Its obligation is not-run, not missing: the test exists, in no report.
    assert merged.statuses["runtime"]["standard"] == "not-run"
    # With a --collect-only report of the suite the merge names it.
    suite.runpytest("--collect-only", "--neuron-json=col.json", "-p", "no:cacheprovider")
    named = project.cli("merge", *reports, "col.json")
    assert named.returncode == 1
    assert "never ran in any job: test_runtime.py::test_io" in named.stdout.splitlines()
    assert not any(s.startswith("never ran in any job: 1 Stable") for s in named.stdout.splitlines())


def _listed(project, report: str) -> set[str]:
    return {t["nodeid"] for t in project.read(report)["tests"]}


def test_a_shard_report_lists_its_own_selection_and_an_older_one_still_merges(suite, project):
    reports = [group(suite, k) for k in (1, 2, 3)]
    listed = [_listed(project, name) for name in reports]
    assert sum(map(len, listed)) == 7 and len(set().union(*listed)) == 7  # each test in one report only
    placement = project.read("s1.json")["placement"]["collection"]
    assert (placement["classified"], placement["stable"]) == (7, 7)
    # A report of schema /2 listed the whole collection, the others' tests not-run, and counted nothing.
    older = project.read("s2.json")
    older["schema"] = "pytest-neuron-classification/2"
    del older["placement"]["collection"]["classified"], older["placement"]["collection"]["stable"]
    mine = _listed(project, "s2.json")
    older["tests"] += [dict(t, outcome="not-run") for t in project.read("s1.json")["tests"] if t["nodeid"] not in mine]
    (suite.path / "s2.json").write_text(json.dumps(older))
    done = project.cli("merge", *reports, "--json", "merged.json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert project.read("merged.json")["passed"] is True


def test_a_missing_job_of_one_collection_asks_for_no_test_that_exists(pytester, project):
    project.config("")
    project.write({"tests/test_cc.py": CC, "tests/test_other.py": OTHER})
    # Two jobs split the suite with -k; the job of test_cc.py uploaded no report, and no
    # --collect-only report is given: the other job's report still counts the collection.
    pytester.runpytest("-k", "test_other", "--neuron-json=other.json", "-p", "no:cacheprovider")
    done = project.cli("merge", "other.json", "--json", "merged.json")
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert not any("stable package cc" in s and "add a" in s for s in lines)
    merged = project.read("merged.json")
    assert set(merged.statuses["cc"].values()) == {"not-run"}
    assert merged["completeness"]["unlisted"] == {"classified": 2, "stable": 2}
    assert any(s.startswith("never ran in any job: 2 Stable tests of the collection") for s in merged["errors"])
    # The other item's own gap is judged as usual: every Stable test of the collection is counted,
    # and its missing performance test may be among those no report lists, so it is not-run too.
    assert merged.statuses["other"]["performance"] == "not-run"
