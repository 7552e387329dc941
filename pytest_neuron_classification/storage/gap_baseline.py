"""The gap baseline file: the gaps a suite had when it adopted the plugin, recorded to shrink.

The rules of a baseline (a gap it names is tolerated, a closed one is reported) are in
:mod:`.core.adoption`; this module only reads and writes the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from pytest_neuron_classification.core.vocabulary import ClassificationError
from pytest_neuron_classification.storage.files import FileFormat

BASELINE_FILE = FileFormat(
    "pytest-neuron-classification-baseline/1",
    "the gap baseline",
    "fix it, or record it with --neuron-update-baseline",
)


def load_gap_baseline(path: Path) -> frozenset[str]:
    """The gaps recorded in a baseline file, or :class:`ClassificationError` naming it."""
    if not path.is_file():
        raise ClassificationError(f"{path}: no such gap baseline; record it with --neuron-update-baseline")
    gaps = BASELINE_FILE.read(path).get("gaps")
    if not isinstance(gaps, list) or not all(isinstance(g, str) for g in gaps):
        raise BASELINE_FILE.problem(path, "'gaps' must be a list of strings")
    return frozenset(gaps)


def dump_gap_baseline(gaps: Iterable[str]) -> str:
    """Sorted, one gap per line: a closed gap is a one-line deletion in review."""
    return BASELINE_FILE.dump({"gaps": sorted(set(gaps))})
