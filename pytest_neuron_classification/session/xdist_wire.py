"""The xdist worker payload: what a worker classified, sent to the controller at the end.

Before any test runs, each worker sends the controller the node ids of its collection
(pytest-xdist schedules by them), and the tests of a module share one shape (item ids,
item names, categories, error). So the payload is plain lists: each shape once, the
shape index of each place in that collection (-1: unclassified), and ``[node id, shape
index]`` for the classified tests ``-k``, ``-m`` or ``--lf`` deselected (not in that
collection). The controller builds each record once, from the node id strings it already
holds and the outcomes its own test reports gave.

Why one JSON string rather than the lists themselves: execnet serializes object by object
in Python. Measured on 60,000 classified tests, 30,000 of them deselected (encode,
``execnet.dumps`` and ``loads``, decode; median of 5, peak by tracemalloc), the lists as
they are took 1.45 s and 88 MiB at the peak; as JSON 0.29 s and 22 MiB, 2.1 MiB sent. The
run-length and front-coded format this replaces took 0.86 s and 33 MiB for 1.3 MiB; with
20,000 classified tests of 60,000 collected, 0.17 s and 15 MiB (JSON: 0.16 s, 6 MiB,
0.4 MiB). No zlib: it cuts 2.1 MiB to 0.15 MiB, and an execnet pipe carries 1 MiB in 3 ms.
The format is internal: the worker and the controller are one version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from operator import attrgetter
from typing import Any, Iterable, Iterator, Mapping, Sequence

from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.core.metric import NOTHING, Measured
from pytest_neuron_classification.core.outcomes import RANKED, Outcome, fold_phase
from pytest_neuron_classification.core.test_record import ShapeRow, TestRecord
from pytest_neuron_classification.core.vocabulary import ClassificationError

#: The shape index of an unclassified test.
_NONE = -1


def is_worker(config: Any) -> bool:
    """Whether this process is an xdist worker: the one way the plugin asks.

    xdist gives a worker's config ``workerinput`` (from the controller) before any plugin's
    ``pytest_configure``; the controller and a serial run have none.
    """
    return hasattr(config, "workerinput")


@dataclass(frozen=True)
class Seen:
    """What the xdist controller saw, for the records of a worker payload."""

    #: The worker's collection, as it sent it before the run (pytest-xdist keeps the strings).
    collection: Sequence[str] = ()
    #: Each test's outcome, folded over its reports, by node id: the reports that do not
    #: say their place in the collection (a crashed worker's test), or every one.
    outcomes: Mapping[str, Outcome] = field(default_factory=dict)
    #: What a test measured, for the few that did.
    measured: Mapping[str, Measured] = field(default_factory=dict)
    #: Each test's outcome as a rank (:data:`~.outcomes.RANKED`) by its place in
    #: ``collection``: what its xdist reports gave. Empty when all are by node id.
    ranks: bytes = b""


def to_payload(
    evidence: Evidence, shapes: Mapping[str, ShapeRow], collection: Iterable[str], deselected: Iterable[str]
) -> str:
    """``evidence`` for the controller, its tests given as ``shapes`` (node id -> shape), as JSON text.

    ``collection`` is the worker's node ids in the order it sent them to the controller;
    ``deselected``, the classified tests that ``-k``, ``-m`` or ``--lf`` left out of it.
    """
    index: dict[ShapeRow, int] = {}
    places = [_NONE if shape is None else index.setdefault(shape, len(index)) for shape in map(shapes.get, collection)]
    left_out = [[nodeid, index.setdefault(shapes[nodeid], len(index))] for nodeid in deselected]
    data = replace(evidence, tests=()).to_dict()  # never build the per-test dicts
    data["test_shapes"] = [
        {"item_ids": list(ids), "items": list(names), "categories": list(cats), "error": error}
        for ids, names, cats, error in index
    ]
    data["test_shape_at"] = places
    data["test_deselected"] = left_out
    return json.dumps(data, separators=(",", ":"))


def from_payload(text: str, source: str, seen: Seen) -> Evidence:
    """The evidence a worker sent, its records in node id order; one line naming ``source`` if malformed."""
    try:
        data = json.loads(text)
        evidence = Evidence.from_dict(data, source)
        records = sorted(_records(data, seen), key=attrgetter("nodeid"))
    except ClassificationError as exc:
        raise ClassificationError(f"{source}: {exc}") from None
    except (KeyError, IndexError, TypeError, AttributeError, ValueError) as exc:
        raise ClassificationError(f"{source}: malformed payload ({type(exc).__name__}: {exc})") from None
    left_out = frozenset(nodeid for nodeid, _ in data["test_deselected"])
    return replace(evidence, tests=(*evidence.tests, *_without_repeats(records)), deselected=left_out)


def _records(data: Mapping[str, Any], seen: Seen) -> Iterator[TestRecord]:
    shapes = [TestRecord.from_dict({**shape, "nodeid": ""}).shape for shape in data["test_shapes"]]
    places, deselected, collection = data["test_shape_at"], data["test_deselected"], seen.collection
    if len(places) != len(collection):
        raise ClassificationError(f"its classification covers {len(places)} tests, its collection {len(collection)}")
    numbers = [*places, *(number for _, number in deselected)]
    if numbers and not _NONE <= min(numbers) <= max(numbers) < len(shapes):
        raise ClassificationError(f"malformed payload (a shape index outside 0..{len(shapes) - 1})")
    outcomes, measured, ranks = seen.outcomes, seen.measured, seen.ranks
    for place, number in enumerate(places):
        if number != _NONE:
            nodeid = collection[place]
            outcome = outcomes.get(nodeid)
            if ranks:
                outcome = fold_phase(outcome, RANKED[ranks[place]])
            yield TestRecord(nodeid, shapes[number], outcome or "not-run", measured.get(nodeid, NOTHING))
    for nodeid, number in deselected:
        if number == _NONE or not isinstance(nodeid, str):
            raise ClassificationError(f"malformed payload (deselected: {nodeid!r}, {number!r})")
        yield TestRecord(nodeid, shapes[number], outcomes.get(nodeid) or "not-run", measured.get(nodeid, NOTHING))


def ranks_of(
    worker: str,
    collections: Mapping[str, Sequence[str]],
    ranks: Mapping[str, Sequence[int]],
    outcomes: Mapping[str, Outcome],
) -> tuple[bytes, dict[str, Outcome]]:
    """``worker``'s ranks by place, each other worker's folded in, and ``outcomes`` with the rest.

    pytest-xdist runs a test on one worker (on each with ``--dist each``), and refuses to
    schedule workers whose collections differ: a worker with the same collection folds
    place by place, one with another collection (should xdist ever allow it) by node id.
    """
    collection = collections.get(worker, ())
    own = bytearray(ranks.get(worker, b""))
    if len(own) != len(collection):
        own = bytearray(len(collection))
    by_id = dict(outcomes)
    for other, theirs in ranks.items():
        if other == worker:
            continue
        elsewhere = collections.get(other, ())
        if len(theirs) == len(own) and _same(elsewhere, collection):
            own = bytearray(map(max, own, theirs))
            continue
        for nodeid, rank in zip(elsewhere, theirs):
            folded = fold_phase(by_id.get(nodeid), RANKED[rank])
            if folded is not None:
                by_id[nodeid] = folded
    return bytes(own), by_id


def _same(one: Sequence[str], other: Sequence[str]) -> bool:
    return len(one) == len(other) and all(map(str.__eq__, one, other))


def _without_repeats(records: list[TestRecord]) -> Iterator[TestRecord]:
    """One record per node id (``--keep-duplicates`` collects a test twice), the first one."""
    previous = None
    for record in records:
        if record.nodeid != previous:
            yield record
        previous = record.nodeid
