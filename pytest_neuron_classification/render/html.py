"""The audit as one self-contained HTML page (``--neuron-html``, ``merge --html``), for a release review.

One file with its CSS, JavaScript and SVG inline: it opens from a CI artifact and fetches nothing.
The overview comes first (per level, the broken promises with their fixes, the verdict), then every
item, collapsed (``<details>``) so that a 60,000-test audit stays a few MB, then the metric trends
(:mod:`.svg`). Past 500 items the quiet ones (every obligation met, nothing else) are data the
script draws on demand (:mod:`.item_data`), counted in words; everything else is in the HTML
itself, so the page reads with JavaScript off. A status is told by text and a symbol, never by colour alone, and everything
taken from the run (node ids, item names, messages) is escaped. Pure: no pytest, no I/O.
"""

from __future__ import annotations

import datetime
from html import escape
from typing import Iterable, Mapping, Sequence

from pytest_neuron_classification import __version__
from pytest_neuron_classification.core.adoption import Waiver
from pytest_neuron_classification.core.metric import Metric, MetricCheck
from pytest_neuron_classification.core.test_record import TestRecord
from pytest_neuron_classification.core.text import count
from pytest_neuron_classification.core.verdict import Audit, Graduation, ItemResult, ObligationResult
from pytest_neuron_classification.render.assets import SCRIPT, STYLE
from pytest_neuron_classification.render.item_data import DRAW_ALL_UP_TO, is_quiet, pack
from pytest_neuron_classification.render.page import PageContext
from pytest_neuron_classification.render.svg import trend_section
from pytest_neuron_classification.render.terminal import out_of_scope_lines, verdict
from pytest_neuron_classification.storage.report_file import HTML_START

#: The symbol shown beside each status: broken promises share one, so do statuses that judge nothing.
SYMBOLS = {
    "met": "✔",
    "waived": "◌",
    "not-run": "○",
    "out-of-scope": "⊘",
    "skipped": "✘",
    "unmeasured": "✘",
    "missing": "✘",
    "failing": "✘",
    "passed": "✔",
    "failed": "✘",
    "error": "✘",
    "xfailed": "○",
    "collected": "●",
}


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def status(name: str, extra: str = "") -> str:
    """``✘ missing``: the symbol and the word, in a span the stylesheet colours."""
    return f'<span class="s s-{_e(name)}">{SYMBOLS.get(name, "•")} {_e(name)}{_e(extra)}</span>'


def mode_label(audit: Audit, merged: bool) -> str:
    """``run``, ``static``, ``partial``, ``merged``: how much of the suite the audit saw, in words."""
    words = ["merged"] if merged else ["static" if audit.mode == "collect" else "run"]
    if merged and audit.mode == "collect":
        words.append("static")
    if audit.partial or audit.scope == "collected" or audit.interrupted or audit.lost:
        words.append("partial")
    return ", ".join(words)


def to_html(audit: Audit, page: PageContext | None = None, draw_all_up_to: int = DRAW_ALL_UP_TO) -> str:
    """The whole page; past ``draw_all_up_to`` items the quiet ones are data the script draws (:mod:`.item_data`)."""
    page = page or PageContext()
    generated = page.generated or datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    tests = _tests_by_item(audit.tests)
    parts = [
        HTML_START + "\n",
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        # Nothing may be fetched: no network, no inline-script surprises from the data.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; img-src data:\">\n",
        "<title>Neuron software classification</title>\n",
        f"<style>{STYLE}</style>\n</head>\n<body>\n",
        *_header(audit, page, generated),
        '<nav aria-label="sections"><a href="#overview">Overview</a> <a href="#broken">Broken promises</a> '
        '<a href="#items">Items</a>' + (' <a href="#trends">Metric trends</a>' if page.history else "") + "</nav>\n",
        "<main>\n",
        *_overview(audit),
        *_broken(audit),
        *_items(audit, tests, draw_all_up_to),
        *trend_section(audit, page.history, page.baseline, page.tolerances),
        *_other(audit),
        f"</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
    ]
    return "".join(parts)


def _tests_by_item(records: Iterable[TestRecord]) -> dict[str, list[TestRecord]]:
    by_item: dict[str, list[TestRecord]] = {}
    for test in records:
        for item_id in test.item_ids:
            by_item.setdefault(item_id, []).append(test)
    return by_item


