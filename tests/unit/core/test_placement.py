"""Where a report sits in a CI matrix: its codec, the collection's fingerprint, ``--neuron-shard``'s value."""

from __future__ import annotations

import json

import pytest

from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.core.placement import UNKNOWN, Placement, Shard, fingerprint, parse_shard
from pytest_neuron_classification.core.vocabulary import ClassificationError

PLACED = Placement("sha256:ab", 7, 5, "not io", "neuron_stable", "", Shard(2, 3, "pytest-split"), "unit")


def test_the_fingerprint_is_the_collections_whatever_its_order():
    ids = ["t.py::test_b", "t.py::test_a", "u.py::test_c"]
    assert fingerprint(ids) == fingerprint(reversed(ids)) != fingerprint(ids[:2])
    assert fingerprint([]) == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_a_placement_survives_the_report():
    evidence = Evidence(placement=PLACED)
    again = Evidence.from_dict(json.loads(json.dumps(evidence.to_dict())), "r.json")
    assert again.placement == PLACED and PLACED.known
    assert evidence.to_dict()["placement"]["selection"]["deselected"] == 2


def test_an_older_report_has_no_placement_and_still_reads():
    data = Evidence().to_dict()
    del data["placement"]
    placement = Evidence.from_dict(data, "old.json").placement
    assert placement == UNKNOWN and not placement.known


@pytest.mark.parametrize(
    ("part", "key", "value", "message"),
    [
        ("selection", "tests", -1, "placement.selection: -1 is not a count of tests"),
        ("collection", "classified", 10**30, f"placement.collection: {10**30} is not a count of tests"),
        ("collection", "tests", "7", "placement.collection: '7' is not a count of tests"),
        ("selection", "narrowed", ["x"], "placement.selection.narrowed must be text, not ['x']"),
        ("collection", "fingerprint", 123, "placement.collection.fingerprint must be text, not 123"),
    ],
)
def test_an_edited_placement_is_one_line_naming_the_file(part, key, value, message):
    data = Evidence(placement=PLACED).to_dict()
    data["placement"][part][key] = value
    with pytest.raises(ClassificationError) as caught:
        Evidence.from_dict(data, "bad.json")
    assert str(caught.value) == f"bad.json: {message}"


def test_a_placement_part_that_is_no_object_is_one_line():
    data = Evidence(placement=PLACED).to_dict()
    data["placement"]["selection"] = []
    with pytest.raises(ClassificationError, match=r"^bad.json: placement.selection must be an object, not \[\]$"):
        Evidence.from_dict(data, "bad.json")


def test_a_report_with_an_impossible_shard_names_the_file():
    data = Evidence(placement=PLACED).to_dict()
    data["placement"]["shard"]["index"] = 4
    with pytest.raises(ClassificationError, match=r"^bad.json: placement.shard: 4/3 is not shard K of N"):
        Evidence.from_dict(data, "bad.json")


@pytest.mark.parametrize(("value", "shard"), [("1/1", (1, 1)), ("2/3", (2, 3)), ("10/12", (10, 12))])
def test_a_shard_is_k_of_n(value, shard):
    assert parse_shard(value) == shard


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("2", "not K/N"),
        ("a/3", "not K/N"),
        ("-1/3", "not K/N"),
        ("²/3", "not K/N"),
        ("1/2/3", "not K/N"),
        ("0/3", "shard 0 of 3 does not exist"),
        ("4/3", "shard 4 of 3 does not exist"),
        ("0/0", "shard 0 of 0"),
    ],
)
def test_a_shard_that_is_not_k_of_n_is_one_line(value, why):
    with pytest.raises(ClassificationError, match=rf"^--neuron-shard={value}: {why}"):
        parse_shard(value)
