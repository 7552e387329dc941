"""The HTML page's charts as plain functions (render/html.py, render/svg.py): one point per run, each judged against the baseline, at most 200 charts."""

from __future__ import annotations

from html_pages import Page
from hypothesis import given
from hypothesis import strategies as st

from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.core.metric_entry import Entry, HistoryRun
from pytest_neuron_classification.core.verdict import Audit
from pytest_neuron_classification.core.vocabulary import per_level
from pytest_neuron_classification.metrics.baselines import make_tolerances
from pytest_neuron_classification.render.svg import MAX_CHARTS, Point, Series, chart_series, svg_chart, trend_section

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
