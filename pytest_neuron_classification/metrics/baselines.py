"""Metric baselines per environment: the numbers a run measured, kept like a snapshot and compared.

A bound (``max=15``) catches a disaster; a baseline catches drift. The baseline file records
every metric of a run per environment key, item id, test node id and metric name, so that the
next run in the same environment can say ``latency_p90 regressed 12 -> 17.2 ms (+43%, ...)``.
Numbers from another environment (a trn1 latency against an inf2 one) are never compared, nor is
a metric without a direction (``better``: higher or lower). Pure: no pytest, no I/O but the file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Collection, Dict, Iterable, Literal, Mapping, Optional, Tuple

from pytest_neuron_classification.core.metric import BETTER, Metric, number, scale
from pytest_neuron_classification.core.metric import Better as MetricBetter
from pytest_neuron_classification.core.vocabulary import ClassificationError, Kind, Level
from pytest_neuron_classification.storage.files import FileFormat

METRICS_FILE = FileFormat(
    "pytest-neuron-classification-metrics/1",
    "the metric baseline",
    "fix it, or rewrite it with --neuron-update-metrics",
)
DEFAULT_METRICS_PATH = "neuron-metrics.json"
DEFAULT_TOLERANCE = 0.10
#: The environment key of a run that names no environment.
DEFAULT_ENVIRONMENT = "default"
UPDATE_HINT = "--neuron-update-metrics"

Direction = MetricBetter
Better = Optional[Direction]
State = Literal["ok", "regressed", "improved", "not-comparable", "no-direction", "new", "missing"]
#: ``(item id, test node id, metric name)``: what one baseline entry is about.
MetricKey = Tuple[str, str, str]
#: One metric of this run: ``(item id, test node id, metric, better)``.
RunMetric = Tuple[str, str, Metric, Better]
#: Float noise (``13.2 / 12 - 1``) must not turn "exactly at the tolerance" into a regression.
_EPSILON = 1e-9


@dataclass(frozen=True)
class Entry:
    """One recorded number: what it was, in which unit, and which way is better."""

    value: float
    unit: str = ""
    better: Better = None

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "unit": self.unit, "better": self.better}


#: Environment key -> entries. Plain dicts: :func:`record_baseline` returns a new one.
Baseline = Dict[str, Dict[MetricKey, Entry]]


# --- tolerances ----------------------------------------------------------------------


@dataclass(frozen=True)
class Tolerances:
    """Relative tolerances: a default, per metric name, and per item (id or name) which wins."""

    default: float = DEFAULT_TOLERANCE
    metrics: Mapping[str, float] = field(default_factory=dict)
    items: Mapping[str, float] = field(default_factory=dict)

    def for_metric(self, item_id: str, metric: str) -> float:
        """The item's own (by id, or by name: ``llama`` of ``llama[framework=...]``) beats the metric's."""
        for key in (item_id, item_id.split("[", 1)[0]):
            if key in self.items:
                return self.items[key]
        return self.metrics.get(metric, self.default)


def check_tolerance(value: object, what: str) -> float:
    """A tolerance is a finite number >= 0 (0.1 means 10%); else one line naming ``what``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ClassificationError(f"{what} must be a number >= 0 (0.1 means 10%), not {value!r}")
    return float(value)


def make_tolerances(
    default: object = DEFAULT_TOLERANCE,
    metrics: Mapping[str, object] | None = None,
    items: Mapping[str, object] | None = None,
    *,
    where: str = "metric tolerance",
) -> Tolerances:
    """Valid :class:`Tolerances`, or :class:`ClassificationError` naming the bad one."""
    return Tolerances(
        check_tolerance(default, where),
        {k: check_tolerance(v, f"{where} of metric {k!r}") for k, v in (metrics or {}).items()},
        {k: check_tolerance(v, f"{where} of item {k!r}") for k, v in (items or {}).items()},
    )


# --- this run's metrics, the baseline file --------------------------------------------


def check_better(value: object, what: str = "better") -> Better:
    if value is None or value in BETTER:
        return value
    raise ClassificationError(f"{what} must be 'higher', 'lower' or None, not {value!r}")


