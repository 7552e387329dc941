"""The report each option asks for, rendered from the audit; writing them is :mod:`..storage.outputs`'."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Mapping, Optional

from pytest_neuron_classification.core.verdict import Audit
from pytest_neuron_classification.render.json_report import dump_json
from pytest_neuron_classification.render.markdown import to_markdown
from pytest_neuron_classification.render.page import PageContext

#: The report each option writes, from the audit, the JSON document when the run built it already,
#: and what the HTML page shows besides the audit (the metric history to chart: :class:`PageContext`).
Renderer = Callable[[Audit, Optional[Mapping[str, Any]], Optional[PageContext]], str]
RENDERERS: dict[str, Renderer] = {
    "--neuron-json": lambda audit, document, _: dump_json(audit, document),
    "--neuron-markdown": lambda audit, _, __: to_markdown(audit),
    "--neuron-html": lambda audit, _, page: _html(audit, page),
    "--json": lambda audit, document, _: dump_json(audit, document),
    "--markdown": lambda audit, _, __: to_markdown(audit),
    "--html": lambda audit, _, page: _html(audit, page),
}


def _html(audit: Audit, page: PageContext | None) -> str:
    # Imported here: the page's code, its charts and its inline assets load only in a run that
    # asks for the page.
    from pytest_neuron_classification.render.html import to_html

    return to_html(audit, page)


def render_reports(
    audit: Audit,
    paths: Mapping[str, Path],
    document: Mapping[str, Any] | None = None,
    page: PageContext | None = None,
) -> dict[str, tuple[Path, str]]:
    """Every requested report (keyed by its option), with the path it goes to, for :func:`~.outputs.write_outputs`.

    ``document`` is the JSON report when the run built it already (for ``pytest_neuron_audit``);
    ``page`` what the HTML page shows besides the audit (the metric history it charts).
    """
    return {option: (path, RENDERERS[option](audit, document, page)) for option, path in paths.items()}
