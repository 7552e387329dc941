"""Metric baselines per environment: the numbers a run measured, kept like a snapshot and compared.

A bound (``max=15``) catches a disaster; a baseline catches drift. The baseline file records
every metric of a run per environment key, item id, test node id and metric name, so that the
next run in the same environment can say ``latency_p90 regressed 12 -> 17.2 ms (+43%, ...)``.
Numbers from another environment (a trn1 latency against an inf2 one) are never compared, nor is
a metric without a direction (``better``: higher or lower). A timing taken twice on a shared
machine differs by more than 10%, so a change beyond the tolerance regresses only when it is
also beyond the noise (:mod:`.noise`): a gate that fails identical runs gets switched off.
Pure: no pytest, no I/O (the file is :mod:`..storage.metric_baseline`, its entries :mod:`..core.metric_entry`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Collection, Iterable, Literal, Mapping, NamedTuple, Optional, get_args

from pytest_neuron_classification.core.metric import Better as MetricBetter
from pytest_neuron_classification.core.metric import Metric
from pytest_neuron_classification.core.metric_entry import Baseline, Entry, MetricKey, RunSummary
from pytest_neuron_classification.core.stats import median
from pytest_neuron_classification.core.text import is_finite_number
from pytest_neuron_classification.core.vocabulary import ClassificationError, Kind, Level
from pytest_neuron_classification.metrics.noise import DEFAULT_WINDOW, UPDATE_HINT, State, one, ratio, verdict

DEFAULT_METRICS_PATH = "neuron-metrics.json"
DEFAULT_TOLERANCE = 0.10
#: The band within a run around a baseline's median, in IQR / sqrt(rounds), about standard errors of
#: the median (``metrics-tolerance`` ``noise``, see :mod:`.noise`; the band between runs and a young
#: window's floor are the others). The p-value under which two sets of
#: samples differ (``significance``): 0.05, as Google Benchmark's compare.py; five samples a side can
#: never reach 0.01.
DEFAULT_NOISE = 3.0
DEFAULT_SIGNIFICANCE = 0.05
#: pytest-benchmark's statistics this plugin records; one is judged (``benchmark-statistic``).
BenchmarkStatistic = Literal["median", "mean", "min"]
BENCHMARK_STATISTICS: tuple[BenchmarkStatistic, ...] = get_args(BenchmarkStatistic)
DEFAULT_STATISTIC: BenchmarkStatistic = "median"
#: The environment key of a run that names no environment.
DEFAULT_ENVIRONMENT = "default"
NEW_HINT = f"record it with {UPDATE_HINT}"

Direction = MetricBetter
Better = Optional[Direction]


class RunMetric(NamedTuple):
    """One metric of this run, with the item and the test it is about."""

    item_id: str
    nodeid: str
    metric: Metric
    better: Better


#: Float noise (``13.2 / 12 - 1``) must not turn "exactly at the tolerance" into a regression.
_EPSILON = 1e-9


# --- tolerances ----------------------------------------------------------------------


@dataclass(frozen=True)
class Tolerances:
    """Relative tolerances: a default, per metric name, and per item (id or name) which wins.

    ``noise`` and ``significance`` say when a change beyond the tolerance is also beyond the
    noise (see :mod:`.noise`).
    """

    default: float = DEFAULT_TOLERANCE
    metrics: Mapping[str, float] = field(default_factory=dict)
    items: Mapping[str, float] = field(default_factory=dict)
    noise: float = DEFAULT_NOISE
    significance: float = DEFAULT_SIGNIFICANCE

    def for_metric(self, item_id: str, metric: str) -> float:
        """The item's own (by id, or by name: ``llama`` of ``llama[framework=...]``) beats the metric's."""
        for key in (item_id, item_id.split("[", 1)[0]):
            if key in self.items:
                return self.items[key]
        return self.metrics.get(metric, self.default)


def check_tolerance(value: object, what: str) -> float:
    """A tolerance is a finite number >= 0 (0.1 means 10%); else one line naming ``what``."""
    number = float(value) if is_finite_number(value) else -1.0  # type: ignore[arg-type]
    if number < 0:
        raise ClassificationError(f"{what} must be a number >= 0 (0.1 means 10%), not {value!r}")
    return number


def make_tolerances(
    default: object = DEFAULT_TOLERANCE,
    metrics: Mapping[str, object] | None = None,
    items: Mapping[str, object] | None = None,
    *,
    where: str = "metric tolerance",
    noise: object = DEFAULT_NOISE,
    significance: object = DEFAULT_SIGNIFICANCE,
) -> Tolerances:
    """Valid :class:`Tolerances`, or :class:`ClassificationError` naming the bad one."""
    level = check_tolerance(significance, "metrics-tolerance significance")
    if not 0 < level < 1:
        raise ClassificationError(
            f"metrics-tolerance significance must be a p-value between 0 and 1 (0.05), not {level!r}"
        )
    band = noise
    if not is_finite_number(band) or float(band) < 0:  # type: ignore[arg-type]
        raise ClassificationError(
            f"metrics-tolerance noise must be a number of interquartile ranges >= 0 (3), not {band!r}"
        )
    return Tolerances(
        check_tolerance(default, where),
        {k: check_tolerance(v, f"{where} of metric {k!r}") for k, v in (metrics or {}).items()},
        {k: check_tolerance(v, f"{where} of item {k!r}") for k, v in (items or {}).items()},
        float(band),  # type: ignore[arg-type]
        level,
    )


# --- this run's metrics, the baseline file --------------------------------------------


def run_entries(run_metrics: Iterable[RunMetric]) -> dict[MetricKey, Entry]:
    """This run's metrics by key. A test that records a name twice keeps the last value (a rerun)."""
    return {MetricKey(m.item_id, m.nodeid, m.metric.name): Entry.of(m.metric, m.better) for m in run_metrics}


