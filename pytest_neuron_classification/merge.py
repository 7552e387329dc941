"""Combining the JSON reports of several runs (CI shards, nightly jobs) into one audit.

Like coverage.py's ``combine``: each report carries its items, policy and per-test
evidence, so the combined audit is computed afresh, never by adding up verdicts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence, TypeVar

from .adoption import Waiver
from .audit import Audit, build_audit
from .contracts import ContractResult
from .evidence import TestRecord
from .items import Item
from .policy import DEFAULT_OBLIGATIONS, ClassificationError, Policy
from .report import SCHEMA

T = TypeVar("T")

_EXECUTED = ("passed", "failed", "error")
#: When two reports disagree, the more informative outcome wins; executed outcomes
#: that disagree (passed here, failed there) are handled before this order applies.
_PREFERENCE = ("failed", "error", "passed", "xfailed", "skipped", "collected", "not-run")


@dataclass(frozen=True)
class LoadedReport:
    path: str
    mode: str
    policy: Policy
    items: tuple[Item, ...]
    tests: tuple[TestRecord, ...]
    contracts: Mapping[str, ContractResult]
    waivers: tuple[Waiver, ...]
    errors: tuple[str, ...]
    notes: tuple[str, ...]


def load_report(path: Path) -> LoadedReport:
    """Read one JSON report, or raise :class:`ClassificationError` naming the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ClassificationError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ClassificationError(f"{path}: not valid JSON ({exc}); was the file cut short?") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        schema = data.get("schema") if isinstance(data, dict) else None
        raise ClassificationError(
            f"{path}: schema {schema!r} is not {SCHEMA!r}; produce it with --neuron-json from this plugin version"
        )
    try:
        return LoadedReport(
            path=str(path),
            mode=data["mode"],
            policy=_policy(data["policy"]),
            items=tuple(Item.from_dict(i) for i in data["items"]),
            tests=tuple(TestRecord.from_dict(t) for t in data["tests"]),
            contracts={i["id"]: ContractResult.from_dict(i["contract"]) for i in data["items"] if "contract" in i},
            waivers=tuple(Waiver.from_dict(w) for w in data.get("waivers", ())),
            errors=tuple(data.get("errors", ())),
            notes=tuple(data.get("notes", ())),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise ClassificationError(f"{path}: malformed report ({type(exc).__name__}: {exc})") from None


def _policy(data: Mapping[str, Any]) -> Policy:
    table = {(o["kind"], o["level"]): tuple(o["obligations"]) for o in data.get("obligations", ())}
    return Policy(
        standard_suite=tuple(data["standard-suite"]),
        category_names={c: frozenset(n) for c, n in data["categories"].items()},
        obligation_table=table or DEFAULT_OBLIGATIONS,
    )


def combine_outcome(outcomes: Sequence[str]) -> str:
    """One outcome for a test seen in several reports.

    A test that executed with different results (passed in one, failed in another)
    is ``failed``: an inconsistent test keeps no promise. Otherwise the most
    informative outcome wins, so a test deselected in one shard counts as it ran
    in the other.
    """
    executed = {o for o in outcomes if o in _EXECUTED}
    if len(executed) > 1:
        return "failed"
    return min(outcomes, key=_PREFERENCE.index)


def merge_reports(
    reports: Sequence[LoadedReport],
    enforce: str,
    graduation: bool = False,
    baseline: frozenset[str] | None = None,
) -> Audit:
    """The audit of all ``reports`` together; the waivers of every report apply."""
    policy = _one_policy(reports)
    items = _union_items(reports)
    by_nodeid: dict[str, list[tuple[LoadedReport, TestRecord]]] = {}
    for report in reports:
        for test in report.tests:
            by_nodeid.setdefault(test.nodeid, []).append((report, test))
    tests = [_merge_test(seen) for seen in by_nodeid.values()]
    mode = "run" if any(r.mode == "run" for r in reports) else "collect"
    notes = [f"merged from {len(reports)} reports: {', '.join(r.path for r in reports)}"]
    notes += _unique(n for r in reports for n in r.notes)
    contracts: dict[str, ContractResult] = {}
    for report in reports:
        for item_id, contract in report.contracts.items():
            contracts.setdefault(item_id, contract)
    return build_audit(
        items,
        tests,
        policy,
        mode=mode,
        enforce=enforce,
        notes=notes,
        contracts=contracts,
        graduation=graduation,
        waivers=_unique(w for r in reports for w in r.waivers),
        baseline=baseline,
    )


def _one_policy(reports: Sequence[LoadedReport]) -> Policy:
    first = reports[0]
    for other in reports[1:]:
        if other.policy.standard_suite != first.policy.standard_suite or dict(other.policy.obligation_table) != dict(
            first.policy.obligation_table
        ):
            raise ClassificationError(
                f"{other.path}: its policy (standard-suite or obligations) differs from the one in {first.path}; "
                "merge reports made with one configuration"
            )
    return first.policy


def _union_items(reports: Iterable[LoadedReport]) -> list[Item]:
    items: dict[str, tuple[Item, str]] = {}
    for report in reports:
        for item in report.items:
            known = items.get(item.id)
            if known is None:
                items[item.id] = (item, report.path)
            elif (known[0].level, known[0].kind) != (item.level, item.kind):
                raise ClassificationError(
                    f"{report.path}: {item.kind} {item.id!r} is {item.level} there but {known[0].level} "
                    f"({known[0].kind}) in {known[1]}; classify it the same way in every job"
                )
    return [item for item, _ in items.values()]


def _merge_test(seen: list[tuple[LoadedReport, TestRecord]]) -> TestRecord:
    first = seen[0][1]
    outcome = combine_outcome([t.outcome for _, t in seen])
    error = next((t.error for _, t in seen if t.error), None)
    return TestRecord(first.nodeid, first.item_ids, first.item_names, first.categories, outcome, error)


def _unique(values: Iterable[T]) -> list[T]:
    return list(dict.fromkeys(values))
