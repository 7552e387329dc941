"""A metric given to ``record --metric`` (core/metric_arg.py): what it reads, and the one line for what it cannot."""

from __future__ import annotations

import math
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_neuron_classification.core.metric import number
from pytest_neuron_classification.core.metric_arg import parse_metric_arg
from pytest_neuron_classification.core.vocabulary import ClassificationError

#: Metric names as --metric takes them: up to 100 characters in their one spelling (NFC), which a few
#: characters make longer (U+FB2C is three); a longer one is refused (below, and in the catalogue).
names = (
    st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="=:"), min_size=1, max_size=100)
    .filter(str.strip)
    .filter(lambda name: len(unicodedata.normalize("NFC", name)) <= 100)
)


units = st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters=":"), max_size=8)


finite = st.floats(allow_nan=False, allow_infinity=False)


@given(names, finite, units, st.sampled_from([None, "higher", "lower"]), st.none() | finite, st.none() | finite)
def test_metric_argument_round_trips(name, value, unit, better, low, high):
    parts = [f"{name}={value!r}", *([better] if better else []), *([f"unit={unit}"] if unit else [])]
    parts += [f"min={low!r}"] if low is not None else []
    parts += [f"max={high!r}"] if high is not None else []
    text = ":".join(parts)
    if low is not None and high is not None and low > high:
        with pytest.raises(ClassificationError, match="is greater than its max"):
            parse_metric_arg(text)
        return
    metric = parse_metric_arg(text)
    # A name is read in its one spelling (NFC): U+F900 is the ideograph U+8C48.
    spelled = unicodedata.normalize("NFC", name)
    assert (metric.name, metric.value, metric.unit, metric.better) == (spelled, value, unit, better)
    assert (metric.min, metric.max, metric.source) == (low, high, "record")


@given(names, finite, st.lists(st.sampled_from(["higher", "lower"]), min_size=2, max_size=3), st.randoms())
def test_metric_argument_says_its_direction_once(name, value, directions, random):
    """``x=1:lower:higher`` is refused, as ``max=3:max=1`` is: the last one does not silently win."""
    parts = [*directions, *random.sample(["unit=s", "min=0"], random.randint(0, 2))]
    random.shuffle(parts)
    with pytest.raises(ClassificationError, match=r"^--metric .*: cannot read '(higher|lower)'"):
        parse_metric_arg(":".join([f"{name}={value!r}", *parts]))


@given(st.text())
def test_metric_argument_parser_never_fails_otherwise(text):
    try:
        metric = parse_metric_arg(text)
    except ClassificationError as exc:
        assert str(exc).startswith("--metric ") and "\n" not in str(exc)
    else:
        assert math.isfinite(metric.value) and number(metric.value)


def test_a_compatibility_ideograph_in_a_name_is_read_in_its_one_spelling():
    # Found by Hypothesis on CI: U+F900 looks like U+8C48 and is one under NFC, as every name is read.
    assert parse_metric_arg("\uf900=0.0").name == "\u8c48"


def test_a_name_longer_in_its_one_spelling_says_both_lengths():
    # Found by a hunt for NFC inputs: U+FB2C is one character as written and three in NFC.
    with pytest.raises(ClassificationError, match=r"is 102 characters long in its one spelling \(NFC; 34 as written\)"):
        parse_metric_arg("\ufb2c" * 34 + "=1")
