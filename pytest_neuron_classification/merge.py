"""Combining the JSON reports of several runs (CI shards, nightly jobs) into one audit.

Like coverage.py's ``combine``: each report carries its items, policy and per-test
evidence, so the combined audit is computed afresh from :func:`.evidence.combine`,
never by adding up verdicts.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from .audit import audit_of
from .evidence import Evidence, combine
from .policy import ClassificationError, EnforceMode
from .report import count
from .results import Audit


def merge_reports(
    reports: Sequence[Evidence],
    enforce: EnforceMode,
    graduation: bool = False,
    baseline: frozenset[str] | None = None,
) -> Audit:
    """The audit of all ``reports`` together; the waivers of every report apply."""
    seen: set[str] = set()
    for report in reports:
        if report.source in seen:
            raise ClassificationError(f"{report.source} is given twice; give each report once")
        seen.add(report.source)
    evidence = combine(reports)
    merged = f"merged from {count(len(reports), 'report')}: {', '.join(r.source for r in reports)}"
    evidence = replace(evidence, notes=(merged, *evidence.notes))
    return audit_of(evidence, enforce=enforce, graduation=graduation, baseline=baseline)
