"""Each test's outcome and what it measured, folded from its test reports as they are logged.

Registered beside the controller (serially, or on the xdist controller). It is called for
every report of every test, so it does as little as it can: a passing setup or teardown
(two reports in three) costs three attribute reads. Reading the reports that pytest's
terminal reporter keeps, once at the end, was tried and measured: the hook calls saved
(about 0.15 s for 190,000 reports) were spent again reading reports long out of the CPU cache.
"""

from __future__ import annotations

from typing import Container

import pytest

from .evidence import Outcome, fold_phase, phase_outcome
from .metrics import Measured, from_properties

#: The name the log is registered under (and unregistered by, at unconfigure).
REPORT_LOG = "neuron_classification_reports"


class ReportLog:
    """Outcomes and measurements by node id, for the tests the controller judges."""

    def __init__(self, classified: Container[str] | None) -> None:
        #: The node ids whose outcomes matter (filled by the classifier at collection), or
        #: None for all: an xdist controller learns which tests are classified only from
        #: the workers' evidence at the end.
        self.classified = classified
        #: Outcome of each classified (or failed) test, folded over its report phases.
        self.outcomes: dict[str, Outcome] = {}
        #: What each classified test measured, from its last report (teardown's has all).
        self.measured: dict[str, Measured] = {}

    def take(self) -> tuple[dict[str, Outcome], dict[str, Measured]]:
        """The outcomes and measurements, handed over: the log keeps none (MiBs on a large suite)."""
        taken = self.outcomes, self.measured
        self.outcomes, self.measured = {}, {}
        return taken

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
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
            # From the last report that has them: properties only grow from phase to phase.
            measured = from_properties(properties)
            if measured[0] or measured[1]:  # most tests measure nothing: store nothing for them
                self.measured[nodeid] = measured
