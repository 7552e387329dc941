"""What a merge can say about tests that exist but ran in no job.

A merge judges the union of its reports. When the whole collection is known (a ``--collect-only``
report, or every shard of a split, lists it), a classified test in it that no run report ran is
not evidence of anything: its obligations stay ``not-run``, never ``met``. For a Stable item that
is a promise nobody checked, so the merge says so in one line naming those tests (:func:`never_ran`)
and is judged as with a missing shard: it fails under ``error``, and is never called passed.

When nothing lists the whole collection, the reports' placements still count it: each report
lists its own selection, and counts the collection's classified tests and those serving a Stable
item. Classified tests that no report lists exist, unnamed (:attr:`.Completeness.unlisted`): a
Stable one is a promise nobody checked (:func:`unlisted_stable`, judged like :func:`never_ran`).

And a merge that lacks a job must not tell the author to "add a test" that exists: with a
``--collect-only`` report among the inputs, an obligation judged ``missing`` whose item has tests
in files no run report covers names those files instead (:func:`uncovered`); without one, when
the counts show tests no report lists, a ``missing`` obligation is ``not-run`` (:func:`unlisted_gaps`).

Pure data in, pure data out: no pytest, no files.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from pytest_neuron_classification.core.completeness import Completeness
from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.core.items import Item
from pytest_neuron_classification.core.partial import map_obligations
from pytest_neuron_classification.core.text import count, shortlist
from pytest_neuron_classification.core.verdict import Audit, ItemResult, ObligationResult

#: Outcomes of a test that exists but did not run: deselected in every run, or only collected.
_UNRUN = frozenset({"not-run", "collected"})


def file_of(nodeid: str) -> str:
    """The test file of a node id (``tests/test_cc.py`` of ``tests/test_cc.py::test_p[1]``)."""
    return nodeid.split("::", 1)[0]


def never_ran(audit: Audit, collection: frozenset[str]) -> str:
    """``never ran in any job: a, b, c (+N more)``, or "" when nothing is to be said.

    Not when Stable is not enforced (``off``), and only for tests of ``collection`` (the whole
    collection, as known): a test outside it may have been deselected on purpose, which nothing here
    can tell. A Stable item's test counts whatever its obligation's status: another test meeting the
    obligation does not make this one checked (and a merge without the collection, which counts
    such tests in :func:`unlisted_stable`, fails alike).
    """
    if not collection or audit.enforce["stable"] == "off":
        return ""
    outcome = {t.nodeid: t.outcome for t in audit.tests}
    unrun = sorted(
        {
            nodeid
            for result in audit.items
            if result.item.level == "stable"
            for ob in result.obligations
            for nodeid in ob.tests
            if nodeid in collection and outcome.get(nodeid) in _UNRUN
        }
    )
    return f"never ran in any job: {shortlist(unrun, 3)}" if unrun else ""


def covered_files(runs: Iterable[Evidence]) -> frozenset[str]:
    """The test files some run report ran (or skipped) a test of: a job covered them."""
    return frozenset(file_of(t.nodeid) for r in runs for t in r.tests if t.outcome not in _UNRUN)


def uncovered(audit: Audit, covered: frozenset[str]) -> tuple[ItemResult, ...]:
    """The audit's items, a ``missing`` obligation's "add a test" replaced where the item has tests
    in files no run report covers: the job that runs them is more likely missing than the test."""
    files: dict[str, list[str]] = {}
    for test in audit.tests:
        where = file_of(test.nodeid)
        if where not in covered:
            for item_id in test.item_ids:
                if where not in files.setdefault(item_id, []):
                    files[item_id].append(where)

    def judge(item: Item, ob: ObligationResult) -> ObligationResult:
        if ob.status != "missing" or not files.get(item.id):
            return ob
        return replace(ob, hint=f"no report covers {shortlist(sorted(files[item.id]), 2)} (a missing job?)")

    return map_obligations(audit.items, judge)


def unlisted_stable(audit: Audit, completeness: Completeness) -> str:
    """``never ran in any job: 2 Stable tests of the collection are in no report ...``, or "".

    Not when Stable is not enforced (``off``), and not when a missing shard already says why.
    """
    n = completeness.unlisted_stable
    if not n or audit.enforce["stable"] == "off" or any(s["missing"] for s in completeness.shards):
        return ""
    return (
        f"never ran in any job: {count(n, 'Stable test')} of the collection {'is' if n == 1 else 'are'} in no "
        "report (deselected in every job, or a job missing): add a --collect-only report to name them"
    )


def unlisted_gaps(audit: Audit, completeness: Completeness) -> tuple[ItemResult, ...]:
    """The audit's items, a ``missing`` obligation made ``not-run`` where tests no report lists may serve it
    (counted from the placements, or in a shard that is missing).

    A test of a Stable item is counted apart: when every Stable test is listed, a Stable item's
    ``missing`` obligation is missing indeed.
    """
    shards = [f"{k}/{split['count']}" for split in completeness.shards for k in split["missing"]]
    if shards:  # a home-made split (--neuron-shard) counts nothing, but its missing shard may hold any test
        more = f" (+{len(shards) - 1} more)" if len(shards) > 1 else ""
        hint, stable = f"shard {shards[0]}{more} missing: its tests may be there (a missing job?)", True
    elif completeness.unlisted:
        hint = f"no report lists {count(completeness.unlisted, 'classified test')} of the collection (a missing job?)"
        stable = bool(completeness.unlisted_stable)
    else:
        return audit.items

    def judge(item: Item, ob: ObligationResult) -> ObligationResult:
        if ob.status != "missing" or (item.level == "stable" and not stable):
            return ob
        return replace(ob, status="not-run", hint=hint)

    return map_obligations(audit.items, judge)
