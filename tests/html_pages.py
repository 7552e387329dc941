"""The HTML page the reports write, read back (:class:`Page`), and the project whose page the tests
read (:data:`PROJECT`), shared by tests/integration/reports/test_html_report.py,
tests/system/reports/test_reports_end_to_end.py and tests/unit/render/test_html.py.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

#: Node ids and an item name with every character HTML gives a meaning to.
PROJECT = """
import os
import pytest

C = dict(kind="model", framework="pt", library="nxd", workload="inference")

@pytest.mark.neuron_stable("llama", **C)
@pytest.mark.neuron_performance
def test_latency(neuron_metric):
    neuron_metric("latency_p90", float(os.environ.get("LATENCY", "12")), "ms", better="lower")

@pytest.mark.neuron_stable("llama", **C)
@pytest.mark.neuron_accuracy
def test_accuracy(neuron_metric):
    neuron_metric("top1", 0.91, better="higher")

@pytest.mark.neuron_beta("cache<&\\"'>", kind="feature")
@pytest.mark.parametrize("name", ["a<b", "x&y", 'q"uote', "it's", "</details>"])
def test_cache(name):
    assert name

@pytest.mark.neuron_alpha("fast_path", kind="api")
def test_fast_path():
    pytest.skip("not ready")
"""
INVENTORY = """
[[tool.neuron-classification.items]]
name = "async_loading"
kind = "feature"
"""
CACHE = "cache<&\"'>"
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


def read_page(path: Path) -> Page:
    page = Page(path.read_text(encoding="utf-8"))
    assert page.problems == [] and page.stack == []
    return page
