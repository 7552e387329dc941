"""The audit: each item's obligations checked against the run's evidence.

Pure functions of the evidence (items, test records, policy, contract results): the
plugin and ``merge`` both reach it through :func:`audit_of`, so a serial run, an xdist
run and a merge of shards judge the same evidence the same way.
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from itertools import islice
from operator import attrgetter
from typing import Iterable, Mapping, Sequence

from pytest_neuron_classification.core import partial
from pytest_neuron_classification.core.adoption import Waiver, gap_key
from pytest_neuron_classification.core.contracts import ContractResult
from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.core.hints import UNRUN, gap_hint, who
from pytest_neuron_classification.core.items import Item
from pytest_neuron_classification.core.metric import MetricCheck
from pytest_neuron_classification.core.outcomes import BROKEN
from pytest_neuron_classification.core.partial import PARTIAL_NOTE, map_obligations, not_judged, out_of_scope
from pytest_neuron_classification.core.test_record import TestRecord
from pytest_neuron_classification.core.text import plus_more
from pytest_neuron_classification.core.verdict import NEXT_LEVEL, Audit, Graduation, ItemResult, ObligationResult
from pytest_neuron_classification.core.vocabulary import (
    FAILING_STATUSES,
    LEVELS,
    STATUSES,
    Enforce,
    Policy,
    Status,
    per_level,
)

#: What meets an obligation: a test that passed, and in a static audit one that was collected.
_PASSING = frozenset({"passed"})
_PASSING_STATIC = frozenset({"passed", "collected"})


def status_of(outcomes: Sequence[str], static: bool = False) -> Status:
    """One status for the outcomes of the tests that can meet an obligation.

    ``static``: the audit of ``--collect-only`` alone, where a collected test counts as evidence
    that it exists; anywhere else (a merge of run reports with a static one) it met nothing.
    """
    found = set(outcomes)  # an item a folder glob classifies has thousands of tests: one pass
    if not found:
        return "missing"
    if not found.isdisjoint(BROKEN):
        return "failing"
    if not found.isdisjoint(_PASSING_STATIC if static else _PASSING):
        return "met"
    if not found.isdisjoint(UNRUN):
        return "not-run"
    return "skipped"


def worst(statuses: Iterable[Status]) -> Status:
    return max(statuses, key=STATUSES.index, default="met")


def audit_of(
    evidence: Evidence,
    *,
    enforce: Enforce = "error",
    graduation: bool = False,
    baseline: frozenset[str] | None = None,
    today: datetime.date | None = None,
    located: Mapping[str, tuple[str, ...]] | None = None,
    uncollected: str = "",
    removed: Mapping[str, str] | None = None,
) -> Audit:
    """The audit of a run's (or several runs' combined) evidence: the one way in.

    Every item's obligations are checked against the evidence's tests (and API contract
    results, by item id); ``waivers`` (judged against ``today``) and a gap ``baseline``
    then mark the gaps a team has chosen to tolerate for now.

    ``located``: in a partial run, the files on disk each inventory ``tests`` glob matches (by
    item id), to say where the tests it did not collect are, and to keep a glob that matches
    nothing ``missing``. ``uncollected``: in a run where test files failed to collect, what the hint of
    an obligation it saw no test for says instead (which file, and the fix). ``removed``: the tests a
    ``pytest_collection_modifyitems`` hook dropped (not-run, as deselected), by who implements it.
    """
    tests = _by_nodeid(evidence.tests)
    if tests is not evidence.tests:
        evidence = replace(evidence, tests=tests)
    policy, scope, contracts = evidence.policy, evidence.scope, evidence.contracts
    by_item: dict[str, list[TestRecord]] = {}
    for test in tests:
        for item_id in test.item_ids:
            by_item.setdefault(item_id, []).append(test)
    ordered = sorted(evidence.items, key=lambda i: (LEVELS.index(i.level), i.kind, i.id))
    # A partial or per-job run judges each part of ``standard`` it saw tests for (see _check).
    seen_only = bool(evidence.partial) or scope == "collected"
    static = evidence.mode == "collect"
    results = tuple(
        _item_result(item, by_item.get(item.id, []), policy, contracts.get(item.id), seen_only, static)
        for item in ordered
    )
    notes: list[str] = []
    results = _apply_metric_checks(results, evidence.checks)
    located = located or {}
    if scope == "collected":
        results = out_of_scope(results, frozenset(by_item), located)
    if evidence.partial:
        results, unjudged = not_judged(results, evidence.partial, located, uncollected)
        if unjudged:  # the note matters only where it changed a conclusion
            notes.append(f"{PARTIAL_NOTE} ({evidence.partial}): tests it did not see are not judged")
    results = partial.removed_hints(results, removed or {})
    results = _apply_waivers(results, evidence.waivers, today or datetime.date.today(), notes)
    closed: tuple[str, ...] = ()
    if baseline is not None:
        results, closed = _apply_baseline(results, baseline)
    errors = tuple(f"{t.nodeid}: {t.error}" for t in tests if t.error)
    promotions = None
    if graduation:
        promotions = tuple(
            _graduation(r.item, by_item.get(r.item.id, []), policy, r.contract)
            for r in results
            # Under --neuron-scope=collected an item no collected test covers is not judged for promotion either.
            if r.item.level in NEXT_LEVEL and (scope == "all" or r.item.id in by_item)
        )
    return Audit(
        evidence,
        per_level(enforce),
        results,
        errors,
        tuple(notes),
        graduation=promotions,
        baseline_closed=closed,
    )


def rebaselined(audit: Audit, baseline: frozenset[str], note: str) -> Audit:
    """``audit`` as if judged with ``baseline``, the gaps ``--neuron-update-baseline`` just recorded.

    Only the baseline's marks change, so the audit is not computed a second time.
    """
    results = map_obligations(audit.items, lambda _, ob: replace(ob, baselined=False) if ob.baselined else ob)
    results, closed = _apply_baseline(results, baseline)
    return replace(audit, items=results, baseline_closed=closed, judged_notes=(*audit.judged_notes, note))


def _by_nodeid(tests: Iterable[TestRecord]) -> tuple[TestRecord, ...]:
    """``tests`` by node id, copied only if they are not in order yet: a run's evidence is, and a copy of a
    large suite's records would cost MiBs at the run's peak."""
    if isinstance(tests, tuple) and all(a.nodeid <= b.nodeid for a, b in zip(tests, islice(tests, 1, None))):
        return tests
    return tuple(sorted(tests, key=attrgetter("nodeid")))


def _apply_waivers(
    results: tuple[ItemResult, ...], waivers: Sequence[Waiver], today: datetime.date, notes: list[str]
) -> tuple[ItemResult, ...]:
    """Mark waived gaps; an expired waiver waives nothing and says so in the gap's hint."""
    if not waivers:
        return results
    used: set[Waiver] = set()

    def waive(item: Item, ob: ObligationResult) -> ObligationResult:
        if ob.status == "out-of-scope":
            # Not judged here, so the waiver is not stale either.
            used.update(w for w in waivers if w.matches(item.name, item.id, ob.name))
        if ob.status not in FAILING_STATUSES:
            return ob
        for waiver in waivers:
            if waiver.matches(item.name, item.id, ob.name):
                used.add(waiver)
                if waiver.expires < today:
                    expired = f"the waiver of {waiver.owner} expired on {waiver.expires}; close the gap or renew it"
                    return replace(ob, hint=f"{ob.hint} ({expired})" if ob.hint else expired)
                return replace(ob, status="waived", hint=waiver.describe())
        return ob

    results = map_obligations(results, waive)
    notes += [
        f"stale waiver: {w.item} {w.obligation} (owner {w.owner}) matches no gap; delete it"
        for w in waivers
        if w not in used
    ]
    return results


