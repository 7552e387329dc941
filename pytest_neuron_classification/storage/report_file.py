"""The JSON report file as an input: what ``merge`` and ``table --json`` read back.

The report carries everything an audit is computed from, so the evidence it recorded
comes back whole; writing it is :mod:`.render.json_report`'s.
"""

from __future__ import annotations

from pathlib import Path

from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.storage.files import FileFormat

REPORT_FILE = FileFormat(
    "pytest-neuron-classification/2",
    "the report",
    "produce it with --neuron-json from this plugin version",
)


def load_report(path: Path) -> Evidence:
    """The evidence a JSON report recorded, or :class:`ClassificationError` naming the file."""
    return Evidence.from_dict(REPORT_FILE.read(path), str(path))
