"""The JSON report: the audit's verdicts together with all the evidence behind them.

The report carries everything the audit was computed from (items, tests, policy,
contract results, waivers), so ``merge`` recomputes an audit from reports alone:
:func:`.storage.report_file.load_report` gives back the :class:`~.evidence.Evidence` that :func:`to_json` wrote.
"""

from __future__ import annotations

import json
from typing import Any

from pytest_neuron_classification import __version__
from pytest_neuron_classification.core.lifecycle import unjudged_to_json
from pytest_neuron_classification.core.verdict import Audit, Graduation
from pytest_neuron_classification.storage.report_file import REPORT_FILE


def to_json(audit: Audit) -> dict[str, Any]:
    """The report as the documented, versioned JSON document."""
    statuses: dict[str, int] = {}
    for result in audit.items:
        for ob in result.obligations:
            statuses[ob.status] = statuses.get(ob.status, 0) + 1
    return {
        "schema": REPORT_FILE.schema,
        "plugin_version": __version__,
        "mode": audit.mode,
        "scope": audit.scope,
        "out_of_scope": [r.item.id for r in audit.out_of_scope],
        "enforce": audit.enforce_label if len(set(audit.enforce.values())) == 1 else "per-level",
        "enforce_levels": dict(audit.enforce),
        "passed": audit.passed,
        "policy": audit.policy.to_dict(),
        "summary": {
            "items": len(audit.items),
            "obligations": sum(statuses.values()),
            "statuses": dict(sorted(statuses.items())),
            "gaps": len(audit.gaps),
            "failing_gaps": len(audit.failing_gaps),
        },
        "items": [
            {
                **r.item.to_dict(),
                "obligations": [
                    {"name": o.name, "status": o.status, "tests": list(o.tests), "hint": o.hint}
                    | ({"baselined": True} if o.baselined else {})
                    | ({"outside": list(o.outside)} if o.outside else {})
                    for o in r.obligations
                ],
                **({"contract": r.contract.to_dict()} if r.contract else {}),
            }
            for r in audit.items
        ],
        "tests": [t.to_dict() for t in audit.tests],
        "errors": [*audit.errors, *audit.problems],
        "notes": list(audit.notes),
        "unjudged": unjudged_to_json(audit.unjudged),
        "vetoes": list(audit.vetoes),
        "baseline_closed": list(audit.baseline_closed),
        "waivers": [w.to_dict() for w in audit.waivers],
        "lost": list(audit.lost),
        "interrupted": audit.interrupted,
        "partial": audit.partial,
        "metric_checks": [c.to_dict() for c in audit.checks],
        "trends": list(audit.trends),
        "lifecycle": [c.to_dict() for c in audit.lifecycle],
        **({"static_inputs": list(audit.static)} if audit.static else {}),
        **({"graduation": [_graduation_json(g) for g in audit.graduation]} if audit.graduation is not None else {}),
    }


def _graduation_json(g: Graduation) -> dict[str, Any]:
    return {
        "id": g.item.id,
        "from": g.item.level,
        "to": g.to_level,
        "ready": not g.lacking,
        "obligations": [{"name": o.name, "status": o.status, "hint": o.hint} for o in g.obligations],
    }


def dump_json(audit: Audit) -> str:
    return json.dumps(to_json(audit), indent=2) + "\n"
