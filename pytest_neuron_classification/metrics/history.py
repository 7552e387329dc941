"""Where and when a run measured, and how its numbers moved over runs.

A baseline holds one run's numbers; a trend shows whether ``latency_p90`` crept up over
the last eight runs or jumped once. The environment key says where a run measured (numbers
from different instance types are never compared), the git commit says which code, and the
history file (JSON lines, one per run, only ever appended: :mod:`..storage.history_file`) keeps them all.

The last runs of an environment can also be the baseline (:func:`history_baseline`): their spread
is the noise between runs, which one run cannot show. Pure but for one ``git rev-parse``: no pytest,
no file.
"""

from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from pytest_neuron_classification.core.metric_entry import Baseline, Entry, HistoryRun, MetricKey, RunSummary
from pytest_neuron_classification.core.stats import median
from pytest_neuron_classification.core.vocabulary import ClassificationError
from pytest_neuron_classification.metrics.baselines import (
    DEFAULT_ENVIRONMENT,
    RunMetric,
    judged,
    run_entries,
)

SPARKS = "▁▂▃▄▅▆▇█"
_ENV_KEY_NAME = re.compile(r"[A-Za-z0-9_.-]+\Z")
_COMMIT = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?\Z")


# --- environments --------------------------------------------------------------------


def environment_key(pairs: Mapping[str, str]) -> str:
    """``instance=trn1.32xlarge,region=x``: sorted, so the same environment always has the same key.

    ``%``, ``,`` and ``=`` inside a value are percent-escaped, so two environments never share a key.
    """
    if not pairs:
        return DEFAULT_ENVIRONMENT
    return ",".join(f"{k}={_escape(pairs[k])}" for k in sorted(pairs))


def _escape(value: str) -> str:
    return value.replace("%", "%25").replace(",", "%2C").replace("=", "%3D")


def environment_pairs(
    cli: Sequence[str], variables: Sequence[str], environ: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """The environment of this run, and notes for variables that are not set.

    ``cli`` holds each ``--neuron-env KEY=VALUE``; ``variables`` names environment variables
    (config ``environment``) whose values join the key. A ``--neuron-env`` for the same name wins,
    so a developer can stand in for a CI variable. An unset variable joins as ``unset`` rather than
    being dropped, so a run that forgot it is not silently compared with the real environment.
    """
    given: dict[str, str] = {}
    for text in cli:
        key, sep, value = text.partition("=")
        if not sep or not key:
            raise ClassificationError(f"--neuron-env {text!r}: give KEY=VALUE")
        if not _ENV_KEY_NAME.match(key):
            raise ClassificationError(f"--neuron-env {text!r}: KEY may hold letters, digits, '_', '.' and '-' only")
        if given.get(key, value) != value:
            raise ClassificationError(f"--neuron-env {key}: given twice ({given[key]!r}, {value!r}); give it once")
        given[key] = value
    pairs, notes = {}, []
    for name in variables:
        if not _ENV_KEY_NAME.match(name):
            raise ClassificationError(f"environment: {name!r} is not an environment variable name")
        if name in given:
            continue
        if name not in environ:
            notes.append(f"environment: {name} is not set; the key uses {name}=unset")
        pairs[name] = environ.get(name, "unset")
    return {**pairs, **given}, notes


# --- the git commit ------------------------------------------------------------------


def git_commit(cwd: Path | str, timeout: float = 5.0) -> str | None:
    """The commit checked out in ``cwd``; None when it is no repository, git is missing or hangs.

    A trend is worth having without a commit, so this never raises.
    """
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and _COMMIT.match(commit) else None


# --- the history line ----------------------------------------------------------------


def history_line(
    run_metrics: Iterable[RunMetric], env_key: str, *, commit: str | None = None, now: datetime.datetime | None = None
) -> HistoryRun:
    """This run as a history line; every metric, compared or not, so any of them can be plotted."""
    values: dict[str, dict[str, dict[str, float]]] = {}
    for (item_id, nodeid, name), entry in run_entries(m for m in run_metrics if judged(m.metric, m.better)).items():
        values.setdefault(item_id, {}).setdefault(nodeid, {})[name] = entry.value
    moment = now or datetime.datetime.now(datetime.timezone.utc)
    return HistoryRun(moment.isoformat(timespec="seconds"), env_key, commit, values)


# --- trends --------------------------------------------------------------------------


def last_values(
    history: Sequence[HistoryRun], env_key: str, item_id: str, nodeid: str, metric: str, n: int = 8
) -> list[float]:
    """The last ``n`` values of one metric in one environment, oldest first (runs without it skipped)."""
    values = [
        float(run.metrics[item_id][nodeid][metric])
        for run in history
        if run.env == env_key and metric in run.metrics.get(item_id, {}).get(nodeid, {})
    ]
    return values[-n:] if n > 0 else []


#: A history baseline needs this many runs of a metric before it judges it: fewer have no spread.
MIN_HISTORY_RUNS = 3
DEFAULT_HISTORY_RUNS = 10


def history_baseline(
    history: Sequence[HistoryRun], env_key: str, like: Mapping[MetricKey, Entry], n: int = DEFAULT_HISTORY_RUNS
) -> Baseline:
    """The last ``n`` runs of this environment as a baseline (``baseline-from = "history"``).

    Each metric's entry is a window of its last values (their median is the value), judged like
    the baseline file's windows (:mod:`.noise`): the noise between runs, learned, rather than the
    noise within one run. The history keeps values only, so the unit and direction are this run's
    (``like``); a metric with fewer than :data:`MIN_HISTORY_RUNS` values has no entry yet (it is ``new``).
    """
    entries: dict[MetricKey, Entry] = {}
    for key, now in like.items():
        values = last_values(history, env_key, *key, n)
        if len(values) >= MIN_HISTORY_RUNS:
            window = tuple(RunSummary(v) for v in values)
            entries[key] = Entry(median(values), now.unit, now.better, window=window)
    return {env_key: entries} if entries else {}


def sparkline(values: Sequence[float]) -> str:
    """``▁▃█``: one character per value, lowest to highest of the series.

    A constant series is drawn at mid height (``▄▄▄``): flat, rather than looking like a fall to
    the floor. Halves are subtracted so that extreme floats do not overflow to infinity.
    """
    if not values:
        return ""
    low, high = min(values), max(values)
    span = high / 2 - low / 2
    if span <= 0:
        return SPARKS[len(SPARKS) // 2 - 1] * len(values)
    top = len(SPARKS) - 1
    return "".join(SPARKS[min(top, max(0, round((v / 2 - low / 2) / span * top)))] for v in values)
