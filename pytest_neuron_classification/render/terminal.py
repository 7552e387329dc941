"""The audit as text: the terminal summary, and the phrases every report shares.

The plugin prints these lines under pytest's terminal summary and ``merge`` prints them
on stdout; the Markdown report reuses the verdict and the contract and graduation lines.
"""

from __future__ import annotations

from typing import NamedTuple

from pytest_neuron_classification.core.lifecycle import LifecycleChange
from pytest_neuron_classification.core.text import agree, clip, count, plus_more, shortlist, visible
from pytest_neuron_classification.core.verdict import Audit, Gap, ItemResult, ObligationResult

#: The widest item label the summary table shows; longer ones are cut, so one long name
#: does not pad every other line. The JSON and Markdown reports keep the whole name.
LABEL_WIDTH = 60


#: What the summary adds to the label of an item the inventory does not list as it is.
_DECLARED = {
    "unlisted": " (unlisted, treated as Stable)",
    "removed": " (gone since the contracts were recorded)",
}


def item_label(item_result: ItemResult) -> str:
    item = item_result.item
    since = f" since {item.since}" if item.since else ""
    unlisted = _DECLARED.get(item.declared, "")
    label = clip(visible(item.label), LABEL_WIDTH)  # escaped before it is measured: the columns stay aligned
    return f"{label}{since}{unlisted}"


#: How many measurements an obligation shows inline before ``+N more``.
_SHOWN_METRICS = 3


def measurements(ob: ObligationResult) -> str:
    """`` (throughput 1520 samples/s >= 1400)``: what the obligation's passing tests measured.

    An obligation that rests on results recorded outside pytest names their scripts too
    (``; outside: scripts/run_llama_convergence.sh``): a reader must know it was not a test.
    """
    parts = []
    if ob.metrics:
        shown = ", ".join(m.describe() for m in ob.metrics[:_SHOWN_METRICS])
        more = len(ob.metrics) - _SHOWN_METRICS
        parts.append(f"{shown}{f', +{more} more' if more > 0 else ''}")
    if ob.outside:
        parts.append(f"outside: {', '.join(ob.outside)}")
    return f" ({'; '.join(parts)})" if parts else ""


def gap_subject(gap: Gap) -> str:
    item, ob = gap.item, gap.obligation
    return f"{item.subject}: {ob.name} {ob.status}"


def gap_line(gap: Gap) -> str:
    hint = gap.obligation.hint
    baselined = " (in the baseline)" if gap.obligation.baselined else ""
    return gap_subject(gap) + baselined + (f" -> {hint}" if hint else "")


#: Past this many items, a summary without ``-v`` lists only the items with something to say and
#: counts the others, as pytest prints a dot for a passing test (and the HTML page draws them later).
LIST_ALL_UP_TO = 500


def plainly_met(result: ItemResult) -> bool:
    """Every obligation met, with no measurement, result from outside pytest or hint to show."""
    return all(o.is_met and not o.metrics and not o.outside and not o.hint for o in result.obligations)


