"""The report files: the JSON report as an input (what ``merge`` and ``table --json`` read back),
and how each report this plugin writes begins.

The report carries everything an audit is computed from, so the evidence it recorded
comes back whole; rendering it is :mod:`..render.json_report`'s. The first bytes of each report
are defined here, below both the renderers that write them and the output check
(:func:`~.outputs.check_outputs`) that recognises them: a run replaces its own previous
report, never a file someone else wrote.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.storage.files import FileFormat

#: Schema ``/3``: a report lists its own selection's tests only (``/2`` listed the deselected ones
#: too, ``not-run``), and ``placement.collection`` counts the classified tests; ``/2`` is still read.
REPORT_FILE = FileFormat(
    "pytest-neuron-classification/3",
    "the report",
    "produce it with --neuron-json from this plugin version",
    older=("pytest-neuron-classification/2",),
)

#: How the HTML page begins: the generator tag says, in its first bytes, that this plugin wrote it.
HTML_START = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="generator" content="pytest-neuron-classification">'
#: The Markdown report's first line.
MARKDOWN_START = "## Neuron software classification"
#: How a report of this plugin begins, whatever its version (the JSON report puts its schema first).
REPORT_STARTS = (
    b'{\n  "schema": "' + REPORT_FILE.family.encode() + b"/",
    MARKDOWN_START.encode(),
    HTML_START.encode(),
)


def load_report(path: Path, shared: dict[Any, Any] | None = None) -> Evidence:
    """The evidence a JSON report recorded, or :class:`ClassificationError` naming the file.

    Reports loaded with one ``shared`` dict (``merge``'s shards) decode each record they repeat once.
    """
    return Evidence.from_dict(REPORT_FILE.read(path), str(path), shared, fix=REPORT_FILE.fix)
