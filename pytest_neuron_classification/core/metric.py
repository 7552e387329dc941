"""Measurements: the numbers a performance or accuracy test recorded, and their bounds.

A passing performance test that measured nothing keeps no performance promise, so a
measurement is evidence of its own. Tests record them with the ``neuron_metric``
fixture (or pytest-benchmark times them); they travel on the test report as a
``user_properties`` entry holding JSON, so they reach the xdist controller, JUnit XML
and the JSON report unchanged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any, Iterable, Literal, Mapping, NamedTuple, get_args

from pytest_neuron_classification.core.stats import iqr, median, thin
from pytest_neuron_classification.core.text import check_text, finite, one_spelling, short
from pytest_neuron_classification.core.vocabulary import ClassificationError, check_choice

#: The ``user_properties`` names that carry a measurement, and why a benchmark timed nothing.
METRIC_PROPERTY = "neuron_metric"
UNTIMED_PROPERTY = "neuron_benchmark_untimed"

#: ``record``: reported by a script outside pytest (``python -m pytest_neuron_classification record``).
MetricSource = Literal["neuron_metric", "benchmark", "record"]
METRIC_SOURCES: tuple[MetricSource, ...] = get_args(MetricSource)
#: Which way is good; a metric without one is shown but never compared with a baseline.
Better = Literal["higher", "lower"]
BETTER: tuple[Better, ...] = get_args(Better)


@dataclass(frozen=True)
class Metric:
    """One measured number, with the bounds the test held it to.

    A metric measured several times (``neuron_metric("lat", [12.1, 12.4, ...])``, or a
    pytest-benchmark's rounds) is a distribution: ``value`` is its median (or the benchmark
    statistic judged), ``spread`` the interquartile range and ``rounds`` how many values there
    were; ``samples`` keeps at most :data:`~.stats.MAX_SAMPLES` quantiles of them for the
    baseline's significance test. Bounds apply to ``value``.
    """

    name: str
    value: float
    unit: str = ""
    min: float | None = None
    max: float | None = None
    source: MetricSource = "neuron_metric"
    better: Better | None = None
    samples: tuple[float, ...] = ()
    spread: float | None = None
    rounds: int = 0

    def bound_problem(self) -> str:
        """``latency_p90 = 17.2 ms, above max 15 ms``, or "" when the value is within its bounds."""
        unit = f" {self.unit}" if self.unit else ""
        name = f"{self.name} median" if self.rounds and self.source == "neuron_metric" else self.name
        if self.min is not None and self.value < self.min:
            return f"{name} = {number(self.value)}{unit}, below min {number(self.min)}{unit}"
        if self.max is not None and self.value > self.max:
            return f"{name} = {number(self.value)}{unit}, above max {number(self.max)}{unit}"
        return ""

    def bound(self) -> str:
        """``>= 1400``, ``<= 15``, ``in [10, 15]``, or "" for a metric recorded without bounds.

        A timing in seconds names its scaled unit (``<= 1 ms``), so that it is never read in the
        value's: ``load_time 179.2 us <= 1 s``, not ``<= 1``.
        """
        low, high = (None if b is None else _bound(b, self.unit) for b in (self.min, self.max))
        if low is not None and high is not None:
            return f"in [{low}, {high}]"
        if low is not None:
            return f">= {low}"
        return f"<= {high}" if high is not None else ""

    def shown(self) -> str:
        """``250.3 us``: the value in the one unit every report shows this metric in."""
        return readable(self.value, self.unit, self.value)

    def describe(self) -> str:
        """``throughput 1520 samples/s >= 1400``: the value, then the bound it was held to.

        A distribution shows its spread: ``latency 12.2 ms (IQR 0.3 ms, 20 samples) <= 15``.
        """
        bound = f" {self.bound()}".rstrip()
        spread = self.spread
        iqr = f" (IQR {readable(spread, self.unit, self.value)}, {self.rounds} samples)" if spread is not None else ""
        return f"{self.name} {self.shown()}{iqr}{bound}"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "min": self.min,
            "max": self.max,
            "source": self.source,
            "better": self.better,
        }
        if self.rounds:  # only a distribution has these: a single value's dict is as it always was
            data.update(samples=list(self.samples), spread=self.spread, rounds=self.rounds)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Metric:
        source = check_choice(data.get("source", "neuron_metric"), METRIC_SOURCES, "metric source")
        args = (data["name"], data["value"], data.get("unit", ""), data.get("min"), data.get("max"))
        metric = make_metric(*args, source=source, better=data.get("better"))
        if "rounds" not in data:
            return metric
        return with_distribution(metric, data.get("samples"), data.get("spread"), data.get("rounds"))


def number(value: float) -> str:
    """A number as people read it: ``1520``, ``2625000``, ``12.3``, ``0.000123``."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}"


