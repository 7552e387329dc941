"""The pure core (policy, evidence, audit, report) tested as plain functions."""

from __future__ import annotations

from fnmatch import fnmatch

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_neuron_classification.core.audit import audit_of, status_of, worst
from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.core.items import Catalog, Claim, Item, make_item
from pytest_neuron_classification.core.outcomes import fold_phase, phase_outcome
from pytest_neuron_classification.core.test_record import Shape, TestRecord
from pytest_neuron_classification.core.vocabulary import ClassificationError, Policy
from pytest_neuron_classification.render.json_report import to_json
from pytest_neuron_classification.render.terminal import terminal_lines, verdict


@pytest.mark.parametrize(
    ("outcomes", "status"),
    [
        ([], "missing"),
        (["passed"], "met"),
        (["collected"], "not-run"),
        (["collected", "not-run"], "not-run"),
        (["passed", "failed"], "failing"),
        (["error", "skipped"], "failing"),
        (["skipped", "xfailed"], "skipped"),
        (["skipped", "not-run"], "not-run"),
        (["not-run"], "not-run"),
        (["passed", "not-run", "skipped"], "met"),
    ],
)
def test_status_of(outcomes, status):
    assert status_of(outcomes) == status


def test_a_collected_test_is_evidence_only_in_a_static_audit():
    assert status_of(["collected"], static=True) == "met"
    assert status_of(["collected", "skipped"], static=True) == "met"
    assert status_of(["collected"], static=False) == "not-run"


@pytest.mark.parametrize("mode", ["run", "collect"])
def test_a_static_record_meets_nothing_in_a_run_audit(mode):
    """Merged with run reports, a test only a --collect-only report collected meets neither basic nor standard."""
    compiler = make_item("compiler", "package", "stable", {})
    beta = make_item("nxd", "package", "beta", {})
    tests = (
        TestRecord.of("t_cc.py::test_unit", ("compiler",), ("compiler",), ("functional",), "collected"),
        TestRecord.of("t_cc.py::test_io", ("compiler",), ("compiler",), ("integration",), "collected"),
        TestRecord.of("t_nxd.py::test_a", ("nxd",), ("nxd",), ("functional",), "collected"),
    )
    audit = audit_of(Evidence(mode=mode, items=(compiler, beta), tests=tests))
    statuses = {(r.item.name, o.name): o.status for r in audit.items for o in r.obligations}
    if mode == "collect":  # the static audit alone: a collected test shows that the test exists
        assert statuses[("compiler", "standard")] == "met" and statuses[("nxd", "basic")] == "met"
        return
    assert statuses == {
        ("compiler", "standard"): "not-run",
        ("compiler", "performance"): "missing",
        ("nxd", "basic"): "not-run",
    }
    hints = {o.hint for r in audit.items for o in r.obligations if o.status == "not-run"}
    assert "t_nxd.py::test_a was only collected (--collect-only), never run: run it to meet basic" in hints
    assert verdict(audit).startswith(
        "FAILED under enforce=error: 1 gap breaks a promise (first: stable package compiler: "
    )


def test_worst_orders_statuses_by_severity():
    assert worst(["met", "not-run", "skipped"]) == "skipped"
    assert worst(["missing", "failing"]) == "failing"
    assert worst([]) == "met"


@pytest.mark.parametrize(
    ("phases", "outcome"),
    [
        ([("setup", "passed", False), ("call", "passed", False), ("teardown", "passed", False)], "passed"),
        ([("setup", "failed", False)], "error"),
        ([("setup", "skipped", False)], "skipped"),
        ([("setup", "passed", False), ("call", "skipped", True)], "xfailed"),
        ([("setup", "passed", False), ("call", "passed", True)], "passed"),
        ([("setup", "passed", False), ("call", "failed", False), ("teardown", "failed", False)], "failed"),
        ([("setup", "passed", False), ("call", "passed", False), ("teardown", "failed", False)], "error"),
    ],
)
def test_outcome_from_report_phases(phases, outcome):
    current = None
    for when, result, wasxfail in phases:
        current = fold_phase(current, phase_outcome(when, result, wasxfail))
    assert current == outcome


_PHASE_RESULTS = [(o, x) for o in ("passed", "failed", "skipped") for x in (False, True)]


@st.composite
def _one_run(draw: st.DrawFn) -> list[tuple[str, str, bool]]:
    """The reports of one run of one test: a setup, a call only after a passing setup, a teardown."""
    setup = draw(st.sampled_from(_PHASE_RESULTS))
    phases = [("setup", *setup)]
    if setup[0] == "passed":
        phases.append(("call", *draw(st.sampled_from(_PHASE_RESULTS))))
    # pytest.xfail() in a finalizer would be an xfailed teardown: the ranking calls that test
    # skipped, as it calls a skip after an xfail (both are the audit's "skipped").
    teardown = draw(st.sampled_from([r for r in _PHASE_RESULTS if not r[1]]))
    return [*phases, ("teardown", *teardown)]


