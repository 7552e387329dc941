"""The classification over time: what changed since it was recorded, and promises resting on previews.

A level is a promise that outlives one run: a Stable item may change only by additions, and
taking it away (or demoting it) needs the same one-month notice as a breaking API change.
One run cannot see that, so ``--neuron-update-contracts`` records every item's level next to
the API contracts, and each run compares the items it knows with that record. The same module
judges promises that rest on a preview: a Stable model class whose library is still Beta.
(A Stable API whose signature names a Beta one needs imports: :mod:`..surface.exposure` finds those.)

Pure data in, :class:`LifecycleChange` s out; the controller gathers the inputs.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any, Collection, Iterable, Literal, Mapping, Sequence, get_args

from packaging.version import Version

from pytest_neuron_classification.core.contracts import Notice, NoticeWindow, covered_by, notice_problem, window_for
from pytest_neuron_classification.core.items import Item
from pytest_neuron_classification.core.text import a_or_an, shortlist
from pytest_neuron_classification.core.vocabulary import LEVELS, ClassificationError, Level, check_choice

#: ``removed``, ``demoted`` (a lower level than recorded), ``kind-changed`` (an api that became a
#: feature owes other promises: for a Stable item, a change like a demotion), ``promoted``, ``new`` (not in the
#: record), ``exposes`` (a Stable API's signature names a Beta or Alpha API) and ``rests-on``
#: (a Stable model class's library is a Beta or Alpha item).
ChangeKind = Literal["removed", "demoted", "kind-changed", "promoted", "new", "exposes", "rests-on"]
CHANGE_KINDS: tuple[ChangeKind, ...] = get_args(ChangeKind)

#: How an item was declared when its presence does not depend on which tests were collected:
#: the inventory, and the APIs that ``api-modules``, ``cli-parsers`` and ``env-modules`` list.
#: Only these can be judged removed by a run that collected part of the suite.
ALWAYS_KNOWN = frozenset({"inventory", "unlisted", "removed", "annotation"})


@dataclass(frozen=True)
class LifecycleChange:
    """One change of the classification, or one promise resting on a preview."""

    item_id: str
    change: ChangeKind
    #: ``stable feature async_loading was removed``: what happened, in one line.
    text: str
    #: The level whose promise is at stake: the recorded one for a removal or demotion.
    level: Level
    #: Whether it breaks a promise (fails the run under ``enforce = "error"`` for ``level``).
    breaks: bool = False
    #: The notice that covers it, why no notice does, or what to fix.
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = {"item": self.item_id, "change": self.change, "text": self.text, "level": self.level}
        return data | {"breaks": self.breaks} | ({"detail": self.detail} if self.detail else {})

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LifecycleChange:
        return cls(
            item_id=str(data["item"]),
            change=check_choice(data["change"], CHANGE_KINDS, "lifecycle change"),
            text=str(data["text"]),
            level=check_choice(data["level"], LEVELS, "level of a lifecycle change"),
            breaks=bool(data.get("breaks", False)),
            detail=str(data.get("detail", "")),
        )

    @property
    def line(self) -> str:
        return f"{self.text} -> {self.detail}" if self.detail else self.text


def record_of(items: Iterable[Item]) -> dict[str, dict[str, Any]]:
    """What the contracts file keeps of each item: enough to compare levels in a later run."""
    keep = ("name", "kind", "level", "coupling", "since", "declared")
    return {
        # An item only evidence files declare keeps its source: only a run that read that source judges it.
        item.id: {
            k: v for k, v in item.to_dict().items() if k in keep or (k == "origin" and item.declared == "outside")
        }
        for item in items
        if item.declared != "removed"  # a gone API is remembered by its contract, not here
    }


_FIX = "rewrite it with --neuron-update-contracts"


def load_record(entries: object, source: str) -> dict[str, Item]:
    """The recorded items (``items`` of the contracts file), validated like markers."""
    if not isinstance(entries, dict):
        raise ClassificationError(f"'items' must be an object of recorded items, not {entries!r}; {_FIX}")
    record = {}
    for item_id, entry in entries.items():
        problem = _entry_problem(entry)
        if problem:
            raise ClassificationError(f"recorded item {item_id!r}: {problem}; {_FIX}")
        try:
            item = Item.from_dict({"origin": source, **entry})
        except KeyError as exc:
            raise ClassificationError(f"recorded item {item_id!r} has no {exc}; {_FIX}") from None
        except (ClassificationError, TypeError) as exc:
            raise ClassificationError(f"recorded item {item_id!r}: {exc}; {_FIX}") from None
        if item.id != item_id:
            raise ClassificationError(f"recorded item {item_id!r} describes {item.id!r}; {_FIX}")
        record[item.id] = item
    return record


_ENTRY_KEYS = frozenset({"name", "kind", "level", "coupling", "since", "declared", "origin"})
#: How an item can have been declared when it was recorded (``removed`` APIs are not recorded).
_DECLARED = ("inventory", "marker", "unlisted", "outside", "annotation")


def _entry_problem(entry: object) -> str:
    """What is wrong with the shape of a recorded item, or "" (its values are checked like a marker's)."""
    if not isinstance(entry, dict):
        return f"must be an object, not {entry!r}"
    unknown = sorted(set(entry) - _ENTRY_KEYS)
    if unknown:
        return f"unknown key {unknown[0]!r}"
    if not isinstance(entry.get("coupling", {}), dict):
        return f"'coupling' must be an object, not {entry['coupling']!r}"
    if entry.get("declared", "marker") not in _DECLARED:
        return f"'declared' must be one of {', '.join(_DECLARED)}, not {entry['declared']!r}"
    return ""


def changes_since_record(
    record: Mapping[str, Item],
    items: Sequence[Item],
    *,
    partial: str,
    notices: Sequence[Notice],
    today: datetime.date,
    release: str | None = None,
    sources: Collection[str] = (),
    windows: Mapping[str, NoticeWindow] | None = None,
) -> tuple[list[LifecycleChange], list[Unjudged]]:
    """Every change between the recorded classification and this run's items, and what it could not judge.

    A run that collected part of the suite (``partial`` says why) judges removals only of items
    whose presence does not depend on collection (:data:`ALWAYS_KNOWN`); items that only evidence
    files declared are judged only by a run that read results of the same source (``sources``).
    """
    current = {i.id: i for i in items}
    changes: list[LifecycleChange] = []
    unjudged: list[Unjudged] = []
    for item_id, old in record.items():
        new = current.get(item_id)
        why = unseen_because(old, partial, sources) if new is None else ""
        if why:
            unjudged.append((item_id, why))
        elif new is None:
            changes.append(_judged(old, "removed", f"{old.subject} was removed", notices, today, windows))
        elif new.kind != old.kind:
            text = f"{old.subject} became {a_or_an(new.kind)}"
            changes.append(_judged(old, "kind-changed", text, notices, today, windows))
        elif LEVELS.index(new.level) > LEVELS.index(old.level):
            text = f"{old.subject} was demoted to {new.level}"
            changes.append(_judged(old, "demoted", text, notices, today, windows))
        elif LEVELS.index(new.level) < LEVELS.index(old.level):
            text = f"{old.subject} was promoted to {new.level}"
            changes.append(LifecycleChange(item_id, "promoted", text, new.level, detail=_since_problem(new, release)))
    for item_id, new in current.items():
        if item_id not in record and new.declared != "removed":
            changes.append(LifecycleChange(item_id, "new", f"{new.subject} is new", new.level))
    return changes, unjudged


#: A recorded item a run could not judge, and why: ``(item id, reason)``.
Unjudged = tuple[str, str]


def unjudged_to_json(unjudged: Iterable[Unjudged]) -> list[dict[str, str]]:
    """``[{"item", "why"}]``: how reports and worker payloads carry what a run could not judge."""
    return [{"item": item_id, "why": why} for item_id, why in unjudged]


def unjudged_from_json(entries: Iterable[Mapping[str, Any]]) -> tuple[Unjudged, ...]:
    return tuple((str(entry["item"]), str(entry["why"])) for entry in entries)


def unseen_because(old: Item, partial: str, sources: Collection[str]) -> str:
    """Why the absence of ``old`` says nothing in this run, or "" when it is a removal."""
    if old.declared == "outside" and old.origin not in sources:
        return f"this run read no evidence file with results of {old.origin}"
    if partial and old.declared not in ALWAYS_KNOWN:
        return f"this run collected only part of the suite ({partial})"
    return ""


def _judged(
    old: Item,
    change: ChangeKind,
    text: str,
    notices: Sequence[Notice],
    today: datetime.date,
    windows: Mapping[str, NoticeWindow] | None,
) -> LifecycleChange:
    """A removal or demotion: reported below Stable; at Stable it needs a notice in effect, announced
    at least the item's notice window ahead (:func:`.contracts.window_for`)."""
    if old.level != "stable":
        return LifecycleChange(old.id, change, text, old.level)
    window = window_for(windows or {}, old.kind)
    mine = [n for n in notices if n.item == old.name]
    problems = [notice_problem(n.announced, n.effective, today, window) for n in mine]
    valid = next((n for n, p in zip(mine, problems) if not p), None)
    if valid is not None:
        return LifecycleChange(old.id, change, text, "stable", detail=covered_by(valid, window))
    why = problems[0] if problems else "no notice was published for it"
    fix = (
        f"{why}; restore {_WHAT[change]}, or publish a notice {window.ahead} "
        f"([[tool.neuron-classification.notices]] item = {json.dumps(old.name, ensure_ascii=False)})"
    )
    return LifecycleChange(old.id, change, text, "stable", breaks=True, detail=fix)


_WHAT = {"removed": "it", "demoted": "its level", "kind-changed": "its kind"}


def _since_problem(item: Item, release: str | None) -> str:
    """A promotion in this release should say so: ``since`` equal to the release."""
    if release is None or (item.since is not None and Version(item.since) == Version(release)):
        return ""
    if item.declared != "inventory":
        return f'list it in the inventory with since = "{release}" (promoted in this release)'
    return f'since is {item.since or "not set"}, but it was promoted in release {release}: set since = "{release}"'


def unjudged_notes(unjudged: Sequence[Unjudged]) -> list[str]:
    """One note per reason, naming the recorded items that were not judged for removal."""
    by_reason: dict[str, list[str]] = {}
    for item_id, why in unjudged:
        by_reason.setdefault(why, []).append(label_of(item_id))
    notes = []
    for why, labels in by_reason.items():
        notes.append(
            f"{len(labels)} recorded item(s) not seen were not judged for removal ({shortlist(labels, 5)}): {why}; "
            "a run that sees them all judges them"
        )
    return notes


def label_of(item_id: str) -> str:
    """``linear (pt, nxd, training)`` for the id ``linear[framework=pt,library=nxd,workload=training]``."""
    name, bracket, identity = item_id.partition("[")
    if not bracket:
        return item_id
    return f"{name} ({', '.join(pair.partition('=')[2] for pair in identity.rstrip(']').split(','))})"


def rests_on_previews(items: Sequence[Item]) -> list[LifecycleChange]:
    """A Stable model class cannot rest on a library that is itself only Beta or Alpha."""
    previews = {i.name: i for i in items if i.kind != "model" and i.level != "stable"}
    changes = []
    for model in items:
        library = dict(model.coupling).get("library")
        if model.kind != "model" or model.level != "stable" or library not in previews:
            continue
        lib = previews[library]
        text = f"{model.subject} rests on {lib.subject} (its library)"
        fix = f"promote {lib.name} to stable first, or classify the model beta"
        changes.append(LifecycleChange(model.id, "rests-on", text, "stable", breaks=True, detail=fix))
    return changes
