"""Python's cyclic garbage collector, paused while this plugin builds many objects at once.

Why: a large suite's process holds hundreds of thousands of objects (pytest's items, and the
reports it keeps), and a full collection walks each of them: about 0.15 s on a 20,000-test
suite, repeated a dozen times a run. A full collection comes when enough new objects have
survived since the last, and the plugin makes many at three moments: reading a large
inventory, classifying the collection and judging the run. Most of them are temporary (the
parsed TOML, the per-module caches) and none is in a cycle, so pausing the collector there
and letting reference counting free them costs nothing, and keeps the plugin from bringing
the next full collection forward. A collector the user disabled stays disabled.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off inside the block, and as it was after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
