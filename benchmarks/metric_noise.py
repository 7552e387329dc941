"""Measure how often the metric baseline cries wolf, and how often it catches a real slowdown.

A Stable package's pytest-benchmark test sorts a freshly shuffled list: natural jitter (the
shuffle, the allocator, the other processes of a shared machine). The baseline is recorded
once (``--neuron-update-metrics``); then the same code is run ``--runs`` times against it
(every failure is a false alarm), and as many times with the work made 1.5x and 3x larger
(every pass is a missed regression). With ``--history`` the same runs are judged against the
last runs of a history instead (``baseline-from = "history"``), after ``--runs`` runs of
identical code have filled it.

    python benchmarks/metric_noise.py                 # 20 runs each, judged against the baseline file
    python benchmarks/metric_noise.py --history       # judged against the history
    python benchmarks/metric_noise.py --runs 5 --noise 2 --tolerance 0.1
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

TEST = """
import os, random
import pytest

SCALE = float(os.environ.get("JITTER_SCALE", "1"))


def work(n):
    data = list(range(n))
    random.shuffle(data)
    return sorted(data)


@pytest.mark.neuron_performance
def test_sort(benchmark):
    benchmark(work, int(2000 * SCALE))


def test_sorted():
    assert work(10) == list(range(10))


@pytest.mark.neuron_integration
def test_sorted_twice():
    assert work(10) == sorted(work(10))
"""

CONFIG = """
[tool.neuron-classification]
baseline-from = "{source}"
metrics-tolerance = {{ default = {tolerance}, noise = {noise} }}

[[tool.neuron-classification.items]]
name = "sorter"
level = "stable"
tests = ["test_sort.py"]
"""


def run(folder: Path, scale: float, *args: str) -> tuple[int, list[dict[str, object]]]:
    """One pytest run at ``scale``: its exit code and the metric checks of its report."""
    env = {**os.environ, "JITTER_SCALE": str(scale), "PYTHONDONTWRITEBYTECODE": "1"}
    report = folder / "report.json"
    report.unlink(missing_ok=True)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:xdist",
         f"--neuron-json={report}", *args],
        cwd=folder, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if not report.exists():
        raise SystemExit(f"no report from the run at scale {scale}:\n{done.stdout}\n{done.stderr}")
    return done.returncode, json.loads(report.read_text())["metric_checks"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per scale (default 20)")
    parser.add_argument(
        "--scales", type=float, nargs="+", default=[1.0, 1.5, 3.0], help="work factors (default 1 1.5 3)"
    )
    parser.add_argument("--tolerance", type=float, default=0.1, help="metrics-tolerance default (default 0.1)")
    parser.add_argument("--noise", type=float, default=3.0, help="metrics-tolerance noise, in IQRs (default 3)")
    parser.add_argument("--history", action="store_true", help='judge against the history (baseline-from = "history")')
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = "history" if args.history else "file"
        config = CONFIG.format(source=source, tolerance=args.tolerance, noise=args.noise)
        (folder / "pyproject.toml").write_text(config)
        (folder / "test_sort.py").write_text(TEST)
        extra: tuple[str, ...] = ()
        if args.history:
            extra = ("--neuron-history=history.jsonl",)
            for _ in range(args.runs):  # fill the history with identical code
                run(folder, 1.0, *extra)
        else:
            code, _ = run(folder, 1.0, "--neuron-update-metrics")
            assert code == 0, "recording the baseline failed"
            baseline = json.loads((folder / "neuron-metrics.json").read_text())
            entry = next(iter(next(iter(next(iter(baseline["environments"].values())).values())).values()))["median"]
            print(
                f"baseline median {entry['value'] * 1e6:.1f} us, IQR {entry['spread'] * 1e6:.1f} us, {entry['rounds']} rounds"
            )
        for scale in args.scales:
            failed, changes = 0, []
            for _ in range(args.runs):
                if args.history:  # judged by the identical runs only: its own line goes to a copy
                    shutil.copy(folder / "history.jsonl", folder / "scratch.jsonl")
                code, checks = run(folder, scale, *(("--neuron-history=scratch.jsonl",) if args.history else ()))
                failed += code != 0
                median = next((c for c in checks if c["metric"] == "median"), None)
                if median is not None:
                    changes.append(str(median["text"]))
            what = "false alarms" if scale == 1.0 else "caught"
            print(
                f"x{scale:g}: run failed {failed}/{args.runs} ({what}); {source}, tolerance {args.tolerance:g}, noise {args.noise:g} IQR"
            )
            for text in changes[:3]:
                print(f"    e.g. {text}")


if __name__ == "__main__":
    main()
