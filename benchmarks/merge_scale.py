"""Measure ``merge`` of many CI shards' reports: the cost grows with shards x collection.

Each shard's JSON report carries the whole classified collection (a test another shard ran is
``not-run`` in it), so ``merge`` of K shards of an N-test suite reads K times N test records.
The script runs a generated suite (generate.py: ``--tests`` tests, a third of them classified)
once with ``--neuron-json``, then derives K shard reports from that report the way a sharded CI
job's look (checked against a real ``-k`` run: the same items and test records, the outcome of
each test the shard did not run replaced by ``not-run``): shard s keeps the outcomes of the s-th
contiguous K-th of the tests. It then times, as the median of ``--repeats`` runs,

    python -m pytest_neuron_classification merge shard-*.json --json merged.json

in a fresh process, and shows its wall time and its peak RSS (that one child's resource usage,
``os.wait4``: the per-child form of ``getrusage(RUSAGE_CHILDREN).ru_maxrss``).

    python benchmarks/merge_scale.py                                    # 100,000 tests; 50, 200, 500 shards
    python benchmarks/merge_scale.py --tests 5000 --shards 50 --repeats 1
    python benchmarks/merge_scale.py --keep /tmp/merge-bench            # keep reports and merged outputs

With ``--keep DIR`` the full report is reused when DIR holds one for that size, and each merged
report stays in DIR as ``merged-K.json``: run the script with two versions of the plugin
(``PYTHONPATH``) and compare those files to check that both give the same output.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate import generate

#: Replaces each test's outcome in the full report's text, so that a shard is a join, not a re-dump.
MARK = "\x00outcome\x00"


def full_report(folder: Path, tests: int) -> Path:
    """The JSON report of one real run of a generated ``tests``-test suite (reused if already there)."""
    report = folder / f"full-{tests}.json"
    if report.is_file():
        return report
    suite = generate(folder / f"suite-{tests}", tests)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "-p", "no:xdist",
         f"--neuron-json={report}"],
        cwd=suite, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0 or not report.is_file():
        raise SystemExit(f"the full run failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr}")
    shutil.rmtree(suite)
    return report


def write_shards(report: Path, folder: Path, shards: int) -> tuple[list[Path], int]:
    """``shards`` shard reports derived from ``report``; returns their paths and total size in bytes."""
    data = json.loads(report.read_text(encoding="utf-8"))
    tests = data["tests"]
    outcomes = [t["outcome"] for t in tests]
    for test in tests:
        test["outcome"] = MARK
    pieces = json.dumps(data, indent=2).split(json.dumps(MARK))
    assert len(pieces) == len(tests) + 1
    folder.mkdir(parents=True, exist_ok=True)
    paths, size = [], 0
    for shard in range(shards):
        first, last = len(tests) * shard // shards, len(tests) * (shard + 1) // shards
        shown = (json.dumps(o if first <= i < last else "not-run") for i, o in enumerate(outcomes))
        text = "".join(p for pair in zip(pieces, shown) for p in pair) + pieces[-1] + "\n"
        path = folder / f"shard-{shard:04d}.json"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        size += len(text)
    return paths, size


def timed_merge(folder: Path, paths: list[Path], output: str) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one ``merge`` process, run in ``folder``.

    The paths are given relative to ``folder``: the merged report names them, and so compares
    equal between two checkouts' runs.
    """
    names = [str(p.relative_to(folder)) for p in paths]
    command = [sys.executable, "-m", "pytest_neuron_classification", "merge", *names, "--json", output]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"merge exited {process.returncode}:\n{errors.decode(errors='replace')}")
    return elapsed, usage.ru_maxrss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tests", type=int, default=100000, help="tests in the generated suite")
    parser.add_argument("--shards", default="50,200,500", help="comma-separated numbers of shard reports")
    parser.add_argument("--repeats", type=int, default=1, help="timed merges of each size (median is shown)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the reports and merged outputs here")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="neuron-merge-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        report = full_report(folder, args.tests)
        classified = len(json.loads(report.read_text(encoding="utf-8"))["tests"])
        print(f"python {sys.version.split()[0]}, {args.tests} tests ({classified} classified), {args.repeats} repeats")
        print(f"{'shards':>7} {'reports (MB)':>13} {'wall (s)':>9} {'peak RSS (MiB)':>15}")
        for shards in (int(s) for s in args.shards.split(",")):
            shard_folder = folder / f"shards-{args.tests}-{shards}"
            paths, size = write_shards(report, shard_folder, shards)
            runs = [timed_merge(folder, paths, f"merged-{shards}.json") for _ in range(args.repeats)]
            wall = statistics.median(r[0] for r in runs)
            peak = statistics.median(r[1] for r in runs) / 1024
            print(f"{shards:>7} {size / 1e6:>13.1f} {wall:>9.2f} {peak:>15.1f}", flush=True)
            shutil.rmtree(shard_folder)  # 500 shards of a large suite are gigabytes
    finally:
        if args.keep is None:
            shutil.rmtree(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
