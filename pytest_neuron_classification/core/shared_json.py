"""Decoding once what many reports repeat: ``merge``'s shard reports share their equal records and items.

A CI matrix's reports all list the whole inventory, and a report of schema ``/2`` listed the whole
classified collection too. Decoded with one ``shared`` dict, a record or item whose JSON equals
one already decoded is that same object: compared (a dictionary or tuple comparison, in C) rather
than validated and kept again. Only plain JSON is shared, every value a string (or a list or object
of strings), because for it equal JSON means an equal object (``1 == 1.0 == True`` would not).
"""

from __future__ import annotations

from typing import Any, Mapping

from pytest_neuron_classification.core.items import Item

#: The fields of a report's item that :meth:`Item.from_dict` reads (its verdicts are the report's own).
_ITEM_FIELDS = ("name", "kind", "level", "coupling", "since", "target", "declared", "origin", "tests")


def shared_item(data: Mapping[str, Any], shared: dict[Any, Any]) -> Item:
    """An item from JSON; reports decoded with one ``shared`` dict share their equal items.

    Each of ``merge``'s shard reports lists the whole inventory: an item whose fields equal those of
    one already decoded (every field a string, None, or a list or object of strings, so that equal
    JSON is an equal item) is that same object, neither validated nor kept again.
    """
    if type(data) is not dict:
        return Item.from_dict(data)
    fields = tuple(map(data.get, _ITEM_FIELDS))
    name, kind, level = fields[:3]
    if not (type(name) is str and type(kind) is str and type(level) is str):
        return Item.from_dict(data)
    key = ("item", name, kind, level)
    known = shared.get(key)
    # Only plain fields are remembered, and a string equals only a string: equal fields are plain too.
    if known is not None and known[0] == fields:
        return known[1]  # type: ignore[no-any-return]
    item = Item.from_dict(data)
    if all(map(_plain_value, fields)):
        shared[key] = (fields, item)
    return item


def _plain_value(value: object) -> bool:
    """Whether ``value`` is a string, None, or a list or object of strings: JSON that equals only its own kind."""
    if value is None or type(value) is str:
        return True
    if type(value) is list:
        return all(type(v) is str for v in value)
    return type(value) is dict and all(type(v) is str for v in value.values())


def plain_key(data: object) -> tuple[str, str, str] | None:
    """Where ``shared`` remembers the record ``data`` decodes to, if it may (a node id and outcome)."""
    if type(data) is not dict:
        return None
    nodeid, outcome = data.get("nodeid"), data.get("outcome", "not-run")
    return ("test", nodeid, outcome) if type(nodeid) is str and type(outcome) is str else None


def plain(data: Mapping[str, Any]) -> bool:
    """Whether every field of this (valid) record is a string or a list of strings, and it measured nothing."""
    return data.get("metrics", []) == [] and all(
        type(value) is str or type(value) is list or (key == "error" and value is None) for key, value in data.items()
    )
