"""The JSON report: the audit's verdicts together with all the evidence behind them.

The report carries everything the audit was computed from (items, tests, policy,
contract results, waivers), so ``merge`` recomputes an audit from reports alone:
:func:`.storage.report_file.load_report` gives back the :class:`~.evidence.Evidence` that :func:`to_json` wrote.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

from pytest_neuron_classification import __version__
from pytest_neuron_classification.core.verdict import Audit, Graduation, ItemResult
from pytest_neuron_classification.storage.report_file import REPORT_FILE


def to_json(audit: Audit) -> dict[str, Any]:
    """The report as the documented, versioned JSON document: the evidence, in its one codec
    (:meth:`~.evidence.Evidence.to_dict`), with the audit's verdicts around it."""
    statuses: dict[str, int] = {}
    for result in audit.items:
        for ob in result.obligations:
            statuses[ob.status] = statuses.get(ob.status, 0) + 1
    evidence = audit.evidence.to_dict()
    by_id = {item["id"]: item for item in evidence.pop("items")}
    return {
        "schema": REPORT_FILE.schema,
        "plugin_version": __version__,
        "mode": evidence.pop("mode"),
        "scope": evidence.pop("scope"),
        "out_of_scope": [r.item.id for r in audit.out_of_scope],
        "enforce": audit.enforce_label if len(set(audit.enforce.values())) == 1 else "per-level",
        "enforce_levels": dict(audit.enforce),
        "passed": audit.passed,
        "policy": evidence.pop("policy"),
        "summary": {
            "items": len(audit.items),
            "obligations": sum(statuses.values()),
            "statuses": dict(sorted(statuses.items())),
            "gaps": len(audit.gaps),
            "failing_gaps": len(audit.failing_gaps),
        },
        # The codec's items, in the audit's order (by level), each with its obligations' verdicts.
        "items": [_item_json(by_id[r.item.id], r, audit.evidence.deselected) for r in audit.items],
        "tests": evidence.pop("tests"),
        "errors": [*audit.errors, *audit.problems, *audit.incomplete],
        # The evidence's notes and the audit's own.
        "notes": list(audit.notes),
        "unjudged": evidence.pop("unjudged"),
        "vetoes": list(audit.vetoes),
        "baseline_closed": list(audit.baseline_closed),
        "waivers": evidence.pop("waivers"),
        "lost": evidence.pop("lost"),
        "interrupted": evidence.pop("interrupted"),
        "partial": evidence.pop("partial"),
        "metric_checks": evidence.pop("metric_checks"),
        "trends": list(audit.trends),
        "lifecycle": evidence.pop("lifecycle"),
        # Where this run sits in a CI matrix (the collection, the selection, the shard); merge reads it back.
        "placement": evidence.pop("placement"),
        # The environment key its measurements were (or would be) taken in: merge names it when all agree.
        "environment": evidence.pop("environment"),
        **({"static_inputs": list(audit.static)} if audit.static else {}),
        **({"completeness": audit.completeness.to_dict()} if audit.completeness is not None else {}),
        **({"graduation": [_graduation_json(g) for g in audit.graduation]} if audit.graduation is not None else {}),
    }


def _item_json(item: dict[str, Any], result: ItemResult, deselected: frozenset[str]) -> dict[str, Any]:
    """An item as the codec wrote it (its contract included), with its obligations before the contract.

    An obligation lists the tests of the run's selection (as ``tests`` does): a deselected one is not.
    """
    contract = item.pop("contract", None)
    obligations = [
        {"name": o.name, "status": o.status, "tests": [t for t in o.tests if t not in deselected], "hint": o.hint}
        | ({"baselined": True} if o.baselined else {})
        | ({"outside": list(o.outside)} if o.outside else {})
        for o in result.obligations
    ]
    return {**item, "obligations": obligations, **({"contract": contract} if contract is not None else {})}


def _graduation_json(g: Graduation) -> dict[str, Any]:
    return {
        "id": g.item.id,
        "from": g.item.level,
        "to": g.to_level,
        "ready": not g.lacking,
        "obligations": [{"name": o.name, "status": o.status, "hint": o.hint} for o in g.obligations],
    }


def dump_json(audit: Audit, document: Mapping[str, Any] | None = None) -> str:
    """The report as text: ``document`` when it was built already (for the hooks), else built now."""
    return json.dumps(to_json(audit) if document is None else document, indent=2) + "\n"


def with_vetoes(document: dict[str, Any], audit: Audit) -> dict[str, Any]:
    """``document``, built before the hooks answered, brought up to date with their vetoes.

    The document is built once per run: the hooks receive it, and the few fields their
    answers change are set on it afterwards.
    """
    document["vetoes"] = list(audit.vetoes)
    document["passed"] = audit.passed
    return document
