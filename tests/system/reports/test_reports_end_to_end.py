"""Reports of runs in a child process: the JSON report on stdout, merge --html, and the HTML page under xdist."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from html_pages import CACHE, INVENTORY, PROJECT, read_page


def test_the_json_report_can_go_to_stdout(project):
    project.module()
    result = project.pytester.runpytest_subprocess("--neuron-json=/dev/stdout", "-p", "no:randomly", "-q")
    assert result.ret == 1  # the module's performance gap
    text = result.stdout.str()
    assert json.loads(text[text.index("{") : text.rindex("}") + 1])["schema"] == "pytest-neuron-classification/3"
    assert "ERROR" not in result.stdout.str()


def masked(path: Path) -> str:
    """The page without the time it was made: two runs differ only there."""
    return re.sub(r"<time datetime=\"[^\"]*\">[^<]*</time>", "<time/>", path.read_text(encoding="utf-8"))


@pytest.fixture
def demo(pytester: pytest.Pytester, project) -> pytest.Pytester:
    project.config('enforce = "error"\n' + INVENTORY)
    pytester.makepyfile(test_demo=PROJECT)
    return pytester


def history_runs(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, values: list[float]) -> None:
    """Record the metric baseline at 12 ms, then one run per value with ``--neuron-history``."""
    args = ("-p", "no:cacheprovider", "--neuron-env", "instance=trn1")
    pytester.runpytest(*args, "--neuron-update-metrics")
    for value in values:
        monkeypatch.setenv("LATENCY", str(value))
        pytester.runpytest(*args, "--neuron-history=history.jsonl")


def test_merge_html(demo, project, monkeypatch):
    history_runs(demo, monkeypatch, [12.1, 15.0])
    demo.runpytest("--neuron-json=unit.json", "-k", "not latency", "-p", "no:cacheprovider")
    demo.runpytest("--neuron-json=perf.json", "-k", "latency", "-p", "no:cacheprovider")
    done = project.cli("merge", "unit.json", "perf.json", "--html", "m.html", "--history", "history.jsonl")
    assert done.returncode == 1, done.stderr
    page = read_page(demo.path / "m.html")
    text = page.all_text
    assert "Mode merged Environment default, instance=trn1" in text
    assert "merged from 2 reports: unit.json, perf.json" in text
    assert len(page.items) == 4
    latency = page.chart("latency_p90 of test_demo.py::test_latency in instance=trn1")
    assert latency["points"] == ["point", "point"]  # merge reads no metric baseline: nothing judged
    assert "band" not in latency["classes"]
    assert "no baseline in this environment" in text
    drawn = project.cli(
        "merge",
        "unit.json",
        "perf.json",
        "--html",
        "m.html",
        "--history",
        "history.jsonl",
        "--metrics",
        "neuron-metrics.json",
    )
    assert drawn.returncode == 1, drawn.stderr
    latency = read_page(demo.path / "m.html").chart("latency_p90 of test_demo.py::test_latency in instance=trn1")
    assert latency["points"] == ["point", "point regressed"] and "band" in latency["classes"]  # 15 ms: 25% above 12
    missing = project.cli("merge", "unit.json", "--html", "x.html", "--metrics", "nope.json")
    assert missing.returncode == 2
    assert "--metrics nope.json" in missing.stderr
    refused = project.cli("merge", "unit.json", "--html", "unit.json")
    assert refused.returncode == 2 and "--html=unit.json" in refused.stderr
    assert (demo.path / "unit.json").read_text().startswith("{")  # the report it would have replaced


def test_page_under_xdist_equals_serial(demo, project):
    pytest.importorskip("xdist")
    serial = demo.runpytest_subprocess("-p", "no:cacheprovider", "--neuron-html=serial.html")
    parallel = demo.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2", "--neuron-html=parallel.html")
    assert serial.ret == parallel.ret == 1
    # The environment key names the worker count (metrics of -n 2 are never compared with serial
    # ones); everything else on the page is the same.
    env = "<dt>Environment</dt><dd>{}</dd>"
    parallel_page = masked(demo.path / "parallel.html")
    assert env.format("workers=2") in parallel_page
    assert parallel_page.replace(env.format("workers=2"), env.format("default")) == masked(demo.path / "serial.html")
    assert len(read_page(demo.path / "parallel.html").items) == 4


def test_page_in_a_real_browser(demo, project, monkeypatch, browser, tmp_path):
    history_runs(demo, monkeypatch, [11.8, 12.3, 12.1, 12.9, 14.2])
    _, report = project.run("--neuron-env", "instance=trn1", "--neuron-history=history.jsonl", "--neuron-html=p.html")
    lines = (demo.path / "history.jsonl").read_text().splitlines()
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto((demo.path / "p.html").as_uri())
    assert errors == []
    assert requests == [(demo.path / "p.html").as_uri()]
    items = page.locator(".item")
    assert items.count() == len(report["items"]) == 4
    names = {i["name"] for i in report["items"]}
    assert {page.locator(f"#item-{k} summary strong").inner_text().split(" (")[0] for k in range(4)} == names
    assert page.locator("#filters").is_visible()
    # A filter click hides the others.
    page.locator('button[data-filter="level"][data-value="stable"]').click()
    visible = [items.nth(k).get_attribute("data-level") for k in range(4) if items.nth(k).is_visible()]
    assert visible == ["stable", "stable"]
    assert page.locator("#shown").inner_text() == "Showing 2 of 4 items"
    page.locator('button[data-filter="level"][data-value=""]').click()
    page.locator("#search").fill("x&y")
    assert [items.nth(k).is_visible() for k in range(4)].count(True) == 1
    assert page.locator(".item:visible summary strong").inner_text() == CACHE
    page.locator("#search").fill("")
    # One point per history line (the legend's markers are outside the plotted ones' group).
    chart = page.locator("svg.chart").filter(has=page.locator("title", has_text="latency_p90"))
    assert chart.locator(":scope > .point").count() == len(lines) == 6
    assert chart.locator(":scope > .point.regressed").count() == 2  # the 14.2 ms runs, 18% above the 12 ms baseline
    page.locator("#item-1 summary").click()
    assert page.locator("#item-1 details").get_attribute("open") is not None
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 10_000


def test_page_reads_with_javascript_off(demo, project, browser):
    project.run("--neuron-html=p.html")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((demo.path / "p.html").as_uri())
    assert page.locator(".item:visible").count() == 4
    assert not page.locator("#filters").is_visible()
    assert "Broken promises (3)" in page.locator("#broken h2").inner_text()
    context.close()


def test_trend_chart_per_metric_and_environment(demo, project, monkeypatch):
    history_runs(demo, monkeypatch, [11.8, 12.5, 14.4])  # 14.4 is 20% above 12, beyond the 10% tolerance
    monkeypatch.setenv("LATENCY", "13.9")
    result, _ = project.run("--neuron-env", "instance=trn1", "--neuron-history=history.jsonl", "--neuron-html=p.html")
    lines = (demo.path / "history.jsonl").read_text().splitlines()
    assert len(lines) == 4
    page = read_page(demo.path / "p.html")
    assert "Metric trends (2)" in page.headings
    assert "llama (pt, nxd, inference): latency_p90 (instance=trn1)" in page.headings
    latency = page.chart("latency_p90 of test_demo.py::test_latency in instance=trn1")
    assert len(latency["points"]) == len(lines) == 4  # one point per history line
    assert latency["points"].count("point regressed") == 2  # 14.4 and 13.9
    assert {"band", "baseline", "values", "axis"} <= set(latency["classes"])
    text = page.all_text
    assert "latency_p90 (ms)" in text and "run, oldest to newest (date and time UTC)" in text
    assert (
        "test_demo.py::test_latency: 4 runs; latest 13.9 ms; baseline 12 ms, tolerance ±10%, lower is better; "
        "2 regressed beyond it" in text
    )
    assert "Baseline check: latency_p90 regressed 12 -> 13.9 ms (+16%, tolerance 10%) on instance=trn1" in text
    assert "Environment instance=trn1" in text
    assert result.ret == 1


def test_merged_page_names_the_environment_its_reports_agree_on(demo, project):
    for name, chosen in (("unit", "not latency"), ("perf", "latency")):
        demo.runpytest(
            "--neuron-env", "instance=trn1", f"--neuron-json={name}.json", "-k", chosen, "-p", "no:cacheprovider"
        )
    assert json.loads((demo.path / "unit.json").read_text())["environment"] == "instance=trn1"
    done = project.cli("merge", "unit.json", "perf.json", "--html", "m.html")
    assert done.returncode == 1, done.stderr
    assert "Mode merged Environment instance=trn1" in read_page(demo.path / "m.html").all_text


#: Inventory items past the page's draw-all limit, each met by the one test of test_many.py.
QUIET = 600


@pytest.fixture
def inventory(demo, project) -> pytest.Pytester:
    entries = "".join(
        f'\n[[tool.neuron-classification.items]]\nname = "item_{k:04d}"\nkind = "api"\nlevel = "alpha"\n'
        'tests = ["test_many.py"]\n'
        for k in range(QUIET)
    )
    project.config('enforce = "error"\n' + INVENTORY + entries)
    demo.makepyfile(test_many="def test_one():\n    assert True\n")
    return demo


def test_large_page_draws_its_gaps_and_the_rest_on_demand(inventory, project, browser):
    _, report = project.run("--neuron-html=p.html")
    total = len(report["items"])
    assert total == QUIET + 4
    drawn = len(read_page(inventory.path / "p.html").items)
    assert 0 < drawn < 4 + 1  # the demo's items (gaps, measurements); none of the quiet ones
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((inventory.path / "p.html").as_uri())
    assert page.locator(".item").count() == drawn
    assert page.locator("#shown").inner_text() == f"Showing {drawn} of {total} items"
    assert f"{total - drawn} more items with every obligation met" in page.locator("#quiet").inner_text()
    # A search reaches the data: the one item it names is drawn, and opens with its test.
    page.locator("#search").fill("item_0417")
    assert page.locator("#shown").inner_text() == f"Showing 1 of {total} items"
    assert page.locator(".item:visible summary strong").inner_text() == "item_0417"
    page.locator(".item:visible summary").click()
    page.wait_for_selector(".item:visible ul.tests")  # drawn when the entry opens (its toggle event)
    assert "test_many.py::test_one" in page.locator(".item:visible").inner_text()
    page.locator("#search").fill("")
    # A filter draws the quiet items it matches; "Show them" draws them all.
    page.locator('button[data-filter="level"][data-value="alpha"]').click()
    alpha = sum(1 for i in report["items"] if i["level"] == "alpha")
    assert page.locator(".item:visible").count() == alpha
    page.locator('button[data-filter="level"][data-value=""]').click()
    assert page.locator(".item:visible").count() == drawn
    page.locator("#quiet-show").click()
    assert page.locator(".item:visible").count() == total
    assert page.locator("#shown").inner_text() == f"Showing {total} of {total} items"
    # A link to a quiet item draws it and opens it.
    anchor = next(k for k, i in enumerate(report["items"]) if i["name"] == "item_0005")
    page.goto((inventory.path / "p.html").as_uri() + f"#item-{anchor}")
    page.reload()
    assert page.locator(f"#item-{anchor} details").get_attribute("open") is not None
    assert errors == []
    context = browser.new_context(java_script_enabled=False)
    quiet = context.new_page()
    quiet.goto((inventory.path / "p.html").as_uri())
    assert quiet.locator(".item:visible").count() == drawn
    assert "Drawing them needs JavaScript; the JSON report lists them." in quiet.locator("#quiet").inner_text()
    context.close()
