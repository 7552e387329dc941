"""The inventory's ``tests`` globs: which paths (and which tests in them) one names.

A glob is read the way people write paths (``tests/``, ``./tests/test_*.py``, ``**/perf/*.py``),
the same way in every process, so that a node id's file is matched without touching the disk;
only a run that must say which files a glob names (a partial run's hint, a glob matching nothing)
walks the folders (:mod:`..storage.test_files`), below the glob's :func:`fixed_prefix` only.
A test pattern may go on past its file with a node id pattern (``tests/test_ops.py::test_rearrange*``):
the file glob (:func:`file_part`) is matched as a path, the rest by :func:`node_regex`.
"""

from __future__ import annotations

import fnmatch
import itertools
import re
from typing import Generic, Iterable, Iterator, TypeVar

from pytest_neuron_classification.core.text import one_spelling

T = TypeVar("T")


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A compiled regex for a path glob: ``**`` spans folders, ``*``, ``?`` and ``[...]`` do not.

    Written the way people write paths: a leading ``./`` is dropped (``.`` alone is every file), and a pattern that ends in
    ``/`` or whose last part has no wildcard (``tests``, a folder) covers every file below it too
    (a file's name has nothing below it, so a file's path still means just that file).

    Each part between ``/`` is :func:`fnmatch.translate`'s (``*``, ``?``, ``[...]``), held to
    one folder; what stays here is what the standard library gives only from Python 3.13
    (``glob.translate``): the folders, ``**``, and the folder a pattern names.
    """
    pattern = plain_glob(pattern)
    if pattern.endswith("/"):
        pattern += "**"
    parts = pattern.split("/")
    below = "" if _has_wildcard(parts[-1]) else "(?:/.*)?"
    names = itertools.count()
    spellings = [_sequence(spelling, names) for spelling in _spellings(parts)]
    body = spellings[0] if len(spellings) == 1 else f"(?:{'|'.join(spellings)})"
    return re.compile(body + below + r"\Z", re.DOTALL)


def plain_glob(pattern: str) -> str:
    """``pattern`` as matched: in its one spelling (NFC, as the paths it is matched with), without a
    leading ``./``; ``.`` (the pyproject.toml's folder) is every file below it."""
    pattern = one_spelling(pattern)
    while pattern.startswith("./") and len(pattern) > 2:
        pattern = pattern[2:]
    return "**" if pattern in (".", "./") else pattern


def _has_wildcard(part: str) -> bool:
    return any(c in part for c in "*?[")


def _spellings(parts: list[str]) -> list[list[str]]:
    """``parts`` with each ``**`` beside other characters spelt as whole parts.

    ``X**Y`` spans folders: it is ``X*Y`` in one folder or ``X*/**/*Y`` across several.
    """
    for i, part in enumerate(parts):
        if "**" in part and part != "**":
            head, tail = part.split("**", 1)
            before, after = parts[:i], parts[i + 1 :]
            return [
                *_spellings([*before, f"{head}*{tail}", *after]),
                *_spellings([*before, f"{head}*", "**", f"*{tail}", *after]),
            ]
    return [parts]


def _sequence(parts: list[str], names: Iterator[int]) -> str:
    """The regex for ``parts`` in a row: ``**`` is any number of folders, each other part one."""
    out = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if part == "**":
            out.append(".*" if last else "(?:.*/)?")
        else:
            out.append(_one_part(part, f"rest{next(names)}") + ("" if last else "/"))
    return "".join(out)


def _one_part(part: str, name: str) -> str:
    """The regex for one part of a path that ``part`` matches as :func:`fnmatch.fnmatchcase` does.

    fnmatch's ``*`` and ``?`` match ``/`` too: the part's own text is pinned by what follows it
    (``name``, from its first ``/`` on), so that fnmatch's pattern must match exactly that text.
    """
    if not _has_wildcard(part):
        return re.escape(part)
    whole = fnmatch.translate(part)[:-2]  # without its closing \Z (\z from Python 3.14)
    return f"(?=[^/]*(?P<{name}>.*)\\Z)(?={whole}(?P={name})\\Z)[^/]*"


def fixed_prefix(pattern: str) -> list[str]:
    """The folders a glob names before its first wildcard: all a walk for its files must search."""
    fixed = []
    for part in plain_glob(pattern).split("/")[:-1]:
        if _has_wildcard(part):
            break
        fixed.append(part)
    return fixed


#: What separates a test pattern's file glob from the node id pattern after it (as in node ids).
NODE_SEPARATOR = "::"


def file_part(pattern: str) -> str:
    """The file glob of a test pattern: ``tests/test_ops.py`` of ``tests/test_ops.py::test_rearrange*``."""
    return pattern.split(NODE_SEPARATOR, 1)[0]


def node_regex(pattern: str) -> re.Pattern[str] | None:
    """The regex for the node id part of a test pattern (after its first ``::``); None for a file glob.

    Node ids are not paths: ``*`` matches any text (``::`` too, so ``TestOps::*`` covers a class's
    tests), ``?`` one character, and ``[`` is itself, because parametrized ids are written in
    brackets (``test_add[float*]`` matches ``test_add[float32-cpu]``). A part without a wildcard
    names a function or a class, and covers what is below it, as a folder does: its
    parametrized instances (``test_add`` covers ``test_add[1]``) and a class's tests.
    """
    if NODE_SEPARATOR not in pattern:
        return None
    node = pattern.split(NODE_SEPARATOR, 1)[1]
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in node)
    below = "" if any(c in node for c in "*?") else r"(?:\[.*|::.*)?"
    return re.compile(body + below + r"\Z", re.DOTALL)


class TestPatterns(Generic[T]):
    """Test patterns, each with what it gives the tests it names (a category): matched once per
    file, and per test only in a file that a node id pattern's file glob covers."""

    __test__ = False  # not a test class, for pytest

    def __init__(self, entries: Iterable[tuple[str, T]]) -> None:
        self._entries = [(glob_regex(file_part(p)), node_regex(p), value) for p, value in entries]
        self._files: dict[str, tuple[tuple[T, ...], tuple[tuple[re.Pattern[str], T], ...]]] = {}

    def __bool__(self) -> bool:
        return bool(self._entries)

    def of_file(self, path: str) -> tuple[tuple[T, ...], tuple[tuple[re.Pattern[str], T], ...]]:
        """What the patterns give every test of the file ``path``, and its node id patterns."""
        found = self._files.get(path)
        if found is None:
            matching = [(node, value) for regex, node, value in self._entries if regex.match(path)]
            whole = tuple(dict.fromkeys(value for node, value in matching if node is None))
            found = self._files[path] = (whole, tuple((node, value) for node, value in matching if node is not None))
        return found

    @staticmethod
    def of_test(nodes: tuple[tuple[re.Pattern[str], T], ...], rest: str) -> tuple[T, ...]:
        """What a file's node id patterns give the test whose node id after the file's ``::`` is ``rest``."""
        return tuple(dict.fromkeys(value for regex, value in nodes if regex.match(rest)))
