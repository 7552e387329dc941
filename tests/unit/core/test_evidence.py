"""The one evidence model: round trips, and :func:`combine` as xdist and ``merge`` both use it."""

from __future__ import annotations

import datetime
import json
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_neuron_classification.core.adoption import Waiver
from pytest_neuron_classification.core.audit import audit_of
from pytest_neuron_classification.core.contracts import Change, ContractResult
from pytest_neuron_classification.core.evidence import Evidence, combine
from pytest_neuron_classification.core.items import Item, make_item
from pytest_neuron_classification.core.lifecycle import CHANGE_KINDS, LifecycleChange
from pytest_neuron_classification.core.metric import MetricCheck, make_metric
from pytest_neuron_classification.core.outcomes import OUTCOMES, outcome_across_runs
from pytest_neuron_classification.core.test_record import TestRecord
from pytest_neuron_classification.core.vocabulary import LEVELS, SCOPES, ClassificationError, Policy
from pytest_neuron_classification.render.json_report import to_json
from pytest_neuron_classification.storage.files import FileFormat, write_atomic
from pytest_neuron_classification.storage.report_file import REPORT_FILE

CACHE = make_item("cache", "feature", "beta", {})
LLAMA = make_item("llama", "model", "stable", {"workload": "inference"})


def part(source: str, *tests: TestRecord, items=(CACHE, LLAMA), policy: Policy | None = None) -> Evidence:
    return Evidence(policy=policy or Policy(), items=tuple(items), tests=tests, source=source)


def test_round_trip_keeps_everything():
    evidence = part("gw0", TestRecord.of("t.py::a", ("cache",), ("cache",), ("functional",), "passed"))
    again = Evidence.from_dict(json.loads(json.dumps(evidence.to_dict())), "gw0")
    assert again == evidence


def test_policy_round_trip():
    policy = Policy(
        standard_suite=("functional",), category_names={"performance": frozenset({"perf"})}, measured=("performance",)
    )
    assert Policy.from_dict(policy.to_dict()) == policy


@pytest.mark.parametrize("obligations", [{}, [], None, "basic"])
def test_a_policy_without_its_obligations_is_refused_not_replaced_by_the_default(obligations):
    data = Policy().to_dict()
    data["obligations"] = obligations
    if obligations is None:
        del data["obligations"]
    with pytest.raises(ClassificationError, match=r"^policy\.obligations "):
        Policy.from_dict(data)


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
        (["not-run", "skipped"], "skipped"),
        (["failed", "failed"], "failed"),
        (["xfailed", "not-run"], "xfailed"),
        (["collected", "passed"], "passed"),
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


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)


_NAME = st.from_regex(r"[a-z][a-z0-9_.-]{0,10}", fullmatch=True)


_FINITE = st.floats(allow_nan=False, allow_infinity=False, width=32)


@st.composite
def _items(draw: st.DrawFn) -> Item:
    kind = draw(st.sampled_from(["package", "api", "feature", "model"]))
    level = draw(st.sampled_from(["beta", "stable"] if kind == "model" else list(LEVELS)))
    coupling: dict[str, str] = {}
    if kind == "model":
        coupling = {"framework": draw(_NAME), "workload": draw(st.sampled_from(["training", "inference"]))}
    target = draw(st.none() | _NAME) if kind == "api" else None
    return make_item(draw(_NAME), kind, level, coupling, since=draw(st.none() | st.just("2.1.0")), target=target)