def _header(audit: Audit, page: PageContext, generated: str) -> list[str]:
    state = "fail" if audit.fails_run else "warn" if not audit.passed or audit.failing_gaps else "ok"
    symbol = {"fail": "✘", "warn": "⚠", "ok": "✔"}[state]
    envs = ", ".join(page.envs) if page.envs else "not recorded"
    facts = [
        ("Enforcement", audit.enforce_label),
        ("Mode", mode_label(audit, page.merged)),
        ("Environment", envs),
        ("Generated", f'<time datetime="{_e(generated)}">{_e(generated)}</time>'),
        ("Plugin", f"pytest-neuron-classification {_e(__version__)}"),
    ]
    rows = "".join(
        f"<div><dt>{k}</dt><dd>{v if k == 'Generated' or k == 'Plugin' else _e(v)}</dd></div>" for k, v in facts
    )
    static = "Static audit (--collect-only): a collected test counts as evidence; nothing ran."
    why = [
        f"<p>{_e(t)}</p>\n" for t in (static if audit.mode == "collect" else "", audit.interrupted, audit.partial) if t
    ]
    return [
        "<header>\n<h1>Neuron software classification</h1>\n",
        f'<p class="verdict v-{state}" id="verdict"><span aria-hidden="true">{symbol}</span> '
        f"<strong>Verdict:</strong> {_e(verdict(audit))}</p>\n",
        f'<dl class="facts">{rows}</dl>\n',
        *why,
        "</header>\n",
    ]


def _overview(audit: Audit) -> list[str]:
    out = [
        '<section id="overview">\n<h2>Overview</h2>\n<table>\n<thead><tr><th scope="col">level</th>',
        '<th scope="col">items</th><th scope="col">obligations met</th><th scope="col">gaps</th>',
        '<th scope="col">break a promise</th></tr></thead>\n<tbody>\n',
    ]
    for level, results in audit.by_level():
        if not results:
            continue
        obligations = [o for r in results for o in r.obligations]
        met = sum(1 for o in obligations if o.is_met)
        gaps = sum(1 for o in obligations if o.is_gap)
        broken = sum(1 for o in obligations if o.is_failing)
        out.append(
            f'<tr><th scope="row">{level}</th><td>{len(results)}</td><td>{met} of {len(obligations)}</td>'
            f"<td>{gaps}</td><td>{_broken_count(broken)}</td></tr>\n"
        )
    out.append("</tbody>\n</table>\n")
    out += [f"<p>{_e(line)}</p>\n" for line in out_of_scope_lines(audit)]
    return [*out, "</section>\n"]


def _broken_count(n: int) -> str:
    """``✘ 3 broken`` or ``✔ none``: a number in a column whose colour is never the only clue."""
    return f'<span class="s s-failing">✘ {n} broken</span>' if n else '<span class="s s-met">✔ none</span>'


def _broken(audit: Audit) -> list[str]:
    gaps, changes = audit.failing_gaps, audit.broken_changes
    total = len(gaps) + len(changes)
    out = [f'<section id="broken">\n<h2>Broken promises ({total})</h2>\n']
    if not total:
        return [*out, f"<p>{status('met', ': no gap or change breaks a promise')}</p>\n</section>\n"]
    index = {r.item.id: i for i, r in enumerate(audit.items)}
    if gaps:
        out.append('<table>\n<thead><tr><th scope="col">level</th><th scope="col">kind</th><th scope="col">item</th>')
        out.append(
            '<th scope="col">obligation</th><th scope="col">status</th><th scope="col">to fix it</th></tr></thead>\n<tbody>\n'
        )
        for g in gaps:
            i, o = g.item, g.obligation
            enforced = "" if audit.enforce[i.level] == "error" else f" (enforce={audit.enforce[i.level]})"
            out.append(
                f'<tr><td>{i.level}</td><td>{i.kind}</td><td><a href="#item-{index[i.id]}">{_e(i.label)}</a></td>'
                f"<td>{_e(o.name)}</td><td>{status(o.status, enforced)}</td><td>{_e(o.hint)}</td></tr>\n"
            )
        out.append("</tbody>\n</table>\n")
    if changes:
        out.append("<h3>Lifecycle findings that break a promise</h3>\n<ul>\n")
        out += [f"<li>{status('failing', ':')} {_e(c.text)}{_detail(c.detail)}</li>\n" for c in changes]
        out.append("</ul>\n")
    return [*out, "</section>\n"]


def _detail(detail: str) -> str:
    return f" → {_e(detail)}" if detail else ""


def _filter_buttons(name: str, label: str, values: Sequence[str]) -> str:
    buttons = "".join(
        f'<button type="button" data-filter="{name}" data-value="{_e(v)}" aria-pressed="{str(not v).lower()}">'
        f"{_e(v or 'all')}</button>"
        for v in ("", *values)
    )
    return f'<div role="group" aria-label="{label}"><span class="fl">{label}:</span> {buttons}</div>'


