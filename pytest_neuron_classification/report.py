"""Rendering an :class:`~.audit.Audit`: terminal lines and the versioned JSON report.

The JSON report carries everything the audit was computed from (items, tests, policy),
so a later step can recompute the audit from reports alone.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from . import __version__
from .audit import Audit, Gap, Graduation, ItemResult

SCHEMA = "pytest-neuron-classification/1"


def count(n: int, noun: str) -> str:
    """``1 gap``, ``2 gaps``: the one place that pluralises the summary's nouns."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def item_label(item_result: ItemResult) -> str:
    item = item_result.item
    since = f" since {item.since}" if item.since else ""
    unlisted = " (unlisted, treated as Stable)" if item.declared == "unlisted" else ""
    return f"{item.label}{since}{unlisted}"


def gap_subject(gap: Gap) -> str:
    item, ob = gap.item, gap.obligation
    return f"{item.level} {item.kind} {item.label}: {ob.name} {ob.status}"


def gap_line(gap: Gap) -> str:
    hint = gap.obligation.hint
    baselined = " (in the baseline)" if gap.obligation.baselined else ""
    return gap_subject(gap) + baselined + (f" -> {hint}" if hint else "")


def terminal_lines(audit: Audit) -> list[str]:
    """The summary section: items per level, then every gap, then any errors."""
    lines = []
    if audit.mode == "collect":
        lines.append("static audit (--collect-only): a collected test counts as evidence, nothing ran")
    width = max((len(item_label(r)) for r in audit.items), default=0)
    for level, results in audit.by_level():
        if not results:
            continue
        obligations = [o for r in results for o in r.obligations]
        met = sum(1 for o in obligations if not o.is_gap)
        lines.append(f"{level}: {count(len(results), 'item')}, {met} of {len(obligations)} obligations met")
        for r in results:
            state = ", ".join(f"{o.name} {o.status}" for o in r.obligations)
            lines.append(f"  {r.item.kind:<8} {item_label(r):<{width}}  {state}")
    lines.extend(contract_lines(audit))
    gaps = audit.gaps
    if gaps:
        lines.append(f"gaps: {len(gaps)} ({len(audit.failing_gaps)} break a promise)")
        lines.extend(f"  {gap_line(g)}" for g in gaps)
    if audit.errors:
        lines.append(f"errors: {len(audit.errors)}")
        lines.extend(f"  {e}" for e in audit.errors)
    lines.extend(graduation_lines(audit))
    if audit.baseline_closed:
        lines.append(
            f"baseline: {len(audit.baseline_closed)} recorded gap(s) now closed "
            f"({', '.join(audit.baseline_closed)}); shrink it with --neuron-update-baseline"
        )
    lines.extend(f"failed by a pytest_neuron_audit hook: {v}" for v in audit.vetoes)
    lines.extend(f"note: {n}" for n in audit.notes)
    return lines


def graduation_lines(audit: Audit) -> list[str]:
    """With --neuron-graduation: what each Alpha and Beta item lacks to move up a level."""
    if audit.graduation is None:
        return []
    lines = ["graduation (on this run's evidence):"]
    for g in audit.graduation:
        lacking = ", ".join(f"{o.name} ({o.status})" for o in g.lacking)
        verdict_text = f"ready for {g.to_level} except {lacking}" if lacking else f"ready for {g.to_level}"
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


def verdict(audit: Audit) -> str:
    """The one line that says whether, and why, the audit fails the run."""
    failing = audit.failing_gaps
    if audit.vetoes:
        return f"FAILED: {audit.vetoes[0]} (from a pytest_neuron_audit hook)"
    if audit.errors:
        n = len(audit.errors)
        return f"FAILED: {count(n, 'test')} with invalid classification (see errors above)"
    if not failing:
        counts = [
            (sum(1 for g in audit.gaps if g.obligation.status == "waived"), "waived"),
            (sum(1 for g in audit.gaps if g.obligation.baselined), "in the baseline"),
            (sum(1 for g in audit.gaps if g.obligation.status == "not-run"), "not run in this selection"),
        ]
        tail = ", ".join(f"{n} {what}" for n, what in counts if n)
        return f"all {sum(len(r.obligations) for r in audit.items)} obligations kept" + (f" ({tail})" if tail else "")
    enforced = audit.enforced_gaps
    if enforced:
        return f"FAILED under enforce={audit.enforce_label}: {_broken(enforced)}"
    return f"{_broken(failing)}; not failing the run (enforce={audit.enforce_label})"


def _broken(gaps: list[Gap]) -> str:
    n = len(gaps)
    more = f" (first: {gap_subject(gaps[0])}" + (f"; +{n - 1} more)" if n > 1 else ")")
    return f"{count(n, 'gap')} break{'s' if n == 1 else ''} a promise{more}"


