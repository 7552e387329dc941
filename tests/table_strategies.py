"""Hypothesis strategies of configuration tables, items and values, shared by the property-based
tests of the parsers (tests/unit/config/test_settings.py, tests/unit/core/test_parsers.py)."""

from __future__ import annotations

import datetime

from hypothesis import strategies as st

from pytest_neuron_classification.core.vocabulary import KINDS, LEVELS, WORKLOADS

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.dates(min_value=datetime.date(2000, 1, 1)),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
table_keys = st.sampled_from(
    ["enforce", "default-kind", "standard-suite", "contracts", "categories", "items", "notices", "extra"]
)
#: Names an item may have: brackets spell a model's coupling in its id, control characters break reports.
ITEM_NAMES = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="[]\x7f"), min_size=1, max_size=10
).filter(str.strip)
item_keys = st.sampled_from(["name", "kind", "level", "since", "target", "workload", "package", "framework"])
item_values = st.one_of(values, st.sampled_from(LEVELS + KINDS + WORKLOADS + ("2.19.0", "x:y")), st.text(max_size=6))
items = st.lists(st.dictionaries(item_keys, item_values, max_size=5), max_size=3)
