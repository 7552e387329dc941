"""Measure how often the metric baseline cries wolf, and how often it catches a real slowdown.

A Stable package's pytest-benchmark test sorts a freshly shuffled list: natural jitter (the
shuffle, the allocator, the other processes of a shared machine). With ``--bimodal`` the process
also draws, at import, whether its work is 1x or 1.5x (as a hash seed or a memory layout can
decide): whole runs differ, which one run's rounds cannot show. The baseline is recorded
``--window`` times (``--neuron-update-metrics``, ``metric-window``); then the same code is run
``--runs`` times against it (every failure is a false alarm), and as many times with the work made
larger by each of ``--scales`` (every pass is a missed regression). Each result line ends with the
host's load average over its runs. With ``--history`` the same runs are judged against the last
runs of a history instead (``baseline-from = "history"``), after ``--runs`` runs of identical code
have filled it.

    python benchmarks/metric_noise.py --window 1 --scales 1 4            # from one run (about 1 min)
    python benchmarks/metric_noise.py --window 5 --scales 1 3            # from a window of five
    python benchmarks/metric_noise.py --window 1 --scales 1 4 --bimodal  # the same, bimodal
    python benchmarks/metric_noise.py --window 5 --scales 1 3 --bimodal
    python benchmarks/metric_noise.py --history       # judged against the history
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
if os.environ.get("JITTER_BIMODAL"):  # decided once per process, like a hash seed
    SCALE *= random.choice((1.0, 1.5))


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
metric-window = {window}
metrics-tolerance = {{ default = {tolerance}, noise = {noise} }}

[[tool.neuron-classification.items]]
name = "sorter"
level = "stable"
tests = ["test_sort.py"]
"""


BIMODAL = {"JITTER_BIMODAL": ""}
#: pytest-benchmark's time per run: enough rounds for a median, short enough for 45 runs in 3 minutes.
MAX_TIME = ("--benchmark-max-time=0.3", "--benchmark-warmup=off")


def run(folder: Path, scale: float, *args: str) -> tuple[int, list[dict[str, object]]]:
    """One pytest run at ``scale``: its exit code and the metric checks of its report."""
    env = {**os.environ, **BIMODAL, "JITTER_SCALE": str(scale), "PYTHONDONTWRITEBYTECODE": "1"}
    report = folder / "report.json"
    report.unlink(missing_ok=True)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:xdist",
         f"--neuron-json={report}", *MAX_TIME, *args],
        cwd=folder, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if not report.exists():
        raise SystemExit(f"no report from the run at scale {scale}:\n{done.stdout}\n{done.stderr}")
    return done.returncode, json.loads(report.read_text())["metric_checks"]


def load() -> str:
    """The host's load average over the last minute: beside each result, since results vary with it."""
    return f"{os.getloadavg()[0]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per scale (default 20)")
    parser.add_argument(
        "--scales", type=float, nargs="+", default=[1.0, 1.5, 3.0], help="work factors (default 1 1.5 3)"
    )
    parser.add_argument("--tolerance", type=float, default=0.1, help="metrics-tolerance default (default 0.1)")
    parser.add_argument(
        "--noise",
        type=float,
        default=3.0,
        help="metrics-tolerance noise: the band within a run is noise x IQR / sqrt(rounds) (default 3)",
    )
    parser.add_argument("--history", action="store_true", help='judge against the history (baseline-from = "history")')
    parser.add_argument("--window", type=int, default=1, help="runs recorded as the baseline (default 1)")
    parser.add_argument("--bimodal", action="store_true", help="each process does 1x or 1.5x the work, at random")
    args = parser.parse_args()
    if args.bimodal:
        BIMODAL["JITTER_BIMODAL"] = "1"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = "history" if args.history else "file"
        config = CONFIG.format(source=source, tolerance=args.tolerance, noise=args.noise, window=max(1, args.window))
        (folder / "pyproject.toml").write_text(config)
        (folder / "test_sort.py").write_text(TEST)
        extra: tuple[str, ...] = ()
        if args.history:
            extra = ("--neuron-history=history.jsonl",)
            for _ in range(args.runs):  # fill the history with identical code
                run(folder, 1.0, *extra)
        else:
            for _ in range(max(1, args.window)):
                code, _ = run(folder, 1.0, "--neuron-update-metrics")
                assert code == 0, "recording the baseline failed"
            baseline = json.loads((folder / "neuron-metrics.json").read_text())
            entry = next(iter(next(iter(next(iter(baseline["environments"].values())).values())).values()))["median"]
            runs = [r["value"] * 1e6 for r in entry.get("window", [entry])]
            print(
                f"baseline median {entry['value'] * 1e6:.1f} us of {len(runs)} run(s) "
                f"({', '.join(f'{v:.0f}' for v in runs)} us), last run's IQR {entry['spread'] * 1e6:.1f} us, "
                f"{entry['rounds']} rounds; load {load()}"
            )
        for scale in args.scales:
            failed, changes, loads = 0, [], []
            for _ in range(args.runs):
                loads.append(os.getloadavg()[0])
                if args.history:  # judged by the identical runs only: its own line goes to a copy
                    shutil.copy(folder / "history.jsonl", folder / "scratch.jsonl")
                code, checks = run(folder, scale, *(("--neuron-history=scratch.jsonl",) if args.history else ()))
                failed += code != 0
                median = next((c for c in checks if c["metric"] == "median"), None)
                if median is not None:
                    changes.append(str(median["text"]))
            what = "false alarms" if scale == 1.0 else "caught"
            mode = ", bimodal" if args.bimodal else ""
            print(
                f"x{scale:g}: run failed {failed}/{args.runs} ({what}); {source}{mode}, window {args.window}, "
                f"tolerance {args.tolerance:g}, noise {args.noise:g}; load {min(loads):.1f}-{max(loads):.1f}"
            )
            for text in changes[:3]:
                print(f"    e.g. {text}")


if __name__ == "__main__":
    main()
