"""The deeper contract (core/contract_depth.py through compare_signatures): each new kind of breaking
change, what is additive, and that a contract recorded without the new fields compares as before.

The changes' exact words are asserted in the message catalogue (test_messages_annotations.py); here
each change is matched by the names and values it must mention."""

from __future__ import annotations

import ast
import copy
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_neuron_classification.core.contract_depth import annotation_text
from pytest_neuron_classification.core.contracts import (
    Change,
    Notice,
    NoticeWindow,
    compare_signatures,
    judge_changes,
    parse_window,
)


def param(name, kind="positional-or-keyword", annotation=None, default=None):
    return {
        "name": name,
        "kind": kind,
        "default": default is not None,
        "annotation": annotation,
        "default_value": default,
    }


FUNCTION = {
    "type": "function",
    "parameters": [param("model"), param("level", "keyword-only", "int", "2")],
    "returns": "str",
    "async": False,
}
CLASS = {
    "type": "class",
    "init": [param("path")],
    "methods": {"run": [param("self"), param("x")]},
    "method_details": {"run": {"returns": "list", "async": False}},
    "bases": ["Base"],
    "attributes": ["kind"],
    "properties": ["size"],
}
ENUM = {"type": "class", "init": None, "methods": {}, "bases": ["Enum"], "members": ["FAST", "SAFE"]}
CONSTANT = {"type": "constant", "value": "64", "annotation": "int"}


def changed(old, edit):
    new = copy.deepcopy(old)
    edit(new)
    return [(c.breaking, c.text) for c in compare_signatures("m:t", old, new)]


@pytest.mark.parametrize(
    "old, edit, expected",
    [
        (
            FUNCTION,
            lambda n: n["parameters"][1].update(default_value="3"),
            "default of parameter `level` of `m:t` changed from `2` to `3`",
        ),
        (
            FUNCTION,
            lambda n: n["parameters"][1].update(annotation="str"),
            "annotation of parameter `level` of `m:t` changed from `int` to `str`",
        ),
        (FUNCTION, lambda n: n.update(returns="bytes"), "annotation of return of `m:t` changed from `str` to `bytes`"),
        (FUNCTION, lambda n: n.update({"async": True}), "`m:t` became async"),
        (CLASS, lambda n: n.update(bases=[]), "base class `Base` removed from `m:t`"),
        (CLASS, lambda n: n.update(attributes=[]), "attribute `kind` removed from `m:t`"),
        (CLASS, lambda n: n.update(properties=[]), "property `size` removed from `m:t`"),
        (CLASS, lambda n: n["method_details"]["run"].update({"async": True}), "`m:t.run` became async"),
        (ENUM, lambda n: n.update(members=["FAST"]), "enum member `SAFE` removed from `m:t`"),
        (CONSTANT, lambda n: n.update(value="32"), "value of constant `m:t` changed from `64` to `32`"),
        (
            CONSTANT,
            lambda n: n.update(annotation="float"),
            "annotation of constant `m:t` changed from `int` to `float`",
        ),
    ],
)
def test_each_breaking_kind(old, edit, expected):
    ((breaking, text),) = changed(old, edit)
    assert breaking and _mentions(text) == _mentions(expected)


@pytest.mark.parametrize(
    "old, edit, expected",
    [
        (FUNCTION, lambda n: n.update(returns=None), "annotation `str` removed from return of `m:t`"),
        (
            FUNCTION,
            lambda n: n["parameters"][0].update(annotation="Model"),
            "annotation `Model` added to parameter `model` of `m:t`",
        ),
        (CLASS, lambda n: n.update(properties=["size", "dtype"]), "property `dtype` added to `m:t`"),
        (ENUM, lambda n: n.update(members=["FAST", "SAFE", "EAGER"]), "enum member `EAGER` added to `m:t`"),
    ],
)
def test_additive_kinds(old, edit, expected):
    ((breaking, text),) = changed(old, edit)
    assert not breaking and _mentions(text) == _mentions(expected)


def _mentions(text):
    """The names and values a change mentions (between backquotes), and whether it says removed or added."""
    return text.split("`")[1::2], [w for w in ("removed", "added", "changed", "async") if w in text]


def test_a_contract_recorded_before_compares_only_what_it_recorded():
    """Missing new fields mean "not recorded": never a break, whatever the live contract says."""
    old = {"type": "function", "parameters": [{"name": "model", "kind": "positional-or-keyword", "default": False}]}
    ((added),) = compare_signatures("m:t", old, FUNCTION)
    assert not added.breaking and "`level`" in added.text  # the new parameter, nothing of the new fields
    old_class = {"type": "class", "init": [param("path")], "methods": {"run": [param("self"), param("x")]}}
    assert compare_signatures("m:t", old_class, CLASS) == []


def test_a_quoted_annotation_is_the_annotation_it_quotes():
    """A contract recorded with ``level: "int"`` (its text ``'int'``) and one read as ``int`` agree."""
    quoted = copy.deepcopy(FUNCTION)
    quoted["parameters"][1]["annotation"] = "'int'"
    quoted["returns"] = '"str"'
    assert compare_signatures("m:t", quoted, FUNCTION) == []
    assert compare_signatures("m:t", FUNCTION, quoted) == []
    assert compare_signatures("m:t", {**CONSTANT, "annotation": "'int'"}, CONSTANT) == []
    ((change,),) = [compare_signatures("m:t", quoted, {**FUNCTION, "returns": "bytes"})]
    assert change.breaking and _mentions(change.text)[0] == ["m:t", "str", "bytes"]  # named without quotes


@given(st.text(max_size=40))
def test_any_annotation_text_is_compared_without_an_error(text):
    assert isinstance(annotation_text(text), str)
    try:
        expected = ast.unparse(ast.parse(text.strip(), mode="eval"))
    except (SyntaxError, ValueError):
        expected = repr(text)  # not an expression: the quoted text as written
    assert annotation_text(repr(text)) == expected


def test_a_notice_window_longer_than_a_month():
    D = datetime.date
    window = parse_window("3 months", "notice.flag")
    change = [Change(True, "flag gone")]
    notice = Notice("x", D(2026, 1, 10), D(2026, 3, 10))
    short = judge_changes("t", "stable", change, [notice], D(2026, 6, 1), window)
    assert (short.state, short.window) == ("broken", "3 months")
    assert "3 months" in short.notice and "2026-04-10" in short.notice  # the window, the earliest day allowed
    held = judge_changes("t", "stable", change, [Notice("x", D(2026, 1, 10), D(2026, 4, 10))], D(2026, 6, 1), window)
    assert held.state == "holds" and "3 months" in held.notice
    default = judge_changes("t", "stable", change, [notice], D(2026, 6, 1))
    assert (default.state, default.window) == ("holds", "")


@pytest.mark.parametrize(
    "text, months, days",
    [("1 month", 1, 0), ("3 months", 3, 0), ("6 weeks", 0, 42), ("90 days", 0, 90), ("1 year", 12, 0)],
)
def test_window_texts(text, months, days):
    window = parse_window(text, "notice.stable")
    assert (window.months, window.days) == (months, days)
    assert window == NoticeWindow(months, days, window.text)
