"""The layout rule: a module holds one thing, named after it, in fewer than 400 lines.

A module that grows past that holds two things: split it by what it holds (as ``core/hints.py``
left ``core/audit.py``, and the catalogue of a partial run left ``test_messages.py``), rather than
trimming comments to pass. The package, its tests, the benchmarks and the docs' extensions alike.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the repository: tests/unit/..
LIMIT = 400


@pytest.mark.parametrize("folder", ["pytest_neuron_classification", "tests", "benchmarks", "docs/_ext"])
def test_every_module_is_under_400_lines(folder):
    sizes = {
        path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in (ROOT / folder).rglob("*.py")
        if "_build" not in path.parts
    }
    assert sizes  # the folder's modules were found
    assert {name: lines for name, lines in sizes.items() if lines >= LIMIT} == {}
