"""Measure what pytest-neuron-classification costs on real third-party test suites.

Why: benchmarks/run.py times generated suites whose tests do nothing. Real suites have heavy
parametrization, unittest classes, skips, conftest plugins and their own pytest settings, and
they are what users run. The plugin team's goal is an on/off wall ratio of at most 1.02 and at
most 20 MiB of extra peak memory, serially and under pytest-xdist.

What: it downloads the pinned sdists of two pure-Python projects with large pytest suites,
* packaging 26.4: ~64,000 tests (51,000 of them in test_version.py), ~45 s serially;
* jsonschema 4.26.0: ~7,800 tests (unittest classes built from the JSON-Schema-Test-Suite), ~15 s;
classifies six test modules of each the way a maintainer would (a module ``pytestmark``, plus a
small inventory in its pyproject.toml; in the cached copy only), then times each suite with the
plugin on (``--neuron-enforce=warn``, no report file) and off (``-p no:neuron_classification``),
in ABBA order after one warm-up, serially and with ``-n WORKERS``. Per project and scenario it
prints the number of tests, median wall times, the on/off ratio and the median extra peak RSS:
of the pytest process (serially), and under xdist of the controller (RUSAGE_SELF) and of the
largest worker (the controller's RUSAGE_CHILDREN). Under xdist a probe plugin also times each
worker's test loop, which runs none of the plugin's code: its on/off CPU ratio is the host's speed
during the pair, and each pair's wall ratio is shown divided by it too. ``--profile`` instead runs
the biggest suite under cProfile and tracemalloc and shows where the plugin spends time and memory.

How: the first run downloads and installs into ``--cache`` (one virtual environment per project,
the plugin installed editable from ``--plugin-root``); later runs reuse it (delete it to start
over). Needs PyPI through pip; the tests run offline. About 20 minutes on 2 cores:

    python benchmarks/real_suite.py
    python benchmarks/real_suite.py --projects jsonschema --repeats 2 --workers 0
    python benchmarks/real_suite.py --profile
"""

from __future__ import annotations

import argparse
import json
import linecache
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

REPO = Path(__file__).resolve().parent.parent
RUNNERS = ("pytest==9.2.0", "pytest-xdist==3.8.0")  # pinned so that before/after numbers compare
COMMON = ("-p", "no:cacheprovider", "-p", "no:randomly", "-q")
ON = ("--neuron-enforce=warn",)
OFF = ("-p", "no:neuron_classification")
NO_BINARY = ("-q", "--no-deps", "--no-binary", ":all:")
MARK = "# Classified by benchmarks/real_suite.py"
# The child runs pytest in-process and reports its own peak RSS and its largest reaped child's (KiB on Linux),
# and the CPU seconds of both (less disturbed than wall time by other load on the machine).
CHILD = (
    "import os, resource, sys, pytest\n"
    "code = pytest.main(sys.argv[1:])\n"
    "own, kids = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n"
    "cpu = sum(r.ru_utime + r.ru_stime for r in (own, kids))\n"
    "open(os.environ['BENCH_OUT'], 'w').write(f'{own.ru_maxrss} {kids.ru_maxrss} {cpu}')\n"
    "sys.exit(int(code))\n"
)
# The same under cProfile: total profiled seconds and the plugin's functions (file, line, name, calls, own, cumulative).
PROFILE = (
    "import cProfile, json, os, pstats, sys, pytest\n"
    "profiler = cProfile.Profile()\n"
    "code = profiler.runcall(pytest.main, sys.argv[1:])\n"
    "stats = pstats.Stats(profiler).stats\n"
    "rows = [(*key, v[1], v[2], v[3]) for key, v in stats.items() if 'pytest_neuron_classification' in key[0]]\n"
    "json.dump({'total': sum(v[2] for v in stats.values()), 'rows': rows}, open(os.environ['BENCH_OUT'], 'w'))\n"
    "sys.exit(int(code))\n"
)
# The same under tracemalloc: the live Python heap per allocating line just before unconfigure.
TRACE = (
    "import json, os, sys, tracemalloc\n"
    "tracemalloc.start(1)\n"
    "import pytest\n"
    "class Snap:\n"
    "    @pytest.hookimpl(tryfirst=True)\n"
    "    def pytest_unconfigure(self):\n"
    "        top = tracemalloc.take_snapshot().statistics('lineno')\n"
    "        lines = [(s.traceback[0].filename, s.traceback[0].lineno, s.size, s.count) for s in top]\n"
    "        current, peak = tracemalloc.get_traced_memory()\n"
    "        json.dump({'current': current, 'peak': peak, 'lines': lines}, open(os.environ['BENCH_OUT'], 'w'))\n"
    "sys.exit(int(pytest.main(sys.argv[1:], plugins=[Snap()])))\n"
)
# A probe loaded in every process (``-p``): each xdist worker adds the CPU seconds of its test loop to
# BENCH_LOOP. A worker runs none of the plugin's code in that loop (its hook implementations there are
# the same on and off), so the loop's CPU time measures how fast the machine was during the run: the
# control that tells the plugin's cost from a slower host.
PROBE_MODULE = "neuron_bench_probe"
PROBE = (
    "import os, time, pytest\n"
    "@pytest.hookimpl(wrapper=True)\n"
    "def pytest_runtestloop(session):\n"
    "    start = time.process_time()\n"
    "    try:\n"
    "        return (yield)\n"
    "    finally:\n"
    "        if hasattr(session.config, 'workerinput'):\n"
    "            with open(os.environ['BENCH_LOOP'], 'a') as out:\n"
    "                out.write(f'{time.process_time() - start}\\n')\n"
)
# A rootdir conftest.py, so that the level markers are known with the plugin off.
REGISTER = (
    "def pytest_configure(config):\n"
    "    for level in ('alpha', 'beta', 'stable'):\n"
    "        config.addinivalue_line('markers', f'neuron_{level}: a classification level')\n"
)


