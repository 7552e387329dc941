"""Measure what pytest-neuron-classification costs on large suites.

For each size it generates a synthetic suite (see generate.py), then times, alternating
plugin on and off (``-p no:neuron_classification``) in ABBA order to cancel drift:

* ``pytest --collect-only -q``
* ``pytest -q``
* ``pytest -q -n WORKERS`` (pytest-xdist), unless ``--workers 0``

and prints per size the median wall time of each, the on/off ratio, the extra peak
memory of a serial run, the time to write the JSON report and to merge two reports.

With ``--inventory N`` it times instead a suite whose inventory lists N items (generate.py
``--items``): the full run on and off and its extra peak memory, then the HTML page of that run,
its size and how long headless Chromium takes to open it and to search it (page_load.py).

    python benchmarks/run.py                       # 1,000, 10,000 and 50,000 tests
    python benchmarks/run.py --sizes 1000 --repeats 1 --workers 0
    python benchmarks/run.py --inventory 20000 --repeats 3
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate import generate, generate_inventory
from page_load import page_times

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


def cpu_of_children() -> float:
    """CPU seconds (user + sys) of every child process this one has waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(suite: Path, args: tuple[str, ...]) -> tuple[float, int, float]:
    """Wall time (s), peak RSS (KiB) and CPU time (s, the child's and its own children's) of one pytest run."""
    with tempfile.NamedTemporaryFile(delete=False) as rss_file:
        rss_path = rss_file.name
    env = {**os.environ, "BENCH_RSS": rss_path}
    cpu = cpu_of_children()
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
    cpu = cpu_of_children() - cpu
    if done.returncode not in (0, 1):
        raise SystemExit(f"pytest {' '.join(args)} exited {done.returncode} in {suite}:\n{done.stderr}")
    rss = int(Path(rss_path).read_text() or 0)
    os.unlink(rss_path)
    return elapsed, rss, cpu


def scenarios(workers: int, only: str = "") -> dict[str, tuple[str, ...]]:
    found = {"collect-only": ("--collect-only", "-q"), "run": ("-q",)}
    if workers:
        found[f"run -n {workers}"] = ("-q", "-n", str(workers))
    wanted = [name.strip() for name in only.split(",") if name.strip()]
    return {name: args for name, args in found.items() if not wanted or name in wanted}


@dataclass
class Row:
    """One scenario's samples: wall and CPU seconds of each variant, in pairs (index i of on and off)."""

    name: str
    wall: dict[str, list[float]] = field(default_factory=lambda: {"on": [], "off": []})
    cpu: dict[str, list[float]] = field(default_factory=lambda: {"on": [], "off": []})

    def medians(self, what: dict[str, list[float]]) -> tuple[float, float]:
        return statistics.median(what["off"]), statistics.median(what["on"])

    def pair_ratios(self, what: dict[str, list[float]]) -> list[float]:
        return [on / off for on, off in zip(what["on"], what["off"]) if off]


def measure(suite: Path, repeats: int, workers: int, only: str = "") -> tuple[list[Row], float]:
    """Each scenario's samples and the extra peak RSS (MiB) of a serial run (0 when not run).

    The variants alternate in ABBA order; the n-th on run and the n-th off run, one after the
    other, are a pair.
    """
    chosen = scenarios(workers, only)
    for args in chosen.values():  # warm the bytecode caches of both variants
        timed(suite, args)
        timed(suite, (*args, *OFF))
    rows, rss = [], {"on": [], "off": []}
    for name, args in chosen.items():
        row = Row(name)
        for repeat in range(repeats):
            order = ("on", "off") if repeat % 2 == 0 else ("off", "on")
            for variant in order:
                elapsed, peak, cpu = timed(suite, args if variant == "on" else (*args, *OFF))
                row.wall[variant].append(elapsed)
                row.cpu[variant].append(cpu)
                if name == "run":
                    rss[variant].append(peak)
        rows.append(row)
    extra = (statistics.median(rss["on"]) - statistics.median(rss["off"])) / 1024 if rss["on"] else 0.0
    return rows, extra


def spread(ratios: list[float]) -> str:
    """The pairs' ratios: lowest to highest, and their median."""
    return f"{min(ratios):.3f} to {max(ratios):.3f}, median {statistics.median(ratios):.3f}"


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


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