def terminal_lines(audit: Audit, verbose: bool = True) -> list[str]:
    """The summary section: items per level, then every gap, then any errors.

    Not ``verbose`` (pytest without ``-v``), a partial run leaves out the notes every partial run
    would print (recorded items it did not see): they change no conclusion of this run; and past
    :data:`LIST_ALL_UP_TO` items, the items :func:`plainly_met` are counted per level, not listed.
    """
    lines = []
    if audit.mode == "collect":
        lines.append("static audit (--collect-only): a collected test counts as evidence, nothing ran")
    elif audit.static:
        lines.append(static_note(audit))
    compact = not verbose and len(audit.in_scope) > LIST_ALL_UP_TO
    listed = [r for r in audit.in_scope if not (compact and plainly_met(r))]
    labels = {id(r): item_label(r) for r in listed}  # each worked out once: 20,000 items cost
    width = max(map(len, labels.values()), default=0)
    for level, results in audit.by_level():
        if not results:
            continue
        obligations = [o for r in results for o in r.obligations]
        met = sum(1 for o in obligations if o.is_met)
        lines.append(f"{level}: {count(len(results), 'item')}, {met} of {len(obligations)} obligations met")
        quiet = sum(1 for r in results if id(r) not in labels)
        for r in results:
            if id(r) not in labels:
                continue
            state = ", ".join(f"{o.name} {o.status}{_why(audit, r, o)}" for o in r.obligations)
            lines.append(f"  {r.item.kind:<8} {labels[id(r)]:<{width}}  {state}")
        if quiet:
            lines.append(f"  +{count(quiet, 'item')} with every obligation met (-v lists them)")
    lines.extend(out_of_scope_lines(audit))
    lines.extend(contract_lines(audit))
    lines.extend(lifecycle_lines(audit))
    lines.extend(metric_lines(audit))
    gaps = audit.gaps
    if gaps:
        lines.append(f"gaps: {len(gaps)} ({len(audit.failing_gaps)} break a promise)")
        lines.extend(f"  {gap_line(g)}" for g in gaps)
    if audit.errors:
        lines.append(f"errors: {len(audit.errors)}")
        lines.extend(f"  {e}" for e in audit.errors)
    lines.extend(audit.incomplete)  # each names what the merge lacks, in one line of its own
    lines.extend(graduation_lines(audit))
    if audit.baseline_closed:
        lines.append(
            f"baseline: {count(len(audit.baseline_closed), 'recorded gap')} now closed "
            f"({', '.join(audit.baseline_closed)}); shrink it with --neuron-update-baseline"
        )
    lines.extend(f"failed by a pytest_neuron_audit hook: {v}" for v in audit.vetoes)
    notes = audit.all_notes if verbose or not audit.partial else audit.notes
    lines.extend(f"note: {n}" for n in notes)
    return [visible(line) for line in lines]  # user text (names, hook messages) shown, not obeyed


class Section(NamedTuple):
    """What the plugin prints under pytest's terminal summary: the lines, and the verdict line and its colour."""

    lines: list[str]
    verdict: str
    red: bool
    yellow: bool


def terminal_section(audit: Audit, verbose: bool) -> Section | None:
    """The section of ``audit``, or None when it shows none (nothing classified, or enforcement all off)."""
    if set(audit.enforce.values()) == {"off"} or audit.is_empty:
        return None
    red = audit.fails_run
    lines = terminal_lines(audit, verbose)
    return Section(lines, f"neuron-classification: {verdict(audit)}", red, bool(audit.failing_gaps) and not red)


def _why(audit: Audit, result: ItemResult, ob: ObligationResult) -> str:
    """What the obligation measured; for one failing against the metric baseline (a regression), why."""
    if ob.status == "failing" and ob.hint and audit.checks:
        item_id = result.item.id
        check = next((c for c in audit.checks if c.fails and (c.item_id, c.obligation) == (item_id, ob.name)), None)
        if check is not None and ob.hint.startswith(check.text):
            return f" (metric baseline: {ob.hint})"
    return measurements(ob)


#: How many out-of-scope items the summary names before ``+N more`` (the JSON report has them all).
_SHOWN_OUT_OF_SCOPE = 5


def out_of_scope_lines(audit: Audit) -> list[str]:
    """Under ``--neuron-scope=collected``: the items left unjudged, in one line."""
    items = audit.out_of_scope
    if not items:
        return []
    names = shortlist([r.item.label for r in items], _SHOWN_OUT_OF_SCOPE)
    return [f"out-of-scope: {count(len(items), 'inventory item')} no collected test covers: {names}"]


def scope_note(audit: Audit) -> str:
    """What a ``--neuron-scope=collected`` verdict leaves out, so nobody takes it for the full gate."""
    if audit.scope != "collected":
        return ""
    n = len(audit.out_of_scope)
    whole = {id(r) for r in audit.out_of_scope}
    parts = sum(1 for r in audit.items if id(r) not in whole for o in r.obligations if o.status == "out-of-scope")
    also = f" and {count(parts, 'obligation')} of judged items" if parts else ""
    return f" [scope=collected: {count(n, 'item')}{also} out of scope; merge every job's report for the full audit]"


