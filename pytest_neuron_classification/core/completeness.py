"""What a merge knows it is missing: a shard no report came from, reports of different collections.

``merge`` judges the union of its reports as one run, so a shard whose job never uploaded its
report would otherwise vanish without a trace: its tests' obligations turn ``not-run`` or even
``met`` by the other shards, and the merge passes on evidence it never saw. Each report's
:class:`~.placement.Placement` says which shard of how many it was and which collection it came
from; from those this module tells, before any audit:

* which shards of each split are missing (a broken promise of completeness, judged like a lost
  xdist worker: it fails the merge under ``error``, and the merge never says passed);
* which shard is given twice: counted once when both copies agree test for test, refused when
  they contradict (one of them is not that shard's result);
* whether the reports come from different collections (different commits, say): also a broken
  promise, since a merge of two commits' shards verifies neither;
* how many classified tests of a collection no report lists: each report lists its own
  selection only, and counts the collection's classified tests (and those serving a Stable item)
  in its placement, so a test deselected in every job, or one a missing job would have run, is
  counted even though nothing names it (:func:`unlisted`);
* and, when no report carries a shard number or is a ``--collect-only`` report, that nothing
  here can tell whether a job is missing (a note, not a failure: older reports lack placement).

Pure data in, pure data out: no pytest, no files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.core.placement import Shard, ShardSource
from pytest_neuron_classification.core.text import count, shortlist
from pytest_neuron_classification.core.vocabulary import ClassificationError

#: How each splitter names shard K of N, so that the line names what the CI job was given.
_GROUP_WORDS: dict[ShardSource, str] = {
    "pytest-split": "group {k} of {n}",
    "pytest-test-groups": "test group {k} of {n}",
    "pytest-shard": "shard id {k0} of {n}",
    "--neuron-shard": "shard {k} of {n}",
}


def shard_words(shard: Shard) -> str:
    """Shard K of N in its splitter's own terms (pytest-shard counts from 0)."""
    return _GROUP_WORDS[shard.by].format(k=shard.index, k0=shard.index - 1, n=shard.count)


@dataclass(frozen=True)
class Completeness:
    """What the reports of a merge cover, and what they are known to lack."""

    #: The reports to judge: each given once (an identical copy of a shard is dropped).
    reports: tuple[Evidence, ...] = ()
    #: Broken promises of completeness: missing shards, reports of different collections.
    incomplete: tuple[str, ...] = ()
    #: What is worth saying but breaks nothing: a shard counted once, completeness unknown.
    notes: tuple[str, ...] = ()
    #: Per split (splitter and shard count): the shards present, by index, and those missing.
    shards: tuple[dict[str, Any], ...] = ()
    #: The classified tests of the whole collection, when a ``--collect-only`` report or every shard
    #: of a split lists it; empty when unknown (a test in it that ran in no job is named, see :mod:`.unrun`).
    collection: frozenset[str] = frozenset()
    #: Classified tests of the reports' collections that no report lists, and those of them that
    #: serve a Stable item (see :func:`unlisted`): they exist, so an obligation without a test may have one.
    unlisted: int = 0
    unlisted_stable: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The merged report's ``completeness``: which shards it had and what it lacked."""
        return {
            "shards": list(self.shards),
            "incomplete": list(self.incomplete),
            "unlisted": {"classified": self.unlisted, "stable": self.unlisted_stable},
        }


def completeness_of(reports: Sequence[Evidence]) -> Completeness:
    """What ``reports`` (pytest reports; evidence files have no placement) cover, and lack.

    Raises :class:`ClassificationError`, naming both files, when one shard is given twice with
    different results.
    """
    kept, notes = _once_per_shard(reports)
    incomplete: list[str] = []
    splits: dict[tuple[ShardSource, int], dict[int, str]] = {}
    for report in kept:
        shard = report.placement.shard
        if shard is not None:
            splits.setdefault((shard.by, shard.count), {})[shard.index] = report.source
    summary = []
    # The whole collection: a --collect-only report lists it, and so does every shard of a split
    # (each shard records the tests it deselected); a split with a shard missing does not.
    whole = [r for r in kept if r.mode == "collect"]
    for (by, n), present in splits.items():
        missing = [k for k in range(1, n + 1) if k not in present]
        if not missing:
            whole += [r for r in kept if r.source in present.values()]
        incomplete += [
            f"shard {k}/{n} missing: no report for {shard_words(Shard(k, n, by))} ({by})" for k in missing[:5]
        ]
        if len(missing) > 5:  # one line per shard, but not thousands of them
            incomplete.append(f"{count(len(missing) - 5, 'more shard')} of {n} missing ({by})")
        summary.append(
            {"by": by, "count": n, "present": {str(k): present[k] for k in sorted(present)}, "missing": missing}
        )
    groups = _by_collection(kept)
    counted = [unlisted(group) for group in groups.values()]
    mixed = _collections(groups, all(c[0] == 0 for c in counted))
    if mixed:
        incomplete.append(mixed)
    # A missing shard explains what no report lists: said once, by the shard's line.
    partial = [c[2] for c in counted if c[2] and not any(split["missing"] for split in summary)]
    # Reports of one collection that count its classified tests: a missing job shows in the count.
    one = len(groups) == 1 and all(r.placement.classified is not None and not r.placement.narrowed for r in kept)
    if len(kept) > 1 and not splits and not any(r.mode == "collect" for r in kept) and not one:
        notes.append(f"completeness unknown: {count(len(kept), 'report')}, no shard numbers and no collection")
    collection = frozenset(t.nodeid for r in whole for t in r.tests)
    return Completeness(
        tuple(kept),
        tuple(incomplete),
        (*notes, *partial),
        tuple(summary),
        collection,
        sum(c[0] for c in counted),
        sum(c[1] for c in counted),
    )


