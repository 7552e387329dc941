"""What the ``pytest_neuron_audit`` hooks answered, read as reasons to fail the run.

Kept apart from :mod:`.controller`, whose hooks gather the evidence the audit judges.
"""

from __future__ import annotations

from typing import Sequence

from pytest_neuron_classification.core.text import short


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
            vetoes.append(
                f"a pytest_neuron_audit hook returned {short(answer, 60)}; return a reason string to fail the run, or None"
            )
        else:
            vetoes.append(" ".join(answer.split()))
    return vetoes
