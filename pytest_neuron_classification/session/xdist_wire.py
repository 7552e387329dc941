"""The xdist worker payload: what a worker classified, sent to the controller at the end.

Why a format of its own: the payload of a 60,000-test suite must cost neither time nor
memory, and most of what a list of records would say is known already. Before any
test runs, each worker sends the controller the node ids of its collection (pytest-xdist
schedules by them), and the tests of a module sit next to each other there and share
one shape (item ids, item names, categories, error). So the payload sends each shape
once and, for each position of that collection, its shape's index, run-length coded:
a few dozen numbers instead of a string per test. Classified tests that were
deselected (``-k``, ``-m``, ``--lf``) are not in that collection: they follow as node
ids, front-coded (:func:`pack`). The controller builds each record once, with the
outcome and measurements its own test reports gave, from the node id strings it
already holds. The format is internal: the worker and the controller are one version.
"""

from __future__ import annotations

import gc
import re
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from operator import attrgetter
from typing import Any, Iterable, Iterator, Mapping, Sequence

from pytest_neuron_classification.core.evidence import Evidence, Shape, TestRecord
from pytest_neuron_classification.core.metric import NOTHING, Measured
from pytest_neuron_classification.core.outcomes import RANKED, Outcome, fold_phase
from pytest_neuron_classification.core.vocabulary import ClassificationError

#: The run-length code's index for an unclassified test.
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
    evidence: Evidence, shapes: Mapping[str, Shape], collection: Iterable[str], deselected: Iterable[str]
) -> dict[str, Any]:
    """``evidence`` for the controller, its tests given as ``shapes`` (node id -> shape).

    ``collection`` is the worker's node ids in the order it sent them to the controller;
    ``deselected``, the classified tests that ``-k``, ``-m`` or ``--lf`` left out of it.
    """
    index: dict[Shape, int] = {}
    runs: list[int] = []  # shape index, count, shape index, count, ...
    for nodeid in collection:
        shape = shapes.get(nodeid)
        number = _NONE if shape is None else index.setdefault(shape, len(index))
        if runs and runs[-2] == number:
            runs[-1] += 1
        else:
            runs += [number, 1]
    left_out = pack((nodeid, index.setdefault(shapes[nodeid], len(index))) for nodeid in sorted(deselected))
    data = replace(evidence, tests=()).to_dict()  # never build the per-test dicts
    data["test_shapes"] = [
        {"item_ids": list(ids), "items": list(names), "categories": list(cats), "error": error}
        for ids, names, cats, error in index
    ]
    data["test_runs"] = runs
    data["test_nodeids"] = left_out
    return data


def from_payload(data: Mapping[str, Any], source: str, seen: Seen) -> Evidence:
    """The evidence a worker sent, its records in node id order; one line naming ``source`` if malformed."""
    evidence = Evidence.from_dict(data, source)
    try:
        records = sorted(_records(data, seen), key=attrgetter("nodeid"))
    except ClassificationError as exc:
        raise ClassificationError(f"{source}: {exc}") from None
    except (KeyError, IndexError, TypeError, AttributeError, ValueError) as exc:
        raise ClassificationError(f"{source}: malformed payload ({type(exc).__name__}: {exc})") from None
    return replace(evidence, tests=(*evidence.tests, *_without_repeats(records)))


def _records(data: Mapping[str, Any], seen: Seen) -> Iterator[TestRecord]:
    shapes = [TestRecord.from_dict({**shape, "nodeid": ""}).shape for shape in data["test_shapes"]]
    runs, collection = data["test_runs"], seen.collection
    if len(runs) % 2 or sum(runs[1::2]) != len(collection):
        raise ClassificationError(
            f"its classification covers {sum(runs[1::2])} tests, its collection {len(collection)}"
        )
    start = 0
    for number, count in zip(runs[::2], runs[1::2]):
        if not _NONE <= number < len(shapes) or count < 1:
            raise ClassificationError(f"malformed payload (test_runs: {number}, {count})")
        if number != _NONE:
            yield from _with_outcomes(shapes[number], collection[start : start + count], seen, start)
        start += count
    for nodeid, number in unpack(data["test_nodeids"]):
        yield from _with_outcomes(shapes[number], (nodeid,), seen)


