"""Level markers and alias markers as plain functions (core/markers.py): what each parses to, or the one line that says why not."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from pytest_neuron_classification.config.settings import parse_settings
from pytest_neuron_classification.core.markers import parse_alias
from pytest_neuron_classification.core.vocabulary import LEVELS, ClassificationError

NAMES = st.text(st.characters(codec="ascii", categories=("Ll", "Nd")), min_size=1, max_size=6)


VALUES = st.one_of(st.none(), st.integers(), st.text(max_size=5), st.lists(st.integers(), max_size=2))


COUPLING = st.fixed_dictionaries(
    {}, optional={"framework": st.sampled_from(["pt", ""]), "workload": st.sampled_from(["Training", "serving"])}
)


@given(st.dictionaries(st.sampled_from(LEVELS), st.lists(NAMES, max_size=4), max_size=3))
def test_level_markers_parse_to_one_level_per_name_or_say_why(table):
    try:
        aliases = parse_settings({"level-markers": table}, "pyproject.toml").level_markers
    except ClassificationError as exc:
        assert str(exc).startswith("pyproject.toml: [tool.neuron-classification] level-markers")
        assert any(n in names for names in table.values() for n in [str(exc).split("'")[1]])
        return
    assert aliases == {name: level for level, names in table.items() for name in names}


@given(
    st.sampled_from(LEVELS),
    st.lists(VALUES, max_size=3),
    st.dictionaries(st.sampled_from(["name", "reason", "owner", "priority"]), VALUES, max_size=3),
)
def test_an_alias_marker_always_names_an_item(level, args, kwargs):
    """Whatever else the project's own marker takes, the alias never fails on it: a string name or the module."""
    claim = parse_alias(level, args, kwargs, "test_prefetch")
    assert claim.level == level and claim.kind is None and claim.coupling == ()
    named = [v for v in (kwargs.get("name"), args[0] if args else None) if isinstance(v, str) and v.strip()]
    assert claim.name == (unicodedata.normalize("NFC", named[0]) if named else "prefetch")  # its one spelling


@given(st.sampled_from(LEVELS), COUPLING, st.sampled_from([None, "model", "api", 3]))
def test_an_alias_passes_our_keywords_through_validated(level, coupling, kind):
    """kind and the coupling keys mean what they mean on neuron_<level>; a bad value names the alias."""
    kwargs = {**coupling, **({} if kind is None else {"kind": kind}), "reason": 1}
    try:
        claim = parse_alias(level, ["llama"], kwargs, "test_x", "flagship_model")
    except ClassificationError as exc:
        assert "flagship_model" in str(exc) or "Alpha" in str(exc)
        assert kind == 3 or (kind, level) == ("model", "alpha") or {"", "serving"} & set(coupling.values())
        return
    assert claim.kind == kind and claim.marker == "flagship_model"
    assert dict(claim.coupling) == {k: v.lower() if k == "workload" else v for k, v in coupling.items()}
