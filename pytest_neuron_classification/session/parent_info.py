"""What the classifier works out once per parent node, and the keys its caches share tests by.

A suite of 60,000 tests has a few thousand modules: what a test's module and class say
(markers, the inventory's ``tests`` patterns, ``category-tests``) is worked out once per parent,
so that an unclassified test costs one lookup, and tests that share a parent, fixtures and
marker objects share one shape.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import pytest

from pytest_neuron_classification.core.items import Claim, NodeGlobs


class ParentInfo(NamedTuple):
    """Per parent node (module or class), computed once, so that an unclassified test costs one lookup."""

    #: The file the tests live in (its node id).
    origin: str
    #: The claims inventory ``tests`` patterns make for every test of the file.
    claims: tuple[Claim, ...]
    #: The level markers the parents carry, closest first.
    marks: list[pytest.Mark]
    #: The names of all the parents' markers.
    names: frozenset[str]
    #: The categories ``category-tests`` gives every test of the file.
    categories: tuple[str, ...]
    #: The node id patterns (``file::test*``) that may name tests of the file, items' then categories'.
    node_claims: NodeGlobs
    node_categories: tuple[tuple[Any, str], ...]


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
