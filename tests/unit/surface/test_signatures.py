"""API contracts as plain functions (surface/signatures.py): each kind of signature change and its class."""

from __future__ import annotations

from fnmatch import fnmatch

import pytest

from pytest_neuron_classification.core.contracts import compare_signatures
from pytest_neuron_classification.surface.signatures import _parameters


def before(fn, example_inputs, *, optimize=True): ...


def removed(fn, *, optimize=True): ...


def renamed(fn, inputs, *, optimize=True): ...


def reordered(example_inputs, fn, *, optimize=True): ...


def required(fn, example_inputs, device, *, optimize=True): ...


def kw_only(fn, *, example_inputs, optimize=True): ...


def no_default(fn, example_inputs, *, optimize): ...


def optional(fn, example_inputs, device=None, *, optimize=True, cache=False, **options): ...


def pos_only(fn, example_inputs, /, *, optimize=True): ...


@pytest.mark.parametrize(
    ("after", "changes"),
    [
        (removed, [(True, "*`example_inputs`*removed*")]),
        (renamed, [(True, "*`example_inputs`*removed*"), (True, "*required*`inputs`*")]),
        (reordered, [(True, "*`fn`*position 1 to 2"), (True, "*`example_inputs`*position 2 to 1")]),
        (required, [(True, "*required*`device`*")]),
        (kw_only, [(True, "*`example_inputs`*to keyword-only")]),
        (no_default, [(True, "*`optimize`*default")]),
        (pos_only, [(True, "*`fn`*to positional-only"), (True, "*`example_inputs`*to positional-only")]),
        (
            optional,
            [
                (False, "*optional*`device`*"),
                (False, "*optional keyword-only*`cache`*"),
                (False, "*optional **kwargs*`options`*"),
            ],
        ),
        (before, []),
    ],
)
def test_each_kind_of_change(after, changes):
    old = {"type": "function", "parameters": _parameters(before)}
    new = {"type": "function", "parameters": _parameters(after)}
    found = compare_signatures("m:f", old, new)
    assert [c.breaking for c in found] == [breaking for breaking, _ in changes]
    assert all(fnmatch(c.text, text) and "`m:f`" in c.text for c, (_, text) in zip(found, changes)), found
