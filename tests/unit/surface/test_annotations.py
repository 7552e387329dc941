"""Levels read from an SDK's own code (surface/annotations.py): decorators however imported or called,
a keyword that carries the level, module patterns, and what the inventory must agree with."""

from __future__ import annotations

import sys
import textwrap

import pytest

from pytest_neuron_classification.core.items import make_item
from pytest_neuron_classification.core.vocabulary import ClassificationError
from pytest_neuron_classification.surface import static
from pytest_neuron_classification.surface.annotations import annotated, annotated_items, parse_annotations
from pytest_neuron_classification.surface.signatures import scan_api_modules

RULES = parse_annotations(
    {
        "annsdk._stability.beta": "beta",
        "annsdk._stability.PublicAPI": {"keyword": "stability", "default": "stable"},
        "annsdk.experimental.*": "alpha",
    }
)
FILES = {
    "__init__.py": "from annsdk.core import compile, fuse, Model, plain\nraise ImportError('no device')\n",
    "_stability.py": "def beta(obj): return obj\ndef PublicAPI(*a, **k): return a[0] if a else (lambda o: o)\n",
    "core.py": """
        import annsdk._stability as st
        from annsdk._stability import beta as b, PublicAPI

        @PublicAPI
        def compile(model): ...

        @b
        def fuse(a): ...

        @PublicAPI(stability="beta")
        class Model:
            @st.beta
            def export(self): ...
            @PublicAPI(stability="alpha")
            def trace(self): ...

        def plain(): ...

        @st.beta()
        def hidden_helper(): ...
    """,
    "experimental/__init__.py": "",
    "experimental/ops.py": "def matmul(a, b): ...\ndef _private(): ...\n",
}


@pytest.fixture
def sdk(tmp_path, monkeypatch):
    for name, text in FILES.items():
        path = tmp_path / "annsdk" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    monkeypatch.syspath_prepend(str(tmp_path))
    static.forget_sources()
    yield
    static.forget_sources()
    assert "annsdk" not in sys.modules


def test_decorators_however_imported_and_module_patterns(sdk):
    exposed = {"annsdk.core:compile": "annsdk:compile", "annsdk.core:Model": "annsdk:Model"}
    found = {a.name: (a.target, a.level) for a in annotated(["annsdk"], RULES, exposed)}
    assert found == {
        "annsdk.compile": ("annsdk:compile", "stable"),  # bare: the default
        "annsdk.core.fuse": ("annsdk.core:fuse", "beta"),  # an alias, not exposed through exposed here
        "annsdk.Model": ("annsdk:Model", "beta"),  # a keyword
        "annsdk.Model.export": ("annsdk:Model.export", "beta"),  # module alias, a method
        "annsdk.Model.trace": ("annsdk:Model.trace", "alpha"),
        "annsdk.core.hidden_helper": ("annsdk.core:hidden_helper", "beta"),  # called with no arguments
        "annsdk.experimental.ops.matmul": ("annsdk.experimental.ops:matmul", "alpha"),  # a module pattern
    }


def test_api_modules_with_annotations_make_items_without_importing(sdk):
    inventory, unlisted = scan_api_modules(["annsdk"], [], "pyproject.toml", RULES)
    by_name = {i.name: (i.level, i.declared) for i in unlisted}
    assert by_name["annsdk.plain"] == ("stable", "unlisted")
    assert by_name["annsdk.fuse"] == ("beta", "annotation")  # named as the api-module exposes it
    assert by_name["annsdk.Model"] == ("beta", "annotation")
    assert by_name["annsdk.compile"] == ("stable", "annotation")
    assert inventory == []


def test_the_inventory_must_agree_with_the_code(sdk):
    found = annotated(["annsdk"], RULES, {"annsdk.core:fuse": "annsdk:fuse"})
    same = make_item("annsdk.fuse", "api", "beta", {}, declared="inventory", origin="pyproject.toml items[0]")
    inventory, items = annotated_items(found, [same], [], "pyproject.toml")
    assert inventory[0].target == "annsdk:fuse" and "annsdk.fuse" not in {i.name for i in items}
    other = make_item("annsdk.fuse", "api", "stable", {}, declared="inventory", origin="pyproject.toml items[0]")
    with pytest.raises(ClassificationError, match=r"'annsdk.fuse' is beta in the code .* but stable in pyproject"):
        annotated_items(found, [other], [], "pyproject.toml")


@pytest.mark.parametrize(
    "table",
    [
        {"": "beta"},
        {"sdk..beta": "beta"},
        {"sdk.beta": "gamma"},
        {"sdk.beta": {"keyword": "stability", "default": "gamma"}},
        {"sdk.beta": {"keyword": "not an identifier"}},
        {"sdk.beta": {"keyword": "stability", "level": "beta"}},
        {"sdk.beta": 3},
    ],
)
def test_bad_tables(table):
    with pytest.raises(ClassificationError):
        parse_annotations(table)


def test_module_patterns_match_the_package_and_what_is_under_it():
    (rule,) = parse_annotations({"sdk.experimental.*": "alpha"})
    assert rule.matches_module("sdk.experimental") and rule.matches_module("sdk.experimental.ops")
    assert not rule.matches_module("sdk.experimentally")
    (anywhere,) = parse_annotations({"*._beta": "beta"})
    assert anywhere.matches_module("sdk.ops._beta") and not anywhere.matches_module("sdk.ops")