@st.composite
def _evidence(draw: st.DrawFn) -> Evidence:
    items = draw(st.lists(_items(), min_size=1, max_size=4, unique_by=lambda i: i.id))
    ids = [i.id for i in items]
    tests = []
    for n in range(draw(st.integers(0, 4))):
        chosen = draw(st.lists(st.sampled_from(items), max_size=2, unique_by=lambda i: i.id))
        metrics = draw(
            st.lists(
                st.builds(make_metric, _NAME, _FINITE, st.sampled_from(["", "ms", "images/s"])),
                max_size=2,
                unique_by=lambda m: m.name,
            )
        )
        tests.append(
            TestRecord.of(
                f"tests/test_{n}.py::test_{n}",
                tuple(i.id for i in chosen),
                tuple(i.name for i in chosen),
                tuple(draw(st.lists(st.sampled_from(["functional", "performance", "compat"]), max_size=2))),
                draw(st.sampled_from(OUTCOMES)),
                error=draw(st.none() | _TEXT),
                metrics=tuple(metrics),
                untimed=draw(st.sampled_from(["", "xdist", "disabled"])),
            )
        )
    api_ids = [i.id for i in items if i.kind == "api"]
    contracts = {
        item_id: ContractResult(
            draw(_NAME),
            draw(st.sampled_from(["holds", "broken", "changed"])),
            tuple(draw(st.lists(st.builds(Change, st.booleans(), _TEXT), max_size=2))),
            notice=draw(st.sampled_from(["", "announced 2026-01-01"])),
        )
        for item_id in (draw(st.lists(st.sampled_from(api_ids), unique=True)) if api_ids else [])
    }
    return Evidence(
        mode=draw(st.sampled_from(["run", "collect"])),
        items=tuple(items),
        tests=tuple(tests),
        contracts=contracts,
        waivers=tuple(
            draw(
                st.lists(
                    st.builds(
                        Waiver,
                        st.sampled_from(ids),
                        st.sampled_from(["basic", "performance"]),
                        _TEXT,
                        _TEXT,
                        st.dates(datetime.date(2020, 1, 1), datetime.date(2030, 1, 1)),
                        st.sampled_from(["", "https://example.invalid/1"]),
                    ),
                    max_size=2,
                )
            )
        ),
        notes=tuple(draw(st.lists(_TEXT, max_size=2))),
        lost=tuple(draw(st.lists(_TEXT, max_size=1))),
        interrupted=draw(st.sampled_from(["", "stopped early: -x"])),
        partial=draw(st.sampled_from(["", "--lf"])),
        checks=tuple(
            draw(
                st.lists(
                    st.builds(
                        MetricCheck,
                        st.sampled_from(ids),
                        st.just("tests/test_0.py::test_0"),
                        _NAME,
                        st.sampled_from(["", "performance"]),
                        st.sampled_from(["ok", "regressed", "new"]),
                        _TEXT,
                        st.booleans(),
                        _NAME,
                    ),
                    max_size=2,
                )
            )
        ),
        lifecycle=tuple(
            draw(
                st.lists(
                    st.builds(
                        LifecycleChange,
                        st.sampled_from(ids),
                        st.sampled_from(CHANGE_KINDS),
                        _TEXT,
                        st.sampled_from(LEVELS),
                        st.booleans(),
                        st.sampled_from(["", "no notice"]),
                    ),
                    max_size=2,
                )
            )
        ),
        unjudged=tuple(draw(st.lists(st.tuples(_NAME, _TEXT), max_size=2))),
        scope=draw(st.sampled_from(SCOPES)),
    )


@settings(max_examples=60, deadline=None)
@given(_evidence())
def test_evidence_round_trips_through_its_codec(evidence):
    back = Evidence.from_dict(json.loads(json.dumps(evidence.to_dict())), "payload")
    assert back == replace(evidence, source="payload")


@settings(max_examples=25, deadline=None)
@given(_evidence())
def test_a_json_report_gives_back_the_evidence_it_judged(evidence):
    """What ``merge`` reads from a report is what the run judged, contracts and waivers included."""
    audit = audit_of(evidence)
    document = json.loads(json.dumps(to_json(audit)))
    assert document["schema"] == REPORT_FILE.schema
    back = Evidence.from_dict(document, "report.json")
    judged = audit.evidence
    # The report's notes are the audit's (the evidence's and what judging added).
    assert back == replace(judged, source="report.json", notes=audit.notes, items=back.items)
    assert sorted(back.items, key=lambda i: i.id) == sorted(judged.items, key=lambda i: i.id)


def test_the_audit_holds_the_evidence_it_judged():
    item = make_item("rt", "package", "stable", {})
    tests = (TestRecord.of("t.py::a", ("rt",), ("rt",), ("functional",), "passed"),)
    evidence = Evidence(items=(item,), tests=tests, notes=("from a worker",))
    audit = audit_of(evidence)
    assert audit.evidence == evidence
    assert audit.tests == tests
    assert audit.without_tests().tests == ()
    assert audit.without_tests().items == audit.items
