"""Each test's outcome and measurements, folded from the reports of its phases.

A test's verdict can come from any phase (a failing teardown after a passing call, a skip
in a finalizer), and its metrics from several (a fixture that measures at teardown). The
audit must be the same serially, under xdist (each phase's report crosses on its own) and
without pytest's terminal reporter (under xdist: tests/system/evidence/test_record_and_merge.py).
"""

from __future__ import annotations

import pytest
from evidence_projects import OUTCOMES, SUITE, metric_names, outcome_by_test


@pytest.fixture
def suite(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_runtime=SUITE)


def test_each_test_has_one_outcome_from_all_its_phases(project, suite):
    result, report = project.run("-p", "no:randomly")
    assert outcome_by_test(report) == OUTCOMES
    assert metric_names(report) == ["load_time", "unload_time"]
    # pytest counts the call of test_pass_then_teardown_skip as passed and its teardown as skipped.
    result.assert_outcomes(passed=4, failed=2, skipped=2, xfailed=1, errors=2)


def test_outcomes_are_the_same_without_pytests_terminal_reporter(project, suite):
    shown, shown_report = project.run("-p", "no:randomly", report="shown.json")
    quiet, quiet_report = project.run("-p", "no:randomly", "-p", "no:terminal", report="quiet.json")
    assert outcome_by_test(quiet_report) == OUTCOMES
    assert quiet_report["tests"] == shown_report["tests"]
    assert quiet_report["items"] == shown_report["items"]
    assert quiet.ret == shown.ret == pytest.ExitCode.TESTS_FAILED