#: Seconds as people read a timing: ``754 ns`` rather than ``7.54e-07 s``.
_SECONDS = ((1.0, "s"), (1e-3, "ms"), (1e-6, "us"), (1e-9, "ns"))


def scale(magnitude: float, unit: str) -> tuple[float, str]:
    """Seconds as people read a timing (754 ns, not 7.54e-07 s); any other unit as it is."""
    if unit != "s":
        return 1.0, unit
    return next(((f, u) for f, u in _SECONDS if magnitude >= f), _SECONDS[-1])


def _bound(value: float, unit: str) -> str:
    return readable(value, unit) if unit == "s" else number(value)


def in_unit(value: float, unit: str, like: float) -> tuple[str, str]:
    """``("250.3", "us")``: ``value`` in the scaled unit of ``like``, the metric's value.

    One unit per metric: the terminal, the Markdown and HTML reports, the trend lines and the
    charts scale a timing by its value, so ``250.3 us`` is never ``0.000250349 s`` elsewhere.
    """
    if unit != "s":
        return number(value), unit
    factor, shown = scale(abs(like), unit)
    return f"{value / factor:.4g}", shown


def readable(value: float, unit: str, like: float | None = None) -> str:
    """``250.3 us``, ``1520 samples/s``: :func:`in_unit` (of ``value`` itself by default), joined."""
    digits, shown = in_unit(value, unit, value if like is None else like)
    return f"{digits} {shown}".rstrip()


#: The longest metric name: it is shown on the item's summary line, and a name is a name, not a log.
NAME_LIMIT = 100


def make_metric(
    name: object,
    value: object,
    unit: object = "",
    min: object = None,
    max: object = None,
    *,
    source: MetricSource = "neuron_metric",
    better: object = None,
    statistic: float | None = None,
) -> Metric:
    """A valid metric, or :class:`ClassificationError` saying which argument is wrong.

    ``value`` is one number or a sequence of them (a list, a tuple, a one-dimensional numpy
    array: numpy is never imported, only asked for ``tolist()``). A sequence is a distribution
    whose median is the value, unless ``statistic`` (pytest-benchmark's ``min``, say) is given.
    """
    written = check_text(name, "the metric name", empty=False)
    name = one_spelling(written)
    if len(name) > NAME_LIMIT:
        # A few characters are longer in their one spelling (U+FB2C is three): say why the count differs.
        how = f" in its one spelling (NFC; {len(written)} as written)" if len(written) != len(name) else ""
        raise ClassificationError(
            f"the metric name {short(name)} is {len(name)} characters long{how}; keep it under {NAME_LIMIT + 1}"
        )
    unit = check_text(unit, f"the unit of {name}", empty=True)
    low = None if min is None else finite(min, f"min of {name}")
    high = None if max is None else finite(max, f"max of {name}")
    if low is not None and high is not None and low > high:
        raise ClassificationError(f"min of {name} ({number(low)}) is greater than its max ({number(high)})")
    direction = None if better is None else check_choice(better, BETTER, f"better of {name} (higher or lower)")
    values = _sequence(value, name)
    if values is None:
        return Metric(name, finite(value, f"the value of {name}"), unit, low, high, source, direction)
    middle = finite(median(values) if statistic is None else statistic, f"the median of {name}")
    metric = Metric(name, middle, unit, low, high, source, direction)
    return with_distribution(metric, thin(values), iqr(values), len(values))


