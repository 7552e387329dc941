"""What the controller judges besides the evidence: the hooks' answers, and the gap baseline it keeps.

Kept apart from :mod:`.controller`, whose hooks gather the evidence the audit judges.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from pytest_neuron_classification.core.adoption import gap_key
from pytest_neuron_classification.core.text import short
from pytest_neuron_classification.core.verdict import Audit
from pytest_neuron_classification.core.vocabulary import ClassificationError
from pytest_neuron_classification.storage.gap_baseline import load_gap_baseline


def vetoes_of(answers: Sequence[object]) -> list[str]:
    """The reasons ``pytest_neuron_audit`` hooks gave to fail the run, each on one line.

    A hook must return a string (or None): anything else (``42``, ``True``) is itself a reason to
    fail, named as the hook's mistake rather than shown as if it were the reason.
    """
    vetoes = []
    for answer in answers:
        if answer is None or answer is False or answer == "":
            continue
        if not isinstance(answer, str):
            vetoes.append(
                f"a pytest_neuron_audit hook returned {short(answer, 60)}; return a reason string to fail the run, or None"
            )
        else:
            vetoes.append(" ".join(answer.split()))
    return vetoes


def kept_gaps(audit: Audit, path: Path, narrowed: bool) -> frozenset[str]:
    """The gaps of an existing baseline file that this run could not judge, to keep them.

    A run limited by -k, -m or --lf, or given narrower paths than the suite's (``narrowed``: it did
    not even classify the items of the files it left out), must not drop the recorded gaps of the
    tests it left out.
    """
    try:
        recorded = load_gap_baseline(path)
    except ClassificationError:
        return frozenset()  # no usable file yet: this run writes the first one
    unseen = ("not-run", "out-of-scope")
    judged = {gap_key(r.item.id, o.name) for r in audit.items for o in r.obligations if o.status not in unseen}
    known = {r.item.id for r in audit.items}
    partial = (
        narrowed
        or bool(audit.partial)
        or audit.scope == "collected"
        or any(t.outcome == "not-run" for t in audit.tests)
    )
    return frozenset(key for key in recorded if key not in judged and (key.split(" :: ")[0] in known or partial))