@dataclass(frozen=True)
class Project:
    version: str
    deps: tuple[str, ...]  # what its tests need besides pytest, pinned
    marks: Mapping[str, str]  # test module -> the pytestmark a maintainer would add
    inventory: str  # the [tool.neuron-classification] table appended to its pyproject.toml
    args: tuple[str, ...] = ()  # extra pytest arguments for both variants (both suites run offline)


PROJECTS = {
    "packaging": Project(
        "26.4",
        ("pretend==1.0.9", "tomli_w==1.2.0", "hypothesis==6.170.17"),
        {
            "tests/test_version.py": 'pytest.mark.neuron_stable("packaging.version", kind="api")',
            "tests/test_specifiers.py": 'pytest.mark.neuron_stable("specifiers", kind="feature", package="packaging")',
            "tests/test_requirements.py": 'pytest.mark.neuron_beta("requirements")',
            "tests/test_markers.py": 'pytest.mark.neuron_beta("markers", kind="feature", package="packaging")',
            "tests/test_tags.py": 'pytest.mark.neuron_alpha("packaging.tags", kind="api")',
            "tests/test_metadata.py": "pytest.mark.neuron_stable",
        },
        'default-kind = "package"\nitems = [{name = "requirements", level = "beta"}, '
        '{name = "packaging.licenses", kind = "api", level = "beta", tests = ["tests/test_licenses.py"]}, '
        '{name = "pylock", kind = "feature", level = "alpha"}]\n',
        # Its property tests draw random examples: a fixed seed keeps their run time out of the on/off noise.
        args=("--hypothesis-seed=0",),
    ),
    "jsonschema": Project(
        "4.26.0",
        ("jsonpath-ng==1.16.0",),
        {
            "jsonschema/tests/test_jsonschema_test_suite.py": 'pytest.mark.neuron_stable("jsonschema", kind="package")',
            "jsonschema/tests/test_validators.py": 'pytest.mark.neuron_stable("jsonschema.validators", kind="api")',
            "jsonschema/tests/test_format.py": 'pytest.mark.neuron_beta("format", kind="feature")',
            "jsonschema/tests/test_exceptions.py": 'pytest.mark.neuron_beta("jsonschema.exceptions", kind="api")',
            "jsonschema/tests/test_cli.py": 'pytest.mark.neuron_alpha("jsonschema.cli", kind="api")',
            "jsonschema/tests/test_types.py": "pytest.mark.neuron_stable",
        },
        'categories = {integration = ["capsys"]}\nitems = [{name = "referencing", kind = "package", level = "beta"}, '
        '{name = "jsonschema.protocols", kind = "api", level = "beta", tests = ["jsonschema/tests/test_utils.py"]}]\n',
    ),
}


