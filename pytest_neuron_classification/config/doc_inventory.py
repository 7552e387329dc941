"""The inventory as a documentation site sees it: which pyproject.toml, which item a page names, and
the rows of its classification table.

Plain functions without Sphinx, so that the Sphinx extension (:mod:`pytest_neuron_classification.sphinx`)
stays a thin layer of nodes and warnings, and so that what a page may claim is decided by the same
parser, the same file search and the same audit as the plugin's runs and the ``table`` command.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from pytest_neuron_classification.config.settings import parse_settings
from pytest_neuron_classification.core.items import Item
from pytest_neuron_classification.core.text import count, one_spelling
from pytest_neuron_classification.core.verdict import ItemResult
from pytest_neuron_classification.core.vocabulary import KINDS, LEVELS, ClassificationError, Kind, Level
from pytest_neuron_classification.storage.pyproject import read_project_file, relative_label

#: The ``conf.py`` value that names another pyproject.toml than the one found from the docs upwards.
CONFIG_VALUE = "neuron_classification_pyproject"


@dataclass(frozen=True)
class DocInventory:
    """The items of one pyproject.toml, and how messages name that file (relative to the docs' conf.py)."""

    path: Path
    label: str
    items: tuple[Item, ...]
    #: The file could not be read (an error said why): a page's names are not each reported unknown.
    unreadable: bool = False


def load_inventory(confdir: Path, given: str = "") -> DocInventory:
    """The inventory of ``given`` (relative to ``confdir``), else of the first pyproject.toml from ``confdir`` up.

    A file without ``[tool.neuron-classification]`` has no items: each item a page names is then
    reported as unknown, naming the file that was read.
    """
    if given:
        path = confdir / given
        if not path.is_file():
            label = relative_label(path, confdir)
            raise ClassificationError(f"{CONFIG_VALUE} = {given!r}: no such file ({label}); name the pyproject.toml")
    else:
        found = next(
            (f / "pyproject.toml" for f in (confdir, *confdir.parents) if (f / "pyproject.toml").is_file()), None
        )
        if found is None:
            raise ClassificationError(
                f"no pyproject.toml in {confdir} or above; name one with {CONFIG_VALUE} in conf.py"
            )
        path = found
    project = read_project_file(path, relative_label(path, confdir))
    settings = parse_settings(project.table, project.label)
    return DocInventory(project.path, project.label, settings.inventory)


@dataclass(frozen=True)
class Found:
    """What a page's item name resolves to: the item, or why none, with the closest names."""

    item: Item | None
    problem: str = ""


def find_item(inventory: DocInventory, name: str) -> Found:
    """The item named ``name`` (its name or its id); several items of one name must agree on the level.

    The name is read in its one spelling (NFC), as the inventory and the markers read names: a page
    that types ``café`` with a combining accent names the inventory's ``café``.
    """
    name = one_spelling(name)
    exact = [i for i in inventory.items if i.id == name]
    named = exact or [i for i in inventory.items if i.name == name]
    if named and len({i.level for i in named}) == 1:
        return Found(named[0])
    if named:
        levels = ", ".join(f"{i.id} {i.level}" for i in named)
        return Found(None, f"{name!r} names {len(named)} items of different levels ({levels}); name one by its id")
    names = sorted({i.name for i in inventory.items} | {i.id for i in inventory.items})
    close = difflib.get_close_matches(name, names, n=3)
    if close:
        hint = "did you mean " + " or ".join(repr(c) for c in close) + "?"
    elif names:
        hint = f"it lists {count(len(inventory.items), 'item')}; add this one to [[tool.neuron-classification.items]]"
    else:
        hint = "it lists no items; add them as [[tool.neuron-classification.items]]"
    return Found(None, f"no item {name!r} in the inventory of {inventory.label}; {hint}")


def check_stated(item: Item, stated: str, label: str) -> str:
    """'' when a page's stated level is the item's, else the warning that names both levels.

    Read as the inventory reads a level, whatever its case: prose writes ``<Beta>``."""
    if stated.lower() not in LEVELS:
        return f"{item.id}: unknown level {stated!r} stated; use one of {', '.join(LEVELS)}"
    if stated.lower() != item.level:
        return (
            f"{item.id} is stated {stated} on this page, but {label} classifies it {item.level}; "
            f"fix the label (or the inventory)"
        )
    return ""


def parse_choices(value: str, allowed: Sequence[str], option: str) -> tuple[str, ...]:
    """``beta, alpha`` of a directive option: each one of ``allowed``."""
    chosen = tuple(v.strip() for v in value.split(",") if v.strip())
    wrong = [v for v in chosen if v not in allowed]
    if wrong or not chosen:
        raise ClassificationError(
            f":{option}: {', '.join(map(repr, wrong)) or 'empty'}; use one of {', '.join(allowed)}"
        )
    return chosen


@dataclass(frozen=True)
class Row:
    """One item of the table: its words, and (with a report) its statuses and measurements."""

    item: Item
    coupling: str
    since: str
    statuses: str = ""
    measurements: str = ""


def table_rows(
    inventory: DocInventory,
    kinds: Sequence[Kind] = KINDS,
    levels: Sequence[Level] = LEVELS,
    audited: Sequence[ItemResult] | None = None,
) -> list[Row]:
    """The items of the inventory (and of a report's audit) of these kinds and levels, in
    the vocabulary's order of levels (Stable first) and kinds, then by id.

    ``audited``: the items of a ``--neuron-json`` report's audit, as the ``table`` command reads them; the
    items it found through markers only are rows too.
    """
    items: dict[str, Item] = {i.id: i for i in inventory.items}
    results: Mapping[str, ItemResult] | None = None
    if audited is not None:
        results = {r.item.id: r for r in audited}
        for result in audited:
            items.setdefault(result.item.id, result.item)
    chosen = [i for i in items.values() if i.kind in kinds and i.level in levels]
    chosen.sort(key=lambda i: (LEVELS.index(i.level), KINDS.index(i.kind), i.id))
    return [_row(item, results) for item in chosen]


def _row(item: Item, results: Mapping[str, ItemResult] | None) -> Row:
    coupling = ", ".join(v for _, v in item.coupling)
    if results is None:
        return Row(item, coupling, item.since or "")
    result = results.get(item.id)
    if result is None:
        return Row(item, coupling, item.since or "", "not in the report", "")
    statuses = "; ".join(f"{o.name} {o.status}" for o in result.obligations)
    measured = "; ".join(m.describe() for o in result.obligations for m in o.metrics)
    return Row(item, coupling, item.since or "", statuses, measured)