def to_json(audit: Audit) -> dict[str, Any]:
    """The report as the documented, versioned JSON document."""
    statuses: dict[str, int] = {}
    for result in audit.items:
        for ob in result.obligations:
            statuses[ob.status] = statuses.get(ob.status, 0) + 1
    return {
        "schema": SCHEMA,
        "plugin_version": __version__,
        "mode": audit.mode,
        "enforce": audit.enforce_label if len(set(audit.enforce.values())) == 1 else "per-level",
        "enforce_levels": dict(audit.enforce),
        "passed": not audit.fails_run,
        "policy": {
            "standard-suite": list(audit.policy.standard_suite),
            "categories": {c: sorted(n) for c, n in audit.policy.category_names.items()},
            "obligations": [
                {"kind": kind, "level": level, "obligations": list(obs)}
                for (kind, level), obs in audit.policy.obligation_table.items()
            ],
        },
        "summary": {
            "items": len(audit.items),
            "obligations": sum(statuses.values()),
            "statuses": dict(sorted(statuses.items())),
            "gaps": len(audit.gaps),
            "failing_gaps": len(audit.failing_gaps),
        },
        "items": [
            {
                **r.item.to_dict(),
                "obligations": [
                    {"name": o.name, "status": o.status, "tests": list(o.tests), "hint": o.hint}
                    | ({"baselined": True} if o.baselined else {})
                    for o in r.obligations
                ],
                **({"contract": r.contract.to_dict()} if r.contract else {}),
            }
            for r in audit.items
        ],
        "tests": [t.to_dict() for t in audit.tests],
        "errors": list(audit.errors),
        "notes": list(audit.notes),
        "vetoes": list(audit.vetoes),
        "baseline_closed": list(audit.baseline_closed),
        "waivers": [w.to_dict() for w in audit.waivers],
        **({"graduation": [_graduation_json(g) for g in audit.graduation]} if audit.graduation is not None else {}),
    }


def _graduation_json(g: Graduation) -> dict[str, Any]:
    return {
        "id": g.item.id,
        "from": g.item.level,
        "to": g.to_level,
        "ready": not g.lacking,
        "obligations": [{"name": o.name, "status": o.status, "hint": o.hint} for o in g.obligations],
    }


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` so that readers see the old file or the whole new one, never half.

    Raises :class:`OSError` for the caller to turn into one clear message.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp's 0600 would hide CI artifacts
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def dump_json(audit: Audit) -> str:
    return json.dumps(to_json(audit), indent=2) + "\n"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def to_markdown(audit: Audit) -> str:
    """The audit for a CI job summary: a table per level, then the gaps."""
    lines = ["## Neuron software classification", ""]
    if audit.mode == "collect":
        lines += ["_Static audit (`--collect-only`): a collected test counts as evidence; nothing ran._", ""]
    mark = ":x:" if audit.fails_run else (":warning:" if audit.failing_gaps else ":white_check_mark:")
    if audit.baseline_closed:
        lines += [f"_{len(audit.baseline_closed)} gap(s) in the baseline are closed: shrink it._", ""]
    lines += [f"{mark} {_cell(verdict(audit))}", ""]
    lines += ["| level | items | obligations met | gaps |", "|---|---:|---:|---:|"]
    for level, results in audit.by_level():
        if results:
            obligations = [o for r in results for o in r.obligations]
            met = sum(1 for o in obligations if not o.is_gap)
            lines.append(f"| {level} | {len(results)} | {met} of {len(obligations)} | {len(obligations) - met} |")
    lines += ["", "| level | kind | item | since | obligations |", "|---|---|---|---|---|"]
    for r in audit.items:
        state = ", ".join(f"{o.name} **{o.status}**" if o.is_gap else f"{o.name} {o.status}" for o in r.obligations)
        item = r.item
        lines.append(f"| {item.level} | {item.kind} | {_cell(item.label)} | {item.since or ''} | {state} |")
    gaps = audit.gaps
    if gaps:
        lines += ["", f"### Gaps ({len(gaps)})", "", "| level | kind | item | obligation | status | to close it |"]
        lines.append("|---|---|---|---|---|---|")
        for g in gaps:
            i, o = g.item, g.obligation
            lines.append(f"| {i.level} | {i.kind} | {_cell(i.label)} | {o.name} | {o.status} | {_cell(o.hint)} |")
    contracts = contract_lines(audit)
    if contracts:
        lines += ["", "### API contracts", "", "```", *contracts[1:], "```"]
    promotions = graduation_lines(audit)
    if promotions:
        lines += ["", "### Graduation", ""] + [f"- {_cell(line.strip())}" for line in promotions[1:]]
    if audit.vetoes:
        lines += ["", "### Failed by hooks", ""] + [f"- {_cell(v)}" for v in audit.vetoes]
    for title, entries in (("Errors", audit.errors), ("Notes", audit.notes)):
        if entries:
            lines += ["", f"### {title}", ""] + [f"- {_cell(e)}" for e in entries]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


RENDERERS = {
    "--neuron-json": dump_json,
    "--neuron-markdown": to_markdown,
    "--json": dump_json,
    "--markdown": to_markdown,
}


def write_reports(audit: Audit, paths: dict[str, Path]) -> str | None:
    """Write each requested report (keyed by its option); the first failure, as one line."""
    for option, path in paths.items():
        try:
            write_atomic(path, RENDERERS[option](audit))
        except OSError as exc:
            return f"cannot write {option}={path}: {exc.strerror or exc}"
    return None
