"""Measure ``merge`` of many CI shards' reports of one large suite.

Each shard's JSON report lists its own selection only (schema ``/3``), with the collection's
fingerprint and counts in its ``placement``; ``merge`` of K shards of an N-test suite reads N
test records in all, whatever K. (Under schema ``/2`` each report carried the whole classified
collection, every test another shard ran ``not-run`` in it: K times N records; ``--whole``
writes shards that way, to measure an older matrix's reports.)

The script runs a generated suite (generate.py: ``--tests`` tests, a third of them classified)
once with ``--neuron-json``, then derives K shard reports from that report the way a sharded CI
job's look (checked against a real ``--neuron-shard`` run: the same items, the shard's own test
records, the placement of shard s of K): shard s keeps the s-th contiguous K-th of the tests.
It then times, as the median of ``--repeats`` runs,

    python -m pytest_neuron_classification merge shard-*.json --json merged.json

in a fresh process, and shows its wall time, its CPU time (user + sys: on a busy machine the wall
time is mostly waiting) and its peak RSS (that one child's resource usage, ``os.wait4``: the
per-child form of ``getrusage(RUSAGE_CHILDREN)``), and the load average before and after.

    python benchmarks/merge_scale.py                                    # 100,000 tests; 50, 200, 500 shards
    python benchmarks/merge_scale.py --tests 5000 --shards 50 --repeats 1
    python benchmarks/merge_scale.py --keep /tmp/merge-bench            # keep reports and merged outputs

With ``--keep DIR`` the full report is reused when DIR holds one for that size, and each merged
report stays in DIR as ``merged-K.json``: the merge of every shard equals the full run's audit
(``--check`` compares their items, with their obligations, and their tests).
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
from typing import Any

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


def write_shards(report: Path, folder: Path, shards: int, whole: bool = False) -> tuple[list[Path], int]:
    """``shards`` shard reports derived from ``report``; returns their paths and total size in bytes.

    Each lists its own tests (``whole``: every test, the others ``not-run``, as schema ``/2`` did),
    and its placement says which shard of how many it is, of the full run's collection. The
    collection's size is that of the generated suite, whose tests are a third classified.
    """
    data = json.loads(report.read_text(encoding="utf-8"))
    tests = data.pop("tests")
    collection = data["placement"]["collection"]
    stable_ids = {i["id"] for i in data["items"] if i["level"] == "stable"}
    collection["classified"] = len(tests)
    collection["stable"] = sum(1 for t in tests if stable_ids & set(t["item_ids"]))
    folder.mkdir(parents=True, exist_ok=True)
    paths, size = [], 0
    for shard in range(shards):
        first, last = len(tests) * shard // shards, len(tests) * (shard + 1) // shards
        own = (
            [t if first <= i < last else {**t, "outcome": "not-run"} for i, t in enumerate(tests)]
            if whole
            else tests[first:last]
        )
        placement = data["placement"]
        data["placement"] = {
            **placement,
            "selection": {
                **placement["selection"],
                "tests": collection["tests"] * (shard + 1) // shards - collection["tests"] * shard // shards,
            },
            "shard": {"index": shard + 1, "count": shards, "by": "--neuron-shard"},
        }
        mine = {t["nodeid"] for t in own if t["outcome"] != "not-run"}
        items = data["items"] if whole else [_own_obligations(i, mine) for i in data["items"]]
        text = json.dumps({**data, "items": items, "tests": own}, indent=2) + "\n"
        data["placement"] = placement
        path = folder / f"shard-{shard:04d}.json"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        size += len(text)
    return paths, size


def _own_obligations(item: dict[str, Any], mine: set[str]) -> dict[str, Any]:
    """``item`` as a shard's report gives it: each obligation lists the shard's own tests."""
    obligations = [{**o, "tests": [t for t in o["tests"] if t in mine]} for o in item["obligations"]]
    return {**item, "obligations": obligations}


def timed_merge(folder: Path, paths: list[Path], output: str) -> tuple[float, float, int]:
    """Wall and CPU (user + sys) seconds and peak RSS (KiB) of one ``merge`` process, run in ``folder``.

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
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def same_audit(full: Path, merged: Path) -> str:
    """Whether the merge judged as the full run did: the same items, obligations and test records."""

    def judged(path: Path) -> tuple[object, ...]:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data["items"], data["tests"], data["summary"], data["errors"]

    return "same audit as the full run" if judged(full) == judged(merged) else "DIFFERS from the full run"


def _load() -> str:
    """The 1, 5 and 15 minute load averages: how busy the machine was."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tests", type=int, default=100000, help="tests in the generated suite")
    parser.add_argument("--shards", default="50,200,500", help="comma-separated numbers of shard reports")
    parser.add_argument("--repeats", type=int, default=1, help="timed merges of each size (median is shown)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the reports and merged outputs here")
    parser.add_argument("--whole", action="store_true", help="shards list every test, as schema /2 reports did")
    parser.add_argument("--check", action="store_true", help="check each merge against the full run's audit")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="neuron-merge-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        report = full_report(folder, args.tests)
        classified = len(json.loads(report.read_text(encoding="utf-8"))["tests"])
        print(f"python {sys.version.split()[0]}, {args.tests} tests ({classified} classified), {args.repeats} repeats")
        print(f"load average {_load()}")
        print(f"{'shards':>7} {'reports (MB)':>13} {'wall (s)':>9} {'cpu (s)':>8} {'peak RSS (MiB)':>15}")
        for shards in (int(s) for s in args.shards.split(",")):
            shard_folder = folder / f"shards-{args.tests}-{shards}"
            paths, size = write_shards(report, shard_folder, shards, args.whole)
            runs = [timed_merge(folder, paths, f"merged-{shards}.json") for _ in range(args.repeats)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            peak = statistics.median(r[2] for r in runs) / 1024
            same = f"  {same_audit(report, folder / f'merged-{shards}.json')}" if args.check else ""
            print(f"{shards:>7} {size / 1e6:>13.1f} {wall:>9.2f} {cpu:>8.2f} {peak:>15.1f}{same}", flush=True)
            shutil.rmtree(shard_folder)  # 500 shards of a large suite are gigabytes
        print(f"load average {_load()}")
    finally:
        if args.keep is None:
            shutil.rmtree(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
