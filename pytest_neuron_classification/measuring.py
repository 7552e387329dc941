"""The pytest side of measurements: the ``neuron_metric`` fixture, and pytest-benchmark's timings.

Both put each measurement on the test's ``user_properties`` (see :mod:`.metrics`), which
pytest copies onto every report of the test, so the measurement reaches the controller
wherever the test ran: serially, on an xdist worker, or in a forked child process.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from .metrics import UNTIMED_PROPERTY, Metric, make_metric, metric_property
from .policy import ClassificationError

#: Set at collection on classified tests that ask for pytest-benchmark's ``benchmark`` fixture.
USES_BENCHMARK = pytest.StashKey[bool]()
BENCHMARK_READER = "neuron_classification_benchmark_reader"


class MetricRecorder:
    """What ``neuron_metric`` gives a test: call it once per measured number."""

    def __init__(self, node: pytest.Item) -> None:
        self._node = node

    def __call__(
        self,
        name: str,
        value: float,
        unit: str = "",
        *,
        min: float | None = None,
        max: float | None = None,
        better: str | None = None,
    ) -> Metric:
        """Record ``value``; fail the test at once, in one line, when it is outside its bounds.

        ``better="higher"`` or ``"lower"`` says which way is good, so that the value is
        compared with the metric baseline (``--neuron-update-metrics``).
        """
        __tracebackhide__ = True
        try:
            metric = make_metric(name, value, unit, min, max, better=better)
        except ClassificationError as exc:
            problem = f"neuron_metric: {exc}"
        else:
            problem = ""
        if problem:  # failed outside the except block: one line, no "during handling" chain
            pytest.fail(problem, pytrace=False)
        self._node.user_properties.append(metric_property(metric))
        problem = metric.bound_problem()
        if problem:
            pytest.fail(problem, pytrace=False)
        return metric


@pytest.fixture
def neuron_metric(request: pytest.FixtureRequest) -> MetricRecorder:
    """Record what the test measured: ``neuron_metric("throughput", 1520.0, "samples/s", min=1400)``.

    A performance or accuracy obligation is met only by a passing test that measured
    something; a value outside ``min``/``max`` fails the test.
    """
    node = request.node
    assert isinstance(node, pytest.Item)
    return MetricRecorder(node)


class BenchmarkReader:
    """Turns what pytest-benchmark timed into metrics, before its fixture is torn down.

    Registered only when a classified test uses the ``benchmark`` fixture, so other
    runs pay nothing for it.
    """

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> None:
        if not item.stash.get(USES_BENCHMARK, False):
            return
        fixture = (getattr(item, "funcargs", None) or {}).get("benchmark")
        if fixture is None:
            return  # skipped or failed before the fixture was set up
        item.user_properties.extend(benchmark_properties(fixture))


def benchmark_properties(fixture: Any) -> list[tuple[str, str]]:
    """The fixture's statistics as metrics, or why it timed nothing."""
    meta = getattr(fixture, "stats", None)
    if getattr(fixture, "disabled", False) or meta is None:
        if getattr(fixture, "disabled", False):
            why = "xdist" if os.environ.get("PYTEST_XDIST_WORKER") else "disabled"
        else:
            why = "not-called"
        return [(UNTIMED_PROPERTY, why)]
    stats = meta.stats
    measured = [
        ("mean", stats.mean, "s", "lower"),
        ("median", stats.median, "s", "lower"),
        ("rounds", stats.rounds, "", None),
        ("ops", stats.ops, "ops/s", "higher"),
    ]
    properties = []
    for name, value, unit, better in measured:
        try:
            properties.append(metric_property(make_metric(name, value, unit, source="benchmark", better=better)))
        except ClassificationError:
            continue  # an infinite ops/s (a zero mean) is no measurement
    return properties
