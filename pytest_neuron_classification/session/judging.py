"""How the controller judges: with the cyclic garbage collector paused, and the hooks' answers read.

Kept apart from :mod:`.controller`, whose hooks gather the evidence these help judge.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator, Sequence


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


def vetoes_of(answers: Sequence[object]) -> list[str]:
    """The reasons ``pytest_neuron_audit`` hooks gave to fail the run, each on one line.

    A hook must return a string (or None): anything else (``42``, ``True``) is itself a reason to
    fail, named as the hook's mistake rather than shown as if it were the reason.
    """
    vetoes = []
    for answer in answers:
        if answer is None or answer is False or answer == "":
            continue
        if not isinstance(answer, str):
            text = repr(answer)
            shown = text if len(text) <= 60 else text[:57] + "..."
            vetoes.append(
                f"a pytest_neuron_audit hook returned {shown}; return a reason string to fail the run, or None"
            )
        else:
            vetoes.append(" ".join(answer.split()))
    return vetoes
