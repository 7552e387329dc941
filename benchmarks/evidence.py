"""Measure reading large evidence files (``--neuron-evidence``): results recorded outside pytest.

For each size it writes an evidence file of that many results (as ``record`` writes them: 1,000
items, one source per result), then times, as the median of ``--repeats`` runs:

* ``load``: reading and validating the file (what ``--neuron-evidence`` does before any test runs);
* ``run``: a whole ``pytest --neuron-evidence=FILE`` of a one-test suite in a fresh process.

Each is shown as wall time and CPU time (user + system): on a shared machine the wall time also
counts the wait for a core, the CPU time only the work.

    python benchmarks/evidence.py                           # 2,000, 8,000 and 200,000 results
    python benchmarks/evidence.py --sizes 2000 --repeats 1
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pytest_neuron_classification.core.vocabulary import Policy
from pytest_neuron_classification.storage.evidence_file import EVIDENCE_FILE, load_evidence

ITEMS = 1000
SUITE = "import pytest\npytestmark = pytest.mark.neuron_beta('item0')\ndef test_item(): pass\n"


def write_file(path: Path, results: int) -> int:
    """An evidence file of ``results`` results; returns its size in bytes."""
    body = [
        {
            "item": f"item{i % ITEMS}",
            "kind": "feature",
            "level": "beta",
            "coupling": {},
            "category": "performance",
            "outcome": "passed",
            "source": f"jobs/run_{i}.sh",
            "metrics": [{"name": "throughput", "value": 1000 + i % 7, "unit": "samples/s", "better": "higher"}],
            "recorded": "2026-01-01T00:00:00+00:00",
        }
        for i in range(results)
    ]
    text = EVIDENCE_FILE.dump({"results": body})
    path.write_text(text, encoding="utf-8")
    return len(text)


def load_time(path: Path) -> tuple[float, float]:
    """Wall and CPU seconds to read and validate the file."""
    start, cpu = time.perf_counter(), time.process_time()
    (evidence,) = load_evidence([path], Policy())
    elapsed = time.perf_counter() - start, time.process_time() - cpu
    assert len(evidence.tests) > 0
    return elapsed


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_time(folder: Path, path: Path) -> tuple[float, float]:
    """Wall and CPU seconds of a whole pytest run that reads the file."""
    (folder / "test_item.py").write_text(SUITE)
    start, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "-p", "no:xdist",
         f"--neuron-evidence={path}", "--neuron-enforce=warn"],
        cwd=folder, capture_output=True, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - start, _children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"pytest --neuron-evidence failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 8000, 200000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"{'results':>8} {'file (MB)':>10} {'load wall/CPU (s)':>18} {'run wall/CPU (s)':>17}")
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="neuron-evidence-bench-") as tmp:
            folder = Path(tmp)
            path = folder / "evidence.json"
            megabytes = write_file(path, size) / 1e6
            loads = [load_time(path) for _ in range(args.repeats)]
            runs = [run_time(folder, path) for _ in range(args.repeats)]
            load = "/".join(f"{statistics.median(t[i] for t in loads):.2f}" for i in (0, 1))
            run = "/".join(f"{statistics.median(t[i] for t in runs):.2f}" for i in (0, 1))
            print(f"{size:>8} {megabytes:>10.1f} {load:>18} {run:>17}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
