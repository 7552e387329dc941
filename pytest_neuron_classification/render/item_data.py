"""The items a large HTML page keeps as data rather than as HTML (:mod:`.html`), packed small.

A 20,000-item inventory drawn in full is a 20 MB page that a browser needs a minute to open, and
most of its items have nothing to look at: every obligation met, no measurement, finding, contract
or graduation. Past :data:`DRAW_ALL_UP_TO` items the page draws the others (the gaps and changes
a reviewer came for) and keeps these *quiet* items as compact JSON inside the page, which the
script draws on demand (a filter, a search, a link to one, "Show them"): the page stays one file
that fetches nothing. Node ids are packed by file, and each item lists its tests as ranges of the
sorted test table (a folder glob's thousands of tests are one range). Pure: no pytest, no I/O.
"""

from __future__ import annotations

import json
from typing import Any, Sequence

from pytest_neuron_classification.core.test_record import TestRecord
from pytest_neuron_classification.core.verdict import ItemResult

#: Pages of at most this many items draw every item in full (they open fast and read without JavaScript).
DRAW_ALL_UP_TO = 500


def is_quiet(result: ItemResult, tests: Sequence[TestRecord], busy: set[str]) -> bool:
    """Whether the item has nothing to look at beyond its tests: every obligation met with no note,
    nothing measured, and no contract, finding, check or graduation (``busy``: the ids that have one)."""
    return (
        result.item.id not in busy
        and result.contract is None
        and all(o.is_met and not o.hint and not o.outside and not o.metrics for o in result.obligations)
        and not any(t.metrics for t in tests)
    )


def _ranges(indices: list[int]) -> str:
    """``0-4,7``: the indices (in order, as an item's tests come) as runs."""
    if any(b <= a for a, b in zip(indices, indices[1:])):
        indices = sorted(set(indices))
    spans: list[list[int]] = []
    for i in indices:
        if spans and spans[-1][1] == i - 1:
            spans[-1][1] = i
        else:
            spans.append([i, i])
    return ",".join(f"{a}-{b}" if b > a else str(a) for a, b in spans)


def pack(quiet: Sequence[tuple[int, ItemResult]], tests: dict[str, list[TestRecord]], outcomes: Sequence[str]) -> str:
    """The quiet items as the JSON the page's script reads, safe inside ``<script type="application/json">``.

    ``quiet``: each item with its index in the audit (its anchor ``item-N``); ``outcomes``: the
    order in which an item's tests are grouped.
    """
    records: dict[str, TestRecord] = {}
    for _, r in quiet:
        records.update((t.nodeid, t) for t in tests.get(r.item.id, ()))
    order = sorted(records)
    place = {nodeid: k for k, nodeid in enumerate(order)}
    files: dict[str, int] = {}
    names: dict[str, int] = {}
    kinds = {outcome: k for k, outcome in enumerate(outcomes)}
    packed_tests: list[list[Any]] = []
    for nodeid in order:
        test = records[nodeid]
        path, sep, rest = nodeid.partition("::")
        row: list[Any] = [files.setdefault(path, len(files)), sep + rest, kinds.setdefault(test.outcome, len(kinds))]
        extra = f" — {test.error}" if test.error else f" (outside pytest: {test.source})" if test.source else ""
        packed_tests.append([*row, extra] if extra else row)
    items = []
    for index, r in quiet:
        item = r.item
        obligations = ",".join(f"{names.setdefault(o.name, len(names))}:{len(o.tests)}" for o in r.obligations)
        items.append(
            [
                index,
                item.label,
                item.level,
                item.kind,
                item.since or "",
                "" if item.id == item.label else item.id,
                f"{item.declared} {item.origin}",
                obligations,
                _ranges([place[t.nodeid] for t in tests.get(item.id, ())]),
            ]
        )
    data = {"files": list(files), "outcomes": list(kinds), "names": list(names), "tests": packed_tests}
    text = json.dumps({**data, "items": items}, ensure_ascii=False, separators=(",", ":"))
    # Inside <script> only "</" could end it early; "<!--" could open a comment state.
    return text.replace("<", "\\u003c")
