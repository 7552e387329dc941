"""pytest-benchmark's timings as measurements.

Like the ``neuron_metric`` fixture (:mod:`pytest_neuron_classification.fixtures`), this puts each measurement on the test's ``user_properties`` (see :mod:`.metrics`), which
pytest copies onto every report of the test, so the measurement reaches the controller
wherever the test ran: serially, on an xdist worker, or in a forked child process.
"""

from __future__ import annotations

from typing import Any

import pytest

from pytest_neuron_classification.core.metric import (
    METRIC_PROPERTY,
    UNTIMED_PROPERTY,
    make_metric,
    metric_property,
)
from pytest_neuron_classification.core.vocabulary import ClassificationError
from pytest_neuron_classification.metrics.baselines import BENCHMARK_STATISTICS, DEFAULT_STATISTIC
from pytest_neuron_classification.session.xdist_wire import is_worker

#: Set at collection on classified tests that ask for pytest-benchmark's ``benchmark`` fixture.
USES_BENCHMARK = pytest.StashKey[bool]()
#: The statistic judged against the baseline (``benchmark-statistic``); set at configure.
BENCHMARK_STATISTIC = pytest.StashKey[str]()
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
        # What an earlier attempt of a rerun test (pytest-rerunfailures) timed goes: the last decides.
        item.user_properties[:] = [p for p in item.user_properties if not _timed(p)]
        if fixture is None:  # skipped or failed before the fixture was set up
            if getattr(getattr(item.config, "_benchmarksession", None), "skip", False) is True:
                item.user_properties.append((UNTIMED_PROPERTY, "skipped"))  # --benchmark-skip
            return
        statistic = item.config.stash.get(BENCHMARK_STATISTIC, DEFAULT_STATISTIC)
        item.user_properties.extend(benchmark_properties(fixture, statistic, is_worker(item.config)))


def _timed(prop: object) -> bool:
    if not isinstance(prop, tuple) or len(prop) != 2:
        return False
    return prop[0] == UNTIMED_PROPERTY or (prop[0] == METRIC_PROPERTY and '"source": "benchmark"' in str(prop[1]))


def benchmark_properties(
    fixture: Any, statistic: str = DEFAULT_STATISTIC, worker: bool = False
) -> list[tuple[str, str]]:
    """The fixture's statistics as metrics, or why it timed nothing (it disables itself on xdist workers).

    One statistic is judged against the baseline (``benchmark-statistic``, the median unless
    configured): it carries the rounds' distribution, from pytest-benchmark's raw timings, so
    that a change is judged against the noise. The others are shown, never compared; the
    number of rounds is how long pytest-benchmark chose to time, not a result.
    """
    meta = getattr(fixture, "stats", None)
    if getattr(fixture, "disabled", False) or meta is None:
        if getattr(fixture, "disabled", False):
            why = "xdist" if worker else "disabled"
        else:
            why = "not-called"
        return [(UNTIMED_PROPERTY, why)]
    stats = meta.stats
    raw = list(getattr(stats, "data", None) or ())
    properties = []
    for name in BENCHMARK_STATISTICS:
        value = getattr(stats, name)
        try:
            if name == statistic and raw:
                metric = make_metric(name, raw, "s", source="benchmark", better="lower", statistic=value)
            else:
                metric = make_metric(
                    name, value, "s", source="benchmark", better="lower" if name == statistic else None
                )
        except ClassificationError:
            continue  # a timing that is no finite number is no measurement
        properties.append(metric_property(metric))
    return properties
