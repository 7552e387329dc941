"""The xdist wire format (session/xdist_wire.py): a worker's payload, the ranks of its outcomes by place, and the packed node ids."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_neuron_classification.core.evidence import Evidence, Shape, TestRecord
from pytest_neuron_classification.core.items import make_item
from pytest_neuron_classification.core.outcomes import PHASE_RANK
from pytest_neuron_classification.core.vocabulary import ClassificationError, Policy
from pytest_neuron_classification.session.xdist_wire import Seen, from_payload, pack, ranks_of, to_payload, unpack

CACHE = make_item("cache", "feature", "beta", {})


LLAMA = make_item("llama", "model", "stable", {"workload": "inference"})


def part(source: str, *tests: TestRecord, items=(CACHE, LLAMA), policy: Policy | None = None) -> Evidence:
    return Evidence(policy=policy or Policy(), items=tuple(items), tests=tests, source=source)


def test_worker_payload_gives_each_record_what_the_controller_saw():
    cache, bad = (("cache",), ("cache",), ("functional",), None), ((), (), (), "two levels")
    shapes = {"t.py::a[1]": cache, "t.py::a[2]": cache, "t.py::b": bad, "u.py::c": cache, "u.py::gone": bad}
    collection = ["u.py::c", "t.py::a[2]", "t.py::a[1]", "t.py::plain", "t.py::b", "u.py::c"]  # run order, a repeat
    payload = json.loads(json.dumps(to_payload(part("gw0"), shapes, collection, ["u.py::gone"])))
    assert payload["test_runs"] == [0, 3, -1, 1, 1, 1, 0, 1]  # neighbours with one shape are one run
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
    assert tests[1].nodeid is mine[1]  # the controller's string, not a decoded copy
    assert tests[0].shape is tests[1].shape is tests[3].shape  # one tuple for the tests of one shape


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
        ({"test_nodeids": "0,9,1:x"}, "malformed node ids at character 0"),
        ({"test_runs": [0, 5]}, "its classification covers 5 tests, its collection 1"),
        ({"test_runs": [7, 1]}, r"malformed payload \(test_runs: 7, 1\)"),
        ({"test_runs": [0, "1"]}, r"malformed payload \(TypeError: .*\)"),
    ],
)
def test_malformed_worker_payload_is_one_line_naming_the_worker(change, message):
    payload = {**to_payload(part("gw1"), {"t.py::a": ((), (), (), None)}, ["t.py::a"], []), **change}
    with pytest.raises(ClassificationError, match=f"^gw1: {message}$"):
        from_payload(payload, "gw1", Seen(["t.py::a"]))


node_ids = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@given(st.lists(st.tuples(node_ids, st.integers(min_value=0, max_value=300)), max_size=20), st.booleans())
def test_packed_node_ids_round_trip(tagged, in_order):
    tagged = sorted(tagged) if in_order else tagged
    assert list(unpack(pack(tagged))) == tagged


def test_sorted_node_ids_pack_to_their_differences():
    ids = [("t.py::test_v[1.0]", 0), ("t.py::test_v[1.1]", 0), ("u.py::x", 1)]
    assert pack(ids) == "0,0,17:t.py::test_v[1.0]0,15,2:1]1,0,7:u.py::x"


@given(st.text(max_size=40))
def test_unpack_accepts_or_explains(text):
    try:
        for nodeid, group in unpack(text):
            assert isinstance(nodeid, str) and group >= 0
    except ClassificationError as exc:
        assert str(exc).startswith("malformed node ids at character ")