def _apply_metric_checks(results: tuple[ItemResult, ...], checks: Sequence[MetricCheck]) -> tuple[ItemResult, ...]:
    """A measurement that regressed beyond its tolerance breaks the promise it serves."""
    failing: dict[tuple[str, str], list[str]] = {}
    for check in checks:
        if check.fails:
            failing.setdefault((check.item_id, check.obligation), []).append(check.text)

    def fail_regressed(item: Item, ob: ObligationResult) -> ObligationResult:
        texts = failing.get((item.id, ob.name))
        if not texts or ob.status == "failing":
            return ob
        more = plus_more(len(texts) - 1)
        return replace(ob, status="failing", hint=texts[0] + more)

    return map_obligations(results, fail_regressed) if failing else results


def _apply_baseline(
    results: tuple[ItemResult, ...], baseline: frozenset[str]
) -> tuple[tuple[ItemResult, ...], tuple[str, ...]]:
    """Tolerate the failing gaps the baseline lists; name the listed ones that closed.

    Closed means met: a gap of an item this run did not see, or one ``not-run``, ``out-of-scope``
    or waived, is not closed (a run that did not judge it cannot shrink the baseline).
    """
    closed: set[str] = set()

    def tolerate(item: Item, ob: ObligationResult) -> ObligationResult:
        key = gap_key(item.id, ob.name)
        if key not in baseline:
            return ob
        if ob.status in FAILING_STATUSES:
            return replace(ob, baselined=True)
        if ob.status == "met":
            closed.add(key)
        return ob

    results = map_obligations(results, tolerate)
    return results, tuple(sorted(closed))


def _graduation(item: Item, tests: list[TestRecord], policy: Policy, contract: ContractResult | None) -> Graduation:
    promoted = replace(item, level=NEXT_LEVEL[item.level])
    # A collected test ran nothing: a static audit never calls an item ready for the next level.
    tests = [replace(t, outcome="not-run") if t.outcome == "collected" else t for t in tests]
    return Graduation(item, promoted.level, _item_result(promoted, tests, policy, contract).obligations)