def record_baseline(
    existing: Baseline,
    run_metrics: Iterable[RunMetric],
    env_key: str,
    *,
    ran: Collection[str] | None = None,
    gone: Collection[str] = (),
    window: int = DEFAULT_WINDOW,
) -> Baseline:
    """A new baseline: this environment's entries are the run's, other environments' are kept.

    Each entry of the run joins the window of the last ``window`` runs its entry kept (see
    :func:`widen`), so the band learns the spread between runs.

    With ``ran`` (the node ids that ran), entries of tests that did not run are kept too, so that
    rewriting the baseline from a ``-k`` run does not drop everything else. ``gone`` names the
    tests that no longer exist (known only on a full run): their entries go, in every environment.
    """
    kept = {k: e for k, e in existing.get(env_key, {}).items() if ran is not None and k.nodeid not in ran}
    result = {env: dict(entries) for env, entries in existing.items() if env != env_key}
    if gone:
        result = {env: {k: e for k, e in entries.items() if k.nodeid not in gone} for env, entries in result.items()}
        result = {env: entries for env, entries in result.items() if entries}
        kept = {k: e for k, e in kept.items() if k.nodeid not in gone}
    before = existing.get(env_key, {})
    recorded = run_entries(m for m in run_metrics if judged(m.metric, m.better))
    entries = {**kept, **{k: widen(before.get(k), e, window) for k, e in recorded.items()}}
    if entries:
        result[env_key] = entries
    return result


def widen(old: Entry | None, new: Entry, window: int) -> Entry:
    """``new`` with the last ``window`` runs of ``old``'s window and itself; its value their median.

    A window only holds runs of one unit and direction: a changed one starts again from this run.
    """
    if old is None or window < 2 or (old.unit, old.better) != (new.unit, new.better):
        return new
    runs = (*old.runs, RunSummary(new.value, new.spread))[-window:]
    return replace(new, value=median([r.value for r in runs]), window=runs if len(runs) > 1 else ())


