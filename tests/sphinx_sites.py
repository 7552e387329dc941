"""A small Sphinx site that uses the extension pytest_neuron_classification.sphinx, and its in-process build:
shared by tests/integration/sphinx/, tests/integration/messages/test_messages_sphinx.py and
tests/system/sphinx/ (the browser's look at the badges).

The site is a project: its pyproject.toml is the inventory the pages read, and the project's tests
(:data:`TESTS`) give the report that the directive's ``:neuron-json:`` shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

INVENTORY = """
[[tool.neuron-classification.items]]
name = "torch_neuronx.trace"
kind = "api"
level = "beta"

[[tool.neuron-classification.items]]
name = "--auto-cast"
kind = "api"
level = "alpha"

[[tool.neuron-classification.items]]
name = "neuron-runtime"
kind = "package"
since = "2.12.0"

[[tool.neuron-classification.items]]
name = "persistent_cache"
kind = "feature"
level = "beta"
package = "neuron-sdk"
"""

#: Tests of two items: the report shows their statuses, and the cache's measurement.
TESTS = """
import pytest

@pytest.mark.neuron_beta("torch_neuronx.trace", kind="api")
def test_trace():
    pass

@pytest.mark.neuron_beta("persistent_cache", kind="feature", package="neuron-sdk")
def test_cache():
    pass

@pytest.mark.neuron_beta("persistent_cache", kind="feature", package="neuron-sdk")
@pytest.mark.neuron_accuracy
def test_cache_hits(neuron_metric):
    neuron_metric("hit_rate", 0.97, min=0.9)
"""

#: A MyST page: both forms of the role, the directive twice, a wrong label and an unknown item.
INDEX_MD = """\
# The SDK

Tracing is {neuron-level}`torch_neuronx.trace`, stated as {neuron-level}`torch_neuronx.trace <beta>`.

The flag {neuron-level}`--auto-cast <beta>` is labelled wrong.

The cache {neuron-level}`persistant_cache` is misspelt.

```{neuron-classification}
:level: beta, alpha
```

## With a report

```{neuron-classification}
:kind: feature, api
:neuron-json: ../neuron-report.json
```

```{toctree}
other
```
"""

#: A reStructuredText page: the same role and directive.
OTHER_RST = """\
Other
=====

The runtime is :neuron-level:`neuron-runtime <stable>`.

.. neuron-classification::
   :kind: package
   :meanings:
"""

CONF = """\
extensions = ["myst_parser", "pytest_neuron_classification.sphinx"]
html_theme = {theme!r}
{extra}
"""


def write_site(root: Path, theme: str = "alabaster", extra: str = "", index: str = INDEX_MD) -> Path:
    """The docs folder of a project at ``root`` (whose pyproject.toml the caller writes); returns docs/."""
    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "conf.py").write_text(CONF.format(theme=theme, extra=extra), encoding="utf-8")
    (docs / "index.md").write_text(index, encoding="utf-8")
    (docs / "other.rst").write_text(OTHER_RST, encoding="utf-8")
    return docs


@dataclass(frozen=True)
class Build:
    """What ``sphinx-build`` returned and warned, and where it wrote the site."""

    status: int
    warnings: list[str]
    out: Path

    def html(self, page: str = "index") -> str:
        return (self.out / f"{page}.html").read_text(encoding="utf-8")


def build(docs: Path, out: Path, *args: str) -> Build:
    """``sphinx-build -b html DOCS OUT ARGS`` in this process (no process is started), warnings to a file."""
    main = pytest.importorskip("sphinx.cmd.build", reason="Sphinx is not installed (pip install -e '.[docs]')")
    pytest.importorskip("myst_parser", reason="myst-parser is not installed (pip install -e '.[docs]')")
    log = out.parent / f"{out.name}-warnings.txt"
    status = main.build_main(["-q", "-b", "html", "-w", str(log), *args, str(docs), str(out)])
    text = re.sub(r"\x1b\[[0-9;]*m", "", log.read_text(encoding="utf-8")) if log.exists() else ""
    return Build(status, text.splitlines(), out)


#: ``<span class="neuron-level neuron-level-beta" title="...">...Beta</span>``: each badge's level and word.
BADGE = re.compile(
    r'<span class="neuron-level neuron-level-(\w+)" title="([^"]*)">'
    r'<span class="neuron-level-label">classification level: </span>(\w+)</span>'
)


def badges(html: str) -> list[tuple[str, str, str]]:
    """(level class, title, word) of every badge of a page, in page order."""
    return BADGE.findall(html)


def tables(html: str) -> list[list[list[str]]]:
    """The text of every cell of every table of a page: tables, rows (the header first), cells."""
    found = []
    for table in re.findall(r"<table.*?</table>", html, re.S):
        rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
        cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in rows]
        found.append([[_text(cell) for cell in row] for row in cells])
    return found


def _text(cell: str) -> str:
    """A cell's text as a reader sees it: without the screen readers' label of a badge."""
    cell = cell.replace('<span class="neuron-level-label">classification level: </span>', "")
    return " ".join(
        re.sub(r"<[^>]+>", "", cell).replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&").split()
    )
