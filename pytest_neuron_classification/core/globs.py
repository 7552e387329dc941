"""The inventory's ``tests`` globs: which paths one names.

A glob is read the way people write paths (``tests/``, ``./tests/test_*.py``, ``**/perf/*.py``),
the same way in every process, so that a node id's file is matched without touching the disk;
only a run that must say which files a glob names (a partial run's hint, a glob matching nothing)
walks the folders (:mod:`..storage.test_files`), below the glob's :func:`fixed_prefix` only.
"""

from __future__ import annotations

import fnmatch
import itertools
import re
from typing import Iterator


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A compiled regex for a path glob: ``**`` spans folders, ``*``, ``?`` and ``[...]`` do not.

    Written the way people write paths: a leading ``./`` is dropped, and a pattern that ends in
    ``/`` or whose last part has no wildcard (``tests``, a folder) covers every file below it too
    (a file's name has nothing below it, so a file's path still means just that file).

    Each part between ``/`` is :func:`fnmatch.translate`'s (``*``, ``?``, ``[...]``), held to
    one folder; what stays here is what the standard library gives only from Python 3.13
    (``glob.translate``): the folders, ``**``, and the folder a pattern names.
    """
    pattern = _plain(pattern)
    if pattern.endswith("/"):
        pattern += "**"
    parts = pattern.split("/")
    below = "" if _has_wildcard(parts[-1]) else "(?:/.*)?"
    names = itertools.count()
    spellings = [_sequence(spelling, names) for spelling in _spellings(parts)]
    body = spellings[0] if len(spellings) == 1 else f"(?:{'|'.join(spellings)})"
    return re.compile(body + below + r"\Z", re.DOTALL)


def _plain(pattern: str) -> str:
    while pattern.startswith("./") and len(pattern) > 2:
        pattern = pattern[2:]
    return pattern


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
    for part in _plain(pattern).split("/")[:-1]:
        if _has_wildcard(part):
            break
        fixed.append(part)
    return fixed
