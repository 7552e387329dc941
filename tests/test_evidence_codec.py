"""The one codec of evidence: what a JSON report or an xdist payload writes reads back equal.

``merge`` recomputes audits from reports alone, so anything the codec dropped (a contract
result, a waiver, a lifecycle finding) would silently change a merged verdict.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_neuron_classification.core.adoption import Waiver
from pytest_neuron_classification.core.audit import audit_of
from pytest_neuron_classification.core.contracts import Change, ContractResult
from pytest_neuron_classification.core.evidence import Evidence, TestRecord
from pytest_neuron_classification.core.items import Item, make_item
from pytest_neuron_classification.core.lifecycle import CHANGE_KINDS, LifecycleChange
from pytest_neuron_classification.core.metric import MetricCheck, make_metric
from pytest_neuron_classification.core.outcomes import OUTCOMES
from pytest_neuron_classification.core.vocabulary import LEVELS, SCOPES
from pytest_neuron_classification.render.json_report import to_json
from pytest_neuron_classification.storage.report_file import REPORT_FILE

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


def test_the_audit_holds_the_evidence_it_judged_without_copying_it():
    item = make_item("rt", "package", "stable", {})
    tests = (TestRecord.of("t.py::a", ("rt",), ("rt",), ("functional",), "passed"),)
    evidence = Evidence(items=(item,), tests=tests, notes=("from a worker",))
    audit = audit_of(evidence)
    assert audit.evidence is evidence
    assert audit.tests is tests
    assert audit.without_tests().tests == ()
    assert audit.without_tests().items == audit.items
