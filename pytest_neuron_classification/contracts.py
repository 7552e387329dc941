"""API contracts: signature snapshots of Stable APIs and the one-month notice rule.

A contract is what callers rely on: each parameter's name, position, kind and whether
it has a default, and for a class its constructor and public methods. The baseline is
a JSON file meant to be committed; comparing the live code with it says which changes
are additive and which break callers (SPEC section 6).
"""

from __future__ import annotations

import calendar
import datetime
import importlib
import inspect
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from .policy import ClassificationError

SCHEMA = "pytest-neuron-classification-contracts/1"
_KINDS = {
    inspect.Parameter.POSITIONAL_ONLY: "positional-only",
    inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional-or-keyword",
    inspect.Parameter.VAR_POSITIONAL: "*args",
    inspect.Parameter.KEYWORD_ONLY: "keyword-only",
    inspect.Parameter.VAR_KEYWORD: "**kwargs",
}
_POSITIONAL = ("positional-only", "positional-or-keyword")
_OPTIONAL_KINDS = ("*args", "**kwargs")

Params = list[dict[str, Any]]


class TargetImportError(Exception):
    """The target could not be imported or found; the message is one line."""


@dataclass(frozen=True)
class Change:
    breaking: bool
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"breaking": self.breaking, "change": self.text}


@dataclass(frozen=True)
class ContractResult:
    """How an API item's live signature compares with its baseline.

    ``state`` is ``holds`` (no breaking change, or one covered by a valid notice),
    ``broken`` (a breaking change a Stable API may not make), ``changed`` (an Alpha or
    Beta API changed: reported, never failing), ``no-baseline`` or ``unimportable``.
    """

    target: str
    state: str
    changes: tuple[Change, ...] = ()
    notice: str = ""
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "target": self.target,
            "state": self.state,
            "changes": [c.to_dict() for c in self.changes],
        }
        if self.notice:
            data["notice"] = self.notice
        if self.error:
            data["error"] = self.error
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ContractResult:
        return cls(
            target=data["target"],
            state=data["state"],
            changes=tuple(Change(c["breaking"], c["change"]) for c in data.get("changes", ())),
            notice=data.get("notice", ""),
            error=data.get("error", ""),
        )


# --- snapshots -------------------------------------------------------------------


def resolve(target: str) -> Any:
    """The object ``module:qualname`` names, or :class:`TargetImportError`."""
    module_name, _, qualname = target.partition(":")
    obj: Any = _import(module_name)
    for part in qualname.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise TargetImportError(f"{module_name} has no attribute {qualname}") from None
    return obj


def _import(module_name: str) -> Any:
    importlib.invalidate_caches()  # the module may have been written since the finders looked
    try:
        return importlib.import_module(module_name)
    except Exception as exc:  # an import can fail in any way; report it, never crash
        raise TargetImportError(f"cannot import {module_name}: {type(exc).__name__}: {exc}") from None


def snapshot(target: str) -> dict[str, Any]:
    """The contract of ``target`` as plain, JSON-ready data."""
    obj = resolve(target)
    if inspect.isclass(obj):
        methods = {}
        for name in sorted(dir(obj)):
            if name.startswith("_"):
                continue
            static = inspect.getattr_static(obj, name)
            function = static.__func__ if isinstance(static, (staticmethod, classmethod)) else static
            if inspect.isfunction(function):
                methods[name] = _parameters(getattr(obj, name))
        return {"type": "class", "init": _parameters(obj), "methods": methods}
    if callable(obj):
        return {"type": "function", "parameters": _parameters(obj)}
    raise TargetImportError(f"{target} is a {type(obj).__name__}, not a function or class")


def _parameters(obj: Callable[..., Any]) -> Params:
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError) as exc:
        raise TargetImportError(f"no signature for {getattr(obj, '__qualname__', obj)}: {exc}") from None
    return [
        {"name": p.name, "kind": _KINDS[p.kind], "default": p.default is not inspect.Parameter.empty}
        for p in signature.parameters.values()
    ]


# --- comparison ------------------------------------------------------------------


