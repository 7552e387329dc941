"""API contracts: comparing signature snapshots, and the one-month notice rule.

A contract is what callers rely on: each parameter's name, position, kind and whether
it has a default, and for a class its constructor and public methods. The baseline is
a JSON file meant to be committed; comparing a live snapshot with it says which changes
are additive and which break callers. Taking the snapshot imports user code, so that
lives in :mod:`..surface.signatures`; this module only compares and judges plain data.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from typing import Any, Literal, Mapping, Sequence, get_args

from pytest_neuron_classification.core.contract_depth import (
    deeper_callable,
    deeper_class,
    deeper_constant,
    deeper_param,
)
from pytest_neuron_classification.core.text import one_spelling
from pytest_neuron_classification.core.vocabulary import ClassificationError, Level, check_choice

#: ``holds`` (no breaking change, or one covered by a valid notice), ``broken`` (a
#: breaking change a Stable API may not make), ``changed`` (an Alpha or Beta API
#: changed: reported, never failing), ``no-baseline`` or ``unimportable``.
ContractState = Literal["holds", "broken", "changed", "no-baseline", "unimportable"]
CONTRACT_STATES: tuple[ContractState, ...] = get_args(ContractState)
#: How a parameter is passed, as a contract records it; in the order of :class:`inspect.Parameter`'s
#: kinds (positional-only 0 ... var-keyword 4), so that a kind's number is its index here.
ParamKind = Literal["positional-only", "positional-or-keyword", "*args", "keyword-only", "**kwargs"]
PARAM_KINDS: tuple[ParamKind, ...] = get_args(ParamKind)
_POSITIONAL: tuple[ParamKind, ...] = ("positional-only", "positional-or-keyword")
_OPTIONAL_KINDS: tuple[ParamKind, ...] = ("*args", "**kwargs")

Params = list[dict[str, Any]]


@dataclass(frozen=True)
class Change:
    breaking: bool
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"breaking": self.breaking, "change": self.text}


@dataclass(frozen=True)
class ContractResult:
    """How an API item's live signature compares with its baseline."""

    target: str
    state: ContractState
    changes: tuple[Change, ...] = ()
    notice: str = ""
    error: str = ""
    #: The notice window that applied, when it is not the default month (``3 months``).
    window: str = ""

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
        if self.window:
            data["window"] = self.window
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ContractResult:
        return cls(
            target=str(data["target"]),
            state=check_choice(data["state"], CONTRACT_STATES, "contract state"),
            changes=tuple(Change(bool(c["breaking"]), str(c["change"])) for c in data.get("changes", ())),
            notice=str(data.get("notice", "")),
            error=str(data.get("error", "")),
            window=str(data.get("window", "")),
        )


# --- comparison ------------------------------------------------------------------


