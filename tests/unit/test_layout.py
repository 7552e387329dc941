"""The package's layout rule: a module holds one thing, named after it, in fewer than 400 lines.

A module that grows past that holds two things: split it by what it holds (as ``core/hints.py``
left ``core/audit.py``), rather than trimming comments to pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest_neuron_classification

PACKAGE = Path(pytest_neuron_classification.__file__).parent
LIMIT = 400


def test_every_module_of_the_package_is_under_400_lines():
    sizes = {
        path.relative_to(PACKAGE).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    assert len(sizes) > 50  # the package's own modules were found
    assert {name: lines for name, lines in sizes.items() if lines >= LIMIT} == {}
