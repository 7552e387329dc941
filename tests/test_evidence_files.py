"""Evidence files (``record``, ``--neuron-evidence``) at scale and when hand-edited.

A file of 200,000 results reads in seconds (each check is one pass), and a hand-edited file that
gives an item two levels is refused in one line. The other lines that refuse a hand-edited file or
a ``record`` call, whatever the item name or the lock file, are in the catalogue
(test_messages_files.py, test_messages_cli.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pytest_neuron_classification.core.items import Item
from pytest_neuron_classification.storage.evidence_file import EVIDENCE_FILE, read_results

SCHEMA = EVIDENCE_FILE.schema
BENCH = Path(__file__).parent.parent / "benchmarks"
MODULE = "import pytest\npytestmark = pytest.mark.neuron_beta('cache')\ndef test_a(): pass\n"


def result(index: int, **overrides: Any) -> dict[str, Any]:
    return {
        "item": f"item{index % 100}",
        "kind": "feature",
        "level": "beta",
        "category": "performance",
        "outcome": "passed",
        "source": f"job{index}",
        **overrides,
    }


def test_reading_a_file_costs_a_few_item_ids_per_result(tmp_path, monkeypatch):
    """Linear, not quadratic: 4,000 results once cost 16 million ``Item.id`` calls."""
    path = tmp_path / "ev.json"
    path.write_text(json.dumps({"schema": SCHEMA, "results": [result(i) for i in range(4000)]}))
    calls = 0
    original = Item.id

    def counted(self: Item) -> str:
        nonlocal calls
        calls += 1
        return original.fget(self)  # type: ignore[misc]

    monkeypatch.setattr(Item, "id", property(counted))
    assert len(read_results(path)) == 4000
    assert calls < 10 * 4000


@pytest.mark.parametrize(
    ("results", "message"),
    [
        (
            [result(1), result(2, item="item1", level="stable")],
            "ev.json: feature 'item1' is stable in results[1] but beta in results[0] "
            "(job1, performance); classify it the same way in every job",
        ),
    ],
)
def test_a_hand_edited_file_is_refused_in_one_line(pytester, results, message):
    pytester.makepyfile(test_cache=MODULE)
    (pytester.path / "ev.json").write_text(json.dumps({"schema": SCHEMA, "results": results}))
    run = pytester.runpytest("--neuron-evidence=ev.json")
    assert run.ret == pytest.ExitCode.USAGE_ERROR
    assert run.stderr.lines[0] == f"ERROR: neuron-classification: {message}"


@pytest.mark.slow
def test_the_evidence_benchmark_runs_at_a_tiny_size():
    done = subprocess.run(
        [sys.executable, str(BENCH / "evidence.py"), "--sizes", "20", "--repeats", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].split()[0] == "20"