def call(args: Sequence[str | Path]) -> None:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(map(str, args))} exited {done.returncode}:\n{done.stderr[-3000:]}")


def prepare(name: str, project: Project, cache: Path, plugin_root: Path) -> tuple[Path, Path]:
    """The classified source tree and the venv's python, downloaded and installed on first use."""
    home = cache / f"{name}-{project.version}"
    src, python, ready = home / "src", home / "venv" / "bin" / "python", home / "ready"
    if not ready.exists():
        print(f"setting up {name} {project.version} in {home}", flush=True)
        shutil.rmtree(home, ignore_errors=True)
        pin = f"{name}=={project.version}"
        call([sys.executable, "-m", "pip", "download", *NO_BINARY, "-d", home / "sdist", pin])
        (sdist,) = (home / "sdist").iterdir()
        shutil.unpack_archive(sdist, home / "unpacked")
        (top,) = (home / "unpacked").iterdir()
        top.rename(src)
        for module, mark in project.marks.items():
            text = (src / module).read_text()
            if re.search(r"^pytestmark\b", text, re.M):
                raise SystemExit(f"{src / module} already sets pytestmark: classify another module")
            (src / module).write_text(f"{text}\n\n{MARK}\nimport pytest  # noqa: E402\n\npytestmark = {mark}\n")
        if (src / "conftest.py").exists():
            raise SystemExit(f"{src}/conftest.py exists: register the level markers elsewhere")
        (src / "conftest.py").write_text(REGISTER)  # --strict-markers suites must run with the plugin off too
        pyproject = src / "pyproject.toml"
        pyproject.write_text(f"{pyproject.read_text()}\n{MARK}\n[tool.neuron-classification]\n{project.inventory}")
        call([sys.executable, "-m", "venv", home / "venv"])
        call([python, "-m", "pip", "install", "-q", sdist, *RUNNERS, *project.deps])
        ready.write_text("")
    stamp = home / "plugin-root"  # reinstall the plugin when --plugin-root changes
    if not stamp.exists() or stamp.read_text() != str(plugin_root):
        call([python, "-m", "pip", "install", "-q", "-e", plugin_root])
        stamp.write_text(str(plugin_root))
    return src, python


def pytest_run(src: Path, python: Path, args: Sequence[str], child: str = CHILD) -> tuple[float, str, str, float]:
    """Wall seconds, stdout, what the child wrote to BENCH_OUT, and the xdist workers' test-loop
    CPU seconds (0 in a serial run), of one pytest run in ``src``."""
    paths = []
    for _ in range(2):
        with tempfile.NamedTemporaryFile(delete=False) as out:
            paths.append(out.name)
    probe_dir = src.parent / "probe"
    probe = probe_dir / f"{PROBE_MODULE}.py"
    if not probe.is_file() or probe.read_text() != PROBE:  # rewritten, its bytecode would be compiled again
        probe_dir.mkdir(exist_ok=True)
        probe.write_text(PROBE)
    path = os.pathsep.join(filter(None, (str(probe_dir), os.environ.get("PYTHONPATH"))))
    env = {**os.environ, "BENCH_OUT": paths[0], "BENCH_LOOP": paths[1], "PYTHONPATH": path}
    command = [str(python), "-c", child, *COMMON, "-p", PROBE_MODULE, *args]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=src, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    written, loops = (Path(name).read_text() for name in paths)
    for name in paths:
        os.unlink(name)
    if done.returncode not in (0, 1) or not written:
        raise SystemExit(f"{' '.join(args)}: exit {done.returncode} in {src}:\n{(done.stdout + done.stderr)[-3000:]}")
    return elapsed, done.stdout, written, sum(map(float, loops.split()))


