"""pyproject.toml read by ``tomllib``, with the inventory's ``[[...items]]`` tables read by a line pattern.

Why: pytest has already parsed the whole file once (for its own table) when this plugin reads it
again, and ``tomllib`` is pure Python: a 20,000-item inventory (1.8 MB) takes it 0.35 s, a
third of the plugin's cost on such a suite. Those tables are almost always the plainest TOML
there is (``key = "text"`` and ``key = ["text", ...]``, a line each), which a regular expression
reads ten times faster. Everything else in the file (every other table, and any items table
that is not that plain) still goes to ``tomllib``.

The rule that keeps this honest: :func:`loads` returns exactly what ``tomllib.loads`` returns, or
raises what it raises. Any line of an items table outside the plain subset (an escape, a quoted
or dotted key, a number, a multi-line array, a trailing comment, a CRLF line end), a key given
twice, or anything else in the file that names the items (``items = [...]``, a subtable of an
item, the table written inline or by dotted keys) makes the whole file go to ``tomllib``; so does
a file whose other lines do not parse, so that its error names the right line. A Hypothesis
test compares the two on generated files.
"""

from __future__ import annotations

import re
import sys
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib

TOMLDecodeError = tomllib.TOMLDecodeError

_TABLE = "neuron-classification"
_HEADER = f"[[tool.{_TABLE}.items]]"
#: A basic string without escapes or control characters: its text is what is between the quotes.
_STRING = r'"[^"\\\x00-\x1f\x7f]*"'
_KEY_VALUE = re.compile(
    rf"[ \t]*([A-Za-z0-9_-]+)[ \t]*=[ \t]*(?:({_STRING})|\[((?:[ \t]*{_STRING}[ \t]*,)*(?:[ \t]*{_STRING}[ \t]*)?)\])[ \t]*"
)
_SKIPPED = re.compile(r"[ \t]*(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?")
_ITEM_STRING = re.compile(_STRING)
#: A header of the project's table or of one of its other subtables (``[tool.neuron-classification.notice]``,
#: ``[[tool.neuron-classification.waivers]]``).
_OWN_PATH = rf"tool\.{re.escape(_TABLE)}(?:\.(?!items\b)[A-Za-z0-9_-]+)*"
_OWN_HEADER = re.compile(rf"[ \t]*(?:\[{_OWN_PATH}\]|\[\[{_OWN_PATH}\]\])[ \t]*")
#: A line that leaves the parser at the top level of a table: blank, a comment, a plain header, or
#: a key with a one-line value. An items header is read by the pattern only after such a line, so
#: that it is never the inside of a multi-line array (or of anything else) in the file.
_ONE_LINE_VALUE = "|".join(
    (
        r'"[^"\\]*"',  # a basic string without escapes
        r"'[^']*'",  # a literal string
        r"true|false",
        r"[+-]?[0-9][0-9_.:eEzZ+T-]*",  # a number, a date or a time
        # An array or inline table of plain values on one line; a ``#`` outside quotes starts a comment,
        # so what follows it (a ``]``, say) does not close anything.
        r"""\[(?:[^\[\]"'#]|"[^"\\\[\]]*"|'[^'\[\]]*')*\]""",
        r"""\{(?:[^{}"'#]|"[^"\\{}]*"|'[^'{}]*')*\}""",
    )
)
_CLOSED = re.compile(
    rf"[ \t]*(?:\[\[?[A-Za-z0-9_. -]+\]\]?|[A-Za-z0-9_.-]+[ \t]*=[ \t]*(?:{_ONE_LINE_VALUE}))?[ \t]*(?:#.*)?"
)


def loads(text: str) -> dict[str, Any]:
    """``tomllib.loads(text)``, faster for a large inventory (see the module's docstring)."""
    if text.count(_HEADER) < 2 or '"""' in text or "'''" in text:  # nothing to gain, or a multi-line string
        return tomllib.loads(text)
    split = _split(text)
    if split is None:
        return tomllib.loads(text)
    rest, items = split
    try:
        document = tomllib.loads(rest)
    except TOMLDecodeError:
        return tomllib.loads(text)  # raises, naming the line in the whole file
    tool = document.setdefault("tool", {})
    own = tool.setdefault(_TABLE, {}) if isinstance(tool, dict) else None
    if not isinstance(own, dict) or "items" in own:
        return tomllib.loads(text)
    own["items"] = items
    return document


def _split(text: str) -> tuple[str, list[dict[str, Any]]] | None:
    """The file without its plain items tables, and those tables; None when it is not that simple."""
    rest: list[str] = []
    items: list[dict[str, Any]] = []
    table: dict[str, Any] | None = None
    previous = ""  # the last line that is not blank or a comment
    for line in text.split("\n"):
        if line == _HEADER:
            if table is None and not _CLOSED.fullmatch(previous):
                return None
            table = {}
            items.append(table)
            continue
        if table is not None:
            pair = _KEY_VALUE.fullmatch(line)
            if pair is not None:
                key, one, many = pair.groups()
                if key in table:
                    return None
                table[key] = one[1:-1] if one is not None else [s[1:-1] for s in _ITEM_STRING.findall(many)]
                continue
            if _SKIPPED.fullmatch(line):
                continue
            if not line.lstrip(" \t").startswith("["):
                return None
            table = None
        if _TABLE in line and not _OWN_HEADER.fullmatch(line):
            return None  # the table written another way, or something inside an item: tomllib decides
        rest.append(line)
        if not _SKIPPED.fullmatch(line):
            previous = line
    return "\n".join(rest), items
