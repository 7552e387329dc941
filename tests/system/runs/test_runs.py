"""Partial runs with other processes: scope and merge of file jobs, partial runs under xdist, and a verdict merged from contradicting evidence."""

from __future__ import annotations

import pytest
from sample_projects import glob_suite


@pytest.fixture
def suite(project):
    """An inventory that classifies three files by globs; every obligation is met by the whole suite."""
    return glob_suite(project)


def test_scope_collected_judges_each_obligation_it_saw_tests_for(suite):
    # Shard A: the functional and integration tests of pkg; its performance test is in shard B.
    result, report = suite.run("tests/test_pkg.py", "--neuron-scope=collected", report="a.json")
    assert result.ret == 0
    assert report.statuses == {
        "pkg": {"standard": "met", "performance": "out-of-scope"},
        "einsum": {"basic": "out-of-scope"},
    }
    assert report["out_of_scope"] == ["einsum"]
    result.stdout.fnmatch_lines(
        [
            "  package  pkg  standard met, performance out-of-scope",
            "out-of-scope: 1 *: einsum",
            "neuron-classification: *[[]scope=collected: *]",
        ]
    )
    result, _ = suite.run("tests/test_pkg_perf.py", "tests/test_einsum.py", "--neuron-scope=collected", report="b.json")
    assert result.ret == 0
    done = suite.cli("merge", "a.json", "b.json", "--json", "merged.json")
    assert done.returncode == 0, done.stdout
    merged = suite.read("merged.json")
    assert merged.statuses == {"pkg": {"standard": "met", "performance": "met"}, "einsum": {"basic": "met"}}
    # Only the merge of every job judges what no job saw.
    done = suite.cli("merge", "a.json", "--json", "merged.json")
    assert done.returncode == 1
    assert suite.read("merged.json").statuses["pkg"]["performance"] == "missing"


def test_merge_of_two_file_jobs_equals_the_full_run(suite):
    _, full = suite.run(report="full.json")
    suite.run("tests/test_pkg.py", report="a.json")
    suite.run("tests/test_pkg_perf.py", "tests/test_einsum.py", report="b.json")
    done = suite.cli("merge", "a.json", "b.json", "--json", "merged.json")
    assert done.returncode == 0, done.stdout
    merged = suite.read("merged.json")
    assert merged.statuses == full.statuses
    assert merged["partial"] == ""


@pytest.mark.parametrize("dist", ["load", "loadfile", "each"])
def test_a_partial_run_under_xdist_is_the_serial_one(suite, dist):
    _, serial = suite.run("tests/test_pkg.py", report="serial.json")
    result, parallel = suite.run_subprocess("tests/test_pkg.py", "-n", "2", "--dist", dist, report="parallel.json")
    assert result.ret == 0
    assert (
        parallel.statuses
        == serial.statuses
        == {
            "pkg": {"standard": "met", "performance": "not-run"},
            "einsum": {"basic": "not-run"},
        }
    )
    hints = [[o["hint"] for o in i["obligations"]] for i in serial["items"]]
    assert [[o["hint"] for o in i["obligations"]] for i in parallel["items"]] == hints


THREE_PACKAGES = "".join(
    f'\n[[tool.neuron-classification.items]]\nname = "{name}"\nkind = "package"\nlevel = "beta"\n'
    for name in ("rt", "nxd", "cc")
)


@pytest.fixture
def three(project):
    """An inventory of three Beta packages, of which only ``rt`` has a test in this project."""
    project.config(THREE_PACKAGES)
    project.module("rt", level="beta")


def test_collected_scope_under_xdist_equals_serial(project, three):
    pytest.importorskip("xdist")
    serial, serial_report = project.run_subprocess(
        "-p", "no:cacheprovider", "--neuron-scope=collected", report="s.json"
    )
    parallel, parallel_report = project.run_subprocess(
        "-p", "no:cacheprovider", "--neuron-scope=collected", "-n", "2", report="p.json"
    )
    assert parallel_report.audit == serial_report.audit
    assert parallel_report["environment"] == "workers=2" and serial_report["environment"] == "default"
    assert serial.ret == parallel.ret == 0
    parallel.stdout.fnmatch_lines(["out-of-scope: 2 *: cc, nxd"])


def test_a_run_failed_by_contradicting_evidence_says_so_everywhere(pytester, project):
    pytester.makepyfile(
        test_x="import pytest\npytestmark = pytest.mark.neuron_beta('x', kind='package')\ndef test_a(): pass"
    )
    out = project.cli(
        "record", "--item", "x", "--kind", "package", "--level", "stable", "--category", "functional",
        "--outcome", "passed", "--source", "job", "--output", "ev.json",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    result, report = project.run("--neuron-evidence=ev.json", "--neuron-markdown=summary.md")
    assert result.ret == 1
    [problem] = report["errors"]
    assert all(key in problem for key in ("'x'", "stable in ev.json", "beta in test_x.py"))
    # The one problem is the verdict, an error line and the report's error, in the same words.
    result.stdout.fnmatch_lines(
        [f"neuron-classification: FAILED: {problem}", f"ERROR: neuron-classification: {problem}"]
    )
    assert "obligations kept" not in result.stdout.str()
    assert report["passed"] is False
    markdown = (pytester.path / "summary.md").read_text()
    assert f":x: FAILED: {problem}" in markdown
    assert f"### Errors\n\n- {problem}" in markdown


def test_the_verdict_is_printed_after_pytest_benchmark_s_table(project):
    project.config("")
    project.pytester.makepyfile(
        test_fast="import pytest\npytestmark = pytest.mark.neuron_beta('fast')\n"
        "@pytest.mark.neuron_performance\ndef test_speed(benchmark):\n    benchmark(sum, range(3))\n"
    )
    result = project.pytester.runpytest(*project.BENCHMARK)
    assert result.ret == 0
    result.stdout.fnmatch_lines(
        ["*benchmark: 1 tests*", "*= neuron classification =*", "neuron-classification: *", "*1 passed*"]
    )
