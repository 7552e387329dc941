"""Each test's outcome and what it measured, folded from the run's test reports.

pytest's own terminal reporter keeps every test report of the run (its summary counts
them), so the controller reads them there once, when the run ends, instead of having a
hook called for each: on a suite of 60,000 tests that saves 180,000 hook calls, about
0.15 s of a serial run. When the terminal reporter is not pytest's own (``-p
no:terminal``, or a plugin that replaces it and may keep fewer reports), a listener
folds each report as it is logged, as the controller always did before.
"""

from __future__ import annotations

from typing import Any, Container, Iterable, Mapping

import pytest

from .evidence import Outcome, fold_phase, phase_outcome
from .metrics import Metric, from_properties

#: The name the listener is registered under (and unregistered by, at unconfigure).
REPORT_LISTENER = "neuron_classification_reports"
#: What a test measured: its metrics, and why its benchmark timed nothing (or "").
Measured = tuple[tuple[Metric, ...], str]


class ReportLog:
    """Outcomes and measurements by node id, for the tests the controller judges."""

    def __init__(self, classified: Container[str] | None) -> None:
        #: The node ids whose outcomes matter (filled by the classifier at collection), or
        #: None for all: an xdist controller learns which tests are classified only from
        #: the workers' evidence at the end.
        self.classified = classified
        #: Outcome of each classified (or failed) test, folded over its report phases.
        self.outcomes: dict[str, Outcome] = {}
        #: What each classified test measured, and how many properties that was read from.
        self.measured: dict[str, Measured] = {}
        self._read_from: dict[str, int] = {}

    def add(self, report: pytest.TestReport) -> None:
        """Fold one report of one phase into its test's outcome (and measurements)."""
        when, outcome, properties = report.when, report.outcome, report.user_properties
        if when != "call" and outcome == "passed" and not properties:
            return  # a passing setup or teardown says nothing (two reports in three)
        nodeid = report.nodeid
        classified = self.classified is None or nodeid in self.classified
        # Failed reports are kept even when unclassified: xdist makes its own report,
        # without properties, for a test whose worker crashed.
        if outcome == "failed" or classified:
            phase = phase_outcome(when, outcome, hasattr(report, "wasxfail"))
            folded = fold_phase(self.outcomes.get(nodeid), phase)
            if folded is not None:  # a passing setup with properties: no outcome yet
                self.outcomes[nodeid] = folded
        if classified and properties:
            self._measure(nodeid, properties)

    def _measure(self, nodeid: str, properties: list[tuple[str, object]]) -> None:
        # A test's properties only grow from phase to phase (teardown's report has them
        # all); the reports may come in any order, so the longest list wins.
        if len(properties) < self._read_from.get(nodeid, 0):
            return
        measured = from_properties(properties)
        if measured[0] or measured[1]:  # most tests measure nothing: store nothing for them
            self.measured[nodeid] = measured
            self._read_from[nodeid] = len(properties)

    def add_kept(self, kept: Mapping[str, Iterable[object]]) -> None:
        """Fold every test report the terminal reporter kept (by category, in any order).

        The order of a test's phases is lost across categories; folding does not need it:
        a failure is never washed out, and a test has at most one other outcome.
        """
        add = self.add
        for reports in kept.values():
            for report in reports:
                # Its lists also hold warnings, deselected items and collection reports.
                if isinstance(report, pytest.TestReport):
                    add(report)


class ReportListener:
    """Folds each test report as it is logged: for runs whose reports nobody keeps."""

    def __init__(self, log: ReportLog) -> None:
        self.log = log

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.log.add(report)


def kept_reports(config: pytest.Config) -> Mapping[str, Iterable[object]] | None:
    """Every report of the run, kept by pytest's own terminal reporter; None without it.

    Only pytest's own class is trusted to keep them all: a replacement (pytest-sugar and
    the like) may keep fewer, and a test whose report is missing would count as not-run.
    """
    reporter: Any = config.pluginmanager.get_plugin("terminalreporter")
    if type(reporter) is not pytest.TerminalReporter:
        return None
    stats = getattr(reporter, "stats", None)
    return stats if isinstance(stats, dict) else None
