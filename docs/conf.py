"""Sphinx configuration: MyST Markdown pages, the furo theme, and a reference generated from the code."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "_ext"))

import neuron_data  # noqa: E402  (docs/_ext, put on the path above: the one place the package is imported)
import pytest_inventory  # noqa: E402

project = "pytest-neuron-classification"
author = "the pytest-neuron-classification authors"
copyright = "the pytest-neuron-classification authors"
release = neuron_data.VERSION
version = neuron_data.VERSION

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "neuron_reference",
    # The extension the package ships: the example SDK's page (example-sdk.md) shows its classification
    # with it, so a label the inventory contradicts fails this build (-W).
    "pytest_neuron_classification.sphinx",
]
# The inventory the pages' levels come from: the bundled example SDK's, not this repository's
# pyproject.toml (which classifies nothing).
neuron_classification_pyproject = "../examples/neuron-sdk/pyproject.toml"
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

html_theme = "furo"
html_title = f"pytest-neuron-classification {release}"

# Online (Read the Docs) links resolve with pytest's own inventory; offline the build falls back
# to the few names these pages use, so `sphinx-build -W` passes without a network.
intersphinx_mapping = {
    "pytest": (
        "https://docs.pytest.org/en/stable",
        (None, str(pytest_inventory.write(HERE / "_build" / "pytest-objects.inv"))),
    ),
}
intersphinx_timeout = 10
# Every cross-reference must resolve: with -W a broken one fails the build.
nitpicky = True
autodoc_typehints = "description"
autodoc_member_order = "bysource"