def count_tests(stdout: str) -> int:
    """Tests that ran (passed, failed, skipped, xfailed, xpassed, errors) or were selected, per pytest's last line."""
    last = stdout.strip().splitlines()[-1]
    selected = re.match(r"(\d+)(?:/\d+)? tests? collected", last)
    if selected:
        return int(selected[1])
    return sum(int(n) for n, _ in re.findall(r"(\d+) (passed|failed|skipped|xfailed|xpassed|errors?)\b", last))


@dataclass(frozen=True)
class Pair:
    """One on/off pair: the wall ratio, the extra peak RSS (MiB), and the workers' test-loop CPU ratio."""

    wall: float
    rss: float
    loop: float  # 0 in a serial run, which has no control


def measure(src: Path, python: Path, args: tuple[str, ...], repeats: int) -> tuple[dict[str, list[float]], list[Pair]]:
    """Per variant the medians of [wall s, peak RSS KiB of the process, of its largest child, CPU s];
    and each pair, whose spread shows how much is noise."""
    samples: dict[str, list[list[float]]] = {"on": [], "off": []}
    for repeat in range(repeats):
        for variant in ("on", "off") if repeat % 2 == 0 else ("off", "on"):
            elapsed, _, written, loop = pytest_run(src, python, (*args, *(ON if variant == "on" else OFF)))
            samples[variant].append([elapsed, *map(float, written.split()), loop])
    pairs = [
        Pair(on[0] / off[0], (on[1] - off[1]) / 1024, on[4] / off[4] if off[4] else 0.0)
        for on, off in zip(samples["on"], samples["off"])
    ]
    return {variant: [statistics.median(column) for column in zip(*rows)] for variant, rows in samples.items()}, pairs


def spread(values: Sequence[float]) -> str:
    """Range and median: a set's median alone hides how far single pairs scatter on a shared host."""
    return f"{min(values):.3f} to {max(values):.3f}, median {statistics.median(values):.3f}"


def benchmark(setups: dict[str, tuple[Path, Path]], repeats: int, workers: int) -> None:
    print(
        f"{'project':<11} {'tests':>6}  {'scenario':<8} {'off (s)':>8} {'on (s)':>8} {'on/off':>7} {'CPU on/off':>10}",
        end="",
    )
    print("  extra peak RSS (MiB)")
    indent = f"{'':<11} {'':>6}  {'':<8}"
    for name, (src, python) in setups.items():
        _, stdout, _, _ = pytest_run(src, python, (*PROJECTS[name].args, *ON))  # warm-up: bytecode, page cache
        if "neuron classification" not in stdout:
            raise SystemExit(f"{name}: the warm-up run printed no classification summary:\n{stdout[-3000:]}")
        verdict = next(line for line in stdout.splitlines() if line.startswith("neuron-classification:"))
        tests = count_tests(stdout)
        scenarios = {"serial": ()} | ({f"-n {workers}": ("-n", str(workers))} if workers else {})
        for scenario, extra in scenarios.items():
            medians, pairs = measure(src, python, (*PROJECTS[name].args, *extra), repeats)
            off, on = medians["off"], medians["on"]
            own, kids = ((on[c] - off[c]) / 1024 for c in (1, 2))
            memory = f"{own:+.1f}" if not extra else f"controller {own:+.1f}, largest worker {kids:+.1f}"
            print(f"{name:<11} {tests:>6}  {scenario:<8} {off[0]:>8.2f} {on[0]:>8.2f} {on[0] / off[0]:>7.3f}", end="")
            print(f" {on[3] / off[3]:>10.3f}  {memory}")
            rss = [p.rss for p in pairs]
            print(f"{indent} pairs' on/off: {spread([p.wall for p in pairs])}", end="")
            print(f"; extra peak RSS {min(rss):+.1f} to {max(rss):+.1f} MiB", flush=True)
            if extra and all(p.loop for p in pairs):
                # The workers' test loops run the same code on and off: their CPU ratio is the host's.
                print(f"{indent} workers' test-loop CPU on/off (the host's speed): {spread([p.loop for p in pairs])}")
                print(f"{indent} on/off wall divided by it: {spread([p.wall / p.loop for p in pairs])}", flush=True)
        print(f"{'':<11} {verdict} (load average {os.getloadavg()[0]:.1f})", flush=True)


