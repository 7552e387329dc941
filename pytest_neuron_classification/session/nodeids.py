"""Many node ids as one compact string, for the xdist worker payload.

Why: a worker names most of its tests by their place in the collection the controller
already holds (:mod:`.payload`), but the classified tests that ``-k``, ``-m`` or ``--lf``
deselected are not in it and go by node id: with a large selection left out, tens of
thousands of them. As a list of strings they would cost tens of MiB at the peak (execnet
builds the whole message in memory, a few objects per string). Sorted node ids
mostly repeat their predecessor (``tests/test_version.py::test_valid[1.0]`` then
``...[1.1]``), so front coding sends each as the length of the prefix it shares with the
previous one and the rest, with a small number (its group), in one string:
``<group>,<shared>,<length>:<rest>`` per node id, the rest being ``length`` characters of
any kind. The encoding is internal: the worker and the controller are the same version.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from pytest_neuron_classification.core.vocabulary import ClassificationError

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
