"""pytest-benchmark's timings as measurements.

Like the ``neuron_metric`` fixture (:mod:`pytest_neuron_classification.fixtures`), this puts each measurement on the test's ``user_properties`` (see :mod:`.metrics`), which
pytest copies onto every report of the test, so the measurement reaches the controller
wherever the test ran: serially, on an xdist worker, or in a forked child process.
"""

from __future__ import annotations

from typing import Any

import pytest

from pytest_neuron_classification.core.metric import UNTIMED_PROPERTY, make_metric, metric_property
from pytest_neuron_classification.core.vocabulary import ClassificationError
from pytest_neuron_classification.session.xdist_wire import is_worker

#: Set at collection on classified tests that ask for pytest-benchmark's ``benchmark`` fixture.
USES_BENCHMARK = pytest.StashKey[bool]()
BENCHMARK_READER = "neuron_classification_benchmark_reader"


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
        item.user_properties.extend(benchmark_properties(fixture, is_worker(item.config)))


def benchmark_properties(fixture: Any, worker: bool = False) -> list[tuple[str, str]]:
    """The fixture's statistics as metrics, or why it timed nothing (pytest-benchmark disables itself on xdist workers)."""
    meta = getattr(fixture, "stats", None)
    if getattr(fixture, "disabled", False) or meta is None:
        if getattr(fixture, "disabled", False):
            why = "xdist" if worker else "disabled"
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
