"""Measure what pytest-neuron-classification costs on large suites.

For each size it generates a synthetic suite (see generate.py), then times, alternating
plugin on and off (``-p no:neuron_classification``) in ABBA order to cancel drift:

* ``pytest --collect-only -q``
* ``pytest -q``
* ``pytest -q -n WORKERS`` (pytest-xdist), unless ``--workers 0``

and prints per size the median wall time of each, the on/off ratio, the extra peak
memory of a serial run, the time to write the JSON report and to merge two reports.

    python benchmarks/run.py                       # 1,000, 10,000 and 50,000 tests
    python benchmarks/run.py --sizes 1000 --repeats 1 --workers 0
"""

from __future__ import annotations

import argparse
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

from pytest_neuron_classification.merge import merge_reports
from pytest_neuron_classification.render.json_report import dump_json
from pytest_neuron_classification.storage.files import write_atomic
from pytest_neuron_classification.storage.report_file import load_report

OFF = ("-p", "no:neuron_classification")
COMMON = ("-p", "no:cacheprovider", "-p", "no:randomly")
# The child runs pytest in-process and reports its own peak RSS (KiB on Linux).
CHILD = (
    "import os, resource, sys, pytest\n"
    "code = pytest.main(sys.argv[1:])\n"
    "open(os.environ['BENCH_RSS'], 'w').write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
    "sys.exit(int(code))\n"
)


def timed(suite: Path, args: tuple[str, ...]) -> tuple[float, int]:
    """Wall time (s) and peak RSS (KiB) of one pytest run in ``suite``."""
    with tempfile.NamedTemporaryFile(delete=False) as rss_file:
        rss_path = rss_file.name
    env = {**os.environ, "BENCH_RSS": rss_path}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *COMMON, *args],
        cwd=suite,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"pytest {' '.join(args)} exited {done.returncode} in {suite}:\n{done.stderr}")
    rss = int(Path(rss_path).read_text() or 0)
    os.unlink(rss_path)
    return elapsed, rss


def scenarios(workers: int) -> dict[str, tuple[str, ...]]:
    found = {"collect-only": ("--collect-only", "-q"), "run": ("-q",)}
    if workers:
        found[f"run -n {workers}"] = ("-q", "-n", str(workers))
    return found


def measure(suite: Path, repeats: int, workers: int) -> tuple[list[tuple[str, float, float]], float]:
    """Rows of (scenario, median off, median on) and the extra peak RSS (MiB) of a serial run."""
    for args in scenarios(workers).values():  # warm the bytecode caches of both variants
        timed(suite, args)
        timed(suite, (*args, *OFF))
    rows, rss = [], {"on": [], "off": []}
    for name, args in scenarios(workers).items():
        samples: dict[str, list[float]] = {"on": [], "off": []}
        for repeat in range(repeats):
            order = ("on", "off") if repeat % 2 == 0 else ("off", "on")
            for variant in order:
                elapsed, peak = timed(suite, args if variant == "on" else (*args, *OFF))
                samples[variant].append(elapsed)
                if name == "run":
                    rss[variant].append(peak)
        rows.append((name, statistics.median(samples["off"]), statistics.median(samples["on"])))
    extra = (statistics.median(rss["on"]) - statistics.median(rss["off"])) / 1024
    return rows, extra


def report_costs(suite: Path) -> tuple[float, float]:
    """Seconds to write this suite's JSON report, and to merge two such reports (reading included)."""
    path = suite / "report.json"
    timed(suite, ("-q", f"--neuron-json={path}"))
    shutil.copyfile(path, suite / "report-2.json")  # a second shard: merge refuses one file twice
    start = time.perf_counter()
    audit = merge_reports([load_report(path), load_report(suite / "report-2.json")], "warn")
    merge_seconds = time.perf_counter() - start
    start = time.perf_counter()
    write_atomic(suite / "again.json", dump_json(audit))
    return time.perf_counter() - start, merge_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,50000", help="comma-separated numbers of tests")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each variant (median is shown)")
    parser.add_argument("--workers", type=int, default=2, help="pytest-xdist workers; 0 skips the xdist rows")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {args.repeats} repeats, median wall times")
    print(f"{'tests':>7}  {'scenario':<14} {'off (s)':>8} {'on (s)':>8} {'on/off':>7}")
    extras = []
    with tempfile.TemporaryDirectory(prefix="neuron-bench-") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            suite = generate(Path(tmp) / f"suite_{size}", size)
            rows, extra = measure(suite, args.repeats, args.workers)
            for name, off, on in rows:
                print(f"{size:>7}  {name:<14} {off:>8.2f} {on:>8.2f} {on / off:>7.3f}", flush=True)
            write_seconds, merge_seconds = report_costs(suite)
            extras.append((size, extra, write_seconds, merge_seconds))
    print(f"\n{'tests':>7}  {'extra peak RSS (MiB)':>20} {'JSON write (s)':>15} {'merge of 2 (s)':>15}")
    for size, extra, write_seconds, merge_seconds in extras:
        print(f"{size:>7}  {extra:>20.1f} {write_seconds:>15.3f} {merge_seconds:>15.3f}")


if __name__ == "__main__":
    main()
