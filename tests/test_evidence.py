"""The one evidence model: round trips, and :func:`combine` as xdist and ``merge`` both use it."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from pytest_neuron_classification.core.audit import audit_of
from pytest_neuron_classification.core.evidence import Evidence, Shape, TestRecord, combine
from pytest_neuron_classification.core.items import make_item
from pytest_neuron_classification.core.outcomes import PHASE_RANK, outcome_across_runs
from pytest_neuron_classification.core.vocabulary import ClassificationError, Policy
from pytest_neuron_classification.session.xdist_wire import Seen, from_payload, ranks_of, to_payload
from pytest_neuron_classification.storage.files import FileFormat, write_atomic

CACHE = make_item("cache", "feature", "beta", {})
LLAMA = make_item("llama", "model", "stable", {"workload": "inference"})


def part(source: str, *tests: TestRecord, items=(CACHE, LLAMA), policy: Policy | None = None) -> Evidence:
    return Evidence(policy=policy or Policy(), items=tuple(items), tests=tests, source=source)


def test_round_trip_keeps_everything():
    evidence = part("gw0", TestRecord.of("t.py::a", ("cache",), ("cache",), ("functional",), "passed"))
    again = Evidence.from_dict(json.loads(json.dumps(evidence.to_dict())), "gw0")
    assert again == evidence


def test_worker_payload_gives_each_record_what_the_controller_saw():
    cache, bad = (("cache",), ("cache",), ("functional",), None), ((), (), (), "two levels")
    shapes = {"t.py::a[1]": cache, "t.py::a[2]": cache, "t.py::b": bad, "u.py::c": cache, "u.py::gone": bad}
    collection = ["u.py::c", "t.py::a[2]", "t.py::a[1]", "t.py::plain", "t.py::b", "u.py::c"]  # run order, a repeat
    payload = to_payload(part("gw0"), shapes, collection, ["u.py::gone"])
    mine = ["".join(["u.py::", "c"]), "".join(["t.py::", "a[2]"]), *collection[2:]]  # equal strings, not the worker's
    seen = Seen(mine, {"t.py::a[1]": "passed", "t.py::a[2]": "failed"}, {"t.py::a[2]": ((), "no timing")})
    tests = from_payload(payload, "gw0", seen).tests
    assert tests == (
        TestRecord.of("t.py::a[1]", *cache[:3], "passed"),
        TestRecord.of("t.py::a[2]", *cache[:3], "failed", untimed="no timing"),
        TestRecord.of("t.py::b", outcome="not-run", error="two levels"),
        TestRecord.of("u.py::c", *cache[:3], "not-run"),
        TestRecord.of("u.py::gone", outcome="not-run", error="two levels"),  # deselected: not in the collection
    )


def test_outcomes_by_place_fold_with_those_by_node_id():
    cache = Shape(("cache",), ("cache",), ("functional",), None)
    collection = ["t.py::a", "t.py::b", "t.py::c", "t.py::d"]
    payload = to_payload(part("gw0"), dict.fromkeys(collection, cache), collection, [])
    ranks = bytes(PHASE_RANK[o] for o in ("passed", "passed", None, "skipped"))
    # b's call passed, then its worker crashed: xdist's own report for it names it by node id.
    seen = Seen(collection, {"t.py::b": "failed"}, ranks=ranks)
    outcomes = [t.outcome for t in from_payload(payload, "gw0", seen).tests]
    assert outcomes == ["passed", "failed", "not-run", "skipped"]


def test_each_workers_outcomes_fold_by_place_or_by_node_id():
    collection = ["t.py::a", "t.py::b", "t.py::c"]
    ranks = {
        "gw0": bytes(PHASE_RANK[o] for o in ("passed", None, None)),
        "gw1": bytes(PHASE_RANK[o] for o in ("failed", "skipped", None)),  # --dist each: a ran twice
        "gw2": bytes(PHASE_RANK[o] for o in ("error", "passed")),
    }
    # A collection in another order (xdist refuses to schedule one) is folded by node id.
    collections = {"gw0": collection, "gw1": list(collection), "gw2": ["t.py::c", "t.py::a"]}
    by_place, by_id = ranks_of("gw0", collections, ranks, {"t.py::c": "failed"})
    assert by_place == bytes(PHASE_RANK[o] for o in ("failed", "skipped", None))
    assert by_id == {"t.py::c": "failed", "t.py::a": "passed"}
    # Records from a payload whose worker has no collection here: every place is folded by node id.
    assert ranks_of("gw9", collections, ranks, {}) == (
        b"",
        {"t.py::a": "failed", "t.py::b": "skipped", "t.py::c": "error"},
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"test_shape_at": [0, 0]}, "its classification covers 2 tests, its collection 1"),
        ({"test_shape_at": [7]}, r"malformed payload \(a shape index outside 0..0\)"),
        ({"test_deselected": [[3, 0]]}, r"malformed payload \(deselected: 3, 0\)"),
        ({"test_shape_at": ["0"]}, r"malformed payload \(TypeError: .*\)"),
        ({"test_shape_at": None}, r"malformed payload \(TypeError: .*\)"),
    ],
)
def test_malformed_worker_payload_is_one_line_naming_the_worker(change, message):
    payload = {**json.loads(to_payload(part("gw1"), {"t.py::a": ((), (), (), None)}, ["t.py::a"], [])), **change}
    with pytest.raises(ClassificationError, match=f"^gw1: {message}$"):
        from_payload(json.dumps(payload), "gw1", Seen(["t.py::a"]))


def test_a_payload_that_is_not_json_is_one_line_naming_the_worker():
    with pytest.raises(ClassificationError, match=r"^gw1: malformed payload \(JSONDecodeError: .*\)$"):
        from_payload("{", "gw1", Seen())


def test_policy_round_trip():
    policy = Policy(
        standard_suite=("functional",), category_names={"performance": frozenset({"perf"})}, measured=("performance",)
    )
    assert Policy.from_dict(policy.to_dict()) == policy


@pytest.mark.parametrize(
    ("outcomes", "combined"),
    [
        (["passed", "not-run"], "passed"),
        (["skipped", "passed"], "passed"),
        (["passed", "failed"], "failed"),
        (["passed", "error"], "failed"),
        (["not-run", "not-run"], "not-run"),
        (["collected", "not-run"], "collected"),
        (["xfailed", "skipped"], "xfailed"),
    ],
)
def test_outcome_across_runs(outcomes, combined):
    assert outcome_across_runs(outcomes) == combined


def test_combine_unites_items_and_tests():
    a = part("a.json", TestRecord.of("t.py::x", ("cache",), ("cache",), ("functional",), "passed"), items=(CACHE,))
    b = part("b.json", TestRecord.of("t.py::x", ("cache",), ("cache",), ("functional",), "not-run"), items=(LLAMA,))
    both = combine([a, b])
    assert [i.id for i in both.items] == ["cache", "llama[workload=inference]"]
    assert [(t.nodeid, t.outcome) for t in both.tests] == [("t.py::x", "passed")]
    assert audit_of(both).items[1].obligations[0].status == "met"  # the Beta feature's basic


def test_combine_refuses_one_item_at_two_levels_naming_both_sources():
    a = part("a.json", items=(CACHE,))
    b = part("b.json", items=(replace(CACHE, level="stable"),))
    with pytest.raises(ClassificationError, match=r"'cache' is stable in b\.json but beta in a\.json"):
        combine([a, b])


def test_combine_refuses_different_policies():
    a = part("a.json")
    b = part("b.json", policy=Policy(standard_suite=("functional",)))
    with pytest.raises(ClassificationError, match=r"^b\.json: its policy .* differs from the one in a\.json"):
        combine([a, b])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"tests": [{"nodeid": "t.py::x", "outcome": "bogus"}]}, "unknown outcome of t.py::x 'bogus'"),
        ({"items": [{"name": "x", "kind": "feature", "level": "gamma"}]}, "unknown level 'gamma'"),
        ({"items": [{"name": 3, "kind": "feature", "level": "beta"}]}, "the item name must be a non-empty string"),
        ({"policy": {"standard-suite": []}}, "malformed report (KeyError: 'categories')"),
    ],
)
def test_malformed_evidence_is_one_line_naming_the_source(change, message):
    data = {**part("gw1").to_dict(), **change}
    with pytest.raises(ClassificationError) as info:
        Evidence.from_dict(data, "gw1")
    assert str(info.value).startswith("gw1: ")
    assert message in str(info.value)


def test_file_format_errors_name_the_file_and_the_fix(tmp_path):
    fmt = FileFormat("demo/1", "the demo file", "rewrite it")
    path = tmp_path / "demo.json"
    with pytest.raises(
        ClassificationError, match=r"demo\.json: cannot read the demo file \(No such file.*\); rewrite it"
    ):
        fmt.read(path)
    write_atomic(path, "{oops")
    with pytest.raises(ClassificationError, match=r"cannot read the demo file \(not valid JSON: .*\); rewrite it"):
        fmt.read(path)
    write_atomic(path, fmt.dump({"x": 1}).replace("demo/1", "demo/2"))
    with pytest.raises(ClassificationError, match=r"schema 'demo/2' is not 'demo/1'; rewrite it"):
        fmt.read(path)
    write_atomic(path, fmt.dump({"x": 1}))
    assert fmt.read(path) == {"schema": "demo/1", "x": 1}
