"""Adopting the plugin gradually: waivers that expire, and a gap baseline that only shrinks.

Both turn a gap that would fail the run into one that is reported but tolerated, and
both are built to go away: a waiver has an owner and an expiry date, and a baseline
reports every recorded gap that has since closed so that the file can shrink.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from pytest_neuron_classification.core.text import one_spelling
from pytest_neuron_classification.core.vocabulary import ClassificationError


@dataclass(frozen=True)
class Waiver:
    """A recorded exception for one obligation of one item, until ``expires``."""

    item: str
    obligation: str
    reason: str
    owner: str
    expires: datetime.date
    link: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "item", one_spelling(self.item))  # as the item's name is spelt

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


def check_waivers(waivers: Iterable[Waiver], known_obligations: set[str], source: str) -> None:
    """A waiver must name an obligation that exists, or it would silently waive nothing."""
    for index, waiver in enumerate(waivers):
        if waiver.obligation not in known_obligations:
            raise ClassificationError(
                f"{source}: waivers[{index}]: unknown obligation {waiver.obligation!r}; "
                f"use one of {', '.join(sorted(known_obligations))}"
            )
