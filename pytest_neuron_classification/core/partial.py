"""What a run that saw part of the suite may conclude about the obligations it saw no test for.

A run given test ids, narrower paths, ``--ignore`` or ``--lf`` (``partial``), or a CI job run with
``--neuron-scope=collected``, cannot tell an obligation whose tests it did not collect from one
that has none: it never calls it ``missing`` (never "add a test"), except for an inventory
``tests`` glob that matches no file on disk, which no run could collect.
"""

from __future__ import annotations

import operator
from dataclasses import replace
from typing import Callable, Mapping

from pytest_neuron_classification.core.items import Item
from pytest_neuron_classification.core.test_record import TestRecord
from pytest_neuron_classification.core.text import shortlist
from pytest_neuron_classification.core.verdict import ItemResult, ObligationResult

#: How the note of a partial run begins; ``merge``, which judges the union of its reports, drops it.
PARTIAL_NOTE = "this run collected only part of the suite"


def not_judged(
    results: tuple[ItemResult, ...], partial: str, located: Mapping[str, tuple[str, ...]], uncollected: str = ""
) -> tuple[tuple[ItemResult, ...], int]:
    """In a partial run, a test that was not collected may well exist: never say "add a test".

    Only an inventory ``tests`` glob that matches no file on disk is still ``missing``: no run
    could collect its tests. ``uncollected``: the hint instead, when test files failed to collect
    (the test may be in one of them). Returns the results and how many obligations it left unjudged.
    """
    unjudged = 0

    def judge(item: Item, ob: ObligationResult) -> ObligationResult:
        if ob.status != "missing":
            return ob
        if item.tests and item.id in located and not located[item.id]:
            return replace(ob, hint=no_file_hint(item))
        nonlocal unjudged
        unjudged += 1
        where = shortlist(list(located.get(item.id, ())), 2)
        there = f"; its tests are in {where}: run them" if where else "; run its tests"
        hint = uncollected or f"not collected in this run ({partial}){there} or the whole suite"
        return replace(ob, status="not-run", hint=hint)

    return map_obligations(results, judge), unjudged


def no_file_hint(item: Item) -> str:
    globs = ", ".join(repr(g) for g in item.tests)
    return f"its tests glob {globs} matches no file on disk: fix the glob or add the tests"


def out_of_scope(
    results: tuple[ItemResult, ...], covered: frozenset[str], located: Mapping[str, tuple[str, ...]]
) -> tuple[ItemResult, ...]:
    """Under ``--neuron-scope=collected``: an obligation no collected test serves is not this run's to judge.

    Only what would be ``missing`` changes (an inventory glob that matches no file on disk stays
    ``missing``); a broken contract of an API still fails.
    """

    def judge(item: Item, ob: ObligationResult) -> ObligationResult:
        if ob.status != "missing":
            return ob
        if item.tests and item.id in located and not located[item.id]:
            return replace(ob, hint=no_file_hint(item))
        what = "the obligation" if item.id in covered else "the item"
        return replace(ob, status="out-of-scope", hint=f"no collected test covers {what} (--neuron-scope=collected)")

    return map_obligations(results, judge)


def removed_hints(results: tuple[ItemResult, ...], removed: Mapping[str, str]) -> tuple[ItemResult, ...]:
    """A ``not-run`` obligation whose hint names a test that a ``pytest_collection_modifyitems`` hook dropped
    from the collection (``removed``: node id -> who implements the hook) says who did."""

    def judge(item: Item, ob: ObligationResult) -> ObligationResult:
        test = next((t for t in ob.tests if t in removed and t in ob.hint), None) if ob.status == "not-run" else None
        if test is None:
            return ob
        return replace(
            ob, hint=f"{ob.hint}; removed from the collection by pytest_collection_modifyitems in {removed[test]}"
        )

    return map_obligations(results, judge) if removed else results


def untimed_off(tests: list[TestRecord]) -> list[TestRecord]:
    """``tests`` of a measured category, those that pytest-benchmark did not time in their run ``not-run``.

    Under pytest-xdist, ``--benchmark-disable`` or ``--benchmark-skip`` a benchmark measures nothing
    because of how the run was started, not because of the test: neither ``met`` nor ``unmeasured``.
    A test that asks for the fixture but never calls it (``not-called``) is the test's doing: unmeasured.
    """

    def off(test: TestRecord) -> bool:
        timed_off = test.untimed in ("xdist", "disabled") and test.outcome == "passed"
        return (timed_off or (test.untimed == "skipped" and test.outcome == "skipped")) and not test.metrics

    return [replace(t, outcome="not-run") if off(t) else t for t in tests]


def map_obligations(
    results: tuple[ItemResult, ...], judge: Callable[[Item, ObligationResult], ObligationResult]
) -> tuple[ItemResult, ...]:
    """``results`` with ``judge`` applied to each obligation; an item whose obligations all stay
    the same objects is kept as it is (most items of a large inventory: a copy each costs)."""
    mapped = []
    for result in results:
        obligations = tuple(judge(result.item, o) for o in result.obligations)
        same = all(map(operator.is_, obligations, result.obligations))
        mapped.append(result if same else replace(result, obligations=obligations))
    return tuple(mapped)