# --- comparing this run with the baseline --------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """One metric of one test, this run against the baseline of the same environment.

    ``change`` is relative, ``(current - baseline) / |baseline|``; None when either side is
    absent or the baseline is 0. ``environments`` lists, for ``not-comparable``, the environments
    that do have an entry. ``text`` is the one line the reports show.
    """

    item_id: str
    nodeid: str
    metric: str
    state: State
    env: str
    baseline: float | None
    current: float | None
    change: float | None
    tolerance: float
    unit: str
    better: Better
    text: str
    environments: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "environments": list(self.environments)}


def compare(
    baseline: Baseline,
    run_metrics: Iterable[RunMetric],
    env_key: str,
    tolerances: Tolerances | None = None,
    *,
    ran: Collection[str] | None = None,
    hint: str = NEW_HINT,
) -> list[Comparison]:
    """Every metric of this run, and every baseline entry of this environment it lacks, judged.

    With ``ran`` (the node ids that ran and passed), an entry of a test that did not is not
    ``missing``: a ``-k`` run says nothing about the tests it deselected, a failed test already
    says so. A benchmark statistic that is not judged (``benchmark-statistic``) is shown by the
    report, never compared; an entry without a direction is never ``missing``. ``hint`` says
    how a new metric gets its baseline.
    """
    tolerances = tolerances or Tolerances()
    measured = list(run_metrics)
    current = run_entries(measured)
    shown = {MetricKey(m.item_id, m.nodeid, m.metric.name) for m in measured if not judged(m.metric, m.better)}
    recorded = baseline.get(env_key, {})
    results = []
    for key, now in current.items():
        if key in shown:
            continue
        others = tuple(sorted(e for e, entries in baseline.items() if e != env_key and key in entries))
        results.append(_judge(key, now, recorded.get(key), others, env_key, tolerances, hint))
    for key, old in recorded.items():
        if key not in current and old.better is not None and (ran is None or key.nodeid in ran):
            text = f"{key.name} missing: the baseline has {one(old.value, old.unit)}{_on(env_key)} but this run did not record it"
            tolerance = tolerances.for_metric(key.item_id, key.name)
            results.append(
                Comparison(*key, "missing", env_key, old.value, None, None, tolerance, old.unit, old.better, text)
            )
    return sorted(results, key=lambda r: (r.item_id, r.nodeid, r.metric))


def judged(metric: Metric, better: Better) -> bool:
    """Whether a measurement is compared (or recorded) at all: not a benchmark statistic shown only."""
    return better is not None or metric.source != "benchmark"


def _judge(
    key: MetricKey, now: Entry, old: Entry | None, others: tuple[str, ...], env: str, tolerances: Tolerances, hint: str
) -> Comparison:
    name, value = key.name, one(now.value, now.unit)
    tolerance = tolerances.for_metric(key.item_id, key.name)

    def result(state: State, text: str, change: float | None = None, envs: tuple[str, ...] = ()) -> Comparison:
        before = None if old is None else old.value
        return Comparison(*key, state, env, before, now.value, change, tolerance, now.unit, now.better, text, envs)

    if now.better is None:
        shown = "" if old is None else f" (baseline {one(old.value, old.unit)})"
        return result("no-direction", f"{name} {value}{shown} has no direction: shown, never compared")
    if old is None and others:
        text = f"{name} {value} is not comparable{_on(env) or ' on default'}: the baseline has it only on {'; '.join(others)}"
        return result("not-comparable", f"{text}; record this environment with {UPDATE_HINT}", envs=others)
    if old is None:
        return result("new", f"{name} {value} is new{_on(env)}: {hint}")
    if old.unit != now.unit:
        text = f"{name} {value} is not comparable with the baseline {one(old.value, old.unit)}: the unit changed"
        return result("not-comparable", f"{text}; refresh the baseline with {UPDATE_HINT}")
    state, change = assess(old.value, now.value, now.better, tolerance)
    state, text = verdict(name, old, now, state, change, tolerance, tolerances.noise, tolerances.significance)
    return result(state, text + (_on(env) if state == "regressed" else ""), change)


def assess(baseline: float, current: float, better: Direction, tolerance: float) -> tuple[State, float | None]:
    """``ok``, ``regressed`` or ``improved``, and the relative change.

    A change exactly at the tolerance is ``ok``. A baseline of 0 has no relative change, so the
    tolerance is taken as an absolute amount in the metric's unit (0 errors -> 1 error with
    tolerance 0.1 regresses; 0 -> 0.05 does not).
    """
    change = ratio(current, baseline)
    worse = (current - baseline if change is None else change) * (1 if better == "lower" else -1)
    if worse > tolerance + _EPSILON:
        return "regressed", change
    if -worse > tolerance + _EPSILON:
        return "improved", change
    return "ok", change


def _on(env: str) -> str:
    return "" if env == DEFAULT_ENVIRONMENT else f" on {env}"


# --- judging by level ----------------------------------------------------------------


def judged_strictly(level: Level, kind: Kind, category: str) -> bool:
    """Stable items keep their numbers. So does a Beta model class for accuracy: that is the very
    promise Beta makes for a model ("validated accuracy or convergence"); its other numbers, and
    every number of an Alpha or Beta item, are reported without failing."""
    return level == "stable" or (level == "beta" and kind == "model" and category == "accuracy")


def fails(
    level: Level,
    kind: Kind,
    category: str,
    state: State,
    *,
    test_passed_in_this_run: bool,
    fail_on_improvement: bool = False,
) -> bool:
    """Whether this comparison fails the run.

    ``regressed`` fails where numbers are judged strictly; ``missing`` too, but only when the test
    that recorded it ran and passed without it (a failed or skipped test already says so).
    ``improved`` fails only with ``fail-on-improvement``, and only where a regression would fail:
    the switch keeps enforced baselines tight, and a baseline nobody enforces needs no refresh.
    ``ok``, ``new``, ``not-comparable`` and ``no-direction`` never fail.
    """
    failing = {"regressed": True, "missing": test_passed_in_this_run, "improved": fail_on_improvement}
    return failing.get(state, False) and judged_strictly(level, kind, category)
