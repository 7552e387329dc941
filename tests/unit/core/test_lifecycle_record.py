"""The classification record and its comparison as plain functions (docs/how-to/lifecycle.md)."""

from __future__ import annotations

import datetime
from fnmatch import fnmatch

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_neuron_classification.core.contracts import Notice
from pytest_neuron_classification.core.items import make_item
from pytest_neuron_classification.core.lifecycle import (
    changes_since_record,
    load_record,
    record_of,
    rests_on_previews,
    unjudged_notes,
)
from pytest_neuron_classification.core.vocabulary import ClassificationError

TODAY = datetime.date(2026, 11, 25)
names = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="[]"), min_size=1).filter(
    str.strip
)


@st.composite
def items(draw):
    kind = draw(st.sampled_from(["api", "package", "feature", "model"]))
    level = draw(st.sampled_from(["stable", "beta"] + ([] if kind == "model" else ["alpha"])))
    coupling = {"workload": draw(st.sampled_from(["training", "inference"])), "framework": draw(names)}
    since = draw(st.none() | st.sampled_from(["2.19.0", "2.21", "1.0rc1"]))
    declared = draw(st.sampled_from(["marker", "inventory", "unlisted"]))
    return make_item(draw(names), kind, level, coupling if kind == "model" else {}, since=since, declared=declared)


@given(st.lists(items(), max_size=5))
def test_a_recorded_classification_reads_back_as_it_was(recorded):
    back = load_record(record_of(recorded), "neuron-contracts.json")
    assert {i.id: (i.kind, i.level, i.coupling, i.since, i.declared) for i in back.values()} == {
        i.id: (i.kind, i.level, i.coupling, i.since, i.declared) for i in recorded
    }


@pytest.mark.parametrize(
    "entry",
    [
        [],
        {"name": "x"},
        {"name": "x", "kind": "feature", "level": "gamma"},
        {"name": "[x]", "kind": "feature", "level": "beta"},
    ],
)
def test_a_malformed_record_is_one_error_naming_the_entry(entry):
    with pytest.raises(
        ClassificationError,
        match=r"^(recorded item 'x'.*|'items' must be an object.*); rewrite it with --neuron-update-contracts$",
    ):
        load_record({"x": entry} if isinstance(entry, dict) else entry, "c.json")


def _item(name, level, kind="feature", declared="marker", **coupling):
    return make_item(name, kind, level, coupling, declared=declared)


def test_compare_judges_each_kind_of_change():
    record = {
        i.id: i for i in [_item("gone", "stable"), _item("down", "stable"), _item("up", "beta"), _item("old", "beta")]
    }
    now = [_item("down", "alpha"), _item("up", "stable"), _item("fresh", "alpha")]
    changes, unjudged = changes_since_record(record, now, partial="", notices=[], today=TODAY)
    assert [(c.item_id, c.change, c.level, c.breaks) for c in changes] == [
        ("gone", "removed", "stable", True),
        ("down", "demoted", "stable", True),
        ("up", "promoted", "stable", False),
        ("old", "removed", "beta", False),
        ("fresh", "new", "alpha", False),
    ]
    assert unjudged == []


def test_only_a_notice_in_effect_a_month_after_announcement_covers_a_removal():
    record = {"gone": _item("gone", "stable")}
    for announced, effective, covered in [
        (datetime.date(2026, 9, 1), datetime.date(2026, 10, 1), True),
        (datetime.date(2026, 9, 1), datetime.date(2026, 9, 30), False),  # less than a month
        (datetime.date(2026, 11, 1), datetime.date(2026, 12, 1), False),  # not in effect yet
    ]:
        (change,), _ = changes_since_record(
            record, [], partial="", notices=[Notice("gone", announced, effective)], today=TODAY
        )
        assert change.breaks is not covered, (announced, effective)


def test_a_partial_run_judges_removals_only_of_items_known_without_collection():
    record = {i.id: i for i in [_item("m", "stable"), _item("inv", "stable", declared="inventory")]}
    changes, unjudged = changes_since_record(record, [], partial="--lf", notices=[], today=TODAY)
    assert [c.item_id for c in changes] == ["inv"]
    assert [(item, "(--lf)" in why) for item, why in unjudged] == [("m", True)]


def test_items_only_evidence_files_declare_are_judged_only_by_a_run_that_read_their_source():
    llama = make_item("llama", "model", "stable", {"workload": "training"}, declared="outside", origin="conv.sh")
    record = load_record(record_of([llama]), "c.json")  # the source survives the record
    why = "this run read no evidence file with results of conv.sh"
    for sources in ((), ("other.sh",)):
        changes, unjudged = changes_since_record(record, [], partial="", notices=[], today=TODAY, sources=sources)
        assert (changes, unjudged) == ([], [(llama.id, why)])
    changes, unjudged = changes_since_record(record, [], partial="", notices=[], today=TODAY, sources=("conv.sh",))
    assert [c.change for c in changes] == ["removed"] and unjudged == []


def test_unjudged_notes_name_the_items_by_label_once_per_reason():
    notes = unjudged_notes([("a", "why 1"), ("m[framework=pt,workload=training]", "why 1"), ("b", "why 2")])
    assert len(notes) == 2
    assert fnmatch(notes[0], "2 *(a, m (pt, training)): why 1; *")
    assert fnmatch(notes[1], "1 *(b): why 2; *")


def test_a_stable_model_resting_on_a_preview_library():
    model = make_item("llama", "model", "stable", {"workload": "training", "library": "nxd"})
    beta = _item("nxd", "beta", kind="package")
    (finding,) = rests_on_previews([model, beta])
    assert (finding.item_id, finding.change, finding.breaks) == (model.id, "rests-on", True)
    assert fnmatch(finding.text, "stable model llama (nxd, training) *beta package nxd (its library)")
    assert rests_on_previews([model, _item("nxd", "stable", kind="package")]) == []


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"name": "x", "kind": "feature", "level": "beta", "coupling": []}, "'coupling' must be an object"),
        ({"name": "x", "kind": "feature", "level": "beta", "declared": "magic"}, "'declared' must be one of"),
        ({"name": "x", "kind": "feature", "level": "beta", "colour": "red"}, "unknown key 'colour'"),
        ({"name": "y", "kind": "feature", "level": "beta"}, "describes 'y'"),
    ],
)
def test_a_recorded_item_of_the_wrong_shape_is_refused(entry, problem):
    with pytest.raises(ClassificationError, match=f"^recorded item 'x'.*{problem}"):
        load_record({"x": entry}, "c.json")
