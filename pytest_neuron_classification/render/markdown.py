"""The audit as Markdown, for a CI job summary (``--neuron-markdown``, ``merge --markdown``)."""

from __future__ import annotations

import re

from pytest_neuron_classification.core.metric import in_unit
from pytest_neuron_classification.core.text import count, visible
from pytest_neuron_classification.core.verdict import Audit
from pytest_neuron_classification.render.terminal import (
    contract_lines,
    graduation_lines,
    lifecycle_lines,
    measurements,
    metric_lines,
    out_of_scope_lines,
    verdict,
)
from pytest_neuron_classification.storage.report_file import MARKDOWN_START


def to_markdown(audit: Audit) -> str:
    """The audit for a CI job summary: a table per level, then the gaps."""
    lines = [MARKDOWN_START, ""]
    if audit.mode == "collect":
        lines += ["_Static audit (`--collect-only`): a collected test counts as evidence; nothing ran._", ""]
    warned = audit.failing_gaps or audit.broken_changes
    mark = ":x:" if audit.fails_run else (":warning:" if warned else ":white_check_mark:")
    if audit.baseline_closed:
        closed = len(audit.baseline_closed)
        lines += [f"_{count(closed, 'gap')} in the baseline {'is' if closed == 1 else 'are'} closed: shrink it._", ""]
    lines += [f"{mark} {_cell(verdict(audit))}", ""]
    lines += ["| level | items | obligations met | gaps |", "|---|---:|---:|---:|"]
    for level, results in audit.by_level():
        if results:
            obligations = [o for r in results for o in r.obligations]
            met = sum(1 for o in obligations if o.is_met)
            open_gaps = sum(1 for o in obligations if o.is_gap)
            lines.append(f"| {level} | {len(results)} | {met} of {len(obligations)} | {open_gaps} |")
    lines += [f"\n_{_cell(line)}_" for line in out_of_scope_lines(audit)]
    lines += ["", "| level | kind | item | since | obligations |", "|---|---|---|---|---|"]
    for r in audit.in_scope:
        state = ", ".join(
            f"{o.name} **{o.status}**{measurements(o)}" if o.is_gap else f"{o.name} {o.status}{measurements(o)}"
            for o in r.obligations
        )
        item = r.item
        lines.append(
            f"| {item.level} | {item.kind} | {_cell(item.label)} | {_cell(item.since or '')} | {_cell(state)} |"
        )
    gaps = audit.gaps
    if gaps:
        lines += ["", f"### Gaps ({len(gaps)})", "", "| level | kind | item | obligation | status | to close it |"]
        lines.append("|---|---|---|---|---|---|")
        for g in gaps:
            i, o = g.item, g.obligation
            lines.append(
                f"| {i.level} | {i.kind} | {_cell(i.label)} | {_cell(o.name)} | {o.status} | {_cell(o.hint)} |"
            )
    lines += _measurement_table(audit)
    baselines = metric_lines(audit)
    if baselines:
        lines += ["", "### Performance and accuracy baselines", "", "```", *map(_fenced, baselines), "```"]
    contracts = contract_lines(audit)
    if contracts:
        lines += ["", "### API contracts", "", "```", *map(_fenced, contracts[1:]), "```"]
    changes = lifecycle_lines(audit)
    if changes:
        lines += ["", "### Classification over time", "", f"_{changes[0]}_", ""]
        lines += [f"- {_cell(line.strip())}" for line in changes[1:]]
    promotions = graduation_lines(audit)
    if promotions:
        lines += ["", "### Graduation", ""] + [f"- {_cell(line.strip())}" for line in promotions[1:]]
    if audit.vetoes:
        lines += ["", "### Failed by hooks", ""] + [f"- {_cell(v)}" for v in audit.vetoes]
    # A merge's missing shards and tests no job ran: each one line, as on the terminal (the verdict names the first).
    sections = (
        ("Completeness", audit.incomplete),
        ("Errors", (*audit.errors, *audit.problems)),
        ("Notes", audit.all_notes),
    )
    for title, entries in sections:
        if entries:
            lines += ["", f"### {title}", ""] + [f"- {_cell(e)}" for e in entries]
    return "\n".join(lines) + "\n"


_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")


def _cell(text: str) -> str:
    """Text from user code (names, hints, messages) as inert Markdown on one line: a ``|`` would end
    the table cell, raw HTML (``<b>``, ``<script>``, ``<!--``) would render. Only a ``<`` before a letter,
    ``/``, ``!`` or ``?`` can open a tag, so only that one is escaped: ``<=`` and ``->`` stay as written.
    A character that would act rather than show (a right-to-left override) is written as :func:`visible` does."""
    text = _TAG_OPEN.sub("&lt;", visible(text))
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _fenced(line: str) -> str:
    """A line inside a code fence: a line of three backticks of the user's would close the fence early."""
    return visible(line).replace("```", "`\u200b``")


def _measurement_table(audit: Audit) -> list[str]:
    """Every measurement of the run, with the test that took it."""
    rows = [(t, m) for t in audit.tests for m in t.metrics]
    if not rows:
        return []
    lines = [
        "",
        f"### Measurements ({len(rows)})",
        "",
        "| test | metric | value | bound | source |",
        "|---|---|---|---|---|",
    ]
    for test, m in rows:
        value = m.shown()
        if m.spread is not None:  # a distribution: its median, then how noisy it was (in the same unit)
            value += f" (IQR {in_unit(m.spread, m.unit, m.value)[0]}, {m.rounds} samples)"
        lines.append(f"| {_cell(test.nodeid)} | {_cell(m.name)} | {_cell(value)} | {m.bound()} | {m.source} |")
    return lines
