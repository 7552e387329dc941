"""Each test's outcome and measurements, folded from the reports of its phases.

A test's verdict can come from any phase (a failing teardown after a passing call, a skip
in a finalizer), and its metrics from several (a fixture that measures at teardown). The
audit must be the same serially, under xdist (each phase's report crosses on its own) and
without pytest's terminal reporter (under xdist: tests/system/evidence/test_record_and_merge.py).
"""

from __future__ import annotations

import pytest

SUITE = """
    import pytest
    pytestmark = pytest.mark.neuron_stable("runtime", kind="package")

    @pytest.fixture
    def broken_teardown():
        yield
        raise RuntimeError("teardown")

    @pytest.fixture
    def skipping_teardown():
        yield
        pytest.skip("no device to release")

    @pytest.fixture
    def late_metric(neuron_metric):
        yield
        neuron_metric("unload_time", 0.5, "s")

    def test_pass(): pass
    def test_fail(): assert False
    @pytest.mark.skip(reason="no hardware")
    def test_skip(): pass
    @pytest.mark.xfail(reason="known")
    def test_xfail(): assert False
    def test_fail_and_teardown(broken_teardown): assert False
    def test_pass_then_teardown_error(broken_teardown): pass
    def test_pass_then_teardown_skip(skipping_teardown): pass
    @pytest.mark.neuron_performance
    def test_metrics(neuron_metric, late_metric): neuron_metric("load_time", 0.25, "s", max=1)
"""

OUTCOMES = {
    "test_runtime.py::test_pass": "passed",
    "test_runtime.py::test_fail": "failed",
    "test_runtime.py::test_skip": "skipped",
    "test_runtime.py::test_xfail": "xfailed",
    "test_runtime.py::test_fail_and_teardown": "failed",
    "test_runtime.py::test_pass_then_teardown_error": "error",
    "test_runtime.py::test_pass_then_teardown_skip": "skipped",
    "test_runtime.py::test_metrics": "passed",
}


def _outcomes(report) -> dict[str, str]:
    return {t["nodeid"]: t["outcome"] for t in report["tests"]}


def _metrics(report) -> list[str]:
    return sorted(m["name"] for t in report["tests"] for m in t["metrics"])


@pytest.fixture
def suite(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_runtime=SUITE)


def test_each_test_has_one_outcome_from_all_its_phases(project, suite):
    result, report = project.run("-p", "no:randomly")
    assert _outcomes(report) == OUTCOMES
    assert _metrics(report) == ["load_time", "unload_time"]
    # pytest counts the call of test_pass_then_teardown_skip as passed and its teardown as skipped.
    result.assert_outcomes(passed=4, failed=2, skipped=2, xfailed=1, errors=2)


def test_outcomes_are_the_same_without_pytests_terminal_reporter(project, suite):
    shown, shown_report = project.run("-p", "no:randomly", report="shown.json")
    quiet, quiet_report = project.run("-p", "no:randomly", "-p", "no:terminal", report="quiet.json")
    assert _outcomes(quiet_report) == OUTCOMES
    assert quiet_report["tests"] == shown_report["tests"]
    assert quiet_report["items"] == shown_report["items"]
    assert quiet.ret == shown.ret == pytest.ExitCode.TESTS_FAILED
