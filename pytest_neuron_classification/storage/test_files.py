"""The files on disk an inventory ``tests`` glob matches: the one place a glob walks the folders.

Matching a node id's path needs no disk (:mod:`..core.globs`); only a run that must say which
files a glob names (a partial run's hint, a glob matching nothing) walks, below the glob's
fixed prefix only, hidden folders skipped.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from pytest_neuron_classification.core.globs import fixed_prefix
from pytest_neuron_classification.core.text import one_spelling


def matches_a_file(root: Path, pattern: str, regex: re.Pattern[str]) -> bool:
    """Whether any file under ``root`` matches a ``tests`` glob (walking only below its fixed prefix)."""
    return bool(files_matching(root, pattern, regex, limit=1))


def files_matching(root: Path, pattern: str, regex: re.Pattern[str], limit: int = 100) -> list[str]:
    """The files under ``root`` (relative, ``/``-separated, at most ``limit``) a ``tests`` glob matches."""
    start = root.joinpath(*fixed_prefix(pattern))
    found: list[str] = []
    for folder, dirs, files in os.walk(start):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = Path(folder).relative_to(root).as_posix()
        # In its one spelling, as the glob is (a file system may store a name decomposed).
        found += [
            p for p in (f if base == "." else f"{base}/{f}" for f in sorted(files)) if regex.match(one_spelling(p))
        ]
        if len(found) >= limit:
            return found[:limit]
    return found