def _item_result(
    item: Item,
    tests: list[TestRecord],
    policy: Policy,
    contract: ContractResult | None,
    seen_only: bool = False,
    static: bool = False,
) -> ItemResult:
    obligations = []
    # An API that is gone owes only the promise that it did not vanish unannounced.
    owed = ("compat",) if item.declared == "removed" else policy.obligations(item.kind, item.level)
    for name in owed:
        result = _check(item, name, tests, policy, seen_only, static)
        if name == "compat" and contract is not None:
            result = with_contract(result, contract)
        obligations.append(result)
    return ItemResult(item, tuple(obligations), contract)


def with_contract(tests: ObligationResult, contract: ContractResult) -> ObligationResult:
    """``compat`` is met by a passing compat test or by a contract that holds.

    A failing compat test still fails; a broken contract fails even when tests pass.
    """
    if contract.state == "broken":
        # A report edited by hand may say "broken" without naming the change.
        first = next((c.text for c in contract.changes if c.breaking), "a breaking change")
        ahead = f"{contract.window} ahead" if contract.window else "a month ahead"
        hint = f"{first} without a valid notice ({contract.notice}); restore it or publish a notice {ahead}"
        return ObligationResult(tests.name, "failing", tests.tests, hint)
    if contract.state == "unimportable":
        return ObligationResult(tests.name, "failing", tests.tests, f"fix the target: {contract.error}")
    if tests.status == "failing" or contract.state != "holds":
        if contract.state == "no-baseline" and tests.status != "met":
            hint = f"{tests.hint}, or record its contract with --neuron-update-contracts"
            return ObligationResult(tests.name, tests.status, tests.tests, hint)
        return tests
    return ObligationResult(tests.name, "met", tests.tests)


def _check(
    item: Item, obligation: str, tests: list[TestRecord], policy: Policy, seen_only: bool = False, static: bool = False
) -> ObligationResult:
    """``seen_only``: in a run that saw part of the suite, a part of ``standard`` none of whose tests
    was collected does not hide the parts it saw (a skipped one still fails); all seen and met, the
    obligation is ``missing`` for the partial-run rules to judge, never ``met``. ``static``: see :func:`status_of`."""
    if obligation == "basic":
        return _result(item, obligation, tests, policy, None, static)
    if obligation == "standard":
        parts = {c: _result(item, obligation, _of(tests, c), policy, c, static) for c in policy.standard_suite}
        status = worst(p.status for p in parts.values())
        seen = [p.status for p in parts.values() if p.status != "missing"]
        if seen_only and seen and status == "missing":
            status = worst(seen)
            status = "missing" if status in ("met", "waived") else status
        hints = [f"[{c}] {p.hint}" for c, p in parts.items() if p.status == status and p.hint]
        nodeids = tuple(sorted({n for p in parts.values() for n in p.tests}))
        metrics = tuple(m for p in parts.values() for m in p.metrics)
        outside = tuple(dict.fromkeys(s for p in parts.values() for s in p.outside))
        return ObligationResult(obligation, status, nodeids, "; ".join(hints), metrics=metrics, outside=outside)
    return _result(item, obligation, _of(tests, obligation), policy, obligation, static)


def _of(tests: list[TestRecord], category: str) -> list[TestRecord]:
    return [t for t in tests if category in t.categories]


def _result(
    item: Item, obligation: str, tests: list[TestRecord], policy: Policy, category: str | None, static: bool = False
) -> ObligationResult:
    if category in policy.measured:  # a benchmark pytest-benchmark did not time here did not run here
        tests = partial.untimed_off(tests)
    elif len(tests) == 1 and tests[0].outcome == "passed" and not tests[0].measured.metrics and not tests[0].source:
        # Most items of a large inventory: one passing test that measured nothing (what follows concludes the same).
        return ObligationResult(obligation, "met", (tests[0].nodeid,))
    status = status_of([t.outcome for t in tests], static)
    # Fields, not the records' properties: this runs once per obligation over all of its tests.
    measured = [t for t in tests if t.outcome == "passed" and t.measured.metrics]
    metrics = tuple(m for t in measured for m in t.measured.metrics)
    sources = [t.source for t in tests if t.source]
    outside = tuple(dict.fromkeys(sources)) if sources else ()
    broken = next(((t, m) for t in measured for m in t.measured.metrics if m.bound_problem()), None)
    if broken is not None and status == "met":
        # A rerun that passed, or a test that caught the failure: the number still broke its bound.
        hint = f"{broken[1].bound_problem()} in {who(broken[0])}, although the test passed; fix the value, not the test"
        nodeids = tuple(t.nodeid for t in tests)
        return ObligationResult(obligation, "failing", nodeids, hint, metrics=metrics, outside=outside)
    nodeids = tuple([t.nodeid for t in tests])
    if status == "met" and category in policy.measured and not metrics:
        if any(t.outcome == "passed" for t in tests):
            status = "unmeasured"
        else:  # only collected (a static audit or a merged one): nothing ran; never met, never failing
            hint = f"{nodeids[0]} was only collected (static audit), never run: run it to measure {obligation}"
            return ObligationResult(obligation, "not-run", nodeids, hint, outside=outside)
    hint = gap_hint(item, status, tests, policy, category, obligation)
    return ObligationResult(obligation, status, nodeids, hint, metrics=metrics, outside=outside)