def graduation_lines(audit: Audit) -> list[str]:
    """With --neuron-graduation: what each Alpha and Beta item lacks to move up a level."""
    if audit.graduation is None:
        return []
    lines = ["graduation (on this run's evidence):"]
    for g in audit.graduation:
        # "not ready" first: an item that lacks something must not read as one that is ready.
        lacking = ", ".join(f"{o.name} {o.status}" for o in g.lacking)
        verdict_text = f"not ready for {g.to_level}: {lacking}" if lacking else f"ready for {g.to_level}"
        lines.append(f"  {g.item.kind} {g.item.label} ({g.item.level}): {verdict_text}")
    if not audit.graduation:
        lines.append("  no Alpha or Beta items")
    return lines


_CONTRACT_STATES = {
    "holds": "contract holds",
    "broken": "contract broken",
    "changed": "changed (allowed below Stable)",
    "no-baseline": "no baseline recorded (run with --neuron-update-contracts)",
    "unimportable": "cannot be checked",
}


def contract_lines(audit: Audit) -> list[str]:
    """The API contract section: every API whose contract changed or cannot be checked."""
    shown = [r for r in audit.items if r.contract and (r.contract.changes or r.contract.state != "holds")]
    if not shown:
        return []
    lines = ["API contracts:"]
    for r in shown:
        c = r.contract
        assert c is not None
        lines.append(f"  {r.item.level} api {r.item.label} ({c.target}): {_CONTRACT_STATES[c.state]}")
        lines.extend(f"    {'breaking' if ch.breaking else 'additive'}: {ch.text}" for ch in c.changes)
        lines.extend(f"    {label}: {text}" for label, text in (("notice", c.notice), ("error", c.error)) if text)
    return lines


def static_note(audit: Audit) -> str:
    """What a merge with static (``--collect-only``) inputs must not be taken for."""
    names = shortlist(list(audit.static), 3)
    return f"static input ({names}, --collect-only): its collected tests ran nothing and meet no obligation"


def verdict(audit: Audit) -> str:
    """The one line that says whether, and why, the audit fails the run (and in what scope)."""
    static = f" [{static_note(audit)}]" if audit.static and audit.mode != "collect" else ""
    return visible(_verdict(audit) + scope_note(audit) + static + partial_note(audit))


def partial_note(audit: Audit) -> str:
    """A merge whose reports leave classified tests of the collection unlisted never passes silently:
    `` [selection is partial: ...]`` (unless a line of what it lacks is the verdict already)."""
    unlisted = audit.completeness.unlisted if audit.completeness is not None else 0
    if not unlisted or audit.incomplete:
        return ""
    return f" [selection is partial: {count(unlisted, 'classified test')} of the collection in no report]"


def _verdict(audit: Audit) -> str:
    failing = audit.failing_gaps
    if audit.problems:
        more = f" (+{len(audit.problems) - 1} more)" if len(audit.problems) > 1 else ""
        return f"FAILED: {audit.problems[0]}{more}"
    if audit.vetoes:
        return f"FAILED: {audit.vetoes[0]} (from a pytest_neuron_audit hook)"
    if audit.errors:
        n = len(audit.errors)
        return f"FAILED: {count(n, 'test')} with invalid classification (see errors above)"
    if audit.interrupted:
        return f"INTERRUPTED ({audit.interrupted}): only what ran before is judged, so nothing is passed"
    if audit.lost:
        lost = f"no evidence from {', '.join(audit.lost)}: the audit cannot tell whether every promise is kept"
        return f"FAILED: {lost}" if audit.fails_run else f"{lost}; not failing the run ({enforce_words(audit)})"
    if audit.incomplete:
        first = audit.incomplete[0] + plus_more(len(audit.incomplete) - 1)
        return f"FAILED: {first}" if audit.fails_run else f"{first}; not failing the run ({enforce_words(audit)})"
    if not failing and not audit.broken_changes:
        return _kept(audit)
    enforced, changes = audit.enforced_gaps, audit.enforced_changes
    if enforced or changes:
        if len(set(audit.enforce.values())) > 1:
            return f"FAILED ({enforce_words(audit)}): {_broken(enforced, changes)}"
        return f"FAILED under {enforce_words(audit)}: {_broken(enforced, changes)}"
    return f"{_broken(failing, audit.broken_changes)}; not failing the run ({enforce_words(audit)})"


