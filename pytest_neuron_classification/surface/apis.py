"""The three kinds of API a contract covers: Python callables, command-line flags, environment variables.

The classification calls all three "API", and all three break users the same way, so they
share one contracts file, one notice rule and one judgement (:func:`.contracts.judge_changes`);
this module only knows how to take each kind's snapshot and compare two of them. It imports
user code (parsers, targets) through :mod:`.signatures` and :mod:`.flags`, and reads the
source of ``env-modules`` packages without importing them (:mod:`.envvars`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Collection, Iterable, Literal, Mapping, Protocol, Sequence

from pytest_neuron_classification.core.contracts import (
    Change,
    ContractResult,
    Notice,
    NoticeWindow,
    judge_changes,
    window_for,
)
from pytest_neuron_classification.core.items import Item, make_item
from pytest_neuron_classification.core.vocabulary import ClassificationError
from pytest_neuron_classification.surface.envvars import EnvScanError, compare_env, env_snapshot, scan_env_files
from pytest_neuron_classification.surface.flags import (
    compare_flag,
    flag_snapshot,
    flag_where,
    read_flags,
)
from pytest_neuron_classification.surface.signatures import TargetImportError, evaluate, snapshot

ENV_PREFIX = "env:"


@dataclass(frozen=True)
class EnvScan:
    """Where the ``env-modules`` packages read each environment variable (``file:line``)."""

    reads: Mapping[str, list[str]]
    #: How messages name the scanned packages: ``neuron_sdk``.
    label: str = ""
    notes: tuple[str, ...] = ()


def scan_environment(
    modules: Sequence[str], root: Path, source: str, recorded: Mapping[str, Mapping[str, Any]] | None = None
) -> EnvScan:
    """Scan ``env-modules`` once per run; a package that is not found is one usage error.

    A variable the ``recorded`` contracts say is read in a file that cannot be parsed now keeps its
    recorded reads: unjudged until the file parses, never "no longer read" (nor without its obligations).
    """
    if not modules:
        return EnvScan({})
    try:
        reads, notes, unscanned = scan_env_files(modules, root)
    except EnvScanError as exc:
        raise ClassificationError(f"{source}: {exc}") from None
    kept = []
    for name, entry in (recorded or {}).items():
        where = entry.get("read_by") if entry.get("type") == "env" else None
        if name in reads or not isinstance(where, list):
            continue
        unjudged = [r for r in where if isinstance(r, str) and r.rpartition(":")[0] in unscanned]
        if unjudged:
            reads[name] = unjudged
            kept.append(name)
    if kept:
        notes.append(
            f"env-modules: {', '.join(kept)} kept as recorded (read in a file that cannot be parsed): "
            "not judged until the file parses"
        )
    return EnvScan(reads, ", ".join(modules), tuple(notes))


def is_flag(name: str) -> bool:
    """``--auto-cast`` or ``compile --target``: an api item named like a flag is one."""
    return name.startswith("-") or " -" in name


def variable(target: str | None) -> str | None:
    """``NAME`` for a target ``env:NAME``."""
    return target[len(ENV_PREFIX) :] if target and target.startswith(ENV_PREFIX) else None


def unlisted_flags(parsers: Iterable[str], inventory: Iterable[Item], source: str) -> list[Item]:
    """Every flag of ``cli-parsers`` that the inventory does not list: Stable, like any unlisted API."""
    listed = {i.name for i in inventory}
    items = []
    for target in parsers:
        try:
            flags = read_flags(target)
        except TargetImportError as exc:
            raise ClassificationError(f"{source}: cli-parsers: {exc}") from None
        for name in sorted(set(flags) - listed):
            items.append(_unlisted(name, target, f"cli-parsers {target}"))
    return items


def unlisted_variables(scan: EnvScan, inventory: Iterable[Item]) -> list[Item]:
    """Every variable the ``env-modules`` read that the inventory does not list: Stable."""
    listed = {i.name for i in inventory}
    return [
        _unlisted(name, ENV_PREFIX + name, f"env-modules {scan.label}") for name in scan.reads if name not in listed
    ]


def _unlisted(name: str, target: str, origin: str) -> Item:
    return make_item(name, "api", "stable", {}, target=target, declared="unlisted", origin=origin)


def removed(entries: Mapping[str, Mapping[str, Any]], present: Iterable[str], origin: str) -> list[Item]:
    """Flags and variables the contracts file records that nothing declares any more.

    They were Stable when recorded (a Beta one would still be in the inventory), so their
    disappearance is judged: only their ``compat`` obligation, which a notice can cover.
    """
    known = set(present)
    return [
        make_item(name, "api", "stable", {}, target=str(entry.get("target")), declared="removed", origin=origin)
        for name, entry in entries.items()
        if name not in known and entry.get("type") in ("flag", "env") and isinstance(entry.get("target"), str)
    ]


def env_notes(scan: EnvScan, inventory: Iterable[Item]) -> list[str]:
    """The scan's own notes, and inventory variables it finds no read of (checked for presence anyway)."""
    missing = [
        f"{i.name}: no read of it found in {scan.label or 'any env-modules package'} (a name built at run "
        "time?); its contract checks that it stays read"
        for i in inventory
        if variable(i.target) and variable(i.target) not in scan.reads
    ]
    return [*scan.notes, *missing]


