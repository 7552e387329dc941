"""Adopting the plugin gradually: waivers that expire, and a gap baseline that only shrinks.

Both turn a gap that would fail the run into one that is reported but tolerated, and
both are built to go away: a waiver has an owner and an expiry date, and a baseline
reports every recorded gap that has since closed so that the file can shrink.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .contracts import TargetImportError, public_api
from .items import Item, make_item
from .policy import ClassificationError

BASELINE_SCHEMA = "pytest-neuron-classification-baseline/1"


@dataclass(frozen=True)
class Waiver:
    """A recorded exception for one obligation of one item, until ``expires``."""

    item: str
    obligation: str
    reason: str
    owner: str
    expires: datetime.date
    link: str = ""

    def matches(self, item_name: str, item_id: str, obligation: str) -> bool:
        return self.item in (item_name, item_id) and self.obligation == obligation

    def describe(self) -> str:
        link = f" ({self.link})" if self.link else ""
        return f"waived until {self.expires} by {self.owner}: {self.reason}{link}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "obligation": self.obligation,
            "reason": self.reason,
            "owner": self.owner,
            "expires": self.expires.isoformat(),
            "link": self.link,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Waiver:
        return cls(
            data["item"],
            data["obligation"],
            data["reason"],
            data["owner"],
            datetime.date.fromisoformat(data["expires"]),
            data.get("link", ""),
        )


def gap_key(item_id: str, obligation: str) -> str:
    """How a gap is named in a baseline file: stable across runs, readable in a diff."""
    return f"{item_id} :: {obligation}"


def load_baseline(path: Path) -> frozenset[str]:
    """The gaps recorded in a baseline file, or :class:`ClassificationError` naming it."""
    fix = "record it with --neuron-update-baseline"
    if not path.is_file():
        raise ClassificationError(f"{path}: no such gap baseline; {fix}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ClassificationError(f"{path}: cannot read the gap baseline ({exc}); fix it, or {fix}") from None
    if not isinstance(data, dict) or data.get("schema") != BASELINE_SCHEMA:
        schema = data.get("schema") if isinstance(data, dict) else None
        raise ClassificationError(f"{path}: schema {schema!r} is not {BASELINE_SCHEMA!r}; {fix}")
    gaps = data.get("gaps")
    if not isinstance(gaps, list) or not all(isinstance(g, str) for g in gaps):
        raise ClassificationError(f"{path}: 'gaps' must be a list of strings; {fix}")
    return frozenset(gaps)


def dump_baseline(gaps: Iterable[str]) -> str:
    """Sorted, one gap per line: a closed gap is a one-line deletion in review."""
    return json.dumps({"schema": BASELINE_SCHEMA, "gaps": sorted(set(gaps))}, indent=2) + "\n"


def check_waivers(waivers: Iterable[Waiver], known_obligations: set[str], source: str) -> None:
    """A waiver must name an obligation that exists, or it would silently waive nothing."""
    for index, waiver in enumerate(waivers):
        if waiver.obligation not in known_obligations:
            raise ClassificationError(
                f"{source}: waivers[{index}]: unknown obligation {waiver.obligation!r}; "
                f"use one of {', '.join(sorted(known_obligations))}"
            )


def unlisted_apis(modules: Iterable[str], inventory: Iterable[Item], source: str) -> list[Item]:
    """The classification rule that unlisted means Stable, applied to ``api-modules``.

    Every public name of those modules the inventory does not list becomes a Stable
    ``api`` item with its ``target`` set, so that it owes a test and a contract.
    """
    inventory = list(inventory)
    listed = {i.name for i in inventory} | {i.target for i in inventory if i.target}
    items = []
    for module in modules:
        try:
            targets = public_api(module)
        except TargetImportError as exc:
            raise ClassificationError(
                f"{source}: api-modules: {exc}; fix the import or remove {module!r} from api-modules"
            ) from None
        for target in targets:
            name = target.replace(":", ".")
            if name not in listed and target not in listed:
                origin = f"api-modules {module}"
                items.append(make_item(name, "api", "stable", {}, target=target, declared="unlisted", origin=origin))
    return items
