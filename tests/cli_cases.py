"""What the command line's message catalogues share (tests/system/messages/test_messages_cli_*.py).

``python -m pytest_neuron_classification`` (``record``, ``merge``, ``table``) refuses bad input in one
line on stderr and exits 2, having written nothing; ``merge`` prints the combined audit's notes and
verdict. Each case runs the command in a subprocess, as a user does, in a small project (after a
pytest run when the command needs its report); its line must appear whole, exactly as written.
"""

from __future__ import annotations

import json
from typing import Any

import catalogue

SCRIPT = "scripts/convergence.sh"
MERGE = "python -m pytest_neuron_classification merge: error: "
MODULE = "import pytest\npytestmark = pytest.mark.neuron_stable('runtime', kind='package')\ndef test_unit(): pass\n"
EVIDENCE = "pytest-neuron-classification-evidence/1"


def result(**overrides: Any) -> dict[str, Any]:
    """A result of the convergence script as ``record`` writes it."""
    return {
        "item": "llama",
        "kind": "model",
        "level": "beta",
        "coupling": {"workload": "training"},
        "category": "convergence",
        "outcome": "passed",
        "source": SCRIPT,
        "metrics": [],
        **overrides,
    }


def evidence(*results: dict[str, Any]) -> str:
    return json.dumps({"schema": EVIDENCE, "results": list(results)})


def Case(**fields: Any) -> catalogue.Case:
    """A command's case: refused on stderr with exit 2 unless it says otherwise; a case that reads a
    run's report writes the project first (a Stable package with a test, and an empty table)."""
    if fields.get("run") is not None:
        fields = {"config": "", "base": {"test_runtime.py": MODULE}, **fields}
    return catalogue.Case(**{"command": True, "ret": 2, "stream": "stderr", "config": None, **fields})
