"""Combining the JSON reports of several runs (CI shards, nightly jobs) into one audit.

Like coverage.py's ``combine``: each report carries its items, policy and per-test
evidence, so the combined audit is computed afresh from :func:`.evidence.combine`,
never by adding up verdicts.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any, Sequence

from pytest_neuron_classification.core.audit import audit_of
from pytest_neuron_classification.core.completeness import completeness_of
from pytest_neuron_classification.core.evidence import Evidence, combine
from pytest_neuron_classification.core.metric_entry import HistoryRun
from pytest_neuron_classification.core.partial import PARTIAL_NOTE
from pytest_neuron_classification.core.text import count
from pytest_neuron_classification.core.unrun import covered_files, never_ran, uncovered, unlisted_gaps, unlisted_stable
from pytest_neuron_classification.core.verdict import Audit
from pytest_neuron_classification.core.vocabulary import ClassificationError, EnforceMode, Policy
from pytest_neuron_classification.metrics.baselines import DEFAULT_ENVIRONMENT
from pytest_neuron_classification.metrics.gate import trend_lines
from pytest_neuron_classification.storage.evidence_file import EVIDENCE_FILE, is_evidence_file, load_evidence
from pytest_neuron_classification.storage.report_file import load_report


def load_inputs(paths: Sequence[Path]) -> list[Evidence]:
    """The reports and evidence files given to ``merge``, told apart by their schema.

    Results recorded outside pytest are judged by the policy of the first report (the
    default policy when there is none), so that their category names map as in the runs.
    """
    outside = [_is_evidence(p) for p in paths]
    shared: dict[Any, Any] = {}  # shards repeat the whole collection: each record is decoded once
    reports = {i: load_report(p, shared) for i, p in enumerate(paths) if not outside[i]}
    policy = next(iter(reports.values())).policy if reports else Policy()
    return [reports[i] if i in reports else load_evidence([p], policy)[0] for i, p in enumerate(paths)]


def _is_evidence(path: Path) -> bool:
    """Whether ``path`` is an evidence file; a report (possibly large) is not parsed here for that.

    ``record`` writes the schema first, so its opening bytes tell; an unreadable or corrupt file
    is read as a report, which says what is wrong with it.
    """
    try:
        with path.open("rb") as handle:
            if EVIDENCE_FILE.schema.encode() not in handle.read(4096):
                return False
        return is_evidence_file(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, ValueError):
        return False


def _recorded_outside(evidence: Evidence) -> bool:
    """Whether ``evidence`` is an evidence file's: results recorded outside pytest, and nothing else."""
    return (
        bool(evidence.tests)
        and all(t.source for t in evidence.tests)
        and evidence.mode == "run"
        and not any(i.declared != "outside" for i in evidence.items)
    )


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
    outside = sum(1 for r in reports if _recorded_outside(r))
    if reports and outside == len(reports):
        raise ClassificationError(
            "no pytest report among the inputs; an evidence file alone judges no inventory: "
            "give the --neuron-json reports of the test jobs too"
        )
    # Which shards are here and which are not, before anything is combined: a second, identical
    # copy of a shard is dropped (it would add nothing), a contradicting one refused.
    completeness = completeness_of([r for r in reports if not _recorded_outside(r)])
    kept = {id(r) for r in completeness.reports}
    given, reports = reports, [r for r in reports if id(r) in kept or _recorded_outside(r)]
    # The union of the jobs is judged as a whole (like scope): what one job did not collect, another
    # may have, and an obligation no report saw a test for is ``missing`` here, as in a full run.
    evidence = combine(reports)
    notes = tuple(n for n in evidence.notes if not n.startswith(PARTIAL_NOTE))
    evidence = replace(evidence, partial="", notes=notes)
    inputs = count(len(given) - outside, "report") + (f" and {count(outside, 'evidence file')}" if outside else "")
    merged = f"merged from {inputs}: {', '.join(r.source for r in given)}"
    unchecked = sum(len(t.metrics) for r in reports if _recorded_outside(r) for t in r.tests)
    if unchecked:
        # The metric baseline is per environment and read by pytest (--neuron-evidence); merge never reads it.
        merged += (
            f"; {count(unchecked, 'measurement')} of the evidence files not compared with the metric baseline "
            "(fold them into a pytest run with --neuron-evidence for that)"
        )
    evidence = replace(evidence, notes=(merged, *completeness.notes, *evidence.notes))
    audit = audit_of(evidence, enforce=enforce, graduation=graduation, baseline=baseline)
    # A test of the whole collection that ran in no job checked no promise: a Stable one fails the merge.
    unrun = [line for line in (never_ran(audit, completeness.collection), unlisted_stable(audit, completeness)) if line]
    if unrun:
        completeness = replace(completeness, incomplete=(*completeness.incomplete, *unrun))
    # Tests that no report lists exist: an obligation without a test may have one there.
    audit = replace(audit, completeness=completeness, items=unlisted_gaps(audit, completeness))
    # A --collect-only report (or a merge that took one) ran nothing: the verdict says it took one.
    static = tuple(r.source for r in reports if r.mode == "collect" or any(t.outcome == "collected" for t in r.tests))
    audit = replace(audit, static=static)
    if static:  # the collection is known: a "missing" test may be in a job that is missing, not unwritten
        runs = [r for r in reports if r.source not in static and not _recorded_outside(r)]
        audit = replace(audit, items=uncovered(audit, covered_files(runs)))
    if not history:
        return audit
    envs = tuple(dict.fromkeys(c.env for c in evidence.checks)) or (DEFAULT_ENVIRONMENT,)
    trends = tuple(dict.fromkeys(line for env in envs for line in trend_lines(history, evidence, env)))
    return replace(audit, trends=trends)