def _in_sequence(phases: list[tuple[str, str, bool]]) -> str | None:
    """The rule read in order: the last phase that says something, unless a failure came first."""
    current = None
    for when, result, wasxfail in phases:
        new = phase_outcome(when, result, wasxfail)
        if new is not None and current not in ("failed", "error"):
            current = new
    return current


@given(runs=st.lists(_one_run(), min_size=1, max_size=3), data=st.data())
def test_phases_fold_to_one_outcome_in_any_order(runs, data):
    """Reports of one test may come from several runs and workers: their order must not matter."""
    phases = [phase for run in runs for phase in run]
    shuffled = data.draw(st.permutations(phases))
    folded = None
    for when, result, wasxfail in shuffled:
        folded = fold_phase(folded, phase_outcome(when, result, wasxfail))
    if len(runs) == 1:  # one run read in order: the rule as pytest's reports tell it
        assert folded == _in_sequence(phases)
    else:  # several runs (reruns, --dist each): any failure of any run wins
        assert (folded in ("failed", "error")) == any(_in_sequence(r) in ("failed", "error") for r in runs)


def test_model_identity_includes_its_coupling():
    item = make_item("llama", "model", "Stable", {"workload": "Inference", "framework": "pt"})
    assert item.level == "stable"
    assert item.id == "llama[framework=pt,workload=inference]"
    assert item.label == "llama (pt, inference)"
    assert Item.from_dict(item.to_dict()) == item


def test_catalog_declares_and_reuses_items():
    catalog = Catalog.from_inventory([make_item("rt", "package", "beta", {}, declared="inventory", origin="inv")])
    assert catalog.resolve(Claim("beta", "rt"), "tests/a.py").declared == "inventory"
    assert catalog.resolve(Claim("alpha", "new"), "tests/b.py").kind == "feature"
    with pytest.raises(ClassificationError, match="'rt' is beta in inv but stable by neuron_stable here"):
        catalog.resolve(Claim("stable", "rt"), "tests/c.py")
    assert [i.name for i in catalog.items()] == ["rt", "new"]


def test_policy_rejects_alpha_models():
    with pytest.raises(ClassificationError, match="no Alpha level"):
        Policy().obligations("model", "alpha")


def test_audit_and_report_from_plain_records():
    items = [make_item("rt", "package", "stable", {}), make_item("flag", "api", "alpha", {})]
    tests = [
        TestRecord.of("t.py::a", ("rt",), ("rt",), ("functional",), "passed"),
        TestRecord.of("t.py::b", ("rt",), ("rt",), ("integration",), "passed"),
        TestRecord.of("t.py::c", ("rt",), ("rt",), ("performance",), "skipped"),
        TestRecord.of("t.py::d", ("flag",), ("flag",), ("functional",), "failed"),
        TestRecord.of("t.py::e", error="neuron_beta got unknown keyword 'x'"),
    ]
    audit = audit_of(Evidence(items=tuple(items), tests=tuple(tests)), enforce="warn")
    assert [(g.item.name, g.obligation.name, g.obligation.status) for g in audit.gaps] == [
        ("rt", "performance", "skipped"),
        ("flag", "basic", "failing"),
    ]
    assert audit.errors == ("t.py::e: neuron_beta got unknown keyword 'x'",)
    assert audit.fails_run  # invalid markers fail whatever the enforcement
    lines = terminal_lines(audit)
    assert "stable: 1 item, 1 of 2 obligations met" in lines
    assert [line for line in lines if fnmatch(line, "  alpha api flag: basic failing -> *t.py::d")], lines
    assert verdict(audit).startswith("FAILED: 1 test ")
    data = to_json(audit)
    assert data["summary"]["statuses"] == {"failing": 1, "met": 1, "skipped": 1}
    assert [TestRecord.from_dict(t) for t in data["tests"]] == sorted(tests, key=lambda t: t.nodeid)


def test_audit_orders_tests_by_node_id():
    rt = make_item("rt", "package", "stable", {})
    shape = Shape(("rt",), ("rt",), ("functional",), None)
    ordered = tuple(TestRecord(f"t.py::{name}", shape, "passed") for name in "abc")
    assert audit_of(Evidence(items=(rt,), tests=ordered)).tests == ordered
    assert audit_of(Evidence(items=(rt,), tests=(ordered[1], ordered[2], ordered[0]))).tests == ordered


def test_warn_verdict_does_not_fail():
    audit = audit_of(Evidence(items=(make_item("x", "api", "beta", {}),)), enforce="warn")
    assert not audit.fails_run
    assert fnmatch(verdict(audit), "1 gap *(first: beta api x: basic missing)*(enforce=warn)")


def test_every_name_is_read_in_one_unicode_spelling():
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    assert make_item(decomposed, "feature", "beta", {}).name == composed
    assert make_item("llama", "model", "beta", {"workload": "training", "library": decomposed}).coupling[0] == (
        "library",
        composed,
    )
    assert Claim("beta", decomposed).name == composed
    assert Claim("beta", "x", coupling=(("framework", decomposed),)).coupling == (("framework", composed),)
    from pytest_neuron_classification.core.metric import make_metric

    assert make_metric(decomposed, 1.0).name == composed
