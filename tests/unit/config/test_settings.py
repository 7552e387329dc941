"""Property-based tests of the config parser: any table either parses to valid Settings or raises ClassificationError with a message, never anything else."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st
from table_strategies import ITEM_NAMES, items, table_keys, values

from pytest_neuron_classification.config.settings import parse_settings
from pytest_neuron_classification.core.vocabulary import CATEGORIES, KINDS, LEVELS, ClassificationError


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
        unique_by=lambda e: unicodedata.normalize("NFC", e["name"]),  # one name however it is spelt
    )
)
def test_valid_inventories_parse(entries):
    settings = parse_settings({"items": entries}, "pyproject.toml")
    expected = [(unicodedata.normalize("NFC", e["name"]), e["level"]) for e in entries]
    assert [(i.name, i.level) for i in settings.inventory] == expected
    assert all(i.declared == "inventory" for i in settings.inventory)
