"""Evidence files (``record``, ``--neuron-evidence``) at scale and when hand-edited.

A file of 200,000 results reads in seconds (each check is one pass); a hand-edited file that
repeats a result or claims a measurement ``record`` cannot have taken is refused in one line; and
``record`` names what is wrong on one line, whatever the item name or the lock file.
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
RECORD = (
    *("record", "--item", "cache", "--kind", "feature", "--level", "beta", "--category", "performance"),
    *("--outcome", "passed", "--source", "job"),
)


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
            "ev.json: results[1]: feature 'item1' is stable there but beta (feature) in results[0] "
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


def test_record_an_item_name_with_a_newline_is_one_line(project):
    done = project.cli(*RECORD[:2], "a\nb", *RECORD[3:], "--output", "ev.json")
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith(
        "python -m pytest_neuron_classification record: error: --item 'a\\nb' (--output ev.json)"
    )


@pytest.mark.skipif(sys.platform == "win32", reason="no lock file without fcntl")
def test_record_with_its_lock_file_a_directory_names_the_lock_file(project):
    (project.path / ".ev.json.lock").mkdir()
    done = project.cli(*RECORD, "--output", "ev.json")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "python -m pytest_neuron_classification record: error: --item cache (--output ev.json): cannot open the "
        "lock file .ev.json.lock (Is a directory); remove it, or record to another --output"
    )


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
