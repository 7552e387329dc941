"""How every message of the plugin names things: counts, long lists, user text, numbers.

One helper per rule, so that a rule (what text may go into a one-line message, what
counts as a number) and its wording are the same wherever user input is checked.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Iterable, Sequence, TypeVar

from pytest_neuron_classification.core.vocabulary import ClassificationError

T = TypeVar("T")


def count(n: int, noun: str) -> str:
    """``1 gap``, ``2 gaps``: the one place that pluralises a message's nouns."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def a_or_an(kind: object) -> str:
    """``a function``, ``an env``, ``an api``: a kind's name with the article it needs."""
    return f"{'an' if str(kind)[:1] in 'aeiou' else 'a'} {kind}"


def agree(n: int, verb: str) -> str:
    """The verb for a count of ``n``: ``1 gap breaks``, ``2 gaps break``."""
    return f"{verb}s" if n == 1 else verb


def plus_more(hidden: int) -> str:
    """`` (+4 more)`` after what a message names, for the ``hidden`` ones it leaves out; "" for none."""
    return f" (+{hidden} more)" if hidden > 0 else ""


def shortlist(names: Sequence[str], limit: int) -> str:
    """``a, b, c (+4 more)``: a list named in one line of a message, however long it is."""
    return ", ".join(names[:limit]) + plus_more(len(names) - limit)


def short(value: object, limit: int = 40) -> str:
    """``value``'s repr, cut to ``limit`` characters: a message names bad input without echoing all of it."""
    try:
        text = repr(value)
    except Exception:  # a user type whose repr fails: its type still says what was given
        text = f"<{type(value).__name__}>"
    return clip(text, limit)


def clip(text: str, limit: int) -> str:
    """``text``, or its first ``limit - 3`` characters and ``...`` when it is longer than ``limit``."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def visible(text: str) -> str:
    """``text`` as a terminal, a Markdown page or a log shows it, not as it would act on them.

    Each character :meth:`str.isprintable` refuses is written the way :func:`repr` writes it,
    without the quotes: a control character (``\\x1b``, which starts a terminal escape sequence),
    a line break, a format character (``\\u202e``, the right-to-left override that reverses the
    rest of the line; ``\\u200b``), a separator other than the space, a lone surrogate. Every
    line that carries user text (names, hook messages, waivers, error messages) goes through here
    once it is built: the text's own characters are already printable, so it is shown as written,
    and a string that went through twice is the same.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


#: Control characters would split a report line; lone surrogates cannot be written as UTF-8.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


def check_text(value: object, what: str, *, empty: bool = False) -> str:
    """``value`` if it is a string a one-line message and a UTF-8 file can hold, else one line saying why."""
    if not isinstance(value, str) or (not empty and not value.strip()):
        kind = "a string" if empty else "a non-empty string"
        raise ClassificationError(f"{what} must be {kind}, not {short(value)}")
    if _UNPRINTABLE.search(value):
        raise ClassificationError(f"{what} {short(value)} contains a control character or a lone surrogate")
    return value


def one_spelling(name: str) -> str:
    """``name`` in Unicode's composed form (NFC): one spelling for names that look the same.

    ``café`` typed as ``é`` and as ``e`` with a combining accent are two strings that no reader can
    tell apart: two items (or metrics) of those names would be two promises under one visible name,
    and a waiver typed one way would not match an item typed the other. Every name that identifies
    something (an item's name and coupling, a metric's name, a waiver's or notice's item) is read
    through here, wherever it comes from: a marker, the inventory, a report, an evidence file.
    """
    return name if name.isascii() else unicodedata.normalize("NFC", name)


def is_finite_number(value: object) -> bool:
    """Whether a value read from a file (JSON, TOML) is a number a float holds: not a bool, not NaN
    or infinite, not an int too large for a float (``10**400``, which ``math.isfinite`` cannot take)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def finite(value: object, what: str) -> float:
    """A real number as a float: ints, floats, and numpy scalars or 0-d arrays (anything ``float()`` takes).

    Raises :class:`ClassificationError` for anything else, including an int too large for a
    float and an object whose ``__float__`` raises (a multi-element tensor).
    """
    if isinstance(value, (bool, str, bytes)) or not hasattr(value, "__float__"):
        raise ClassificationError(f"{what} must be a number, not {short(value)}")
    try:
        number = float(value)  # type: ignore[arg-type,unused-ignore]
    except (OverflowError, TypeError, ValueError):
        raise ClassificationError(f"{what} must be a number a float can hold, not {short(value)}") from None
    except Exception as exc:  # user types convert in their own way (a multi-element tensor raises RuntimeError)
        why = " ".join(str(exc).split())[:80]
        raise ClassificationError(
            f"{what} must be one number; float() of {type(value).__name__} raised {type(exc).__name__}"
            + (f": {why}" if why else "")
        ) from None
    if not math.isfinite(number):
        raise ClassificationError(f"{what} must be a finite number, not {short(value)}")
    return number


def unique(values: Iterable[T]) -> tuple[T, ...]:
    """``values`` without repeats, in first-seen order: notes and waivers that several shards repeat, once."""
    return tuple(dict.fromkeys(values))
