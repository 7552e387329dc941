"""Judging a run's measurements against the metric baseline, by each item's level.

A bound typed into a test catches a disaster; the baseline catches a slow decline, but only
within one environment (a latency on one instance type says nothing about another) and only
where the level promises it: a Stable item's numbers, and a Beta model class's accuracy.
Plain Python: the plugin and ``merge`` both use it, and it is tested without pytest.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

from pytest_neuron_classification.core.evidence import Evidence, TestRecord
from pytest_neuron_classification.core.metric import MetricCheck, number
from pytest_neuron_classification.metrics.baselines import (
    Baseline,
    RunMetric,
    Tolerances,
    compare,
    dump_baseline,
    fails,
    record_baseline,
)
from pytest_neuron_classification.metrics.history import (
    HistoryRun,
    append_history,
    git_commit,
    history_line,
    last_values,
    sparkline,
)
from pytest_neuron_classification.storage.files import write_atomic, write_error


@dataclass(frozen=True)
class MetricsSetup:
    """The metric baseline, the environment this run measures in, and the history to extend."""

    path: Path
    baseline: Baseline
    update: bool
    env_key: str
    history: Path | None
    history_runs: tuple[HistoryRun, ...] = ()


@dataclass(frozen=True)
class Gated:
    """What judging the measurements gave: the evidence with its checks, and what to say."""

    evidence: Evidence
    trends: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    #: The history with this run's line, when it was written: what the HTML report charts.
    runs: tuple[HistoryRun, ...] = ()


def gate(evidence: Evidence, setup: MetricsSetup, tolerances: Tolerances, fail_on_improvement: bool) -> Gated:
    """Judge the run's measurements; record them as the baseline or in the history when asked."""
    measured = run_metrics(evidence)
    notes: list[str] = []
    problems: list[str] = []
    checks: tuple[MetricCheck, ...] = ()
    if setup.update:
        ran = {t.nodeid for t in evidence.tests if t.outcome in _RAN}
        recorded = record_baseline(setup.baseline, measured, setup.env_key, ran=ran)
        try:
            write_atomic(setup.path, dump_baseline(recorded))
            notes.append(f"recorded {len(measured)} measurement(s) in {setup.path.name} for env {setup.env_key}")
        except OSError as exc:
            problems.append(write_error(setup.path, "", exc))
    elif setup.baseline:  # no baseline file yet: nothing to compare with, nothing to say
        checks = check_metrics(
            evidence, setup.baseline, setup.env_key, tolerances, fail_on_improvement=fail_on_improvement
        )
    runs = list(setup.history_runs)
    if setup.history is not None and measured:
        line = history_line(measured, setup.env_key, commit=git_commit(setup.history.parent))
        try:
            append_history(setup.history, line)
            runs.append(line)
        except OSError as exc:
            problems.append(write_error(setup.history, "--neuron-history=", exc))
    trends = trend_lines(runs, evidence, setup.env_key) if setup.history is not None else ()
    return Gated(replace(evidence, checks=checks), trends, tuple(notes), tuple(problems), tuple(runs))


#: The obligations a measurement can serve, most specific first.
_SERVED = ("accuracy", "performance")
_RAN = frozenset({"passed", "failed", "error"})


def run_metrics(evidence: Evidence) -> list[RunMetric]:
    """Every measurement of the run, once per item its test covers."""
    return [(item_id, t.nodeid, m, m.better) for t in evidence.tests for item_id in t.item_ids for m in t.metrics]


def check_metrics(
    evidence: Evidence,
    baseline: Baseline,
    env_key: str,
    tolerances: Tolerances,
    *,
    fail_on_improvement: bool = False,
) -> tuple[MetricCheck, ...]:
    """Each measurement (and each baseline entry this run lacks) compared and judged for its item."""
    items = {i.id: i for i in evidence.items}
    tests = {t.nodeid: t for t in evidence.tests}
    ran = {t.nodeid for t in evidence.tests if t.outcome in _RAN}
    checks = []
    for c in compare(baseline, run_metrics(evidence), env_key, tolerances, ran=ran):
        item, test = items.get(c.item_id), tests.get(c.nodeid)
        served = _served(test)
        failing = item is not None and fails(
            item.level,
            item.kind,
            served,
            c.state,
            # A benchmark that did not time under xdist is said elsewhere ("unmeasured").
            test_passed_in_this_run=test is not None and test.outcome == "passed" and not test.untimed,
            fail_on_improvement=fail_on_improvement,
        )
        checks.append(MetricCheck(c.item_id, c.nodeid, c.metric, served, c.state, c.text, failing, c.env))
    return tuple(checks)


def _served(test: TestRecord | None) -> str:
    categories = test.categories if test is not None else ()
    return next((c for c in _SERVED if c in categories), "")


def trend_lines(history: Sequence[HistoryRun], evidence: Evidence, env_key: str, n: int = 8) -> tuple[str, ...]:
    """``llama[workload=inference] latency_p90 ▁▁▂▂▃▅▇ 17.2 ms``: the last values of each metric here."""
    lines = []
    for item_id, nodeid, metric, _ in run_metrics(evidence):
        values = last_values(history, env_key, item_id, nodeid, metric.name, n)
        if values:
            unit = f" {metric.unit}" if metric.unit else ""
            lines.append(f"{item_id} {metric.name} {sparkline(values)} {number(values[-1])}{unit}")
    return tuple(dict.fromkeys(lines))
