"""The evidence tests' projects and outside results, shared by tests/integration/evidence/,
tests/system/evidence/test_record_and_merge.py and tests/unit/storage/test_evidence_file.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMA = "pytest-neuron-classification-evidence/1"
SCRIPT = "scripts/run_llama_convergence.sh"
LLAMA = {"framework": "pytorch-neuronx", "library": "neuronx-distributed", "workload": "training"}
LLAMA_ID = "llama[framework=pytorch-neuronx,library=neuronx-distributed,workload=training]"
#: A Beta model class whose only pytest test is functional: its accuracy can only come from outside.
MODEL = """
import pytest
pytestmark = pytest.mark.neuron_beta("llama", kind="model", framework="pytorch-neuronx",
                                     library="neuronx-distributed", workload="training")
def test_forward(): pass
"""
RECORD = [
    *("record", "--item", "llama", "--kind", "model", "--level", "beta", "--framework", "pytorch-neuronx"),
    *("--library", "neuronx-distributed", "--workload", "training", "--category", "convergence"),
    *("--source", SCRIPT),
]


def entry(**overrides: Any) -> dict[str, Any]:
    """One result as ``record`` writes it."""
    entry: dict[str, Any] = {
        "item": "llama",
        "kind": "model",
        "level": "beta",
        "coupling": dict(LLAMA),
        "category": "convergence",
        "outcome": "passed",
        "source": SCRIPT,
        "metrics": [{"name": "loss", "value": 1.93, "unit": "", "min": None, "max": 2.5, "better": "lower"}],
    }
    return {**entry, **overrides}


def write_evidence(project: Any, name: str, *results: dict[str, Any], schema: str = SCHEMA) -> Path:
    path: Path = project.path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"schema": schema, "results": list(results)}))
    return path


MODULE = "import pytest\npytestmark = pytest.mark.neuron_beta('cache')\ndef test_a(): pass\n"


def result(index: int, **overrides: Any) -> dict[str, Any]:
    return {
        "item": f"item{index % 100}",
        "kind": "feature",
        "level": "beta",
        "category": "performance",
        "outcome": "passed",
        "source": f"job{index}",
        **overrides,
    }


#: A Stable package: a functional test, and a performance test that fails when it runs.
PERF = """
import pytest
pytestmark = pytest.mark.neuron_stable("runtime", kind="package")
def test_unit(): pass
@pytest.mark.neuron_integration
def test_integration(): pass
@pytest.mark.neuron_performance
def test_perf(neuron_metric):
    neuron_metric("throughput", 5, "samples/s", min=10)
"""


#: A Stable package whose tests end in every outcome, from any phase, and measure at call and teardown.
SUITE = """
    import pytest
    pytestmark = pytest.mark.neuron_stable("runtime", kind="package")

    @pytest.fixture
    def broken_teardown():
        yield
        raise RuntimeError("teardown")

    @pytest.fixture
    def skipping_teardown():
        yield
        pytest.skip("no device to release")

    @pytest.fixture
    def late_metric(neuron_metric):
        yield
        neuron_metric("unload_time", 0.5, "s")

    def test_pass(): pass
    def test_fail(): assert False
    @pytest.mark.skip(reason="no hardware")
    def test_skip(): pass
    @pytest.mark.xfail(reason="known")
    def test_xfail(): assert False
    def test_fail_and_teardown(broken_teardown): assert False
    def test_pass_then_teardown_error(broken_teardown): pass
    def test_pass_then_teardown_skip(skipping_teardown): pass
    @pytest.mark.neuron_performance
    def test_metrics(neuron_metric, late_metric): neuron_metric("load_time", 0.25, "s", max=1)
"""

OUTCOMES = {
    "test_runtime.py::test_pass": "passed",
    "test_runtime.py::test_fail": "failed",
    "test_runtime.py::test_skip": "skipped",
    "test_runtime.py::test_xfail": "xfailed",
    "test_runtime.py::test_fail_and_teardown": "failed",
    "test_runtime.py::test_pass_then_teardown_error": "error",
    "test_runtime.py::test_pass_then_teardown_skip": "skipped",
    "test_runtime.py::test_metrics": "passed",
}


def outcome_by_test(report: dict[str, Any]) -> dict[str, str]:
    return {t["nodeid"]: t["outcome"] for t in report["tests"]}


def metric_names(report: dict[str, Any]) -> list[str]:
    return sorted(m["name"] for t in report["tests"] for m in t["metrics"])
