"""The HTML page's charts as plain functions (render/html.py, render/svg.py): one point per run, each judged against the baseline, at most 200 charts."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.core.metric_entry import Entry, HistoryRun
from pytest_neuron_classification.core.verdict import Audit
from pytest_neuron_classification.core.vocabulary import per_level
from pytest_neuron_classification.metrics.baselines import make_tolerances
from pytest_neuron_classification.render.svg import MAX_CHARTS, Point, Series, chart_series, svg_chart, trend_section

#: HTML elements that never close (SVG ones close with ``/>`` or their end tag).
VOID = frozenset({"meta", "br", "input", "link", "img", "hr"})


class Page(HTMLParser):
    """The parts of the page the tests read, and a check that every element closes where it opened."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        #: ``data-*`` of each item, and its summary's text, in page order.
        self.items: list[dict[str, str]] = []
        self.headings: list[str] = []
        #: Per chart: its id, and the class of every element inside it.
        self.charts: list[dict[str, Any]] = []
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self._capture: list[str] | None = None
        self._summary: list[str] | None = None
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag == "div" and "item" in a.get("class", "").split():
            self.items.append({"id": a["id"], **{k[5:]: v for k, v in a.items() if k.startswith("data-")}})
        if tag == "title" and self.stack[-1:] == ["svg"]:
            self._capture = []
        if tag == "svg":
            self.charts.append({"id": a["id"], "classes": [], "title": ""})
        elif self.charts and "svg" in self.stack:
            self.charts[-1]["classes"].append(a.get("class", ""))
        if tag in ("h1", "h2", "h3"):
            self._capture = []
        if tag == "summary" and self.items:
            self._summary = []
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()
        if tag in ("h1", "h2", "h3") and self._capture is not None:
            self.headings.append("".join(self._capture).strip())
            self._capture = None
        if tag == "title" and self._capture is not None and self.stack[-1:] == ["svg"]:
            self.charts[-1]["title"] = "".join(self._capture)
            self._capture = None
        if tag == "summary" and self._summary is not None:
            self.items[-1]["summary"] = " ".join("".join(self._summary).split())
            self._summary = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for sink in (self._capture, self._summary):
            if sink is not None:
                sink.append(data)

    def chart(self, title: str) -> dict[str, Any]:
        """The chart whose SVG title is ``title``, with ``points``: its plotted points' classes (not the legend's)."""
        chart = next(c for c in self.charts if c["title"] == title)
        return {**chart, "points": [c for c in chart["classes"][: chart["classes"].index("legend")] if "point" in c]}

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


finite = st.floats(allow_nan=False, allow_infinity=False)


@given(values=st.lists(finite, min_size=1, max_size=30), base=st.none() | finite, tolerance=st.floats(0, 10))
def test_any_history_draws_one_point_per_run(values, base, tolerance):
    points = tuple(Point(f"2026-01-{i % 28 + 1:02d}T00:00:00+00:00", None, v, False) for i, v in enumerate(values))
    series = Series("item", "t.py::test<&>", "m<&>", "default", "ms", points, base, tolerance, "lower")
    svg = svg_chart(series, "c")
    page = Page(svg)
    assert page.problems == [] and page.stack == []
    assert len(page.chart("m<&> of t.py::test<&> in default")["points"]) == len(values)
    assert "nan" not in svg and "inf" not in svg


def test_chart_series_judges_each_run_against_the_baseline():
    runs = [
        HistoryRun(f"2026-01-0{i}T00:00:00+00:00", "gpu", "a" * 40, {"m": {"t": {"lat": v}}})
        for i, v in enumerate([10.0, 11.0, 11.5, 9.0], 1)
    ]
    baseline = {"gpu": {("m", "t", "lat"): Entry(10.0, "ms", "lower")}}
    (series,) = chart_series(runs, baseline, make_tolerances(0.1), {})
    assert [p.regressed for p in series.points] == [False, False, True, False]
    assert series.band == (9.0, 11.0) and series.unit == "ms"
    assert chart_series(runs, {}, make_tolerances(0.1), {})[0].band is None


def test_a_page_draws_at_most_200_charts_and_counts_the_rest():
    runs = [HistoryRun("2026-01-01T00:00:00+00:00", "default", None, {"m": {"t": {f"x{i}": 1.0 for i in range(203)}}})]
    section = "".join(trend_section(Audit(Evidence(), per_level("error"), ()), runs, {}, make_tolerances()))
    page = Page(section)
    assert len(page.charts) == MAX_CHARTS == 200
    assert "Metric trends (203)" in page.headings and "3 more metrics are in the history and not drawn here." in section
