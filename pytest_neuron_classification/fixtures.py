"""The ``neuron_metric`` fixture: what a performance or accuracy test measured.

Each measurement goes on the test's ``user_properties`` (see :mod:`.core.metric`), which
pytest copies onto every report of the test, so the measurement reaches the controller
wherever the test ran: serially, on an xdist worker, or in a forked child process.

The module is a pytest plugin of its own (entry point ``neuron_metric``), which also registers
the markers: with the audit disabled (``-p no:neuron_classification``) a suite still runs, under
``--strict-markers`` too; the tests that use the fixture run, and a value outside its bounds still
fails them; nothing is judged or reported.

PYTEST_DONT_REWRITE: the package imports its modules without assertion rewriting (see
:class:`pytest_neuron_classification._PlainImports`).
"""

from __future__ import annotations

from typing import Iterable, Union

import pytest

from pytest_neuron_classification.core.metric import METRIC_PROPERTY, Metric, make_metric, metric_property
from pytest_neuron_classification.core.text import visible
from pytest_neuron_classification.core.vocabulary import ClassificationError

#: One number, or its samples: a list, a tuple, a one-dimensional numpy array.
Value = Union[float, Iterable[float]]

#: The level markers: which item a test is evidence for, and at what level.
MARKERS = {
    "neuron_alpha": "classify the test's item as Alpha (developer preview; not for models)",
    "neuron_beta": "classify the test's item as Beta (developer preview)",
    "neuron_stable": "classify the test's item as Stable",
}
#: The category markers: which promise of its item a test serves.
CATEGORY_MARKERS = {
    "neuron_integration": "the test is an integration test of its classified item",
    "neuron_performance": "the test checks performance or throughput/latency",
    "neuron_accuracy": "the test validates a model's accuracy",
    "neuron_convergence": "the test validates a model's training convergence (accuracy)",
    "neuron_compat": "the test checks backward compatibility of a Stable API",
}


def pytest_configure(config: pytest.Config) -> None:
    for name, text in MARKERS.items():
        config.addinivalue_line("markers", f"{name}(name=None, *, kind=None, **coupling): {text}")
    for name, text in CATEGORY_MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {text}")


class MetricRecorder:
    """What ``neuron_metric`` gives a test: call it once per measured metric."""

    def __init__(self, node: pytest.Item) -> None:
        self._node = node
        self._names: set[str] = set()
        # A new attempt of a rerun test (pytest-rerunfailures) sets the fixture up again: the
        # attempts before it measured code that then failed, and only the last attempt decides.
        node.user_properties[:] = [p for p in node.user_properties if not _measurement(p)]

    def __call__(
        self,
        name: str,
        value: Value,
        unit: str = "",
        *,
        min: float | None = None,
        max: float | None = None,
        better: str | None = None,
    ) -> Metric:
        """Record ``value``; fail the test at once, in one line, when it is outside its bounds.

        ``value`` may be the samples of one measurement (``[12.1, 12.4, 11.9]``, a numpy
        array): the median is the value, checked against the bounds and the baseline, and the
        spread says how noisy it is. ``better="higher"`` or ``"lower"`` says which way is good,
        so that the value is compared with the metric baseline (``--neuron-update-metrics``).
        """
        __tracebackhide__ = True
        try:
            metric = make_metric(name, value, unit, min, max, better=better)
            if metric.name in self._names:
                raise ClassificationError(
                    f"{metric.name} is recorded twice in this test; record its samples in one call: "
                    f"neuron_metric({metric.name!r}, [v1, v2, ...], ...)"
                )
        except ClassificationError as exc:
            problem = f"neuron_metric: {exc}"
        else:
            problem = ""
        if problem:  # failed outside the except block: one line, no "during handling" chain
            pytest.fail(visible(problem), pytrace=False)
        self._names.add(metric.name)
        self._node.user_properties.append(metric_property(metric))
        problem = metric.bound_problem()
        if problem:
            pytest.fail(visible(problem), pytrace=False)
        return metric


def _measurement(prop: object) -> bool:
    return isinstance(prop, tuple) and len(prop) == 2 and prop[0] == METRIC_PROPERTY


@pytest.fixture
def neuron_metric(request: pytest.FixtureRequest) -> MetricRecorder:
    """Record what the test measured: ``neuron_metric("throughput", 1520.0, "samples/s", min=1400)``,
    or its samples: ``neuron_metric("latency", [12.1, 12.4, 11.9], "ms", max=15, better="lower")``.

    A performance or accuracy obligation is met only by a passing test that measured
    something; a value outside ``min``/``max`` fails the test.
    """
    node = request.node
    assert isinstance(node, pytest.Item)
    return MetricRecorder(node)
