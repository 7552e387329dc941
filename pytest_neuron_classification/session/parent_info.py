"""What the classifier works out once per parent node, and the keys its caches share tests by.

A suite of 60,000 tests has a few thousand modules: what a test's module and class say
(markers, the inventory's ``tests`` patterns, ``category-tests``) is worked out once per parent,
so that an unclassified test costs one lookup, and tests that share a parent, fixtures and
marker objects share one shape.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pytest_neuron_classification.core.items import Claim, NodeGlobs

#: Per parent node (module or class), computed once, so that an unclassified test costs one lookup:
#: 0 the file the tests live in (its node id); 1 the claims inventory ``tests`` patterns make for
#: every test of the file; 2 the level markers the parents carry, closest first; 3 the names of all
#: the parents' markers; 4 the categories ``category-tests`` gives every test of the file; 5 and 6
#: the node id patterns (``file::test*``) that may name tests of the file, items' then categories';
#: 7 the file's stem (``test_cache``: the item a bare marker names, read once per file).
#: (A plain tuple: a NamedTuple class costs every run its creation, for nothing an index lacks.)
ParentInfo = tuple[
    str,
    tuple[Claim, ...],
    list[pytest.Mark],
    frozenset[str],
    tuple[str, ...],
    NodeGlobs,
    tuple[tuple[Any, str], ...],
    str,
]


def function_key(test: pytest.Item) -> tuple[Any, ...]:
    """What a test's shape depends on: its parent, its fixtures and its own marker objects.

    The parent gives the inherited markers and the file's ``tests`` globs, the marker objects
    the levels and categories the test declares, the fixtures the categories they imply: plain
    tests of one module (and the instances of one parametrized function) share all three and so
    one shape, worked out once (a ``pytest.param`` with marks has marker objects of its own). The
    items are alive while the key is used, so the ids cannot be reused by other objects.
    """
    return (test.parent, tuple(getattr(test, "fixturenames", ())), *map(id, test.own_markers))


def glob_prefix(rootpath: Path, folder: Path) -> str:
    """``tests/`` when the rootdir is ``<folder>/tests``; "" when it is ``folder`` (or not below it)."""
    try:
        relative = rootpath.relative_to(folder).as_posix()
    except ValueError:
        return ""
    return "" if relative == "." else relative + "/"
