"""The outcome log (session/outcome_log.py) fed pytest's reports directly: under xdist, outcomes are kept by place."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from pytest_neuron_classification.core.outcomes import RANKED
from pytest_neuron_classification.session.outcome_log import ReportLog


def _report(nodeid: str, when: str, outcome: str, **xdist: object) -> pytest.TestReport:
    return pytest.TestReport(nodeid, (nodeid, 0, nodeid), {}, outcome, None, when, **xdist)  # type: ignore[arg-type]


def test_an_xdist_controller_keeps_outcomes_by_place_not_by_node_id():
    log = ReportLog(None)
    log.pytest_xdist_node_collection_finished(node=SimpleNamespace(gateway=SimpleNamespace(id="gw0")), ids=["a", "b"])
    for when, outcome in (("setup", "passed"), ("call", "passed"), ("teardown", "failed")):
        log.pytest_runtest_logreport(_report("b", when, outcome, item_index=1, worker_id="gw0"))
    # xdist's own report for the test a crashed worker was running gives no place.
    log.pytest_runtest_logreport(_report("a", "???", "failed"))
    outcomes, _, ranks = log.take()
    by_place = {worker: [RANKED[rank] for rank in places] for worker, places in ranks.items()}
    assert by_place == {"gw0": [None, "error"]}  # b: its failed teardown after a passed call; a: no place
    assert outcomes == {"a": "failed"}  # pytest counts a crashed test as failed, not as an error
