"""Which of many inventory ``tests`` globs can match a path, without trying each (:mod:`.globs`).

A 20,000-item inventory may hold thousands of globs, and every collected test file would be
matched against each (the work grows as files times globs). Most globs name a file or a folder
outright, and every glob's regex begins with its :func:`~.globs.fixed_prefix` folders written
out: a glob is filed under that text, and a path looks up only its own folders (and itself, for
a glob without any wildcard). Each candidate is still confirmed by its regex, so the answer is the
one trying every glob in turn would give, in the same order. Pure: no I/O.
"""

from __future__ import annotations

import re

from pytest_neuron_classification.core.globs import fixed_prefix, plain_glob


class GlobIndex:
    """The globs added so far (by position), filed by the text a matching path must begin with."""

    def __init__(self) -> None:
        self._regexes: list[re.Pattern[str]] = []
        #: Globs without a wildcard, by the path they name: it, and every path below it, match.
        self._exact: dict[str, list[int]] = {}
        #: Every other glob, by its fixed folders ("" when it starts with a wildcard).
        self._below: dict[str, list[int]] = {}

    def add(self, pattern: str, regex: re.Pattern[str]) -> None:
        """File ``regex`` (:func:`~.globs.glob_regex` of ``pattern``) as the next glob."""
        index = len(self._regexes)
        self._regexes.append(regex)
        pattern = plain_glob(pattern)
        folders = fixed_prefix(pattern)
        last = pattern.split("/")[-1]
        if last and not any(c in pattern for c in "*?["):
            self._exact.setdefault("/".join([*folders, last]), []).append(index)
        else:
            self._below.setdefault("/".join(folders), []).append(index)

    def __len__(self) -> int:
        return len(self._regexes)

    def matching(self, path: str) -> list[int]:
        """The positions of the globs that match ``path``, in the order they were added."""
        parts = path.split("/")
        prefixes = ["/".join(parts[:k]) for k in range(1, len(parts))]
        found = [i for p in ("", *prefixes) for i in self._below.get(p, ())]
        found += [i for p in (*prefixes, path) for i in self._exact.get(p, ())]
        return sorted(i for i in set(found) if self._regexes[i].match(path))