def _with_outcomes(shape: Shape, nodeids: Iterable[str], seen: Seen, start: int = -1) -> Iterator[TestRecord]:
    """Records of ``nodeids``, which sit from ``start`` on in the collection (-1: not in it)."""
    outcomes, measured = seen.outcomes, seen.measured
    ranks = seen.ranks if start >= 0 else b""
    for offset, nodeid in enumerate(nodeids):
        outcome = outcomes.get(nodeid)
        if ranks:
            outcome = fold_phase(outcome, RANKED[ranks[start + offset]])
        yield TestRecord(nodeid, shape, outcome or "not-run", measured.get(nodeid, NOTHING))


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


# --- node ids, front-coded ------------------------------------------------------
# Why: a worker names most of its tests by their place in the collection the controller
# already holds (:func:`to_payload`, above), but the classified tests that ``-k``, ``-m`` or ``--lf``
# deselected are not in it and go by node id: with a large selection left out, tens of
# thousands of them. As a list of strings they would cost tens of MiB at the peak (execnet
# builds the whole message in memory, a few objects per string). Sorted node ids
# mostly repeat their predecessor (``tests/test_version.py::test_valid[1.0]`` then
# ``...[1.1]``), so front coding sends each as the length of the prefix it shares with the
# previous one and the rest, with a small number (its group), in one string:
# ``<group>,<shared>,<length>:<rest>`` per node id, the rest being ``length`` characters of
# any kind. The encoding is internal: the worker and the controller are the same version.

_HEAD = re.compile(r"([0-9]+),([0-9]+),([0-9]+):")
_BATCH = 1000


def pack(tagged: Iterable[tuple[str, int]]) -> str:
    """``(node id, group)`` pairs as one string; sorted node ids make it short."""
    # Joined a batch at a time: a list of a string per node id (or io.StringIO, which holds
    # 4 bytes per character) would cost several times the result at the peak.
    chunks: list[str] = []
    batch: list[str] = []
    previous = ""
    for nodeid, group in tagged:
        shared = _shared_prefix(previous, nodeid)
        batch.append(f"{group},{shared},{len(nodeid) - shared}:{nodeid[shared:]}")
        previous = nodeid
        if len(batch) == _BATCH:
            chunks.append("".join(batch))
            batch.clear()
    return "".join([*chunks, *batch])


def unpack(text: str) -> Iterator[tuple[str, int]]:
    """The ``(node id, group)`` pairs :func:`pack` made, one at a time.

    Raises :class:`ClassificationError` when ``text`` is not what :func:`pack` makes.
    """
    previous, position = "", 0
    while position < len(text):
        head = _HEAD.match(text, position)
        if head is None:
            raise ClassificationError(f"malformed node ids at character {position}")
        group, shared, length = map(int, head.groups())
        end = head.end() + length
        if shared > len(previous) or end > len(text):
            raise ClassificationError(f"malformed node ids at character {position}")
        previous = previous[:shared] + text[head.end() : end]
        yield previous, group
        position = end


def _shared_prefix(a: str, b: str) -> int:
    """The length of the longest common prefix of ``a`` and ``b``, by bisection (no loop per character)."""
    low, high = 0, min(len(a), len(b))
    if a[:high] == b[:high]:
        return high
    while high - low > 1:  # a[:low] == b[:low] and a[:high] != b[:high]
        middle = (low + high) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle
    return low


# --- the controller's pause -------------------------------------------------------


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while the run is judged.

    Why: judging builds a record per classified test (tens of thousands, none in a cycle),
    and so many new objects can tip the collector into a full collection, which walks every
    object the process holds: on an xdist controller that is every test report pytest kept,
    over half a second on a 60,000-test suite, paid in about one run in three. Paused, and
    with the records freed before it resumes, the collector sees the run as it would
    without this plugin. A collector the user disabled stays disabled.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
