"""Each test's outcome and what it measured, folded from its test reports as they are logged.

Registered beside the controller (serially, or on the xdist controller). It is called for
every report of every test, so it does as little as it can: a passing setup or teardown
(two reports in three) costs three attribute reads. Folding each report as it is logged is
also cheaper than reading the reports pytest's terminal reporter keeps at the end: by then
they are long out of the CPU cache.
"""

from __future__ import annotations

from typing import Any, Container, Sequence

import pytest

from pytest_neuron_classification.core.metric import NOTHING, Measured, from_properties
from pytest_neuron_classification.core.outcomes import PHASE_RANK, Outcome, fold_phase, phase_outcome

#: The name the log is registered under (and unregistered by, at unconfigure).
REPORT_LOG = "neuron_classification_reports"


class ReportLog:
    """Outcomes and measurements, for the tests the controller judges.

    Serially by node id; under xdist each outcome goes by the test's place in its worker's
    collection (its reports say which), so that the controller's log of a 60,000-test suite
    is 60 KB rather than a dict of 60,000 entries.
    """

    def __init__(self, classified: Container[str] | None) -> None:
        #: The node ids whose outcomes matter (filled by the classifier at collection), or
        #: None for all: an xdist controller learns which tests are classified only from
        #: the workers' evidence at the end.
        self.classified = classified
        #: Outcome of each classified (or failed) test, folded over its report phases.
        self.outcomes: dict[str, Outcome] = {}
        #: What each classified test measured, from its last report (teardown's has all).
        self.measured: dict[str, Measured] = {}
        #: Under xdist, each worker's outcomes as ranks (:data:`~.outcomes.RANKED`) by the
        #: test's place in that worker's collection, which its reports give: one byte per
        #: test where a dict by node id would cost MiBs on a large suite.
        self.ranks: dict[str, bytearray] = {}

    def take(self) -> tuple[dict[str, Outcome], dict[str, Measured], dict[str, bytearray]]:
        """The outcomes, measurements and ranks, handed over: the log keeps none."""
        taken = self.outcomes, self.measured, self.ranks
        self.outcomes, self.measured, self.ranks = {}, {}, {}
        return taken

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: Sequence[str]) -> None:
        self.ranks[worker_id(node)] = bytearray(len(ids))

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
            # hasattr raises and catches inside when the attribute is missing: asked only where it matters.
            phase = phase_outcome(when, outcome, outcome == "skipped" and hasattr(report, "wasxfail"))
            # None: a passing setup with properties gives no outcome yet.
            if phase is not None and not (self.ranks and self._ranked(report, PHASE_RANK[phase])):
                self.outcomes[nodeid] = fold_phase(self.outcomes.get(nodeid), phase) or phase
        if classified and properties:
            # From the last report that has them: properties only grow from phase to phase.
            measured = from_properties(properties)
            if measured is not NOTHING:  # most tests measure nothing: store nothing for them
                self.measured[nodeid] = measured
            elif getattr(report, "rerun", None):
                self.measured.pop(nodeid, None)  # a later attempt (pytest-rerunfailures) measured nothing
        elif classified and getattr(report, "rerun", None):
            self.measured.pop(nodeid, None)

    def _ranked(self, report: pytest.TestReport, rank: int) -> bool:
        """Whether ``rank`` went into its worker's ranks: an xdist report that gives its place.

        xdist's own report for the test a crashed worker was running does not: it goes by node id.
        """
        ranks = self.ranks.get(getattr(report, "worker_id", ""))
        index = getattr(report, "item_index", -1)
        if ranks is None or not 0 <= index < len(ranks):
            return False
        if rank > ranks[index]:
            ranks[index] = rank
        return True


def worker_id(node: Any) -> str:
    """An xdist worker's id (``gw0``), as its node names it; its reports carry the same."""
    return str(getattr(getattr(node, "gateway", None), "id", "a worker"))