def _by_collection(reports: Sequence[Evidence]) -> dict[str, list[Evidence]]:
    """The reports by the collection they came from (its fingerprint); older reports, without one, apart."""
    groups: dict[str, list[Evidence]] = {}
    for report in reports:
        groups.setdefault(report.placement.fingerprint, []).append(report)
    return groups


def unlisted(group: Sequence[Evidence]) -> tuple[int, int, str]:
    """How many classified tests of the group's one collection no report lists, how many of them
    serve a Stable item, and the note that says so ("" when none).

    Each report lists its own selection and counts the collection's classified tests: the
    difference is what was deselected in every job, or what a missing job ran. An older report
    (schema ``/2``) lists every classified test it collected, and counts none.
    """
    counts = [r.placement for r in group if r.placement.fingerprint and r.placement.classified is not None]
    if not counts:
        return 0, 0, ""
    stable_ids = {i.id for r in group for i in r.items if i.level == "stable"}
    listed: set[str] = set()
    stable = 0
    for report in group:
        for test in report.tests:
            if not test.source and test.nodeid not in listed:
                listed.add(test.nodeid)
                stable += any(i in stable_ids for i in test.item_ids)
    missing = max(p.classified or 0 for p in counts) - len(listed)
    if missing <= 0:
        return 0, 0, ""
    missing_stable = max(0, max(p.stable or 0 for p in counts) - stable)
    return missing, missing_stable, _partial_note(group, missing)


def _partial_note(group: Sequence[Evidence], missing: int) -> str:
    """``selection is partial: ...``: how much of the collection the reports selected, and what no report lists."""
    placements = [r.placement for r in group]
    collected = max(p.collected for p in placements)
    shards = {p.shard for p in placements}
    # Selections add up when they cannot overlap: one report, or distinct shards of one split.
    disjoint = len(group) == 1 or (None not in shards and len({(s.by, s.count) for s in shards if s}) == 1)
    how = ", ".join(
        dict.fromkeys(
            f"{flag} {expression!r}"
            for p in placements
            for flag, expression in (("-k", p.keyword), ("-m", p.markers))
            if expression
        )
    )
    selected = min(sum(p.selected for p in placements), collected)
    ran = f"{selected} of {collected} collected tests selected{f' ({how})' if how else ''}; " if disjoint else ""
    where = "in no report (deselected in every job, or a job missing)" if len(group) > 1 else "deselected"
    return (
        f"selection is partial: {ran}{count(missing, 'classified test')} of the collection "
        f"{'is' if missing == 1 else 'are'} {where}: their obligations are not-run, not missing; "
        "add a --collect-only report to name them"
    )


def _once_per_shard(reports: Sequence[Evidence]) -> tuple[list[Evidence], list[str]]:
    """Each shard's report once: a second, identical copy is dropped; a contradicting one is refused."""
    first: dict[Shard, Evidence] = {}
    kept: list[Evidence] = []
    notes: list[str] = []
    for report in reports:
        shard = report.placement.shard
        other = first.get(shard) if shard is not None else None
        if shard is None or other is None:
            if shard is not None:
                first[shard] = report
            kept.append(report)
            continue
        differs = _first_difference(other, report)
        if differs:
            raise ClassificationError(
                f"shard {shard.label} ({shard.by}) is given twice with different results, in {other.source} and "
                f"{report.source} ({differs}); give each shard's report once"
            )
        notes.append(
            f"shard {shard.label} ({shard.by}) given twice, in {other.source} and {report.source}: the same tests "
            "and outcomes, counted once"
        )
    return kept, notes


def _first_difference(one: Evidence, two: Evidence) -> str:
    """The first test the two reports disagree on, in words; "" when they agree test for test."""
    a = {t.nodeid: t.outcome for t in one.tests}
    b = {t.nodeid: t.outcome for t in two.tests}
    if a == b and one.placement.fingerprint == two.placement.fingerprint:
        return ""
    for nodeid in sorted(a.keys() | b.keys()):
        if a.get(nodeid) != b.get(nodeid):
            return f"{nodeid}: {a.get(nodeid, 'absent')} in the first, {b.get(nodeid, 'absent')} in the second"
    return "different collections"


def _collections(by_fingerprint: dict[str, list[Evidence]], listed: bool) -> str:
    """One line when the reports that collected the whole suite came from different collections, else "".

    A report whose collection was narrowed on purpose (a test file per job, ``--lf``) is a part by
    construction, and an older report has no fingerprint: neither is compared. The classified tests
    only some collections have are named when every report lists its whole collection (``listed``:
    no classified test of them is in no report); a shard lists its own selection only.
    """
    groups = {
        key: kept
        for key, group in by_fingerprint.items()
        if key
        for kept in [[r for r in group if not r.placement.narrowed]]
        if kept
    }
    if len(groups) < 2:
        return ""
    parts = [
        f"{shortlist([r.source for r in group], 3)} ({count(group[0].placement.collected, 'test')})"
        for group in groups.values()
    ]
    some: set[str] = set()
    if listed:
        nodeids = [{t.nodeid for r in group for t in r.tests} for group in groups.values()]
        some = nodeids[0].union(*nodeids[1:]) - nodeids[0].intersection(*nodeids[1:])
    which = f" ({shortlist(sorted(some), 3)})" if some else ""
    only = f"; {count(len(some), 'classified test')} only some of them have{which}" if some else ""
    return f"reports of {len(groups)} collections: {'; '.join(parts)}{only}: merge the reports of one commit"
