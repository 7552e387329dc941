"""The metric baseline file: versioned, sorted, rewritten under a lock.

Schema 2 keeps, for a metric measured several times, its spread, its count and up to 200 of
its values (see :class:`~.metric_entry.Entry`). Schema 1 files (one number per metric) are still
read: their entries are single values, judged by the tolerance alone until they are recorded
again. An entry may keep a ``window``: the value and spread of each of the last runs recorded
(``metric-window``); an entry without one, as every file written before windows, is a window of
one run. pytest-benchmark's ``rounds`` and ``ops``, which schema 1 recorded, are dropped, since
neither is a result. Pure: no pytest, no I/O but the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from pytest_neuron_classification.core.metric import Metric as _Metric
from pytest_neuron_classification.core.metric import with_distribution
from pytest_neuron_classification.core.metric_entry import Baseline, Entry, MetricKey, RunSummary, check_better
from pytest_neuron_classification.core.text import is_finite_number, short
from pytest_neuron_classification.core.vocabulary import ClassificationError
from pytest_neuron_classification.storage.files import FileFormat, locked, write_atomic

_FIX = "fix it, or delete it and record it again with --neuron-update-metrics"
METRICS_FILE = FileFormat("pytest-neuron-classification-metrics/2", "the metric baseline", _FIX)
#: The first format, still read: one number per metric, pytest-benchmark's rounds and ops among them.
#: Not a format of its own in the reference (nothing writes it any more), so kept by its schema name only.
_SCHEMA_1 = "pytest-neuron-classification-metrics/1"


def dump_metric_baseline(baseline: Baseline) -> str:
    """Sorted and indented, nested environment > item > test > metric: a change is a small diff."""
    nested: dict[str, Any] = {}
    for env, entries in baseline.items():
        for (item_id, nodeid, name), entry in entries.items():
            nested.setdefault(env, {}).setdefault(item_id, {}).setdefault(nodeid, {})[name] = entry.to_dict()
    return METRICS_FILE.dump({"environments": nested}, sort_keys=True)


def load_metric_baseline(path: Path) -> Baseline:
    """The baseline in ``path``; empty when there is none yet (the first run records it)."""
    if not path.exists():
        return {}
    data, first = _read(path)
    baseline: Baseline = {}
    for env, items in _mapping(data.get("environments"), path, "'environments'").items():
        for item_id, tests in _mapping(items, path, f"environment {env!r}").items():
            for nodeid, metrics in _mapping(tests, path, f"environment {env!r}, item {item_id!r}").items():
                where = f"environment {env!r}, item {item_id!r}, test {nodeid!r}"
                for name, raw in _mapping(metrics, path, where).items():
                    entry = _entry(raw, path, f"{where}, metric {name!r}")
                    if first and _benchmark_count(name, entry):
                        continue
                    baseline.setdefault(env, {})[MetricKey(item_id, nodeid, name)] = entry
    return baseline


def update_metric_baseline(path: Path, change: Callable[[Baseline], Baseline]) -> Baseline:
    """Rewrite ``path`` with ``change`` applied to what it holds now, under the file's lock.

    Read again inside the lock, not at the start of the run: two runs recording different
    environments at once each keep the other's. Raises :class:`OSError` or
    :class:`ClassificationError` (a file made corrupt meanwhile) for the caller to report.
    """
    with locked(path):
        updated = change(load_metric_baseline(path))
        write_atomic(path, dump_metric_baseline(updated))
    return updated


def _read(path: Path) -> tuple[dict[str, Any], bool]:
    """The file's JSON object, and whether it is schema 1."""
    try:
        return METRICS_FILE.read(path), False
    except ClassificationError as problem:
        try:
            return FileFormat(_SCHEMA_1, METRICS_FILE.what, _FIX).read(path), True
        except ClassificationError:
            raise problem from None


def _benchmark_count(name: str, entry: Entry) -> bool:
    """pytest-benchmark's ``rounds`` and ``ops`` as schema 1 recorded them: counts, not results."""
    return (name == "rounds" and entry.better is None and not entry.unit) or (name == "ops" and entry.unit == "ops/s")


def _problem(path: Path, where: str, problem: str) -> ClassificationError:
    return METRICS_FILE.problem(path, f"{where}: {problem}")


def _mapping(value: object, path: Path, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _problem(path, where, f"must be a JSON object, not {short(value, 60)}")
    return value


def _entry(raw: object, path: Path, where: str) -> Entry:
    data = _mapping(raw, path, where)
    value, unit = data.get("value"), data.get("unit", "")
    if not is_finite_number(value):
        raise _problem(path, where, f"value must be a finite number a float can hold, not {short(value, 60)}")
    value = float(value)  # type: ignore[arg-type]  # is_finite_number checked it
    if not isinstance(unit, str):
        raise _problem(path, where, f"unit must be a string, not {short(unit, 60)}")
    try:
        better = check_better(data.get("better"))
        window = _window(data.get("window", []))
        if "rounds" not in data:
            return Entry(value, unit, better, window=window)
        metric = with_distribution(_Metric("it", value), data.get("samples"), data.get("spread"), data["rounds"])
    except ClassificationError as exc:
        raise _problem(path, where, str(exc)) from None
    return Entry(value, unit, better, metric.spread, metric.rounds, metric.samples, window)


#: The most runs a window keeps (``metric-window`` allows no more).
MAX_WINDOW = 1000


def _window(raw: object) -> tuple[RunSummary, ...]:
    """``[{"value": 1.2, "spread": 0.1}, ...]``: the runs of the window, checked."""
    if not isinstance(raw, list) or len(raw) > MAX_WINDOW:
        raise ClassificationError(f"window must be a list of at most {MAX_WINDOW} runs, not {short(raw, 60)}")
    runs = []
    for run in raw:
        value = run.get("value") if isinstance(run, dict) else None
        spread = run.get("spread") if isinstance(run, dict) else None
        if not is_finite_number(value) or not (spread is None or (is_finite_number(spread) and spread >= 0)):
            raise ClassificationError(
                f'a run of the window must be {{"value": number, "spread": number >= 0 or null}}, not {short(run, 60)}'
            )
        runs.append(RunSummary(float(value), None if spread is None else float(spread)))  # type: ignore[arg-type]
    return tuple(runs) if len(runs) > 1 else ()