def compare_signatures(target: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every difference between two contracts of ``target``, in reviewer's words."""
    if old["type"] != new["type"]:
        return [Change(True, f"`{target}` changed from a {old['type']} to a {new['type']}")]
    if old["type"] == "constant":
        return _changes(deeper_constant(target, old, new))
    if old["type"] == "function":
        changes = _compare_params(f"`{target}`", old["parameters"], new["parameters"])
        return changes + _changes(deeper_callable(f"`{target}`", old, new))
    changes = _compare_params(f"the constructor of `{target}`", old["init"], new["init"])
    for name in sorted(set(old["methods"]) | set(new["methods"])):
        where = f"`{target}.{name}`"
        if name not in new["methods"]:
            changes.append(Change(True, f"method {where} removed"))
        elif name not in old["methods"]:
            changes.append(Change(False, f"method {where} added"))
        else:
            changes += _compare_params(where, old["methods"][name], new["methods"][name])
    return changes + _changes(deeper_class(target, old, new))


def _changes(found: Sequence[tuple[bool, str]]) -> list[Change]:
    return [Change(breaking, text) for breaking, text in found]


def _compare_params(where: str, old: Params | None, new: Params | None) -> list[Change]:
    if old is None or new is None:
        return []  # a signature Python cannot read (C code) has nothing to compare
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
        changes += _changes(deeper_param(where, param, now))
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


def add_month(day: datetime.date, months: int = 1) -> datetime.date:
    """``months`` calendar months later, clamped to the month's end (Jan 31 gives Feb 28 or 29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class NoticeWindow:
    """How long before a breaking change its notice must be announced: calendar months plus days.

    Written ``"1 month"``, ``"3 months"``, ``"6 weeks"``, ``"90 days"`` or ``"1 year"`` in
    ``[tool.neuron-classification.notice]``; :attr:`text` is how messages quote it.
    """

    months: int = 1
    days: int = 0
    text: str = "one month"

    def earliest(self, announced: datetime.date) -> datetime.date:
        # Never before a calendar month: that is what every Stable API is owed, whatever the window says.
        return max(add_month(announced, self.months) + datetime.timedelta(days=self.days), add_month(announced))

    @property
    def under_a_month(self) -> bool:
        """Whether some month is longer than this window (``4 weeks``, ``30 days``): a month is the least."""
        return self.months == 0 and self.days < 31

    @property
    def is_default(self) -> bool:
        return self == ONE_MONTH

    @property
    def ahead(self) -> str:
        """``a month ahead`` or ``3 months ahead``: how fix hints say it."""
        return "a month ahead" if self.is_default else f"{self.text} ahead"


#: The kinds of API a contract covers: a Python function, class or constant; a flag; an environment variable.
ApiKind = Literal["python", "flag", "env"]
API_KINDS: tuple[ApiKind, ...] = get_args(ApiKind)


def window_for(windows: Mapping[str, NoticeWindow], kind: str, api: str | None = None) -> NoticeWindow:
    """The notice window of a Stable item: its kind of API's, else its kind's, else ``stable``'s, else a month."""
    for key in (api, kind, "stable"):
        if key is not None and key in windows:
            return windows[key]
    return ONE_MONTH


#: The window of every Stable API unless ``[tool.neuron-classification.notice]`` sets a longer one.
ONE_MONTH = NoticeWindow()
_UNITS = {"day": (0, 1), "week": (0, 7), "month": (1, 0), "year": (12, 0)}
_WINDOW = re.compile(r"^\s*([1-9][0-9]{0,3})\s+(day|week|month|year)s?\s*$")


def parse_window(text: object, key: str) -> NoticeWindow:
    """``"3 months"`` as a :class:`NoticeWindow`, or a one-line error naming ``key``."""
    match = _WINDOW.match(text) if isinstance(text, str) else None
    if match is None:
        raise ClassificationError(
            f'{key} must be a notice window such as "1 month", "3 months", "6 weeks" or "90 days", not {text!r}'
        )
    count, unit = int(match[1]), match[2]
    months, days = _UNITS[unit]
    if months * count > 1200 or days * count > 36525:
        raise ClassificationError(f'{key} = {text!r} is longer than 100 years; give a window such as "3 months"')
    window = NoticeWindow(months * count, days * count, f"{count} {unit}{'s' if count > 1 else ''}")
    return ONE_MONTH if (window.months, window.days) == (1, 0) else window


def notice_problem(
    announced: datetime.date, effective: datetime.date, today: datetime.date, window: NoticeWindow = ONE_MONTH
) -> str:
    """Why a notice does not cover a breaking change today, or "" when it does."""
    earliest = window.earliest(announced)
    if effective < earliest:
        return (
            f"the notice announced {announced} takes effect {effective}, less than {window.text} later "
            f"(the earliest allowed is {earliest})"
        )
    if effective > today:
        return f"the notice announced {announced} takes effect {effective}, which is after today ({today})"
    return ""


def covered_by(notice: Notice, window: NoticeWindow = ONE_MONTH) -> str:
    """``covered by the notice announced ...``: the window is quoted when it is not the default month."""
    text = f"covered by the notice announced {notice.announced}, effective {notice.effective}"
    return text if window.is_default else f"{text} (at least {window.text} later)"


@dataclass(frozen=True)
class Notice:
    """A published notice of a breaking change to a Stable API."""

    item: str
    announced: datetime.date
    effective: datetime.date
    change: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "item", one_spelling(self.item))  # as the item's name is spelt


def judge_signatures(
    target: str,
    level: Level,
    baseline: Mapping[str, Any] | None,
    live: Mapping[str, Any] | str,
    notices: Sequence[Notice],
    today: datetime.date,
    window: NoticeWindow = ONE_MONTH,
) -> ContractResult:
    """Judge the ``live`` snapshot of ``target`` (or why none could be taken) against ``baseline``."""
    if isinstance(live, str):
        if baseline is None:
            return ContractResult(target, "unimportable", error=live)
        changes: list[Change] = [Change(True, f"target `{target}` no longer imports ({live})")]
    else:
        if baseline is None:
            return ContractResult(target, "no-baseline")
        changes = compare_signatures(target, baseline, live)
    return judge_changes(target, level, changes, notices, today, window)


def judge_changes(
    target: str,
    level: Level,
    changes: Sequence[Change],
    notices: Sequence[Notice],
    today: datetime.date,
    window: NoticeWindow = ONE_MONTH,
) -> ContractResult:
    """The verdict on ``changes`` to an API at ``level``: breaking ones need a valid notice at Stable."""
    breaking = [c for c in changes if c.breaking]
    if not breaking:
        return ContractResult(target, "holds", tuple(changes))
    if level != "stable":
        return ContractResult(target, "changed", tuple(changes))
    problems = [notice_problem(n.announced, n.effective, today, window) for n in notices]
    if any(p == "" for p in problems):
        valid = next(n for n, p in zip(notices, problems) if p == "")
        return ContractResult(target, "holds", tuple(changes), notice=covered_by(valid, window), window=_quoted(window))
    reason = problems[0] if problems else "no notice was published for it"
    return ContractResult(target, "broken", tuple(changes), notice=reason, window=_quoted(window))


def _quoted(window: NoticeWindow) -> str:
    return "" if window.is_default else window.text
