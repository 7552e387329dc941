"""The files a run reads before any test: contracts and the recorded classification, evidence
files, the metric baseline and history, the gap baseline, and report paths to write.

Each is read and checked in ``pytest_configure`` (through :mod:`.options`): a corrupt or missing
file stops the run with one line before an hour of tests, not after it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import pytest

from pytest_neuron_classification.core.evidence import Evidence, combine
from pytest_neuron_classification.core.items import Item
from pytest_neuron_classification.core.lifecycle import load_record
from pytest_neuron_classification.core.vocabulary import ClassificationError
from pytest_neuron_classification.metrics.baseline_file import load_baseline as load_metric_baseline
from pytest_neuron_classification.metrics.gate import MetricsSetup
from pytest_neuron_classification.metrics.history import environment_key, environment_pairs, read_history
from pytest_neuron_classification.session.config import Settings
from pytest_neuron_classification.storage.contracts_file import read_contracts_file
from pytest_neuron_classification.storage.evidence_file import check_levels, evidence_paths, load_evidence
from pytest_neuron_classification.storage.files import check_writable
from pytest_neuron_classification.storage.gap_baseline import load_baseline


@dataclass(frozen=True)
class GapBaseline:
    """The ``--neuron-baseline`` file: the gaps it tolerates, or None when it is to be (re)written."""

    path: Path
    gaps: frozenset[str] | None
    update: bool = False


@dataclass(frozen=True)
class ContractBaseline:
    """The API contract file, what it held when the run started, and whether to rewrite it."""

    path: Path
    entries: Mapping[str, Mapping[str, Any]]
    update: bool = False
    #: The classification recorded with the contracts (None when never recorded); when
    #: updating, the previous one, so that a partial run keeps what it did not see.
    record: Mapping[str, Item] | None = None


def contracts_file(path: Path, update: bool) -> tuple[dict[str, dict[str, Any]], dict[str, Item] | None]:
    """The recorded contracts and classification; when they are to be rewritten, only the classification.

    A file about to be rewritten may be corrupt (that is often why): then nothing is kept.
    """
    try:
        contracts, items = read_contracts_file(path)
        record = None if items is None else _recorded(items, path)
    except ClassificationError:
        if update:
            return {}, None
        raise
    return ({} if update else contracts), record


def _recorded(items: dict[str, Any], path: Path) -> dict[str, Item]:
    try:
        return load_record(items, path.name)
    except ClassificationError as exc:
        raise ClassificationError(f"{path}: {exc}") from None


def outside_evidence(config: pytest.Config, settings: Settings, known: list[Item]) -> tuple[Evidence, ...]:
    """The ``--neuron-evidence`` files, read now: a bad file, or one that classifies an inventory
    item differently, stops the run before any test runs rather than after it."""
    paths: dict[Path, None] = {}
    for pattern in config.getoption("neuron_evidence"):
        found = evidence_paths(config.invocation_params.dir, pattern)
        if not found:
            raise ClassificationError(
                f"--neuron-evidence={pattern} matches no file; give the path of a file written by "
                "python -m pytest_neuron_classification record"
            )
        paths.update(dict.fromkeys(found))
    if not paths:
        return ()
    parts = load_evidence(list(paths), settings.policy)
    check_levels(known, parts)
    combine(parts)  # two files that disagree with each other
    return tuple(parts)


def metrics_setup(config: pytest.Config, settings: Settings, folder: Path) -> tuple[MetricsSetup, list[str]]:
    """The metric baseline and history, read and checked now: a corrupt file stops the run first."""
    path = folder / settings.metrics
    if config.getoption("neuron_update_metrics"):
        check_writable(path, "metrics")
    pairs, notes = environment_pairs(config.getoption("neuron_env"), settings.environment, os.environ)
    workers = xdist_workers(config)
    if workers and "workers" not in pairs:
        # A -n 2 run shares the machine with itself: never judge it against a serial baseline.
        pairs["workers"] = workers
    value = config.getoption("neuron_history")
    history = None
    if value is not None:
        if not value.strip():
            raise ClassificationError(
                f"--neuron-history={value} is empty; give a file path such as metric-history.jsonl"
            )
        history = report_path(config, value, "--neuron-history")
        if os.path.realpath(history) == os.path.realpath(path):
            raise ClassificationError(
                f"--neuron-history={value} names the metric baseline ({settings.metrics}); give the history a path of its own"
            )
    elif settings.baseline_from == "history":
        raise ClassificationError('baseline-from = "history" needs --neuron-history=PATH: the history to judge by')
    runs = tuple(read_history(history)) if history is not None else ()
    setup = MetricsSetup(
        path,
        load_metric_baseline(path),
        bool(config.getoption("neuron_update_metrics")),
        environment_key(pairs),
        history,
        runs,
        settings.baseline_from,
        settings.baseline_runs,
    )
    return setup, notes


def xdist_workers(config: pytest.Config) -> str:
    """The number of xdist workers (``-n 2``: ``"2"``), or "" for a serial run (``-n 0``, no xdist)."""
    count = getattr(config.option, "numprocesses", None)
    if not count or getattr(config.option, "dist", "no") == "no":
        return ""
    return str(count)


def gap_baseline(config: pytest.Config) -> GapBaseline | None:
    value = config.getoption("neuron_baseline")
    update = bool(config.getoption("neuron_update_baseline"))
    if not value:
        if update:
            raise ClassificationError("--neuron-update-baseline needs --neuron-baseline=PATH to know where to write")
        return None
    if update:
        return GapBaseline(report_path(config, value, "--neuron-baseline"), None, update=True)
    path = Path(value).expanduser().absolute()
    return GapBaseline(path, load_baseline(path))


def report_path(config: pytest.Config, value: str, option: str) -> Path:
    path = Path(value)
    check_writable(path, option)
    return path.expanduser().absolute()
