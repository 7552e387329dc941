"""Property-based tests of the marker parsers and item names: any input either parses to something
valid or raises ClassificationError with a message, never anything else (the config parser's:
tests/unit/config/test_settings.py)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from table_strategies import values

from pytest_neuron_classification.core.items import make_item
from pytest_neuron_classification.core.markers import module_item_name, parse_marker
from pytest_neuron_classification.core.vocabulary import KINDS, LEVELS, WORKLOADS, ClassificationError

keywords = st.sampled_from(["kind", "framework", "library", "workload", "package", "name", "owner"])


@given(
    level=st.sampled_from(LEVELS),
    args=st.lists(values, max_size=2),
    kwargs=st.dictionaries(keywords, values | st.sampled_from(KINDS + WORKLOADS), max_size=4),
    stem=st.text(min_size=1, max_size=20),
)
def test_parse_marker_accepts_or_explains(level, args, kwargs, stem):
    try:
        claim = parse_marker(level, args, kwargs, stem)
    except ClassificationError as exc:
        # The message names the marker it is about, so a user can find the line. The one exception
        # is a model at Alpha, which names the levels a model may have instead.
        message = str(exc)
        alpha_model = "a model class has no Alpha level; classify it neuron_beta or neuron_stable"
        assert f"neuron_{level}" in message or (level == "alpha" and message == alpha_model), message
        return
    assert claim.level == level
    assert isinstance(claim.name, str) and claim.name.strip()
    assert claim.kind is None or claim.kind in KINDS
    assert all(isinstance(v, str) for _, v in claim.coupling)


@given(
    name=st.text(min_size=1).filter(str.strip),
    kind=st.sampled_from(KINDS),
    workload=st.sampled_from(WORKLOADS),
)
def test_valid_markers_round_trip(name, kind, workload):
    coupling = {"workload": workload} if kind == "model" else {}
    claim = parse_marker("beta", [name], {"kind": kind, **coupling}, "test_x")
    # A name is read in its composed Unicode form (NFC): one spelling for names that look the same.
    assert (claim.name, claim.kind, dict(claim.coupling)) == (unicodedata.normalize("NFC", name), kind, coupling)


#: Module stems built around the affixes, near misses included: random text alone almost never
#: starts with test_ and ends with _test at once, the case where the order of the two checks shows.
affix = st.sampled_from(["", "test_", "_test", "test", "tests_", "Test_"])
stems = st.one_of(st.text(max_size=30), st.tuples(affix, st.text(max_size=8), affix).map("".join))


@given(stems)
def test_module_item_name_strips_one_test_affix(stem):
    # test_persistent_cache and persistent_cache_test both name persistent_cache; the prefix wins
    # over the suffix; a stem that is nothing but the affix keeps its name rather than none.
    if stem.startswith("test_"):
        expected = stem[len("test_") :]
    elif stem.endswith("_test"):
        expected = stem[: -len("_test")]
    else:
        expected = stem
    assert module_item_name(stem) == (expected or stem)


def test_module_item_name_examples():
    names = {
        "test_cache": "cache",
        "cache_test": "cache",
        "test_cache_test": "cache_test",
        "test_": "test_",
        "_test": "_test",
        "cache": "cache",
    }
    assert {stem: module_item_name(stem) for stem in names} == names


@given(
    prefix=st.text(max_size=5), bad=st.sampled_from(["[", "]", "\n", "\t", "\x00", "\x7f"]), suffix=st.text(max_size=5)
)
def test_item_names_with_brackets_or_control_characters_are_refused(prefix, bad, suffix):
    name = "x" + prefix + bad + suffix  # never blank, so the bad character is what is refused
    with pytest.raises(ClassificationError, match="contains '\\[', '\\]', a control character or a lone surrogate"):
        make_item(name, "feature", "beta", {})


# --- the xdist payload (xdist_wire.to_payload / from_payload) -------------------------

node_ids = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
