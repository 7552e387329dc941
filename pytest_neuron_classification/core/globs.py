"""The inventory's ``tests`` globs: which paths one names.

A glob is read the way people write paths (``tests/``, ``./tests/test_*.py``, ``**/perf/*.py``),
the same way in every process, so that a node id's file is matched without touching the disk;
only a run that must say which files a glob names (a partial run's hint, a glob matching nothing)
walks the folders (:mod:`..storage.test_files`), below the glob's :func:`fixed_prefix` only.
"""

from __future__ import annotations

import re


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A compiled regex for a path glob: ``**`` spans folders, ``*``, ``?`` and ``[...]`` do not.

    Written the way people write paths: a leading ``./`` is dropped, and a pattern that ends in
    ``/`` or whose last part has no wildcard (``tests``, a folder) covers every file below it too
    (a file's name has nothing below it, so a file's path still means just that file).
    """
    pattern = _plain(pattern)
    if pattern.endswith("/"):
        pattern += "**"
    out: list[str] = []
    i = 0
    while i < len(pattern):
        piece, i = _glob_piece(pattern, i)
        out.append(piece)
    below = "" if _has_wildcard(pattern.rsplit("/", 1)[-1]) else "(?:/.*)?"
    return re.compile("".join(out) + below + r"\Z", re.DOTALL)


def _plain(pattern: str) -> str:
    while pattern.startswith("./") and len(pattern) > 2:
        pattern = pattern[2:]
    return pattern


def _has_wildcard(part: str) -> bool:
    return any(c in part for c in "*?[")


def _glob_piece(pattern: str, i: int) -> tuple[str, int]:
    """The regex for the glob syntax at ``i``, and the index after it."""
    if pattern.startswith("**/", i):
        return "(?:.*/)?", i + 3
    if pattern.startswith("**", i):
        return ".*", i + 2
    if pattern[i] == "*":
        return "[^/]*", i + 1
    if pattern[i] == "?":
        return "[^/]", i + 1
    if pattern[i] == "[":
        found = _char_class(pattern, i)
        if found is not None:
            return found
    return re.escape(pattern[i]), i + 1


def _char_class(pattern: str, i: int) -> tuple[str, int] | None:
    """``[...]`` at ``i`` read as :mod:`fnmatch` reads one part of a path (``!`` negates; never ``/``),
    and the index after it; ``None`` when it is not closed in that part (the ``[`` is then literal)."""
    j = i + 1
    if pattern.startswith("!", j):
        j += 1
    if pattern.startswith("]", j):
        j += 1
    j = pattern.find("]", j)
    if j < 0:
        return None
    stuff = pattern[i + 1 : j]
    if "/" in stuff:
        return None  # like glob: a class lies within one part of the path
    negate = stuff.startswith("!")
    members = _class_members(stuff[1:] if negate else stuff)
    if negate:
        return f"[^/{members}]", j + 1
    return (f"(?!/)[{members}]" if members else "(?!)"), j + 1


def _class_members(stuff: str) -> str:
    """The inside of a regex class for fnmatch's ``stuff``: ranges kept, reversed ones dropped."""
    chunks: list[str] = []
    start, k = 0, 1  # the first character is never a range's hyphen
    while (k := stuff.find("-", k)) >= 0:
        chunks.append(stuff[start:k])
        start, k = k + 1, k + 3
    if stuff[start:]:
        chunks.append(stuff[start:])
    elif chunks:
        chunks[-1] += "-"
    for k in range(len(chunks) - 1, 0, -1):
        if chunks[k - 1][-1] > chunks[k][0]:
            chunks[k - 1] = chunks[k - 1][:-1] + chunks[k][1:]
            del chunks[k]
    escape = str.maketrans({c: "\\" + c for c in "\\-[]^&~|"})
    return "-".join(chunk.translate(escape) for chunk in chunks)


def fixed_prefix(pattern: str) -> list[str]:
    """The folders a glob names before its first wildcard: all a walk for its files must search."""
    fixed = []
    for part in _plain(pattern).split("/")[:-1]:
        if _has_wildcard(part):
            break
        fixed.append(part)
    return fixed