def _items(audit: Audit, tests: dict[str, list[TestRecord]], draw_all_up_to: int) -> list[str]:
    results = audit.items
    levels = list(dict.fromkeys(r.item.level for r in results))
    kinds = list(dict.fromkeys(r.item.kind for r in sorted(results, key=lambda r: r.item.kind)))
    found = {o.status for r in results for o in r.obligations}
    statuses = [s for s in SYMBOLS if s in found]
    waivers = {(w.item, w.obligation): w for w in audit.waivers}
    checks: dict[str, list[MetricCheck]] = {}
    for c in audit.checks:
        checks.setdefault(c.item_id, []).append(c)
    graduation = {g.item.id: g for g in audit.graduation or ()}
    quiet: list[tuple[int, ItemResult]] = []
    if len(results) > draw_all_up_to:
        busy = {*checks, *graduation, *(c.item_id for c in audit.lifecycle)}
        quiet = [(i, r) for i, r in enumerate(results) if is_quiet(r, tests.get(r.item.id, []), busy)]
    drawn = len(results) - len(quiet)
    out = [
        f'<section id="items">\n<h2>Items ({len(results)})</h2>\n',
        # Hidden until the script runs: without JavaScript every item shows, and no control pretends to work.
        '<form id="filters" hidden>',
        _filter_buttons("level", "Level", levels),
        _filter_buttons("kind", "Kind", kinds),
        _filter_buttons("status", "Status", statuses),
        '<div><label for="search" class="fl">Search:</label> <input type="search" id="search" '
        'placeholder="item, obligation or test id"></div>',
        f'<p id="shown" aria-live="polite">Showing {drawn} of {len(results)} items</p></form>\n',
    ]
    if quiet:
        out.append(
            f'<p id="quiet">{status("met", ":")} {count(len(quiet), "more item")} with every obligation met and '
            "nothing else to show (no gap, measurement, finding or change): kept in this page's data, they are "
            "drawn on demand by a filter, a search or a link to one. "
            '<button type="button" id="quiet-show" hidden>Show them</button>'
            "<noscript>Drawing them needs JavaScript; the JSON report lists them.</noscript></p>\n"
        )
    lazy = {i for i, _ in quiet}
    for i, r in enumerate(results):
        if i not in lazy:
            out.append(_item(i, r, audit, tests.get(r.item.id, []), waivers, checks.get(r.item.id, []), graduation))
    if quiet:
        out.append(
            '<div id="quiet-items"></div><p id="quiet-more" hidden><button type="button">Show more</button></p>\n'
        )
        out.append(f'<script type="application/json" id="quiet-data">{pack(quiet, tests, list(SYMBOLS))}</script>\n')
    return [*out, "</section>\n"]


def _worst(obligations: Sequence[ObligationResult]) -> str:
    ranks = list(SYMBOLS)[:8]
    return max((o.status for o in obligations), key=ranks.index, default="met")


def _item(
    i: int,
    r: ItemResult,
    audit: Audit,
    tests: list[TestRecord],
    waivers: Mapping[tuple[str, str], Waiver],
    checks: list[MetricCheck],
    graduation: Mapping[str, Graduation],
) -> str:
    item = r.item
    met = sum(1 for o in r.obligations if o.is_met)
    statuses = " ".join(dict.fromkeys(o.status for o in r.obligations))
    since = f" since {_e(item.since)}" if item.since else ""
    head = (
        f'<div class="item" id="item-{i}" data-level="{item.level}" data-kind="{item.kind}" data-status="{_e(statuses)}">'
        f'<details><summary>{status(_worst(r.obligations))} <span class="lk">{item.level} {item.kind}</span> '
        f'<strong>{_e(item.label)}</strong>{since} <span class="n">{met} of {len(r.obligations)} obligations met, '
        f"{count(len(tests), 'test')}</span></summary>\n"
    )
    body = [_obligations(r, waivers)]
    if tests:
        body.append(_test_lists(tests))
    measured = [(t, m) for t in tests for m in t.metrics]
    if measured or checks:
        body.append(_measurements(measured, checks))
    if r.contract is not None:
        c = r.contract
        body.append(f"<h4>API contract</h4>\n<p>{_e(c.target)}: {_e(c.state)}</p>\n")
        rows = [f"<li>{'breaking' if ch.breaking else 'additive'}: {_e(ch.text)}</li>" for ch in c.changes]
        rows += [f"<li>{label}: {_e(text)}</li>" for label, text in (("notice", c.notice), ("error", c.error)) if text]
        body.append(f"<ul>{''.join(rows)}</ul>\n" if rows else "")
    findings = [c for c in audit.lifecycle if c.item_id == item.id]
    if findings:
        rows = [f"<li>{_finding(c.breaks, c.change)} {_e(c.text)}{_detail(c.detail)}</li>" for c in findings]
        body.append(f"<h4>Lifecycle findings</h4>\n<ul>{''.join(rows)}</ul>\n")
    grad = graduation.get(item.id)
    if grad is not None:
        lacking = ", ".join(f"{o.name} ({o.status})" for o in grad.lacking)
        text = f"ready for {grad.to_level}" + (f" except {lacking}" if lacking else "")
        body.append(f"<h4>Graduation</h4>\n<p>{_e(text)}</p>\n")
    origin = f'<p class="n">id {_e(item.id)}; declared by {_e(item.declared)} {_e(item.origin)}</p>\n'
    return head + origin + "".join(body) + "</details></div>\n"


