"""Sphinx is optional and pytest is not needed at build time: each checked in a fresh interpreter, whose
``sys.modules`` says what an import really brought in (lint-imports checks the package's own imports)."""

from __future__ import annotations

import subprocess
import sys

import pytest

LOADED = "import sys; {imports}; print(sorted({{m.split('.')[0] for m in sys.modules}} & {names!r}))"


def loaded(imports: str, names: set[str]) -> str:
    code = LOADED.format(imports=imports, names=names)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_the_package_and_the_plugin_import_no_sphinx() -> None:
    modules = "pytest_neuron_classification, pytest_neuron_classification.plugin, pytest_neuron_classification.cli"
    assert loaded(f"import {modules}", {"sphinx", "docutils"}) == "[]"


def test_the_extension_imports_no_pytest() -> None:
    pytest.importorskip("sphinx")
    assert loaded("import pytest_neuron_classification.sphinx", {"pytest", "_pytest", "pluggy"}) == "[]"
