"""The benchmark scripts run (at a tiny size); timing itself is never asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "benchmarks"


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