def run_entries(run_metrics: Iterable[RunMetric]) -> dict[MetricKey, Entry]:
    """This run's metrics by key. A test that records a name twice keeps the last value (a rerun)."""
    return {
        (item_id, nodeid, metric.name): Entry(
            float(metric.value), metric.unit, check_better(better, f"better of {metric.name}")
        )
        for item_id, nodeid, metric, better in run_metrics
    }


def record_baseline(
    existing: Baseline, run_metrics: Iterable[RunMetric], env_key: str, *, ran: Collection[str] | None = None
) -> Baseline:
    """A new baseline: this environment's entries are the run's, other environments' are kept.

    With ``ran`` (the node ids that ran), entries of tests that did not run are kept too, so that
    rewriting the baseline from a ``-k`` run does not drop everything else.
    """
    kept = {k: e for k, e in existing.get(env_key, {}).items() if ran is not None and k[1] not in ran}
    result = {env: dict(entries) for env, entries in existing.items() if env != env_key}
    entries = {**kept, **run_entries(run_metrics)}
    if entries:
        result[env_key] = entries
    return result


def dump_baseline(baseline: Baseline) -> str:
    """Sorted and indented, nested environment > item > test > metric: a change is a small diff."""
    nested: dict[str, Any] = {}
    for env, entries in baseline.items():
        for (item_id, nodeid, name), entry in entries.items():
            nested.setdefault(env, {}).setdefault(item_id, {}).setdefault(nodeid, {})[name] = entry.to_dict()
    return METRICS_FILE.dump({"environments": nested}, sort_keys=True)


def load_baseline(path: Path) -> Baseline:
    """The baseline in ``path``; empty when there is none yet (the first run records it)."""
    if not path.exists():
        return {}
    data = METRICS_FILE.read(path).get("environments")
    baseline: Baseline = {}
    for env, items in _mapping(data, path, "'environments'").items():
        for item_id, tests in _mapping(items, path, f"environment {env!r}").items():
            for nodeid, metrics in _mapping(tests, path, f"environment {env!r}, item {item_id!r}").items():
                where = f"environment {env!r}, item {item_id!r}, test {nodeid!r}"
                for name, raw in _mapping(metrics, path, where).items():
                    entry = _entry(raw, path, f"{where}, metric {name!r}")
                    baseline.setdefault(env, {})[(item_id, nodeid, name)] = entry
    return baseline


def _problem(path: Path, where: str, problem: str) -> ClassificationError:
    return ClassificationError(f"{path}: {where}: {problem}; {METRICS_FILE.fix}")


def _mapping(value: object, path: Path, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _problem(path, where, f"must be a JSON object, not {value!r}")
    return value


def _entry(raw: object, path: Path, where: str) -> Entry:
    data = _mapping(raw, path, where)
    value, unit = data.get("value"), data.get("unit", "")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _problem(path, where, f"value must be a finite number, not {value!r}")
    if not isinstance(unit, str):
        raise _problem(path, where, f"unit must be a string, not {unit!r}")
    try:
        better = check_better(data.get("better"))
    except ClassificationError as exc:
        raise _problem(path, where, str(exc)) from None
    return Entry(float(value), unit, better)


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
) -> list[Comparison]:
    """Every metric of this run, and every baseline entry of this environment it lacks, judged.

    With ``ran`` (the node ids that ran), an entry of a test that did not run is not ``missing``:
    a ``-k`` run says nothing about the tests it deselected.
    """
    tolerances = tolerances or Tolerances()
    current = run_entries(run_metrics)
    recorded = baseline.get(env_key, {})
    results = []
    for key, now in current.items():
        others = tuple(sorted(e for e, entries in baseline.items() if e != env_key and key in entries))
        results.append(_judge(key, now, recorded.get(key), others, env_key, tolerances.for_metric(key[0], key[2])))
    for key, old in recorded.items():
        if key not in current and (ran is None or key[1] in ran):
            text = f"{key[2]} missing: the baseline has {_one(old.value, old.unit)}{_on(env_key)} but this run did not record it"
            tolerance = tolerances.for_metric(key[0], key[2])
            results.append(
                Comparison(*key, "missing", env_key, old.value, None, None, tolerance, old.unit, old.better, text)
            )
    return sorted(results, key=lambda r: (r.item_id, r.nodeid, r.metric))