def enforce_words(audit: Audit) -> str:
    """``enforce=error`` when every level agrees, else ``enforce: stable=error, beta=error, alpha=warn``."""
    label = audit.enforce_label
    return f"enforce: {label}" if len(set(audit.enforce.values())) > 1 else f"enforce={label}"


def _kept(audit: Audit) -> str:
    """The verdict of an audit no gap fails: what was met, and each kind of gap it only tolerates, apart."""
    judged = [o for r in audit.items for o in r.obligations if o.status != "out-of-scope"]
    if not judged:
        return "nothing was verified: no item in this run has an obligation to judge"
    met = sum(1 for o in judged if o.is_met)
    counts = [
        (sum(1 for o in judged if o.baselined), "accepted by the gap baseline"),
        (sum(1 for o in judged if o.status == "waived"), "waived"),
        (sum(1 for o in judged if o.status == "not-run"), "not run in this selection"),
    ]
    tail = ", ".join(f"{n} {what}" for n, what in counts if n)
    if not met:
        return f"nothing was verified: none of the {count(len(judged), 'obligation')} was met ({tail})"
    if met == len(judged):
        return f"all {met} obligations met"
    return f"{met} of {count(len(judged), 'obligation')} met, {tail}"


def _broken(gaps: list[Gap], changes: list[LifecycleChange]) -> str:
    parts = []
    for n, noun, first in (
        (len(gaps), "gap", gaps and gap_subject(gaps[0])),
        (len(changes), "lifecycle finding", changes and changes[0].text),
    ):
        if n:
            more = f" (first: {first}" + (f"; +{n - 1} more)" if n > 1 else ")")
            parts.append(f"{count(n, noun)} {agree(n, 'break')} a promise{more}")
    return "; ".join(parts)


def lifecycle_lines(audit: Audit) -> list[str]:
    """How the classification changed since it was recorded, breaking changes first."""
    if not audit.lifecycle:
        return []
    changes = sorted(audit.lifecycle, key=lambda c: not c.breaks)
    broken = len(audit.broken_changes)
    lines = [f"lifecycle: {count(len(changes), 'finding')} ({broken} {agree(broken, 'break')} a promise)"]
    return lines + [f"  {c.line}" for c in changes]


def metric_lines(audit: Audit) -> list[str]:
    """The metric baseline section: every measurement not within tolerance, then the trends."""
    lines: list[str] = []
    if audit.checks:
        items = {r.item.id: r.item for r in audit.items}
        within = sum(1 for c in audit.checks if c.state == "ok")
        # The header counts the lines below it by what each says: a measurement with nothing to
        # compare with (new, not comparable) is not called out of tolerance.
        listed: dict[str, int] = {}
        for check in audit.checks:
            if check.state not in ("ok", "no-direction"):
                listed[check.state] = listed.get(check.state, 0) + 1
        label = {"noise": "within the noise"}
        states = ", ".join(f"{n} {label.get(state, state.replace('-', ' '))}" for state, n in listed.items())
        header = (
            f"{states}; {within} within tolerance" if listed else count(within, "measurement") + " within tolerance"
        )
        lines.append(f"metric baselines: {header}")
        for check in audit.checks:
            if check.state in ("ok", "no-direction"):
                continue  # shown beside their obligation already
            item = items.get(check.item_id)
            who = item.subject if item else check.item_id
            unjudged = check.state == "regressed" and not check.fails
            lines.append(f"  {who}: {check.text}" + (" (reported, not failing at this level)" if unjudged else ""))
    if audit.trends:
        lines.append("trends (oldest to newest):")
        lines.extend(f"  {t}" for t in audit.trends)
    return lines