def compare(target: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every difference between two contracts of ``target``, in reviewer's words."""
    if old["type"] != new["type"]:
        return [Change(True, f"`{target}` changed from a {old['type']} to a {new['type']}")]
    if old["type"] == "function":
        return _compare_params(f"`{target}`", old["parameters"], new["parameters"])
    changes = _compare_params(f"the constructor of `{target}`", old["init"], new["init"])
    for name in sorted(set(old["methods"]) | set(new["methods"])):
        where = f"`{target}.{name}`"
        if name not in new["methods"]:
            changes.append(Change(True, f"method {where} removed"))
        elif name not in old["methods"]:
            changes.append(Change(False, f"method {where} added"))
        else:
            changes += _compare_params(where, old["methods"][name], new["methods"][name])
    return changes


def _compare_params(where: str, old: Params, new: Params) -> list[Change]:
    changes = []
    new_by_name = {p["name"]: p for p in new}
    old_positional = [p["name"] for p in old if p["kind"] in _POSITIONAL]
    new_positional = [p["name"] for p in new if p["kind"] in _POSITIONAL]
    for param in old:
        name = param["name"]
        now = new_by_name.get(name)
        if now is None:
            changes.append(Change(True, f"parameter `{name}` removed from {where}"))
            continue
        if now["kind"] != param["kind"]:
            changes.append(Change(True, f"parameter `{name}` of {where} changed from {param['kind']} to {now['kind']}"))
        if param["default"] and not now["default"]:
            changes.append(Change(True, f"parameter `{name}` of {where} lost its default"))
        elif now["default"] and not param["default"]:
            changes.append(Change(False, f"parameter `{name}` of {where} gained a default"))
        if name in old_positional and name in new_positional:
            before, after = old_positional.index(name), new_positional.index(name)
            if before != after:
                changes.append(
                    Change(True, f"parameter `{name}` of {where} moved from position {before + 1} to {after + 1}")
                )
    old_names = {p["name"] for p in old}
    for param in new:
        if param["name"] in old_names:
            continue
        optional = param["default"] or param["kind"] in _OPTIONAL_KINDS
        kind = "optional" if optional else "required"
        changes.append(Change(not optional, f"new {kind} {param['kind']} parameter `{param['name']}` in {where}"))
    return changes


# --- notices ---------------------------------------------------------------------


def add_month(day: datetime.date) -> datetime.date:
    """One calendar month later, clamped to the month's end (Jan 31 gives Feb 28 or 29)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def notice_problem(announced: datetime.date, effective: datetime.date, today: datetime.date) -> str:
    """Why a notice does not cover a breaking change today, or "" when it does."""
    earliest = add_month(announced)
    if effective < earliest:
        return (
            f"the notice announced {announced} takes effect {effective}, less than one month later "
            f"(the earliest allowed is {earliest})"
        )
    if effective > today:
        return f"the notice announced {announced} takes effect {effective}, which is after today ({today})"
    return ""


@dataclass(frozen=True)
class Notice:
    """A published notice of a breaking change to a Stable API."""

    item: str
    announced: datetime.date
    effective: datetime.date
    change: str = ""


def evaluate(
    target: str,
    level: str,
    baseline: Mapping[str, Any] | None,
    notices: Sequence[Notice],
    today: datetime.date,
) -> ContractResult:
    """Compare the live ``target`` with ``baseline`` and judge it for an item at ``level``."""
    try:
        live = snapshot(target)
    except TargetImportError as exc:
        if baseline is None:
            return ContractResult(target, "unimportable", error=str(exc))
        changes: list[Change] = [Change(True, f"target `{target}` no longer imports ({exc})")]
    else:
        if baseline is None:
            return ContractResult(target, "no-baseline")
        changes = compare(target, baseline, live)
    breaking = [c for c in changes if c.breaking]
    if not breaking:
        return ContractResult(target, "holds", tuple(changes))
    if level != "stable":
        return ContractResult(target, "changed", tuple(changes))
    problems = [notice_problem(n.announced, n.effective, today) for n in notices]
    if any(p == "" for p in problems):
        valid = next(n for n, p in zip(notices, problems) if p == "")
        covered = f"covered by the notice announced {valid.announced}, effective {valid.effective}"
        return ContractResult(target, "holds", tuple(changes), notice=covered)
    reason = problems[0] if problems else "no notice was published for it"
    return ContractResult(target, "broken", tuple(changes), notice=reason)


def public_api(module_name: str) -> list[str]:
    """The targets (``module:name``) of a module's public functions and classes.

    Public means listed in ``__all__``, or, without one, named without a leading
    underscore and defined in the module's own package (not imported from elsewhere).
    """
    module = _import(module_name)
    names = getattr(module, "__all__", None)
    package = module_name.split(".")[0]
    if names is None:
        names = [
            n
            for n, obj in vars(module).items()
            if not n.startswith("_")
            and (inspect.isfunction(obj) or inspect.isclass(obj))
            and (getattr(obj, "__module__", "") or "").split(".")[0] == package
        ]
    return [f"{module_name}:{n}" for n in sorted(names) if callable(getattr(module, n, None))]


# --- the baseline file -----------------------------------------------------------


def load_contracts(path: Path) -> dict[str, dict[str, Any]]:
    """``{item name: contract}`` from the baseline file; empty when there is none."""
    if not path.exists():
        return {}
    fix = "fix it, or rewrite it with --neuron-update-contracts"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ClassificationError(f"{path}: cannot read the API contracts ({exc}); {fix}") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("contracts"), dict):
        schema = data.get("schema") if isinstance(data, dict) else None
        raise ClassificationError(f"{path}: schema {schema!r} is not {SCHEMA!r}; {fix}")
    return data["contracts"]


def dump_contracts(contracts: Mapping[str, Mapping[str, Any]]) -> str:
    """Sorted, indented JSON, so that a changed contract is a small, readable diff."""
    return json.dumps({"schema": SCHEMA, "contracts": dict(contracts)}, indent=2, sort_keys=True) + "\n"


def record_contracts(targets: Iterable[tuple[str, str]]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Snapshots of ``(item name, target)`` pairs, and a line for each that failed."""
    contracts, errors = {}, []
    for name, target in targets:
        try:
            contracts[name] = {"target": target, **snapshot(target)}
        except TargetImportError as exc:
            errors.append(f"{name}: {exc}")
    return contracts, errors