def inventory(items: int, repeats: int) -> None:
    """The inventory suite's run on and off, and its HTML page: size, and Chromium's times."""
    with tempfile.TemporaryDirectory(prefix="neuron-bench-") as tmp:
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        suite = generate_inventory(Path(tmp) / f"inventory_{items}", items)
        rows, extra = measure(suite, repeats, 0, "run")
        for row in rows:
            (off, on), (cpu_off, cpu_on) = row.medians(row.wall), row.medians(row.cpu)
            print(f"{items:>7} items  run  off {off:.2f} s  on {on:.2f} s  on/off {on / off:.3f}", end="")
            print(f"  CPU off {cpu_off:.2f} s  on {cpu_on:.2f} s  on/off {cpu_on / cpu_off:.3f}")
            print(f"{'':>7}  pairs' wall on/off: {spread(row.pair_ratios(row.wall))}")
            print(f"{'':>7}  pairs' CPU on/off:  {spread(row.pair_ratios(row.cpu))}")
        print(f"{'':>7}  extra peak RSS of the run: {extra:.1f} MiB", flush=True)
        page = suite / "report.html"
        start = time.perf_counter()
        timed(suite, ("-q", f"--neuron-html={page}"))
        print(f"{'':>7}  run with --neuron-html: {time.perf_counter() - start:.2f} s")
        print(f"{'':>7}  HTML page: {page.stat().st_size / 1e6:.2f} MB")
        found = page_times(page, f"item_{items // 2 + 1}")
        print(
            f"{'':>7}  Chromium: ",
            found if isinstance(found, str) else ", ".join(f"{k} {v:.2f} s" for k, v in found.items()),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,50000", help="comma-separated numbers of tests")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each variant (median is shown)")
    parser.add_argument("--workers", type=int, default=2, help="pytest-xdist workers; 0 skips the xdist rows")
    parser.add_argument(
        "--scenarios",
        default="",
        help="comma-separated scenarios to time (collect-only, run, 'run -n 2'); all by default",
    )
    parser.add_argument("--no-reports", action="store_true", help="skip timing the JSON report's write and merge")
    parser.add_argument("--inventory", type=int, default=0, help="time an inventory of this many items instead")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {args.repeats} repeats, median wall times")
    print(f"at start: {load()}", flush=True)
    if args.inventory:
        inventory(args.inventory, args.repeats)
        print(f"at end: {load()}")
        return
    print(
        f"{'tests':>7}  {'scenario':<14} {'off (s)':>8} {'on (s)':>8} {'on/off':>7} {'CPU off':>8} {'CPU on':>8} {'CPU on/off':>10}"
    )
    extras = []
    with tempfile.TemporaryDirectory(prefix="neuron-bench-") as tmp:
        # Bytecode as users have it (the warm-up writes it, assertion rewriting's too), kept here
        # rather than in the checkout: with PYTHONDONTWRITEBYTECODE every run compiles the plugin
        # and rewrites every test module again, which hides the plugin's cost in noise.
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        for size in (int(s) for s in args.sizes.split(",")):
            suite = generate(Path(tmp) / f"suite_{size}", size)
            rows, extra = measure(suite, args.repeats, args.workers, args.scenarios)
            for row in rows:
                (off, on), (cpu_off, cpu_on) = row.medians(row.wall), row.medians(row.cpu)
                print(
                    f"{size:>7}  {row.name:<14} {off:>8.2f} {on:>8.2f} {on / off:>7.3f}"
                    f" {cpu_off:>8.2f} {cpu_on:>8.2f} {cpu_on / cpu_off:>10.3f}"
                )
                print(f"{'':>7}  pairs' wall on/off: {spread(row.pair_ratios(row.wall))}")
                print(f"{'':>7}  pairs' CPU on/off:  {spread(row.pair_ratios(row.cpu))}", flush=True)
            if not args.no_reports:
                write_seconds, merge_seconds = report_costs(suite)
                extras.append((size, extra, write_seconds, merge_seconds))
    print(f"at end: {load()}")
    if extras:
        print(f"\n{'tests':>7}  {'extra peak RSS (MiB)':>20} {'JSON write (s)':>15} {'merge of 2 (s)':>15}")
    for size, extra, write_seconds, merge_seconds in extras:
        print(f"{size:>7}  {extra:>20.1f} {write_seconds:>15.3f} {merge_seconds:>15.3f}")


if __name__ == "__main__":
    main()
