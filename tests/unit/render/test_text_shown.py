"""User text in every line people read: shown escaped, never obeyed by the terminal or the page."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pytest_neuron_classification.core.items import make_item
from pytest_neuron_classification.core.text import visible
from pytest_neuron_classification.render.classification_page import render


def test_visible_writes_what_would_act_as_repr_does():
    assert visible("caf\u202e") == "caf\\u202e"  # right-to-left override
    assert visible("a\x1b[31mb") == "a\\x1b[31mb"
    assert visible("a\nb\tc") == "a\\nb\\tc"
    assert visible("lone \udc80") == "lone \\udc80"
    assert visible("café, 中文, a b <= c") == "café, 中文, a b <= c"  # printable text is as written


@given(st.text())
def test_visible_text_is_printable_and_visible_again_is_the_same(text):
    shown = visible(text)
    assert shown.isprintable()
    assert visible(shown) == shown
    assert (shown == text) == text.isprintable()


def test_the_classification_page_shows_a_name_escaped():
    item = make_item("caf\u202e", "feature", "beta", {})
    page = render([item], None, "md")
    assert "\u202e" not in page
    assert "| caf\\u202e | feature | Beta |  |  |" in page.splitlines()
