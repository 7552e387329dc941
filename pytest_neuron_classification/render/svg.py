"""Trend charts for the HTML report: one SVG line chart per metric and environment, drawn in Python.

Drawn on the server side, not by a charting library in the browser, so the page has nothing to
fetch, reads with JavaScript off and opens from a CI artifact. A chart shows what a reviewer asks
("is latency drifting?"): every value the history holds for one metric of one test in one
environment, oldest to newest, against the baseline and its tolerance band, with the runs beyond
the tolerance marked by shape and named in words, never by colour alone. Pure: no pytest, no I/O.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from html import escape
from typing import Mapping, Sequence

from pytest_neuron_classification.core.metric import Metric, MetricCheck, number, scale
from pytest_neuron_classification.core.metric_entry import Baseline, HistoryRun, MetricKey
from pytest_neuron_classification.core.verdict import Audit
from pytest_neuron_classification.metrics.baselines import Tolerances, assess

#: The most charts one page draws (a history may hold thousands of metrics); the rest are counted.
MAX_CHARTS = 200
WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 16, 80


@dataclass(frozen=True)
class Point:
    """One history line's value of the charted metric."""

    time: str
    commit: str | None
    value: float
    regressed: bool


@dataclass(frozen=True)
class Series:
    """What one chart draws: one metric of one test of one item, in one environment."""

    item_id: str
    nodeid: str
    metric: str
    env: str
    unit: str
    points: tuple[Point, ...]
    #: The baseline of this environment, and its tolerance (relative; absolute for a baseline of 0).
    baseline: float | None = None
    tolerance: float = 0.0
    #: Which way is good: without it nothing is compared, so nothing is marked regressed.
    better: str | None = None
    #: What this run's (or the merged reports') baseline check said, if there was one.
    check: str = ""

    @property
    def band(self) -> tuple[float, float] | None:
        """The values within tolerance of the baseline, as :func:`.baselines.assess` judges them."""
        if self.baseline is None:
            return None
        spread = abs(self.baseline) * self.tolerance if self.baseline else self.tolerance
        return self.baseline - spread, self.baseline + spread

    @property
    def regressions(self) -> int:
        return sum(1 for p in self.points if p.regressed)


def chart_series(
    history: Sequence[HistoryRun],
    baseline: Baseline,
    tolerances: Tolerances,
    metrics: Mapping[tuple[str, str], Metric],
    checks: Sequence[MetricCheck] = (),
) -> list[Series]:
    """Every metric the history holds, one series per environment, in the order first seen.

    ``metrics`` (by test node id and metric name) gives the unit and direction this run recorded;
    a metric only the history knows takes them from the baseline, else has neither.
    """
    found: dict[tuple[str, str, str, str], list[HistoryRun]] = {}
    for run in history:
        for item_id, tests in run.metrics.items():
            for nodeid, names in tests.items():
                for name in names:
                    found.setdefault((item_id, nodeid, name, run.env), []).append(run)
    said = {(c.item_id, c.nodeid, c.metric, c.env): c.text for c in checks}
    series = []
    for (item_id, nodeid, name, env), runs in found.items():
        entry = baseline.get(env, {}).get(MetricKey(item_id, nodeid, name))
        metric = metrics.get((nodeid, name))
        unit = metric.unit if metric else entry.unit if entry else ""
        better = metric.better if metric and metric.better else entry.better if entry else None
        tolerance = tolerances.for_metric(item_id, name)
        points = []
        for run in runs:
            value = float(run.metrics[item_id][nodeid][name])
            regressed = bool(entry and better and assess(entry.value, value, better, tolerance)[0] == "regressed")
            points.append(Point(run.time, run.commit, value, regressed))
        base = entry.value if entry else None
        check = said.get((item_id, nodeid, name, env), "")
        series.append(Series(item_id, nodeid, name, env, unit, tuple(points), base, tolerance, better, check))
    return series


def _ticks(low: float, high: float, count: int = 6) -> list[float]:
    """Round values between ``low`` and ``high`` (1, 2, 2.5 or 5 times a power of ten apart).

    Halves are subtracted, here and in :func:`_range`, so that a span near the largest float does not
    overflow to infinity (a history may hold any finite number).
    """
    raw = (high / 2 - low / 2) / max(1, count - 1) * 2
    power = 10.0 ** math.floor(math.log10(raw))
    step = next((m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw and math.isfinite(m * power)), None)
    if step is None:
        return [low, high]
    first = math.ceil(low / step) * step
    ticks = (first + i * step for i in range(int((high / 2 - first / 2) / (step / 2) + 1e-9) + 1))
    return [t for t in ticks if low <= t <= high]  # an infinite last tick is not <= high


