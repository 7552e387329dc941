"""Combining the JSON reports of several runs (CI shards, nightly jobs) into one audit.

Like coverage.py's ``combine``: each report carries its items, policy and per-test
evidence, so the combined audit is computed afresh from :func:`.evidence.combine`,
never by adding up verdicts.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from .audit import audit_of
from .baselines import DEFAULT_ENVIRONMENT
from .evidence import Evidence, combine
from .metric_gate import trend_lines
from .policy import ClassificationError, EnforceMode
from .report import count
from .results import Audit
from .trends import HistoryRun


def merge_reports(
    reports: Sequence[Evidence],
    enforce: EnforceMode,
    graduation: bool = False,
    baseline: frozenset[str] | None = None,
    history: Sequence[HistoryRun] = (),
) -> Audit:
    """The audit of all ``reports`` together; the waivers and metric checks of every report apply.

    With a metric ``history``, each metric's trend is shown in the environment its shard measured it in.
    """
    seen: set[str] = set()
    for report in reports:
        if report.source in seen:
            raise ClassificationError(f"{report.source} is given twice; give each report once")
        seen.add(report.source)
    evidence = combine(reports)
    merged = f"merged from {count(len(reports), 'report')}: {', '.join(r.source for r in reports)}"
    evidence = replace(evidence, notes=(merged, *evidence.notes))
    audit = audit_of(evidence, enforce=enforce, graduation=graduation, baseline=baseline)
    if not history:
        return audit
    envs = tuple(dict.fromkeys(c.env for c in evidence.checks)) or (DEFAULT_ENVIRONMENT,)
    trends = tuple(dict.fromkeys(line for env in envs for line in trend_lines(history, evidence, env)))
    return replace(audit, trends=trends)
