"""What an audit concludes from tests its run did not see or time: never "add a test", never "met"."""

from __future__ import annotations

import pytest

from pytest_neuron_classification.core.audit import audit_of
from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.core.items import make_item
from pytest_neuron_classification.core.metric import make_metric
from pytest_neuron_classification.core.test_record import TestRecord

RT = make_item("rt", "package", "stable", {})
UNIT = TestRecord.of("t.py::unit", ("rt",), ("rt",), ("functional",), "passed")
INTEG = TestRecord.of("t.py::integ", ("rt",), ("rt",), ("integration",), "passed")


def statuses(audit):
    return {o.name: (o.status, o.hint) for r in audit.items for o in r.obligations}


@pytest.mark.parametrize(
    ("untimed", "outcome", "status"),
    [
        ("xdist", "passed", "not-run"),
        ("disabled", "passed", "not-run"),
        ("skipped", "skipped", "not-run"),
        ("not-called", "passed", "unmeasured"),  # the test's doing, not the run's
        ("xdist", "failed", "failing"),  # a failing test still fails
    ],
)
def test_a_benchmark_not_timed_in_its_run_is_not_run(untimed, outcome, status):
    perf = TestRecord.of("t.py::perf", ("rt",), ("rt",), ("performance",), outcome, untimed=untimed)
    audit = audit_of(Evidence(items=(RT,), tests=(UNIT, INTEG, perf)))
    assert statuses(audit)["performance"][0] == status
    if status == "not-run":
        assert statuses(audit)["performance"][1].startswith("t.py::perf was not timed; pytest-benchmark ")


def test_a_benchmark_not_timed_beside_a_measurement_is_met():
    perf = TestRecord.of("t.py::perf", ("rt",), ("rt",), ("performance",), "passed", untimed="xdist")
    measured = TestRecord.of(
        "t.py::tput", ("rt",), ("rt",), ("performance",), "passed", metrics=(make_metric("tput", 5.0, "x/s"),)
    )
    audit = audit_of(Evidence(items=(RT,), tests=(UNIT, INTEG, perf, measured)))
    assert statuses(audit)["performance"] == ("met", "")


def test_a_run_with_a_collection_error_names_the_file_not_a_missing_test():
    audit = audit_of(
        Evidence(items=(RT,), tests=(UNIT,), partial="1 collection error"),
        uncollected="t2.py failed to collect: fix the import error",
    )
    assert statuses(audit) == {
        "standard": ("not-run", "t2.py failed to collect: fix the import error"),
        "performance": ("not-run", "t2.py failed to collect: fix the import error"),
    }


def test_a_test_a_hook_removed_is_named_with_who_removed_it():
    integ = TestRecord.of("t.py::integ", ("rt",), ("rt",), ("integration",), "not-run")
    audit = audit_of(Evidence(items=(RT,), tests=(UNIT, integ)), removed={"t.py::integ": "conftest.py"})
    status, hint = statuses(audit)["standard"]
    assert status == "not-run"
    assert hint.endswith("t.py::integ; removed from the collection by pytest_collection_modifyitems in conftest.py")
