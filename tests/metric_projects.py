"""Projects that measure, and the fixtures' bodies that run them, shared by the metric tests
(tests/integration/metrics/, tests/system/metrics/test_metrics.py)."""

from __future__ import annotations

import json
from typing import Any, Callable

import pytest

MEASURED = """
@pytest.mark.neuron_performance
def test_speed(neuron_metric):
    neuron_metric("throughput", 1520.0, "samples/s", min=1400)
"""
PRINT_ONLY = """
@pytest.mark.neuron_performance
def test_speed():
    print("throughput", 1520.0)
"""
BENCHMARKED = """
def test_speed(benchmark):
    benchmark(sum, range(10))
"""

#: A Stable package whose standard suite is complete and whose performance test is a benchmark.
BENCHMARKED_PACKAGE = """
import pytest
pytestmark = pytest.mark.neuron_stable("runtime", kind="package")
def test_unit(): pass
@pytest.mark.neuron_integration
def test_integration(): pass
@pytest.mark.neuron_performance
def test_speed(benchmark):
    benchmark(sum, range(100))
"""


def stable_package(project: Any, body: str) -> None:
    """A Stable package whose standard suite is complete; ``body`` holds its performance test."""
    project.module("runtime", categories=("functional", "integration"), extra=body)


MODEL = """
import os, pytest
pytestmark = pytest.mark.neuron_{level}("llama", kind="model", workload="inference")
@pytest.mark.neuron_accuracy
def test_accuracy(neuron_metric):
    neuron_metric("top1", float(os.environ.get("TOP1", "0.90")), better="higher")
@pytest.mark.neuron_performance
def test_latency(neuron_metric):
    neuron_metric("latency_p90", float(os.environ.get("LATENCY", "12.0")), "ms", better="lower")
"""
ENV = "instance=trn1.32xlarge"


def recorded_model(project: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[Callable[..., None], Callable[..., Any]]:
    """A Stable model whose measurements on trn1 are recorded as the baseline: its setup, and a runner."""

    def setup(level: str = "stable", config: str = "") -> None:
        for name in ("LATENCY", "TOP1"):
            monkeypatch.delenv(name, raising=False)  # record the defaults
        project.config(config)
        project.pytester.makepyfile(test_llama=MODEL.format(level=level))
        result = project.pytester.runpytest("--neuron-update-metrics", "--neuron-env", ENV)
        assert result.ret == 0, result.stdout.str()
        recorded = json.loads((project.path / "neuron-metrics.json").read_text())["environments"][ENV]
        assert sorted(recorded["llama[workload=inference]"]) == [
            "test_llama.py::test_accuracy",
            "test_llama.py::test_latency",
        ]

    def run(*args: str, report: str = "neuron-report.json", **env: str):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return project.run("--neuron-env", "instance=trn1.32xlarge", *args, report=report)

    return setup, run


#: A Stable model whose latency test reads its samples (or a bad value, or an outcome) from the environment.
NOISY = """
import os, pytest
pytestmark = pytest.mark.neuron_stable("llama", kind="model", workload="inference")
def test_unit(): pass
@pytest.mark.neuron_accuracy
def test_accuracy(neuron_metric):
    neuron_metric("top1", 0.9, better="higher")
@pytest.mark.neuron_performance
def test_latency(neuron_metric):
    samples = [float(v) for v in os.environ.get("LATENCY", "12,11,13,12,12.5").split(",")]
    neuron_metric("latency", samples, "ms", max=15, better="lower")
    outcome = os.environ.get("OUTCOME", "")
    if outcome == "fail": assert False, "broken"
    if outcome == "skip": pytest.skip("no device")
    if outcome == "xfail": pytest.xfail("known")
"""
TRN1 = ("--neuron-env", "instance=trn1")


def noisy_model(project: Any, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """The :data:`NOISY` project, and a runner on trn1 that sets its environment variables."""
    project.config("")
    project.pytester.makepyfile(test_llama=NOISY)

    def run(*args: str, **env: str):
        for name in ("LATENCY", "OUTCOME"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return project.run(*TRN1, *args)

    return run


def entries(project: Any) -> dict[str, dict]:  # type: ignore[type-arg]
    data = json.loads((project.path / "neuron-metrics.json").read_text())
    tests = data["environments"]["instance=trn1"]["llama[workload=inference]"]
    return {f"{nodeid.split('::')[-1]} {name}": e for nodeid, names in tests.items() for name, e in names.items()}