def show_profile(src: Path, python: Path, args: tuple[str, ...]) -> None:
    """Top plugin functions by cumulative time, then where the plugin's extra Python heap comes from."""
    elapsed, _, written, _ = pytest_run(src, python, (*args, *ON), child=PROFILE)
    profile = json.loads(written)
    own = sum(row[4] for row in profile["rows"])
    print(f"cProfile, serial, plugin on: {elapsed:.1f} s wall, {profile['total']:.1f} s profiled, of which plugin")
    print(f"functions' own time {own:.2f} s ({100 * own / profile['total']:.1f}%). Top 25 by cumulative time:")
    print(f"{'calls':>9} {'own (s)':>8} {'cum (s)':>8}  function")
    for file, line, func, calls, tt, ct in sorted(profile["rows"], key=lambda r: -r[5])[:25]:
        print(f"{calls:>9} {tt:>8.3f} {ct:>8.3f}  {Path(file).name}:{line}({func})")
    off, on = (json.loads(pytest_run(src, python, (*args, *extra), child=TRACE)[2]) for extra in (OFF, ON))
    mib = 1024 * 1024
    print(f"\ntracemalloc, serial (MiB, off -> on): traced peak {off['peak'] / mib:.1f} -> {on['peak'] / mib:.1f},")
    print(
        f"live before unconfigure {off['current'] / mib:.1f} -> {on['current'] / mib:.1f}. Growth by file, then line:"
    )
    by_line: dict[tuple[str, int], list[int]] = {}
    for sign, heap in ((-1, off), (1, on)):
        for file, line, size, blocks in heap["lines"]:
            diff = by_line.setdefault((file, line), [0, 0])
            diff[0] += sign * size
            diff[1] += sign * blocks
    by_file: dict[str, int] = {file: 0 for file, _ in by_line}
    for (file, _), (size, _) in by_line.items():
        by_file[file] += size
    for file, size in sorted(by_file.items(), key=lambda f: -f[1])[:8]:
        print(f"  {size / mib:+8.2f} MiB  {short(file)}")
    for (file, line), (size, blocks) in sorted(by_line.items(), key=lambda f: -f[1][0])[:15]:
        code = linecache.getline(file, line).strip()[:70]
        print(f"  {size / mib:+8.2f} MiB {blocks:+9d} blocks  {short(file)}:{line}  {code}")


def short(file: str) -> str:
    """A path without its site-packages or checkout prefix."""
    return re.sub(r"^.*/(site-packages|lib/python3\.\d+)/|^.*/(?=pytest_neuron_classification/)", "", file)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", default=",".join(PROJECTS), help=f"comma-separated, of: {', '.join(PROJECTS)}")
    parser.add_argument("--repeats", type=int, default=4, help="timed runs of each variant (median is shown)")
    parser.add_argument("--workers", type=int, default=2, help="pytest-xdist workers; 0 skips the xdist rows")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "neuron-real-suites")
    parser.add_argument("--plugin-root", type=Path, default=REPO, help="checkout of the plugin to install editable")
    parser.add_argument("--profile", action="store_true", help="profile the biggest suite instead of timing")
    args = parser.parse_args()
    names = [n for n in args.projects.split(",") if n]
    if set(names) - set(PROJECTS):
        parser.error(f"--projects takes a comma-separated list of: {', '.join(PROJECTS)}")
    cache, plugin_root = args.cache.resolve(), args.plugin_root.resolve()
    # Bytecode as users have it (the warm-up writes it), kept in the cache rather than in the checkouts.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(cache / "pycache")
    setups = {name: prepare(name, PROJECTS[name], cache, plugin_root) for name in names}
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {' '.join(RUNNERS)}, plugin from {plugin_root}")
    print(", ".join(f"{n} {PROJECTS[n].version}" for n in names) + f"; {args.repeats} repeats, median wall times")
    if not args.profile:
        benchmark(setups, args.repeats, args.workers)
        return
    sizes = {n: count_tests(pytest_run(*setups[n], ("--collect-only", *OFF))[1]) for n in names}
    biggest = max(sizes, key=lambda n: sizes[n])
    print(f"profiling {biggest} ({sizes[biggest]} tests collected)")
    show_profile(*setups[biggest], PROJECTS[biggest].args)


if __name__ == "__main__":
    main()
