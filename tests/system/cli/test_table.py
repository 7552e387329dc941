"""``python -m pytest_neuron_classification table``: the classification as a documentation table, from the inventory or an audit."""

from __future__ import annotations

INVENTORY = """
[[tool.neuron-classification.items]]
name = "neuronx-distributed"
kind = "package"
level = "beta"
since = "2.19.0"

[[tool.neuron-classification.items]]
name = "torch_neuronx.trace"
kind = "api"

[[tool.neuron-classification.items]]
name = "llama"
kind = "model"
level = "beta"
framework = "pytorch-neuronx"
library = "neuronx-distributed"
workload = "training"

[[tool.neuron-classification.items]]
name = "--auto-cast"
kind = "api"
level = "alpha"
"""


def test_table_markdown(project):
    project.config(INVENTORY)
    done = project.cli("table")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("## Software classification\n\nItems not listed here are Stable.")
    assert "| --auto-cast | api | Alpha |  |  |" in out
    assert "| llama | model | Beta | pytorch-neuronx, neuronx-distributed, training |  |" in out
    assert "| neuronx-distributed | package | Beta |  | 2.19.0 |" in out
    assert "torch_neuronx.trace" not in out
    assert "### What the levels mean" in out
    assert "| Stable | Basic and compatibility tests; incremental changes only" in out


def test_table_rst_with_an_audit(pytester, project):
    project.config(INVENTORY)
    pytester.makepyfile(test_x="import pytest\n@pytest.mark.neuron_beta('cache')\ndef test_a(): pass")
    pytester.runpytest("--neuron-json=r.json")
    done = project.cli("table", "--format", "rst", "--json", "r.json")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("Software classification\n=======================\n")
    assert ".. list-table::\n   :header-rows: 1\n" in out
    assert "   * - cache\n     - feature\n     - Beta\n     -\n     -\n     - basic met\n" in out
    assert (
        "   * - neuronx-distributed\n     - package\n     - Beta\n     -\n     - 2.19.0\n     - basic missing\n" in out
    )
