"""core/unrun.py: a test of the known collection that ran in no job, and files no run report covers."""

from __future__ import annotations

from pytest_neuron_classification.core.audit import audit_of
from pytest_neuron_classification.core.completeness import Completeness
from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.core.items import make_item
from pytest_neuron_classification.core.test_record import TestRecord
from pytest_neuron_classification.core.unrun import covered_files, never_ran, uncovered, unlisted_gaps, unlisted_stable

CC = make_item("cc", "package", "stable", {})


def record(name: str, outcome: str, categories: tuple[str, ...] = ("functional",)) -> TestRecord:
    return TestRecord.of(name, (CC.id,), (CC.name,), categories, outcome=outcome)  # type: ignore[arg-type]


def evidence(*tests: TestRecord) -> Evidence:
    return Evidence(items=(CC,), tests=tests)


TESTS = (
    record("t/test_cc.py::test_p", "not-run"),
    record("t/test_cc.py::test_q", "collected"),
    record("t/test_cc.py::test_i", "passed", ("integration",)),
    *(record(f"t/test_cc.py::test_r{k}", "not-run") for k in range(3)),
)


def test_a_stable_test_of_the_collection_that_ran_nowhere_is_named_first_few_then_more():
    audit = audit_of(evidence(*TESTS))
    assert audit.items[0].obligations[0].status == "not-run"
    collection = frozenset(t.nodeid for t in TESTS)
    assert never_ran(audit, collection) == (
        "never ran in any job: t/test_cc.py::test_p, t/test_cc.py::test_q, t/test_cc.py::test_r0 (+2 more)"
    )


def test_a_stable_test_that_ran_nowhere_is_named_though_another_test_met_its_obligation():
    # A -k job and a --collect-only report: test_q never ran anywhere, while test_a met "standard".
    tests = (
        record("t/test_cc.py::test_a", "passed", ("integration",)),
        record("t/test_cc.py::test_u", "passed"),
        record("t/test_cc.py::test_q", "collected"),
    )
    audit = audit_of(evidence(*tests))
    assert audit.items[0].obligations[0].status == "met"
    assert never_ran(audit, frozenset(t.nodeid for t in tests)) == "never ran in any job: t/test_cc.py::test_q"


def test_nothing_is_said_without_the_collection_or_with_stable_off():
    audit = audit_of(evidence(*TESTS))
    assert never_ran(audit, frozenset()) == ""  # deselected on purpose, perhaps: nothing here can tell
    assert never_ran(audit, frozenset({"t/test_cc.py::test_i"})) == ""
    assert never_ran(audit_of(evidence(*TESTS), enforce="off"), frozenset(t.nodeid for t in TESTS)) == ""


def test_a_missing_obligation_names_the_files_no_run_covers():
    runs = [Evidence(tests=(record("t/test_cc.py::test_i", "passed", ("integration",)),))]
    covered = covered_files(runs)
    assert covered == frozenset({"t/test_cc.py"})
    elsewhere = record("t/test_more.py::test_x", "collected")
    audit = audit_of(evidence(*TESTS, elsewhere))
    hints = {o.name: o.hint for o in uncovered(audit, covered)[0].obligations if o.status == "missing"}
    assert hints == {"performance": "no report covers t/test_more.py (a missing job?)"}
    # Every file of the item covered: the test is missing indeed.
    hints = {o.name: o.hint for o in uncovered(audit, covered | {"t/test_more.py"})[0].obligations}
    assert hints["performance"].startswith("add a passing test")


def test_tests_no_report_lists_make_a_missing_obligation_not_run_and_fail_when_stable():
    audit = audit_of(evidence(record("t/test_cc.py::test_p", "passed")))
    assert {o.name: o.status for o in audit.items[0].obligations}["performance"] == "missing"
    counted = Completeness(unlisted=2, unlisted_stable=1)
    judged = {o.name: (o.status, o.hint) for o in unlisted_gaps(audit, counted)[0].obligations}
    assert judged["performance"] == ("not-run", "no report lists 2 classified tests of the collection (a missing job?)")
    assert unlisted_stable(audit, counted) == (
        "never ran in any job: 1 Stable test of the collection is in no report (deselected in every job, or a job "
        "missing): add a --collect-only report to name them"
    )


def test_when_every_stable_test_is_listed_a_stable_gap_stays_missing():
    audit = audit_of(evidence(record("t/test_cc.py::test_p", "passed")))
    counted = Completeness(unlisted=2, unlisted_stable=0)
    assert {o.name: o.status for o in unlisted_gaps(audit, counted)[0].obligations}["performance"] == "missing"
    assert unlisted_stable(audit, counted) == ""


def test_a_missing_shard_makes_a_missing_obligation_not_run_naming_the_shard():
    # A home-made split (--neuron-shard) by files counts nothing; its missing shard may hold the test.
    audit = audit_of(evidence(record("t/test_cc.py::test_p", "passed")))
    split = {"by": "--neuron-shard", "count": 3, "present": {"1": "n1.json"}, "missing": [2, 3]}
    judged = {o.name: (o.status, o.hint) for o in unlisted_gaps(audit, Completeness(shards=(split,)))[0].obligations}
    assert judged["performance"] == ("not-run", "shard 2/3 (+1 more) missing: its tests may be there (a missing job?)")
