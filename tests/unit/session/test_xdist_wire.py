"""The xdist wire format (session/xdist_wire.py): a worker's payload and the ranks of its outcomes by place."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.core.items import make_item
from pytest_neuron_classification.core.outcomes import PHASE_RANK
from pytest_neuron_classification.core.test_record import Shape, TestRecord
from pytest_neuron_classification.core.vocabulary import CATEGORIES, ClassificationError, Policy
from pytest_neuron_classification.session.xdist_wire import Seen, from_payload, ranks_of, to_payload

CACHE = make_item("cache", "feature", "beta", {})


LLAMA = make_item("llama", "model", "stable", {"workload": "inference"})


def part(source: str, *tests: TestRecord, items=(CACHE, LLAMA), policy: Policy | None = None) -> Evidence:
    return Evidence(policy=policy or Policy(), items=tuple(items), tests=tests, source=source)


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


node_ids = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


shapes = st.builds(
    Shape,
    st.just(("cache",)),
    st.just(("cache",)),
    st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=2, unique=True).map(tuple),
    st.none() | st.text(max_size=10),
)


@given(st.dictionaries(node_ids, st.none() | shapes, max_size=20), st.data())
def test_worker_payload_round_trips_the_evidence(tests, data):
    """Encoded on a worker then decoded on the controller: one record per classified test, not-run."""
    nodeids = sorted(tests)
    collection = data.draw(st.lists(st.sampled_from(nodeids), max_size=30) if nodeids else st.just([]))
    deselected = [n for n in nodeids if n not in collection and tests[n] is not None]
    classified = {n: s for n, s in tests.items() if s is not None}
    evidence = Evidence(policy=Policy(), items=(make_item("cache", "feature", "beta", {}),), source="gw0")
    back = from_payload(to_payload(evidence, classified, collection, deselected), "gw0", Seen(collection))
    expected = sorted({*deselected, *(n for n in collection if n in classified)})
    tests = tuple(TestRecord(n, classified[n], "not-run") for n in expected)
    assert back == replace(evidence, tests=tests, deselected=frozenset(deselected))