def _clamp(value: float) -> float:
    return max(-sys.float_info.max, min(sys.float_info.max, value))


def _range(values: Sequence[float]) -> tuple[float, float]:
    """The plotted range: the values with a margin, a flat series shown around its value."""
    low, high = min(values), max(values)
    half = high / 2 - low / 2
    pad = (abs(high) * 0.1 or 1.0) if half < 5e-13 * max(1.0, abs(high)) else half * 0.16
    return _clamp(low - pad), _clamp(high + pad)


def stamps(points: Sequence[Point]) -> list[str]:
    """How the chart names each run: ``2026-12-02 14:07`` (UTC, as the history records it).

    Runs minutes apart would all read alike: when minutes repeat the seconds are shown, and when
    those repeat too each run is numbered (``run 3, 2026-12-02 14:07:09``), oldest first.
    """
    for width in (16, 19):
        found = [p.time[:width].replace("T", " ") for p in points]
        if len(set(found)) == len(found):
            return found
    return [f"run {k}, {stamp}" for k, stamp in enumerate(found, 1)]


def _when(stamp: str, point: Point) -> str:
    """The run's stamp, then ``abc1234`` when there is a commit."""
    return f"{stamp} {point.commit[:7]}" if point.commit else stamp


def svg_chart(series: Series, chart_id: str) -> str:
    """The chart as inline SVG: axes with units, the baseline and its band, the values, regressions marked."""
    # The newest value's unit, the one the summary and the trend line show this metric in.
    factor, unit = scale(abs(series.points[-1].value), series.unit)
    values = [p.value / factor for p in series.points]
    band = tuple(_clamp(b / factor) for b in series.band) if series.band else None
    low, high = _range([*values, *(band or ())])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(values)

    def x(i: int) -> float:
        return LEFT + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))

    def y(v: float) -> float:
        return TOP + (high / 2 - v / 2) / (high / 2 - low / 2) * plot_h

    axis = f"{series.metric} ({unit})" if unit else f"{series.metric} (no unit)"
    title = f"{series.metric} of {series.nodeid} in {series.env}"
    out = [
        f'<svg class="chart" id="{chart_id}" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(_description(series, factor, unit))}</desc>',
    ]
    if band is not None:
        top, bottom = y(min(high, band[1])), y(max(low, band[0]))
        out.append(
            f'<rect class="band" x="{LEFT}" y="{top:.1f}" width="{plot_w}" height="{max(0.0, bottom - top):.1f}"/>'
        )
        base = y(band[0] / 2 + band[1] / 2)
        out.append(f'<line class="baseline" x1="{LEFT}" x2="{LEFT + plot_w}" y1="{base:.1f}" y2="{base:.1f}"/>')
    for tick in _ticks(low, high):
        out.append(f'<line class="grid" x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>')
        label = number(float(f"{tick:.6g}"))
        out.append(f'<text class="tick" x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{label}</text>')
    out.append(f'<path class="axis" d="M{LEFT} {TOP}V{TOP + plot_h}H{LEFT + plot_w}"/>')
    when = stamps(series.points)
    for i in sorted({0, (n - 1) // 2, n - 1}):  # three labels: more would overlap
        point, at = series.points[i], f"{x(i):.1f}"
        lines = [when[i], *([point.commit[:7]] if point.commit else [])]
        anchor = "start" if i == 0 and n > 1 else "end" if i == n - 1 and n > 1 else "middle"
        spans = "".join(f'<tspan x="{at}" dy="{13 * bool(k)}">{escape(t)}</tspan>' for k, t in enumerate(lines))
        out.append(f'<text class="tick" x="{at}" y="{TOP + plot_h + 16}" text-anchor="{anchor}">{spans}</text>')
    out.append(
        f'<text class="label" x="{LEFT + plot_w / 2}" y="{HEIGHT - 30}" text-anchor="middle">'
        f"run, oldest to newest (date and time UTC{', commit' if any(p.commit for p in series.points) else ''})</text>"
    )
    out.append(
        f'<text class="label" transform="rotate(-90)" x="{-(TOP + plot_h / 2):.1f}" y="16" '
        f'text-anchor="middle">{escape(axis)}</text>'
    )
    if n > 1:
        line = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        out.append(f'<polyline class="values" points="{line}"/>')
    for i, (p, v) in enumerate(zip(series.points, values)):
        cx, cy = x(i), y(v)
        tip = f"<title>{escape(_when(when[i], p))}: {number(float(f'{v:.6g}'))} {escape(unit)}".rstrip()
        tip += " (regressed beyond tolerance)</title>" if p.regressed else "</title>"
        if p.regressed:  # a triangle, not just another colour
            shape = f"M{cx:.1f} {cy - 6:.1f}L{cx + 6:.1f} {cy + 5:.1f}L{cx - 6:.1f} {cy + 5:.1f}Z"
            out.append(f'<path class="point regressed" d="{shape}">{tip}</path>')
        else:
            out.append(f'<circle class="point" cx="{cx:.1f}" cy="{cy:.1f}" r="3.5">{tip}</circle>')
    out.append(_legend(series, plot_w))
    out.append("</svg>")
    return "".join(out)


def _legend(series: Series, plot_w: int) -> str:
    y = HEIGHT - 8
    parts = [f'<g class="legend"><circle class="point" cx="{LEFT}" cy="{y - 4}" r="3.5"/>']
    parts.append(f'<text x="{LEFT + 8}" y="{y}">value</text>')
    x = LEFT + 60
    if series.band is not None:
        parts.append(f'<rect class="band" x="{x}" y="{y - 9}" width="14" height="10"/>')
        parts.append(f'<line class="baseline" x1="{x}" x2="{x + 14}" y1="{y - 4}" y2="{y - 4}"/>')
        parts.append(f'<text x="{x + 20}" y="{y}">baseline, tolerance {_tolerance(series)}</text>')
        x += 210
    if series.regressions:
        parts.append(f'<path class="point regressed" d="M{x + 6} {y - 10}L{x + 12} {y + 1}L{x} {y + 1}Z"/>')
        parts.append(f'<text x="{x + 18}" y="{y}">regressed</text>')
    return "".join(parts) + "</g>"


def _tolerance(series: Series) -> str:
    if series.baseline:
        return f"±{number(round(series.tolerance * 100, 4))}%"
    return f"±{number(series.tolerance)} {series.unit}".rstrip()


def _description(series: Series, factor: float, unit: str) -> str:
    """The chart in words, for a screen reader and for the caption."""
    last = series.points[-1].value / factor
    runs = len(series.points)
    text = f"{runs} run{'' if runs == 1 else 's'}; latest {number(float(f'{last:.6g}'))} {unit}".rstrip()
    if series.baseline is None:
        text += "; no baseline in this environment"
    else:
        text += f"; baseline {number(float(f'{series.baseline / factor:.6g}'))} {unit}".rstrip()
        text += f", tolerance {_tolerance(series)}"
        if series.better is None:
            text += ", no direction (never compared)"
        else:
            text += f", {series.better} is better; {series.regressions} regressed beyond it"
    return text


def caption(series: Series) -> str:
    """The visible caption under a chart: the same words as its description."""
    # The newest value's unit, the one the summary and the trend line show this metric in.
    factor, unit = scale(abs(series.points[-1].value), series.unit)
    return _description(series, factor, unit)


def trend_section(audit: Audit, history: Sequence[HistoryRun], baseline: Baseline, tolerances: Tolerances) -> list[str]:
    """The page's "Metric trends" section: a heading, then each chart with its caption; none without history."""
    metrics = {(t.nodeid, m.name): m for t in audit.tests for m in t.metrics}
    series = chart_series(history, baseline, tolerances, metrics, audit.checks)
    if not series:
        return []
    labels = {r.item.id: r.item.label for r in audit.items}
    runs = f"{len(history)} run{'' if len(history) == 1 else 's'}"
    out = [f'<section id="trends">\n<h2>Metric trends ({len(series)})</h2>\n']
    out.append(f"<p>From the metric history: {runs}, one chart per metric and environment.</p>\n")
    for k, s in enumerate(series[:MAX_CHARTS]):
        title = f"{labels.get(s.item_id, s.item_id)}: {s.metric} ({s.env})"
        out.append(f'<figure class="trend"><h3>{escape(title)}</h3>\n{svg_chart(s, f"chart-{k}")}\n')
        check = f"<br>Baseline check: {escape(s.check)}" if s.check else ""
        out.append(f"<figcaption>{escape(s.nodeid)}: {escape(caption(s))}{check}</figcaption></figure>\n")
    if len(series) > MAX_CHARTS:
        out.append(f"<p>{len(series) - MAX_CHARTS} more metrics are in the history and not drawn here.</p>\n")
    return [*out, "</section>\n"]
