"""``--neuron-html``: one self-contained page, read back as HTML.

The page is parsed with :mod:`html.parser` (what a person reads is the text, so the assertions are
on text and on the elements the page promises: headings, tables, one ``<details>`` per item, one SVG
chart per metric and environment). ``merge --html``, the page under xdist and in a real browser
(headless Chromium through Playwright, where both are installed: ``.ci/run`` installs them) are in
tests/system/reports/test_reports_end_to_end.py.
"""

from __future__ import annotations

import sys

import pytest
from html_pages import CACHE, INVENTORY, PROJECT, Page, read_page

from pytest_neuron_classification.storage.report_file import HTML_START


@pytest.fixture
def demo(pytester: pytest.Pytester, project) -> pytest.Pytester:
    project.config('enforce = "error"\n' + INVENTORY)
    pytester.makepyfile(test_demo=PROJECT)
    return pytester


def test_page_shows_the_overview_items_and_fixes(demo, project):
    result, report = project.run("--neuron-html=out/report.html", "-p", "no:cacheprovider")
    assert result.ret == 1
    page = read_page(demo.path / "out" / "report.html")
    verdict = next(line for line in result.stdout.lines if line.startswith("neuron-classification:"))
    text = page.all_text
    assert "Verdict: " + verdict.split(": ", 1)[1] in text
    assert page.headings[:4] == ["Neuron software classification", "Overview", "Broken promises (3)", "Items (4)"]
    # Per level: items and obligations met of total, as the terminal says them.
    assert "stable 2 2 of 4 2 ✘ 2 broken beta 1 1 of 1 0 ✔ none alpha 1 0 of 1 1 ✘ 1 broken" in text
    assert "Enforcement error Mode run Environment default" in text
    for gap in [g for i in report["items"] for g in i["obligations"] if g["status"] in ("missing", "skipped")]:
        assert gap["hint"] in text
    assert [(i["level"], i["kind"], i["status"]) for i in page.items] == [
        (i["level"], i["kind"], " ".join(dict.fromkeys(o["status"] for o in i["obligations"]))) for i in report["items"]
    ]
    summaries = {i["summary"] for i in page.items}
    assert "✘ missing stable feature async_loading 0 of 2 obligations met, 0 tests" in summaries
    assert f"✔ met beta feature {CACHE} 1 of 1 obligations met, 5 tests" in summaries
    assert "✘ skipped alpha api fast_path 0 of 1 obligations met, 1 test" in summaries
    # Every test, by outcome, its id escaped: the text reads back exactly, and no tag came from the data.
    for test in report["tests"]:
        assert test["nodeid"] in text
    assert "✔ passed: 5 " in text and "✘ skipped: 1 " in text
    source = (demo.path / "out" / "report.html").read_text(encoding="utf-8")
    assert "a<b" not in source and "test_cache[</details>]" not in source and "a&lt;b" in source


def test_page_fetches_nothing(demo, project):
    project.run("--neuron-html=report.html")
    page = read_page(demo.path / "report.html")
    fetched = [(t, a) for t, a in page.tags if t in ("link", "img", "iframe", "object") or "src" in a]
    assert fetched == []
    links = [a["href"] for t, a in page.tags if "href" in a]
    assert links and all(link.startswith("#") for link in links)  # within the page only
    assert [a.get("content") for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy"]


def item_text(page: Page, label: str) -> str:
    """The text of one item's ``<details>``, from its summary to the next item."""
    text = page.all_text
    start = text.index(next(i["summary"] for i in page.items if f" {label} " in i["summary"]))
    following = [text.index(i["summary"]) for i in page.items if text.index(i["summary"]) > start]
    return text[start : min(following, default=len(text))]


def test_items_expand_to_waivers_findings_and_contracts(pytester, project, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # the rewritten module must be re-read
    pytester.makepyprojecttoml(
        '[tool.pytest.ini_options]\npythonpath = ["."]\n[tool.neuron-classification]\n'
        '[[tool.neuron-classification.items]]\nname = "trace"\nkind = "api"\ntarget = "sdk:trace"\n'
        '[[tool.neuron-classification.items]]\nname = "nxd"\nkind = "package"\nlevel = "beta"\n'
        '[[tool.neuron-classification.waivers]]\nitem = "nxd"\nobligation = "basic"\nreason = "no <runner> yet"\n'
        'owner = "release-eng"\nexpires = 2099-01-01\nlink = "https://tracker.example/NRT-1"\n'
    )
    pytester.makepyfile(
        sdk="def trace(model, example_inputs, *, compiler_args=None): pass",
        test_sdk="""
            import pytest, sdk
            @pytest.mark.neuron_stable("trace", kind="api")
            def test_trace(): pass
            @pytest.mark.neuron_stable("llama", kind="model", library="nxd", framework="pt", workload="inference")
            @pytest.mark.neuron_accuracy
            def test_llama(neuron_metric): neuron_metric("top1", 0.9)
        """,
    )
    assert pytester.runpytest("--neuron-update-contracts").ret == 1  # llama rests on a beta library
    pytester.makepyfile(sdk="def trace(model, *, compiler_args=None): pass")
    result, _ = project.run("--neuron-html=p.html")
    page = read_page(pytester.path / "p.html")
    trace, nxd, llama = (item_text(page, label) for label in ("trace", "nxd", "llama (pt, nxd, inference)"))
    assert "API contract sdk:trace: broken breaking: parameter `example_inputs` removed" in trace
    assert "compat ✘ failing" in trace
    assert (
        "basic ◌ waived 0 waived until 2099-01-01 by release-eng: no <runner> yet (https://tracker.example/NRT-1) "
        "Lifecycle" in nxd
    )
    assert (
        "Lifecycle findings ✘ rests-on, breaks a promise: stable model llama (pt, nxd, inference) rests on beta "
        "package nxd (its library)" in llama
    )
    assert "Lifecycle findings that break a promise" in page.headings
    assert result.ret == 1


def test_static_audit_says_so(demo, project):
    result, _ = project.run("--collect-only", "--neuron-html=p.html")
    text = read_page(demo.path / "p.html").all_text
    assert "Mode static" in text
    assert "Static audit (--collect-only): a collected test counts as evidence; nothing ran." in text
    assert "✘ missing stable feature async_loading" in text and result.ret == 1


def test_no_history_no_charts(demo, project):
    project.run("--neuron-html=p.html")
    page = read_page(demo.path / "p.html")
    assert page.charts == [] and not any(h.startswith("Metric trends") for h in page.headings)


def test_page_is_written_atomically_over_an_old_one(demo, project):
    old = demo.path / "p.html"
    old.write_text(HTML_START + "\n<p>the previous run's page</p>\n")  # a page of ours: replaced
    old.chmod(0o640)
    project.run("--neuron-html=p.html")
    assert old.read_text().startswith("<!DOCTYPE html>") and oct(old.stat().st_mode & 0o777) == "0o640"
    assert [p.name for p in demo.path.iterdir() if p.name.startswith(".p.html")] == []