def _judge(
    key: MetricKey, now: Entry, old: Entry | None, others: tuple[str, ...], env: str, tolerance: float
) -> Comparison:
    name, value = key[2], _one(now.value, now.unit)

    def result(state: State, text: str, change: float | None = None, envs: tuple[str, ...] = ()) -> Comparison:
        before = None if old is None else old.value
        return Comparison(*key, state, env, before, now.value, change, tolerance, now.unit, now.better, text, envs)

    if now.better is None:
        shown = "" if old is None else f" (baseline {_one(old.value, old.unit)})"
        return result("no-direction", f"{name} {value}{shown} has no direction: shown, never compared")
    if old is None and others:
        text = f"{name} {value} is not comparable{_on(env) or ' on default'}: the baseline has it only on {'; '.join(others)}"
        return result("not-comparable", f"{text}; record this environment with {UPDATE_HINT}", envs=others)
    if old is None:
        return result("new", f"{name} {value} is new{_on(env)}: record it with {UPDATE_HINT}")
    if old.unit != now.unit:
        text = f"{name} {value} is not comparable with the baseline {_one(old.value, old.unit)}: the unit changed"
        return result("not-comparable", f"{text}; refresh the baseline with {UPDATE_HINT}")
    state, change = assess(old.value, now.value, now.better, tolerance)
    pair, moved = _pair(old.value, now.value, now.unit), _change(old.value, now.value, change, now.unit)
    if state == "improved":
        return result(state, f"{name} improved {pair} ({moved}): refresh the baseline with {UPDATE_HINT}", change)
    limit = f"tolerance {number(tolerance * 100)}%" if old.value else f"absolute tolerance {_one(tolerance, now.unit)}"
    return result(state, f"{name} {state} {pair} ({moved}, {limit}){_on(env) if state == 'regressed' else ''}", change)


def assess(baseline: float, current: float, better: Direction, tolerance: float) -> tuple[State, float | None]:
    """``ok``, ``regressed`` or ``improved``, and the relative change.

    A change exactly at the tolerance is ``ok``. A baseline of 0 has no relative change, so the
    tolerance is taken as an absolute amount in the metric's unit (0 errors -> 1 error with
    tolerance 0.1 regresses; 0 -> 0.05 does not).
    """
    change = (current - baseline) / abs(baseline) if baseline else None
    worse = (current - baseline if change is None else change) * (1 if better == "lower" else -1)
    if worse > tolerance + _EPSILON:
        return "regressed", change
    if -worse > tolerance + _EPSILON:
        return "improved", change
    return "ok", change


def _on(env: str) -> str:
    return "" if env == DEFAULT_ENVIRONMENT else f" on {env}"


def _one(value: float, unit: str) -> str:
    factor, shown = scale(abs(value), unit)
    return f"{number(float(f'{value / factor:.6g}'))} {shown}".rstrip()


def _pair(old: float, new: float, unit: str) -> str:
    """``12 -> 17.2 ms``: both in the baseline's unit (754 -> 1200 ns), so the eye compares digits."""
    factor, shown = scale(abs(old or new), unit)
    return f"{number(float(f'{old / factor:.6g}'))} -> {_one(new / factor, shown)}"


def _change(old: float, new: float, change: float | None, unit: str) -> str:
    """``+43%``; ``+3 ms`` when the baseline is 0 and no percentage exists."""
    if change is None:
        return ("+" if new >= old else "-") + _one(abs(new - old), unit)
    percent = change * 100
    rounded = float(round(percent)) if abs(percent) >= 10 else round(percent, 1)
    return ("+" if percent >= 0 else "-") + number(abs(rounded)) + "%"


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
