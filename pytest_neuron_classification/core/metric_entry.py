"""The recorded forms of a measurement: a baseline entry, the baseline, a line of the history.

Data only, no judgement and no I/O: the metric gate (:mod:`..metrics`) compares them, and the
files that keep them (:mod:`..storage.metric_baseline`, :mod:`..storage.history_file`) read and
write them; both layers need the same types, so they live here, below both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Mapping, NamedTuple

from pytest_neuron_classification.core.metric import BETTER, Better, Metric
from pytest_neuron_classification.core.vocabulary import ClassificationError


class MetricKey(NamedTuple):
    """What one baseline entry is about."""

    item_id: str
    nodeid: str
    name: str


class RunSummary(NamedTuple):
    """One run of a baseline's window: the value it measured, and its spread within the run (IQR), if any."""

    value: float
    spread: float | None = None


@dataclass(frozen=True)
class Entry:
    """One recorded number: what it was, in which unit, and which way is better.

    A distribution (samples of a ``neuron_metric``, a benchmark's rounds, the runs of the
    history) also keeps its spread (interquartile range), how many values it had, and up to
    200 of them as quantiles, so that the next run is judged against the noise.

    ``window`` holds the last runs recorded (``metric-window``), oldest first, when there are two
    or more: ``value`` is then the median of their values, the spread and samples are the last
    run's. A baseline written before windows existed is a window of one run: itself.
    """

    value: float
    unit: str = ""
    better: Better | None = None
    spread: float | None = None
    rounds: int = 0
    samples: tuple[float, ...] = ()
    window: tuple[RunSummary, ...] = ()

    @property
    def runs(self) -> tuple[RunSummary, ...]:
        """The window's runs, oldest first: at least one, this entry's own."""
        return self.window or (RunSummary(self.value, self.spread),)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"value": self.value, "unit": self.unit, "better": self.better}
        if self.rounds:
            data.update(spread=self.spread, rounds=self.rounds, samples=list(self.samples))
        if len(self.window) > 1:  # a window of one is the entry itself: the file stays as it was
            data["window"] = [{"value": r.value, "spread": r.spread} for r in self.window]
        return data

    @classmethod
    def of(cls, metric: Metric, better: Better | None) -> Entry:
        direction = check_better(better, f"better of {metric.name}")
        return cls(float(metric.value), metric.unit, direction, metric.spread, metric.rounds, metric.samples)


#: Environment key -> entries. Plain dicts: the gate's ``record_baseline`` returns a new one.
Baseline = Dict[str, Dict[MetricKey, Entry]]


def check_better(value: object, what: str = "better") -> Better | None:
    """A direction as a file or a caller gave it: ``higher``, ``lower`` or None; else one line naming ``what``."""
    if value is None or value in BETTER:
        return value
    raise ClassificationError(f"{what} must be 'higher', 'lower' or None, not {value!r}")


#: item id -> test node id -> metric name -> value.
RunValues = Mapping[str, Mapping[str, Mapping[str, float]]]


@dataclass(frozen=True)
class HistoryRun:
    """One line of the history: when (ISO-8601, UTC), where (environment key), which code, what."""

    time: str
    env: str
    commit: str | None
    metrics: RunValues

    def to_dict(self) -> dict[str, Any]:
        return {"time": self.time, "env": self.env, "commit": self.commit, "metrics": self.metrics}
