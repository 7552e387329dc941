"""Property-based tests of the config parser: any table either parses to valid Settings or raises ClassificationError with a message, never anything else."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from pytest_neuron_classification.config.settings import parse_settings
from pytest_neuron_classification.core.vocabulary import CATEGORIES, KINDS, LEVELS, WORKLOADS, ClassificationError

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


@given(
    table=st.dictionaries(
        table_keys,
        st.one_of(
            values,
            items,
            st.sampled_from(["error", "warn", "off", "api", "feature"]),
            st.lists(st.sampled_from(CATEGORIES), max_size=3),
            st.dictionaries(st.sampled_from((*CATEGORIES, "speed")), st.lists(st.text(max_size=5), max_size=2)),
        ),
        max_size=5,
    )
)
def test_parse_settings_accepts_or_explains(table):
    try:
        settings = parse_settings(table, "pyproject.toml")
    except ClassificationError as exc:
        assert str(exc).startswith("pyproject.toml: [tool.neuron-classification] ")
        return
    if isinstance(settings.enforce, dict):
        assert set(settings.enforce) <= set(LEVELS)
        assert set(settings.enforce.values()) <= {"error", "warn", "off"}
    else:
        assert settings.enforce in (None, "error", "warn", "off")
    assert settings.default_kind in KINDS
    assert set(settings.policy.standard_suite) <= set(CATEGORIES)
    assert len({i.id for i in settings.inventory}) == len(settings.inventory)


@given(
    entries=st.lists(
        st.fixed_dictionaries(
            {"name": ITEM_NAMES, "level": st.sampled_from(LEVELS)},
            optional={"kind": st.sampled_from(("api", "package", "feature"))},
        ),
        max_size=5,
        unique_by=lambda e: e["name"],
    )
)
def test_valid_inventories_parse(entries):
    settings = parse_settings({"items": entries}, "pyproject.toml")
    assert [(i.name, i.level) for i in settings.inventory] == [(e["name"], e["level"]) for e in entries]
    assert all(i.declared == "inventory" for i in settings.inventory)
