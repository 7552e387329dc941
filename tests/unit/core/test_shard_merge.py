"""Merging shard reports: each record a shard repeats is decoded once (``shared``) and kept once per
test, and that must give exactly what decoding every copy and combining all of them gave, the
semantics ``merge`` had before, whatever the order of the shards."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_neuron_classification.core.audit import audit_of
from pytest_neuron_classification.core.evidence import Evidence, _one_test, combine
from pytest_neuron_classification.core.items import make_item
from pytest_neuron_classification.core.metric import make_metric
from pytest_neuron_classification.core.outcomes import OUTCOMES
from pytest_neuron_classification.core.test_record import TestRecord
from pytest_neuron_classification.core.vocabulary import ClassificationError
from pytest_neuron_classification.render.json_report import to_json

ITEMS = (make_item("cache", "feature", "stable", {}), make_item("llama", "model", "stable", {"workload": "inference"}))
#: Three modules of four tests; the first two cover the feature, the last the model.
NODEIDS = [f"t{module}.py::test_{test}" for module in range(3) for test in range(4)]
METRIC = make_metric("throughput", 10.5, "samples/s", better="higher")


def raw_test(nodeid: str, outcome: str, measured: bool = False, error: str | None = None) -> dict[str, Any]:
    item = "llama[workload=inference]" if nodeid.startswith("t2") else "cache"
    categories = ("performance",) if nodeid.endswith("_0") else ("functional",)
    metrics = (METRIC,) if measured else ()
    return TestRecord.of(nodeid, (item,), (item,), categories, outcome, error, metrics).to_dict()  # type: ignore[arg-type]


def report(tests: list[dict[str, Any]]) -> dict[str, Any]:
    """A shard's report as JSON text gives it back: every shard's lists and strings are its own."""
    return json.loads(json.dumps(Evidence(items=ITEMS, tests=tuple(TestRecord.from_dict(t) for t in tests)).to_dict()))


def merged_before(reports: list[dict[str, Any]]) -> Evidence:
    """Every copy decoded on its own and every record of a test folded: ``merge`` as it was."""
    parts = [Evidence.from_dict(r, f"shard-{i}.json") for i, r in enumerate(reports)]
    with_tests = [p for p in parts if p.tests]
    seen: dict[str, list[TestRecord]] = {}
    for part in with_tests:
        for test in part.tests:
            seen.setdefault(test.nodeid, []).append(test)
    tests = tuple(_one_test(records) for records in seen.values()) if len(with_tests) > 1 else ()
    return replace(combine(parts), tests=with_tests[0].tests if len(with_tests) == 1 else tests)


def merged_now(reports: list[dict[str, Any]]) -> Evidence:
    shared: dict[Any, Any] = {}
    return combine([Evidence.from_dict(r, f"shard-{i}.json", shared) for i, r in enumerate(reports)])


def audit_json(evidence: Evidence) -> dict[str, Any]:
    return to_json(audit_of(evidence))


shard_tests = st.lists(
    st.tuples(st.sampled_from(NODEIDS), st.sampled_from(OUTCOMES), st.booleans(), st.sampled_from([None, "", "bad"])),
    max_size=14,
)


@settings(max_examples=150, deadline=None)
@given(shards=st.lists(shard_tests, min_size=1, max_size=5), data=st.data())
def test_merging_shards_gives_what_it_gave_before_in_any_order(shards, data):
    reports = [
        report([raw_test(n, o, measured and o == "passed", error) for n, o, measured, error in shard])
        for shard in shards
    ]
    before = merged_before(reports)
    now = merged_now(reports)
    assert [t.to_dict() for t in now.tests] == [t.to_dict() for t in before.tests]
    assert audit_json(now) == audit_json(before)
    # In another order the tests come in another order, but each ends with the same outcome.
    shuffled = data.draw(st.permutations(reports))
    again = merged_now(shuffled)
    assert sorted((t.nodeid, t.outcome) for t in again.tests) == sorted((t.nodeid, t.outcome) for t in now.tests)
    assert statuses(audit_json(again)) == statuses(audit_json(now))


def statuses(audit: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(i["id"], o["name"], o["status"]) for i in audit["items"] for o in i["obligations"]]


@pytest.mark.parametrize("shards", [1, 2, 5, 12])
def test_shards_of_one_run_merge_into_that_run(shards):
    """Shard s ran the s-th share of the tests; the others are ``not-run`` in its report, as in a CI job."""
    outcomes = ["passed", "failed", "skipped", "xfailed", "error", "passed"] * 2
    full = report([raw_test(n, o, measured=o == "passed") for n, o in zip(NODEIDS, outcomes)])
    reports = [
        report(
            [
                raw_test(n, o if i * shards // len(NODEIDS) == s else "not-run", measured=o == "passed")
                for i, (n, o) in enumerate(zip(NODEIDS, outcomes))
            ]
        )
        for s in range(shards)
    ]
    merged = merged_now(reports)
    one = Evidence.from_dict(full, "full.json")
    assert [t.to_dict() for t in merged.tests] == [t.to_dict() for t in one.tests]
    assert audit_json(merged)["items"] == audit_json(one)["items"]
    assert [t.to_dict() for t in merged.tests] == [t.to_dict() for t in merged_before(reports).tests]


def test_a_record_decoded_before_does_not_hide_a_malformed_copy():
    shared: dict[Any, Any] = {}
    good = raw_test("t0.py::test_1", "passed")
    assert TestRecord.from_dict(good, shared) is TestRecord.from_dict(dict(good), shared)
    with pytest.raises(ClassificationError, match=r"^items must be a list of strings, not"):
        TestRecord.from_dict({**good, "items": ["cache", 3]}, shared)


def test_measured_records_are_decoded_each_time():
    """``1 == 1.0``: JSON that compares equal may still be another measurement, so it is not shared."""
    shared: dict[Any, Any] = {}
    measured = raw_test("t0.py::test_1", "passed", measured=True)
    first = TestRecord.from_dict(measured, shared)
    whole = {**measured, "metrics": [{**measured["metrics"][0], "value": 10}]}
    again = TestRecord.from_dict(json.loads(json.dumps(whole)), shared)
    assert again is not first
    assert again.to_dict()["metrics"][0]["value"] == 10
