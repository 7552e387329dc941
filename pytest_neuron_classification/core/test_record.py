"""A record per classified test: what it is evidence for (its shape), its outcome, its measurements.

A large suite has one per classified test, all alive while the run is judged, so a record is
small (see :class:`TestRecord`) and the tests of a module share one :class:`Shape`. The records
of a run travel inside its :class:`~.evidence.Evidence`, and are read back from JSON here.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from typing import Any, Mapping, NamedTuple, Optional

from pytest_neuron_classification.core.metric import NOTHING, Measured, Metric, measured_of
from pytest_neuron_classification.core.outcomes import OUTCOMES, Outcome
from pytest_neuron_classification.core.shared_json import plain, plain_key
from pytest_neuron_classification.core.vocabulary import ClassificationError, check_choice

#: One record per classified test: on a large suite, ``__slots__`` halves their memory.
_SLOTS: dict[str, bool] = {"slots": True} if sys.version_info >= (3, 10) else {}


class Shape(NamedTuple):
    """What a test is evidence for. The tests of a module share one (a named tuple: hashable,
    so equal shapes are interned and sent once over the xdist wire)."""

    item_ids: tuple[str, ...]
    item_names: tuple[str, ...]
    categories: tuple[str, ...]
    #: Why the test's markers could not be understood, or None.
    error: Optional[str]


NO_SHAPE = Shape((), (), (), None)
#: A shape as the classifier keeps one through the run: the cyclic collector stops tracking a plain tuple of
#: strings, never a named tuple, which each full collection walks again (18,000 on a 20,000-item inventory).
ShapeRow = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], Optional[str]]


@dataclass(frozen=True, **_SLOTS)
class TestRecord:
    """One classified test. ``error`` is set when its markers could not be understood.

    A large suite has one per classified test, alive together while the run is judged: so
    it holds five references, what it shares with its module's tests in one ``shape`` and
    its rare measurements in one ``measured``; the rest are properties. Build one from
    the separate fields with :meth:`of`.
    """

    __test__ = False  # not a pytest test class, despite the name

    nodeid: str
    shape: Shape = NO_SHAPE
    outcome: Outcome = "not-run"
    #: What the test measured (``neuron_metric``, pytest-benchmark), and why its
    #: ``benchmark`` fixture timed nothing, when it did not.
    measured: Measured = NOTHING
    #: For a result obtained outside pytest (``record``), the script that produced it; "" for a test.
    source: str = ""

    @classmethod
    def of(
        cls,
        nodeid: str,
        item_ids: tuple[str, ...] = (),
        item_names: tuple[str, ...] = (),
        categories: tuple[str, ...] = (),
        outcome: Outcome = "not-run",
        error: str | None = None,
        metrics: tuple[Metric, ...] = (),
        untimed: str = "",
        source: str = "",
    ) -> TestRecord:
        return cls(
            nodeid, Shape(item_ids, item_names, categories, error), outcome, measured_of(metrics, untimed), source
        )

    @property
    def item_ids(self) -> tuple[str, ...]:
        return self.shape.item_ids

    @property
    def item_names(self) -> tuple[str, ...]:
        return self.shape.item_names

    @property
    def categories(self) -> tuple[str, ...]:
        return self.shape.categories

    @property
    def error(self) -> str | None:
        return self.shape.error

    @property
    def metrics(self) -> tuple[Metric, ...]:
        return self.measured.metrics

    @property
    def untimed(self) -> str:
        return self.measured.untimed

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "nodeid": self.nodeid,
            "items": list(self.item_names),
            "item_ids": list(self.item_ids),
            "categories": list(self.categories),
            "outcome": self.outcome,
            "metrics": [m.to_dict() for m in self.metrics],
        }
        if self.error is not None:
            data["error"] = self.error
        if self.untimed:
            data["untimed"] = self.untimed
        if self.source:
            data["source"] = self.source
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], shared: dict[Any, Any] | None = None) -> TestRecord:
        """A record from JSON; equal tuples are shared through ``shared`` (tests of a module repeat them), and
        so are equal plain records (node id and outcome; see :mod:`.shared_json`), as a ``/2`` shard report has."""
        if shared is None:
            return cls._from_json(data)
        key = plain_key(data)
        if key is not None:
            known = shared.get(key)
            if known is not None and known[0] == data:
                return known[1]  # type: ignore[no-any-return]
        record = cls._from_json(data)
        record = replace(record, shape=shared.setdefault(record.shape, record.shape))
        if key is not None and plain(data):
            shared[key] = (data, record)
        return record

    @classmethod
    def _from_json(cls, data: Mapping[str, Any]) -> TestRecord:
        nodeid = data["nodeid"]
        if not isinstance(nodeid, str):
            raise ClassificationError(f"a test's nodeid must be a string, not {nodeid!r}")
        error = data.get("error")
        return cls.of(
            nodeid=nodeid,
            item_ids=strings_of(data.get("item_ids", data.get("items", ())), "item_ids"),
            item_names=strings_of(data.get("items", ()), "items"),
            categories=strings_of(data.get("categories", ()), "categories"),
            outcome=check_choice(data.get("outcome", "not-run"), OUTCOMES, f"outcome of {nodeid}"),
            error=None if error is None else _text(error, "error", nodeid),
            metrics=tuple(Metric.from_dict(m) for m in data.get("metrics", ())),
            untimed=_text(data.get("untimed", ""), "untimed", nodeid),
            # A source makes the record a result recorded outside pytest: a number there is an edited report.
            source=_text(data.get("source", ""), "source", nodeid),
        )


def _text(value: object, key: str, nodeid: str) -> str:
    if not isinstance(value, str):
        raise ClassificationError(f"{key} of {nodeid} must be text, not {value!r}")
    return value


def strings_of(values: object, key: str) -> tuple[str, ...]:
    if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) for v in values):
        raise ClassificationError(f"{key} must be a list of strings, not {values!r}")
    return tuple(values)
