"""The HTML page as plain functions (render/html.py, render/item_data.py, render/svg.py): a large page draws
its gaps and packs its quiet items; one chart point per run, each judged against the baseline, at most 200 charts."""

from __future__ import annotations

import json
from dataclasses import replace

from html_pages import Page
from hypothesis import given
from hypothesis import strategies as st

from pytest_neuron_classification.core.audit import audit_of
from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.core.items import make_item
from pytest_neuron_classification.core.metric_entry import Entry, HistoryRun
from pytest_neuron_classification.core.test_record import TestRecord
from pytest_neuron_classification.core.verdict import Audit
from pytest_neuron_classification.core.vocabulary import Policy, per_level
from pytest_neuron_classification.metrics.baselines import make_tolerances
from pytest_neuron_classification.render.html import to_html
from pytest_neuron_classification.render.item_data import DRAW_ALL_UP_TO
from pytest_neuron_classification.render.page import PageContext
from pytest_neuron_classification.render.svg import (
    MAX_CHARTS,
    Point,
    Series,
    chart_series,
    stamps,
    svg_chart,
    trend_section,
)

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


def inventory_audit(items: int, every: int = 100) -> Audit:
    """``items`` Beta features with one passing test each (``<&>`` in every node id), and one Stable API in
    ``every`` whose compatibility tests are missing: a large inventory with a few gaps."""
    made, tests = [], []
    for k in range(items):
        gap = k % every == every - 1
        item = make_item(f"item_{k}", "api" if gap else "feature", "stable" if gap else "beta", {})
        made.append(item)
        nodeid = f"tests/group_{k // 5000}/test_mod_{k // 50}.py::test_{k % 50}[<&>]"
        tests.append(TestRecord.of(nodeid, (item.id,), (item.name,), ("functional",), "passed"))
    return audit_of(Evidence(policy=Policy(), items=tuple(made), tests=tuple(tests), source="t"))


def quiet_data(page: str) -> dict:
    start = page.index('<script type="application/json" id="quiet-data">') + 48
    return json.loads(page[start : page.index("</script>", start)])


def test_a_20000_item_page_draws_its_gaps_and_packs_the_rest_under_3_mb():
    page = to_html(inventory_audit(20_000), PageContext(generated="2026-12-06T00:00:00+00:00"))
    assert len(page.encode()) < 3_000_000
    read = Page(page)
    assert read.problems == [] and read.stack == []
    # The 200 gaps come first, drawn in full; the 19,800 quiet items are counted, and kept as data.
    assert len(read.items) == 200 and {i["level"] for i in read.items} == {"stable"}
    assert "Broken promises (200)" in read.headings and "Items (20000)" in read.headings
    assert (
        "✔ met: 19800 more items with every obligation met and nothing else to show (no gap, measurement, finding or change): kept in this page's data"
        in read.all_text
    )
    data = quiet_data(page)
    assert len(data["items"]) == 19_800
    # Every quiet item keeps its anchor, its words and its tests' node ids.
    index, label, level, kind, _, _, declared, obligations, ranges = data["items"][0]
    assert (label, level, kind, obligations) == ("item_0", "beta", "feature", "0:1") and declared == "marker "
    assert data["names"] == ["basic"] and data["outcomes"][data["tests"][0][2]] == "passed"
    (first,) = [t for t in data["tests"] if data["files"][t[0]] + t[1] == "tests/group_0/test_mod_0.py::test_0[<&>]"]
    assert ranges == str(data["tests"].index(first))
    assert f'href="#item-{index}"' not in page and "\\u003c&>" in page and "<&>]" not in page.split("quiet-data")[1]


def test_a_page_of_few_items_draws_them_all():
    page = to_html(inventory_audit(DRAW_ALL_UP_TO))
    assert len(Page(page).items) == DRAW_ALL_UP_TO and 'id="quiet-data"' not in page and 'id="quiet"' not in page


def test_a_large_page_draws_an_item_with_a_note():
    audit = inventory_audit(600)
    k = [r.item.level for r in audit.items].index("beta")  # after the six Stable gaps
    quiet = audit.items[k]
    noted = replace(quiet, obligations=(replace(quiet.obligations[0], hint="see the docs"),))
    audit = replace(audit, items=(*audit.items[:k], noted, *audit.items[k + 1 :]))
    read = Page(to_html(audit))
    assert [i["id"] for i in read.items] == [f"item-{i}" for i in range(7)]  # the six gaps and the item with a note


def test_chart_stamps_show_seconds_then_run_numbers_when_minutes_repeat():
    def at(*times: str) -> list[Point]:
        return [Point(f"2026-12-05T{t}+00:00", None, 1.0, False) for t in times]

    assert stamps(at("17:11:04", "17:12:09")) == ["2026-12-05 17:11", "2026-12-05 17:12"]
    assert stamps(at("17:11:04", "17:11:09")) == ["2026-12-05 17:11:04", "2026-12-05 17:11:09"]
    assert stamps(at("17:11:04", "17:11:04")) == ["run 1, 2026-12-05 17:11:04", "run 2, 2026-12-05 17:11:04"]
    series = Series("i", "t", "m", "default", "ms", tuple(at("17:11:04", "17:11:30", "17:11:59")))
    ticks = [t for t in Page(svg_chart(series, "c")).all_text.split("2026-12-05 ")[1:]]
    assert [t.split()[0] for t in ticks[:3]] == ["17:11:04", "17:11:30", "17:11:59"]
