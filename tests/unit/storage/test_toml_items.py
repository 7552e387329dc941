"""The pyproject.toml reader's fast path (storage/toml_items.py) gives exactly what tomllib gives.

Files are built from fragments, plain and tricky: the plain items tables the fast path reads, the
project's other tables, and every way the items could be written otherwise or hidden inside
something else (a multi-line array or string, dotted keys, an inline table, a subtable of an
item, a duplicate key, CRLF, escapes). For each, ``loads`` equals ``tomllib.loads`` or both raise.
"""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_neuron_classification.storage import toml_items

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HEADER = "[[tool.neuron-classification.items]]"

#: Text an item's string may hold, now and then with a character the pattern must refuse or pass on.
safe_text = st.text(alphabet="ab _-.:/*[]#=é'", max_size=8)
text = st.one_of(
    *[safe_text] * 8,
    st.text(alphabet=st.sampled_from([*list('a"\\\t'), "\x01", "\u202e"]), max_size=3),
)


@st.composite
def plain_item(draw: st.DrawFn) -> list[str]:
    keys = draw(
        st.lists(st.sampled_from(["name", "kind", "level", "tests", "since", "framework"]), max_size=4, unique=True)
    )
    lines = [HEADER]
    for key in keys:
        if key == "tests":
            values = draw(st.lists(text, max_size=3))
            comma = draw(st.sampled_from(["", ","])) if values else ""
            lines.append(f"{key} = [{', '.join(f'{chr(34)}{v}{chr(34)}' for v in values)}{comma}]")
        else:
            space = draw(st.sampled_from([" ", "", "\t"]))
            lines.append(f'{key}{space}={space}"{draw(text)}"')
    return lines


PLAIN = [
    ["[tool.neuron-classification]", 'enforce = "warn"'],
    ["[tool.pytest.ini_options]", 'addopts = "-q"', 'testpaths = ["tests"]', "metrics = { a = [1, 2] }"],
    ["[tool.neuron-classification.notice]", 'python = "3 months"'],
    ["[[tool.neuron-classification.waivers]]", 'item = "x"', "expires = 2027-03-31"],
    ["# a comment", ""],
]
TRICKY = [
    ["[tool.neuron-classification]", "items = []"],
    ["[tool.neuron-classification.items.sub]", "x = 1"],
    ["[[tool.neuron-classification.items.notes]]", 'x = "y"'],
    ["[tool]", 'neuron-classification.enforce = "warn"'],
    ["[tool]", 'neuron-classification = { enforce = "warn" }'],
    ["x = ["],
    ["x = [ # ]"],
    ["]"],
    ['"a",'],
    ['s = """'],
    ['"""'],
    ["metrics = { a = 1 }", "n = 1"],
    ["name = 'literal'", "n = 2"],
    ['name = "twice"', 'name = "twice"'],
    ['name = "a\\"b"'],
    ["tests = [", '  "a",', "]"],
    ['kind = "api" # trailing'],
    [HEADER + "\r", 'name = "crlf"\r'],
    ["  " + HEADER],
    ["[tool.neuron-classification.items]", 'name = "a table"'],
]


@st.composite
def document(draw: st.DrawFn) -> str:
    # Each plain table at most once (twice is an error tomllib reports, which tells little), and
    # now and then a tricky fragment; at least two items tables, or the fast path is never tried.
    plain = [PLAIN[i] for i in draw(st.lists(st.integers(0, len(PLAIN) - 1), unique=True))]
    tricky = draw(st.lists(st.sampled_from(TRICKY), max_size=1))
    items = draw(st.lists(plain_item(), min_size=2, max_size=6))
    parts = draw(st.permutations([*plain, *tricky, *items]))
    return "\n".join(line for part in parts for line in part) + draw(st.sampled_from(["", "\n"]))


def parsed(parse, content: str) -> object:
    try:
        return parse(content)
    except tomllib.TOMLDecodeError as exc:
        return ("error", str(exc))


@settings(max_examples=400, deadline=None)
@given(document())
def test_the_fast_path_reads_what_tomllib_reads(content: str) -> None:
    assert parsed(toml_items.loads, content) == parsed(tomllib.loads, content)


def test_a_large_plain_inventory_takes_the_fast_path() -> None:
    # If the pattern stopped matching the plain tables, every file would silently go to tomllib.
    items = "\n".join(
        f'{HEADER}\nname = "item_{i}"\nlevel = "beta"\ntests = ["tests/test_{i}.py"]\n' for i in range(50)
    )
    content = f'[tool.neuron-classification]\nenforce = "warn"\n\n{items}\n[tool.pytest.ini_options]\nx = 1\n'
    split = toml_items._split(content)
    assert split is not None and len(split[1]) == 50
    assert toml_items.loads(content) == tomllib.loads(content)


@pytest.mark.parametrize(
    "before",
    ["x = [", 'x = ["a",', "x = { a = [", 's = """', "x = [ # ]", "x = { # }"],
)
def test_an_items_header_inside_a_multi_line_value_is_left_to_tomllib(before: str) -> None:
    content = f'{before}\n{HEADER}\nname = "a"\n{HEADER}\nname = "b"\n[1]]\n'
    assert parsed(toml_items.loads, content) == parsed(tomllib.loads, content)
