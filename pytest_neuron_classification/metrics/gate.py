"""Judging a run's measurements against the metric baseline, by each item's level.

A bound typed into a test catches a disaster; the baseline catches a slow decline, but only
within one environment (a latency on one instance type says nothing about another) and only
where the level promises it: a Stable item's numbers, and a Beta model class's accuracy.
Plain Python: the plugin and ``merge`` both use it, and it is tested without pytest.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, Sequence, get_args

from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.core.metric import MetricCheck, readable
from pytest_neuron_classification.core.metric_entry import Baseline, HistoryRun
from pytest_neuron_classification.core.test_record import TestRecord
from pytest_neuron_classification.core.vocabulary import ClassificationError
from pytest_neuron_classification.metrics.baselines import (
    RunMetric,
    Tolerances,
    compare,
    fails,
    judged,
    record_baseline,
    run_entries,
)
from pytest_neuron_classification.metrics.history import (
    MIN_HISTORY_RUNS,
    git_commit,
    history_baseline,
    history_line,
    last_values,
    sparkline,
)
from pytest_neuron_classification.metrics.noise import DEFAULT_WINDOW
from pytest_neuron_classification.storage.files import write_error
from pytest_neuron_classification.storage.history_file import append_history
from pytest_neuron_classification.storage.metric_baseline import update_metric_baseline

#: What a run is judged against: the baseline file, or the last runs of the history.
BaselineFrom = Literal["file", "history"]
BASELINE_FROM: tuple[BaselineFrom, ...] = get_args(BaselineFrom)


@dataclass(frozen=True)
class MetricsSetup:
    """The metric baseline, the environment this run measures in, and the history to extend."""

    path: Path
    baseline: Baseline
    update: bool
    env_key: str
    history: Path | None
    history_runs: tuple[HistoryRun, ...]
    #: ``baseline-from``: the file, or the last ``runs`` runs of this environment in the history.
    baseline_from: BaselineFrom
    runs: int
    #: ``metric-window``: how many runs ``--neuron-update-metrics`` keeps per metric.
    window: int = DEFAULT_WINDOW


@dataclass(frozen=True)
class Gated:
    """What judging the measurements gave: the evidence with its checks, and what to say."""

    evidence: Evidence
    trends: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    #: The history with this run's line, when it was written: what the HTML report charts.
    runs: tuple[HistoryRun, ...] = ()


def gate(
    evidence: Evidence, setup: MetricsSetup, tolerances: Tolerances, fail_on_improvement: bool, *, full: bool = False
) -> Gated:
    """Judge the run's measurements; record them as the baseline or in the history when asked.

    Only measurements of tests that passed count (see :func:`run_metrics`). ``full`` says the run
    collected the whole suite, so a baseline entry of a test it does not know is stale: named,
    and dropped by ``--neuron-update-metrics``; a partial run cannot tell, and keeps them.
    """
    measured = run_metrics(evidence)
    notes: list[str] = []
    problems: list[str] = []
    checks: tuple[MetricCheck, ...] = ()
    gone = stale_tests(setup.baseline, evidence) if full else {}
    if setup.update:
        passed = _passed(evidence)
        try:
            update_metric_baseline(
                setup.path,
                lambda old: record_baseline(old, measured, setup.env_key, ran=passed, gone=gone, window=setup.window),
            )
            count = sum(judged(m, better) for _, _, m, better in measured)
            notes.append(f"recorded {count} measurement(s) in {setup.path.name} for env {setup.env_key}")
            if gone:
                shown = ", ".join(sorted(gone)[:3]) + (", ..." if len(gone) > 3 else "")
                notes.append(f"dropped the baseline entries of {len(gone)} test(s) that no longer exist: {shown}")
        except OSError as exc:
            problems.append(write_error(setup.path, "", exc))
        except ClassificationError as exc:  # the file went bad while this run ran
            problems.append(str(exc))
    elif setup.baseline_from == "history":
        baseline = history_baseline(setup.history_runs, setup.env_key, run_entries(measured), setup.runs)
        hint = f"judged once the history has {MIN_HISTORY_RUNS} runs of it in this environment"
        checks = check_metrics(evidence, baseline, setup.env_key, tolerances, fail_on_improvement, hint=hint)
    elif setup.baseline:  # no baseline file yet: nothing to compare with, nothing to say
        checks = check_metrics(evidence, setup.baseline, setup.env_key, tolerances, fail_on_improvement)
        notes += [
            f"baseline entry {nodeid} {', '.join(names)}: no such test any more" for nodeid, names in gone.items()
        ]
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


def run_metrics(evidence: Evidence) -> list[RunMetric]:
    """Every measurement of a passing test (or outside result), once per item it covers.

    A failed, errored, skipped or xfailed test's numbers measured code that did not work (or
    did not run to the end): they never become a baseline or a history line, and are never compared.
    """
    return [
        RunMetric(item_id, t.nodeid, m, m.better)
        for t in evidence.tests
        if t.measured.metrics and t.outcome == "passed"  # the field: most tests measured nothing
        for item_id in t.item_ids
        for m in t.metrics
    ]


def _passed(evidence: Evidence) -> set[str]:
    return {t.nodeid for t in evidence.tests if t.outcome == "passed"}


def stale_tests(baseline: Baseline, evidence: Evidence) -> dict[str, tuple[str, ...]]:
    """Test node ids of the baseline (any environment) that no classified test of this run has.

    Results recorded outside pytest (``SOURCE::ITEM::CATEGORY``) are left alone: whether their
    script still exists is not this run's to say.
    """
    known = {t.nodeid for t in evidence.tests}
    gone: dict[str, set[str]] = {}
    for entries in baseline.values():
        for item_id, nodeid, name in entries:
            if nodeid not in known and not _outside(item_id, nodeid):
                gone.setdefault(nodeid, set()).add(name)
    return {nodeid: tuple(sorted(names)) for nodeid, names in sorted(gone.items())}


def _outside(item_id: str, nodeid: str) -> bool:
    parts = nodeid.split("::")
    return len(parts) >= 3 and parts[-2] == item_id


def check_metrics(
    evidence: Evidence,
    baseline: Baseline,
    env_key: str,
    tolerances: Tolerances,
    fail_on_improvement: bool = False,
    *,
    hint: str | None = None,
) -> tuple[MetricCheck, ...]:
    """Each measurement (and each baseline entry this run lacks) compared and judged for its item."""
    items = {i.id: i for i in evidence.items}
    tests = {t.nodeid: t for t in evidence.tests}
    extra = {"hint": hint} if hint else {}
    checks = []
    for c in compare(baseline, run_metrics(evidence), env_key, tolerances, ran=_passed(evidence), **extra):
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
        if values:  # in the unit the summary shows the metric in: 250.3 us, never 0.000250349 s
            lines.append(
                f"{item_id} {metric.name} {sparkline(values)} {readable(values[-1], metric.unit, metric.value)}"
            )
    return tuple(dict.fromkeys(lines))