# --- the three kinds behind one interface ---------------------------------------

ApiKind = Literal["callable", "flag", "env"]


def api_kind(name: str, target: str | None) -> ApiKind:
    """Which kind of API an item with this name and target is: the one place that decides."""
    if variable(target) is not None:
        return "env"
    return "flag" if is_flag(name) else "callable"


class _Api(Protocol):
    """What the contract check asks of each kind: its snapshot now, and that snapshot compared with
    the recorded one and judged for the item's level."""

    def snapshot(self, item: Item, scan: EnvScan, decorators: Collection[str]) -> dict[str, Any]: ...

    def compare(
        self, item: Item, baseline: dict[str, Any] | None, notices: _Notices, scan: EnvScan, decorators: Collection[str]
    ) -> ContractResult: ...


#: The notices that name the item, today's date, and the window a notice must be announced ahead.
_Notices = tuple[Sequence[Notice], datetime.date, NoticeWindow]


class _Callable:
    def snapshot(self, item: Item, scan: EnvScan, decorators: Collection[str]) -> dict[str, Any]:
        assert item.target is not None
        return snapshot(item.target, decorators)

    def compare(
        self, item: Item, baseline: dict[str, Any] | None, notices: _Notices, scan: EnvScan, decorators: Collection[str]
    ) -> ContractResult:
        assert item.target is not None
        return evaluate(item.target, item.level, baseline, *notices, decorators)


class _Flag:
    def snapshot(self, item: Item, scan: EnvScan, decorators: Collection[str]) -> dict[str, Any]:
        assert item.target is not None
        return flag_snapshot(item.target, item.name)

    def compare(
        self, item: Item, baseline: dict[str, Any] | None, notices: _Notices, scan: EnvScan, decorators: Collection[str]
    ) -> ContractResult:
        assert item.target is not None
        where = flag_where(item.target, item.name)
        try:
            live = flag_snapshot(item.target, item.name)
        except TargetImportError as exc:
            if baseline is None:  # nothing recorded, but the target must work: say why it does not
                return ContractResult(item.target, "unimportable", error=str(exc))
            gone = "has no flag" in str(exc)
            changes = [Change(True, f"{where} is gone" if gone else f"{where} cannot be read any more ({exc})")]
        else:
            if baseline is None:
                return ContractResult(item.target, "no-baseline")
            changes = compare_flag(where, baseline, live)
        return judge_changes(item.target, item.level, changes, *notices)


class _Env:
    def snapshot(self, item: Item, scan: EnvScan, decorators: Collection[str]) -> dict[str, Any]:
        name = variable(item.target)
        assert name is not None
        return env_snapshot(name, scan.reads)

    def compare(
        self, item: Item, baseline: dict[str, Any] | None, notices: _Notices, scan: EnvScan, decorators: Collection[str]
    ) -> ContractResult:
        name = variable(item.target)
        assert name is not None and item.target is not None
        if baseline is None:
            return ContractResult(item.target, "no-baseline")
        changes = compare_env(name, scan.label or "the env-modules", baseline, env_snapshot(name, scan.reads))
        return judge_changes(item.target, item.level, changes, *notices)


_KINDS: Mapping[ApiKind, _Api] = {"callable": _Callable(), "flag": _Flag(), "env": _Env()}


def record(item: Item, scan: EnvScan, decorators: Collection[str] = ()) -> dict[str, Any]:
    """The contract of ``item`` to write into the contracts file (raises :class:`TargetImportError`).

    ``decorators`` are those ``[annotations]`` names: a contract read from the source reads through them.
    """
    assert item.target is not None
    return {"target": item.target, **_KINDS[api_kind(item.name, item.target)].snapshot(item, scan, decorators)}


def judge(
    item: Item,
    baseline: dict[str, Any] | None,
    notices: Sequence[Notice],
    today: datetime.date,
    scan: EnvScan,
    windows: Mapping[str, NoticeWindow] | None = None,
    decorators: Collection[str] = (),
) -> ContractResult:
    """How ``item``'s API compares with its recorded contract, judged for its level and its notice window."""
    assert item.target is not None
    kind = api_kind(item.name, item.target)
    window = window_for(windows or {}, item.kind, _WINDOW_KEYS[kind])
    return _KINDS[kind].compare(item, baseline, (notices, today, window), scan, decorators)


#: The key of ``[notice]`` for each kind of API.
_WINDOW_KEYS: Mapping[ApiKind, str] = {"callable": "python", "flag": "flag", "env": "env"}
