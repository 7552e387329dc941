"""A run's API contracts: each Stable-or-not API item judged against the contracts file, which
``--neuron-update-contracts`` rewrites first (with the classification of every item).

Apart from the controller because it is the part of judging that reads the user's code (through
:mod:`~pytest_neuron_classification.surface`) and writes the contracts file; the controller hands
it the run and the evidence, and gets back the results, notes and problems.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from pytest_neuron_classification.core.contracts import ContractResult
from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.core.items import Item
from pytest_neuron_classification.core.lifecycle import record_of, unseen_because
from pytest_neuron_classification.core.text import count
from pytest_neuron_classification.session.configure import Run
from pytest_neuron_classification.storage.files import write_atomic, write_error
from pytest_neuron_classification.storage.pyproject import relative_label
from pytest_neuron_classification.surface.annotations import decorators
from pytest_neuron_classification.surface.apis import judge as judge_api
from pytest_neuron_classification.surface.apis import record as record_api
from pytest_neuron_classification.surface.signatures import TargetImportError


@dataclass
class ContractsJudged:
    """The results by item id, and what the controller adds to its notes and problems."""

    results: dict[str, ContractResult] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def judge_contracts(
    run: Run, evidence: Evidence, *, unseen: str, outside: frozenset[str], rootpath: Path
) -> ContractsJudged:
    """Judge every API item with a target against the contracts file (recording it first if asked).

    ``unseen`` says why the run may not have seen every test ("" when it saw them all) and
    ``outside`` names the evidence files folded in: a partial run keeps the recorded items it could
    not have seen.
    """
    judged = ContractsJudged()
    apis = [i for i in evidence.items if i.kind == "api" and i.target]
    settings = run.settings
    # The annotation decorators leave an object as it is: a contract reads through them.
    marks = decorators(settings.annotations)
    entries: Mapping[str, Mapping[str, Any]] = run.contracts.entries
    if run.contracts.update:
        kept = [i for i in apis if i.declared != "removed"]
        entries = _record(run, kept, evidence.items, judged, marks, unseen, outside, rootpath)
    today = datetime.date.today()
    judged.results = {
        i.id: judge_api(
            i,
            dict(entries[i.name]) if i.name in entries else None,
            [n for n in settings.notices if n.item == i.name],
            today,
            run.env,
            settings.notice_windows,
            marks,
        )
        for i in apis
    }
    return judged


def _record(
    run: Run,
    apis: list[Item],
    items: tuple[Item, ...],
    judged: ContractsJudged,
    marks: list[str],
    unseen: str,
    outside: frozenset[str],
    rootpath: Path,
) -> dict[str, dict[str, Any]]:
    """Write the API contracts and the classification of every item, in one file and one write."""
    from pytest_neuron_classification.storage.contracts_file import dump_contracts

    path = run.contracts.path
    recorded: dict[str, dict[str, Any]] = {}
    for item in apis:
        try:
            recorded[item.name] = record_api(item, run.env, marks)
        except TargetImportError as exc:
            judged.notes.append(f"cannot record the contract of {item.name}: {exc}")
    classification = record_of(items)
    old = run.contracts.record or {}
    kept = [i for k, i in old.items() if k not in classification and unseen_because(i, unseen, outside)]
    classification.update(record_of(kept))
    try:
        write_atomic(path, dump_contracts(recorded, classification))
        what = f"{count(len(recorded), 'API contract')} and {count(len(classification), 'item')}"
        judged.notes.append(f"recorded {what} in {relative_label(path, rootpath)}")
    except OSError as exc:
        judged.problems.append(write_error(path, "", exc))
    return recorded