def _obligations(r: ItemResult, waivers: Mapping[tuple[str, str], Waiver]) -> str:
    rows = []
    for o in r.obligations:
        waiver = waivers.get((r.item.id, o.name)) or waivers.get((r.item.name, o.name))
        notes = [o.hint] if o.hint else []
        if waiver is not None and o.status == "waived" and waiver.describe() not in notes:
            notes.append(waiver.describe())
        if o.outside:
            notes.append(f"outside pytest: {', '.join(o.outside)}")
        tolerated = " (in the baseline)" if o.baselined else ""
        rows.append(
            f"<tr><td>{_e(o.name)}</td><td>{status(o.status, tolerated)}</td><td>{len(o.tests)}</td>"
            f"<td>{'; '.join(_e(m.describe()) for m in o.metrics)}</td><td>{'<br>'.join(map(_e, notes))}</td></tr>"
        )
    return (
        '<h4>Obligations</h4>\n<table><thead><tr><th scope="col">obligation</th><th scope="col">status</th>'
        '<th scope="col">tests</th><th scope="col">measured</th><th scope="col">to close it, waiver</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>\n"
    )


def _test_lists(tests: list[TestRecord]) -> str:
    """The item's tests grouped by outcome: one short line each (the largest part of a large page)."""
    groups: dict[str, list[TestRecord]] = {}
    for t in tests:
        groups.setdefault(t.outcome, []).append(t)
    out = [f"<h4>Tests ({len(tests)})</h4>\n"]
    for outcome in SYMBOLS:
        group = groups.get(outcome)
        if group:
            lines = "".join(f"<li>{_e(t.nodeid)}{_error(t)}</li>" for t in group)
            out.append(f'<p>{status(outcome, f": {len(group)}")}</p><ul class="tests">{lines}</ul>\n')
    return "".join(out)


def _error(test: TestRecord) -> str:
    extra = f" — {test.error}" if test.error else f" (outside pytest: {test.source})" if test.source else ""
    return _e(extra)


def _measurements(measured: list[tuple[TestRecord, Metric]], checks: list[MetricCheck]) -> str:
    rows = [
        f"<tr><td>{_e(t.nodeid)}</td><td>{_e(m.name)}</td><td>{_e(m.shown())}</td>"
        f"<td>{_e(m.bound())}</td><td>{_e(m.source)}</td></tr>"
        for t, m in measured
    ]
    out = "<h4>Measurements</h4>\n"
    if rows:
        out += (
            '<table><thead><tr><th scope="col">test</th><th scope="col">metric</th><th scope="col">value</th>'
            f'<th scope="col">bound</th><th scope="col">source</th></tr></thead><tbody>{"".join(rows)}</tbody></table>\n'
        )
    judged = [c for c in checks if c.state != "ok"]
    if checks:
        ok = len(checks) - len(judged)
        out += f"<p>Against the metric baseline: {count(ok, 'measurement')} within tolerance.</p>\n"
    if judged:
        lines = [f"<li>{_finding(c.fails, c.state)} {_e(c.text)}{_env(c)}</li>" for c in judged]
        out += f"<ul>{''.join(lines)}</ul>\n"
    return out


def _finding(breaks: bool, what: str) -> str:
    """``✘ regressed, breaks a promise:`` or ``• new, not failing:``: a finding is never shown as met."""
    if breaks:
        return f'<span class="s s-failing">✘ {_e(what)}, breaks a promise:</span>'
    return f'<span class="s s-note">• {_e(what)}, not failing:</span>'


def _env(check: MetricCheck) -> str:
    """`` (instance=trn1)`` unless the check's text already names its environment."""
    return "" if check.env in check.text else f" ({_e(check.env)})"


def _other(audit: Audit) -> list[str]:
    out = []
    lists = [
        # A merge's missing shards and tests no job ran, each in its own line (the verdict names the first).
        ("Completeness", audit.incomplete),
        ("Errors", audit.errors),
        ("Failed by hooks", audit.vetoes),
        ("Lifecycle findings", [c.line for c in audit.lifecycle]),
        ("Gaps in the baseline now closed", audit.baseline_closed),
        ("Notes", audit.all_notes),
    ]
    for title, entries in lists:
        if entries:
            out.append(f"<section><h2>{title} ({len(entries)})</h2>\n<ul>")
            out += [f"<li>{_e(e)}</li>" for e in entries]
            out.append("</ul></section>\n")
    return out