def _sequence(value: object, name: str) -> list[float] | None:
    """The values of a sequence of numbers; None for one number (a numpy scalar, a 0-d array, too)."""
    if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__iter__"):
        return None
    shape = getattr(value, "shape", None)
    if shape is not None and len(shape) == 0:
        return None  # a 0-d numpy array is one number
    if shape is not None and len(shape) > 1:
        raise ClassificationError(f"the samples of {name} must be one-dimensional, not of shape {tuple(shape)}")
    items = value.tolist() if hasattr(value, "tolist") else list(value)
    if not items:
        raise ClassificationError(f"the samples of {name} are empty; give at least one value")
    return [finite(v, f"a sample of {name}") for v in items]


def with_distribution(metric: Metric, samples: object, spread: object, rounds: object) -> Metric:
    """``metric`` with its samples, spread and rounds, checked (they may come from a file)."""
    name = metric.name
    if isinstance(rounds, bool) or not isinstance(rounds, int) or rounds < 1:
        raise ClassificationError(f"the rounds of {name} must be a whole number >= 1, not {short(rounds)}")
    if not isinstance(samples, (list, tuple)) or not 0 < len(samples) <= rounds:
        raise ClassificationError(f"the samples of {name} must be a list of 1 to {rounds} numbers")
    kept = tuple(sorted(finite(v, f"a sample of {name}") for v in samples))
    width = finite(spread, f"the spread of {name}")
    if width < 0:
        raise ClassificationError(f"the spread of {name} must be >= 0, not {number(width)}")
    return replace(metric, samples=kept, spread=width, rounds=rounds)


def metric_property(metric: Metric) -> tuple[str, str]:
    """The ``user_properties`` entry that carries ``metric`` on the test report."""
    return METRIC_PROPERTY, json.dumps(metric.to_dict(), sort_keys=True)


class Measured(NamedTuple):
    """What a test measured (a tuple's size: one is kept per test that measured something)."""

    metrics: tuple[Metric, ...]
    #: Why its benchmark timed nothing ("" when it did, or when it asked for no benchmark).
    untimed: str


#: What most tests measured: nothing, and no reason why. One shared tuple for all of them.
NOTHING = Measured((), "")


def measured_of(metrics: tuple[Metric, ...], untimed: str) -> Measured:
    """``Measured(metrics, untimed)``, or the shared :data:`NOTHING` when both are empty."""
    return Measured(metrics, untimed) if metrics or untimed else NOTHING


def from_properties(properties: Iterable[object]) -> Measured:
    """The metrics a report's ``user_properties`` carry, and why a benchmark timed nothing.

    Entries we cannot read are skipped: they were not written by this plugin.
    """
    metrics: list[Metric] = []
    untimed = ""
    for prop in properties:
        if not isinstance(prop, tuple) or len(prop) != 2:
            continue
        if prop[0] == UNTIMED_PROPERTY:
            untimed = str(prop[1])
        elif prop[0] == METRIC_PROPERTY:
            try:
                metrics.append(Metric.from_dict(json.loads(prop[1])))
            except (ClassificationError, ValueError, TypeError, KeyError):
                continue
    return measured_of(tuple(metrics), untimed)


@dataclass(frozen=True)
class MetricCheck:
    """One metric of a run judged against its baseline (see :mod:`.baselines`).

    Kept with the evidence, so that ``merge`` carries each shard's judgement: a shard's
    numbers were measured, and compared, in that shard's environment.
    """

    item_id: str
    nodeid: str
    metric: str
    #: The obligation the metric serves (``performance``, ``accuracy``), or "".
    obligation: str
    state: str
    text: str
    #: Whether it breaks a promise (a Stable regression; see ``baselines.fails``).
    fails: bool
    env: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "item_id": self.item_id,
            "nodeid": self.nodeid,
            "metric": self.metric,
            "obligation": self.obligation,
            "state": self.state,
            "text": self.text,
            "fails": self.fails,
            "env": self.env,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MetricCheck:
        text = {k: data[k] for k in ("item_id", "nodeid", "metric", "obligation", "state", "text", "env")}
        if not all(isinstance(v, str) for v in text.values()) or not isinstance(data["fails"], bool):
            raise ClassificationError(f"a metric check has values of the wrong type: {dict(data)!r}")
        return cls(**text, fails=data["fails"])
