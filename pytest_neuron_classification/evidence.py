"""What a run shows about each classified test: its items, categories and outcome.

Every field is plain data (strings and tuples), so a record crosses process
boundaries (xdist workers, sharded CI jobs) as JSON without losing anything.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping

#: Outcomes as the JSON report spells them. ``collected`` appears only in a static
#: (``--collect-only``) audit, for a test that was collected and selected.
OUTCOMES = ("passed", "failed", "error", "skipped", "xfailed", "not-run", "collected")
_BROKEN = frozenset({"failed", "error"})


@dataclass(frozen=True)
class TestRecord:
    """One classified test. ``error`` is set when its markers could not be understood."""

    __test__ = False  # not a pytest test class, despite the name

    nodeid: str
    item_ids: tuple[str, ...] = ()
    item_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    outcome: str = "not-run"
    error: str | None = None

    def with_outcome(self, outcome: str) -> TestRecord:
        return replace(self, outcome=outcome)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "nodeid": self.nodeid,
            "items": list(self.item_names),
            "item_ids": list(self.item_ids),
            "categories": list(self.categories),
            "outcome": self.outcome,
        }
        if self.error is not None:
            data["error"] = self.error
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TestRecord:
        return cls(
            nodeid=data["nodeid"],
            item_ids=tuple(data.get("item_ids", data.get("items", ()))),
            item_names=tuple(data.get("items", ())),
            categories=tuple(data.get("categories", ())),
            outcome=data.get("outcome", "not-run"),
            error=data.get("error"),
        )


def phase_outcome(when: str, outcome: str, wasxfail: bool) -> str | None:
    """The outcome one report phase (setup, call, teardown) contributes, if any."""
    if outcome == "failed":
        return "failed" if when == "call" else "error"
    if outcome == "skipped":
        return "xfailed" if wasxfail else "skipped"
    return "passed" if when == "call" else None


def combine_outcomes(current: str | None, new: str | None) -> str | None:
    """Later phases refine the outcome, but a failure or error is never washed out."""
    if new is None or current in _BROKEN:
        return current
    return new
