"""Adopting the plugin gradually: waivers that expire, and a gap baseline that only shrinks.

Both turn a gap that would fail the run into one that is reported but tolerated, and
both are built to go away: a waiver has an owner and an expiry date, and a baseline
reports every recorded gap that has since closed so that the file can shrink.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from .files import FileFormat
from .policy import ClassificationError

BASELINE_FILE = FileFormat(
    "pytest-neuron-classification-baseline/1",
    "the gap baseline",
    "fix it, or record it with --neuron-update-baseline",
)


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
    def from_dict(cls, data: Mapping[str, Any]) -> Waiver:
        text = {k: data[k] for k in ("item", "obligation", "reason", "owner")}
        if not all(isinstance(v, str) for v in text.values()):
            raise ClassificationError(f"a waiver's item, obligation, reason and owner must be strings: {data!r}")
        return cls(**text, expires=datetime.date.fromisoformat(data["expires"]), link=str(data.get("link", "")))


def gap_key(item_id: str, obligation: str) -> str:
    """How a gap is named in a baseline file: stable across runs, readable in a diff."""
    return f"{item_id} :: {obligation}"


def load_baseline(path: Path) -> frozenset[str]:
    """The gaps recorded in a baseline file, or :class:`ClassificationError` naming it."""
    if not path.is_file():
        raise ClassificationError(f"{path}: no such gap baseline; record it with --neuron-update-baseline")
    gaps = BASELINE_FILE.read(path).get("gaps")
    if not isinstance(gaps, list) or not all(isinstance(g, str) for g in gaps):
        raise ClassificationError(f"{path}: 'gaps' must be a list of strings; {BASELINE_FILE.fix}")
    return frozenset(gaps)


def dump_baseline(gaps: Iterable[str]) -> str:
    """Sorted, one gap per line: a closed gap is a one-line deletion in review."""
    return BASELINE_FILE.dump({"gaps": sorted(set(gaps))})


def check_waivers(waivers: Iterable[Waiver], known_obligations: set[str], source: str) -> None:
    """A waiver must name an obligation that exists, or it would silently waive nothing."""
    for index, waiver in enumerate(waivers):
        if waiver.obligation not in known_obligations:
            raise ClassificationError(
                f"{source}: waivers[{index}]: unknown obligation {waiver.obligation!r}; "
                f"use one of {', '.join(sorted(known_obligations))}"
            )
