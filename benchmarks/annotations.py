"""Measure reading an SDK's API: from its source (ast, the default) against importing it.

The script writes a package of ``--functions`` public functions spread over ``--modules`` modules
(a quarter of them annotated ``@beta``, every tenth module a class with methods), whose
``__init__`` re-exports every name, as SDKs do. Its import costs ``--import-cost`` seconds
(a ``time.sleep`` standing in for loading a device runtime; 0 measures Python's own import alone).
Each way is timed in a fresh process, as the median of ``--repeats`` runs, next to the process's
start alone (the interpreter and the plugin's modules, which both ways pay):

* ``static``: what a run now does: list the api-module's public names, find the annotated ones,
  and read every target's contract, all from the source (``scan_api_modules`` with annotations,
  then ``snapshot`` of each target);
* ``import``: what a run did before: import the package to list its names, and read each
  target's contract with ``inspect`` (``public_api``'s import path, ``imported_snapshot``).

    python benchmarks/annotations.py                          # 2,000 functions, import cost 0 and 2 s
    python benchmarks/annotations.py --functions 200 --repeats 1 --import-cost 0
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

STATIC = """
import sys
from pytest_neuron_classification.surface.annotations import parse_annotations
from pytest_neuron_classification.surface.signatures import scan_api_modules, snapshot
rules = parse_annotations({"benchsdk._stability.beta": "beta"})
inventory, unlisted = scan_api_modules(["benchsdk"], [], "pyproject.toml", rules)
items = [i for i in unlisted if i.target]
for item in items:
    snapshot(item.target, ["benchsdk._stability.beta"])
assert "benchsdk" not in sys.modules
print(len(items), sum(i.level == "beta" for i in items))
"""
#: What both ways pay before reading anything: the interpreter and the plugin's modules.
STARTUP = """
from pytest_neuron_classification.surface import annotations, signatures
print(0, 0)
"""
IMPORTED = """
from pytest_neuron_classification.surface.signatures import _import, _public_names, imported_snapshot
module = _import("benchsdk")
names = _public_names(module, "benchsdk")
for name in names:
    imported_snapshot(f"benchsdk:{name}")
print(len(names), 0)
"""


def write_sdk(root: Path, functions: int, modules: int, import_cost: float) -> None:
    package = root / "benchsdk"
    package.mkdir(parents=True)
    (package / "_stability.py").write_text("def beta(obj):\n    return obj\n")
    per_module = max(1, functions // modules)
    exports = []
    for m in range(modules):
        lines = ["from benchsdk._stability import beta", ""]
        for f in range(per_module):
            name = f"op_{m}_{f}"
            if f % 4 == 0:
                lines.append("@beta")
            lines.append(f"def {name}(x, y: int = {f}, *, scale: float = 1.0) -> float:\n    return x\n")
            exports.append((m, name))
        (package / f"mod_{m}.py").write_text("\n".join(lines))
    init = [f"from benchsdk.mod_{m} import {name}" for m, name in exports]
    init.append(f"import time\ntime.sleep({import_cost})")
    (package / "__init__.py").write_text("\n".join(init) + "\n")


def timed(root: Path, code: str) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=root,
        env={"PYTHONPATH": f"{root}:{':'.join(sys.path)}", "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(done.stderr)
    return elapsed, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--functions", type=int, default=2000)
    parser.add_argument("--modules", type=int, default=20)
    parser.add_argument("--import-cost", type=float, nargs="+", default=[0.0, 2.0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(
        f"{'functions':>9} {'import cost':>11} {'startup s':>9} {'static s':>9} {'import s':>9}  read (targets, beta)"
    )
    for cost in args.import_cost:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            write_sdk(root, args.functions, args.modules, cost)
            startup = [timed(root, STARTUP) for _ in range(args.repeats)]
            static = [timed(root, STATIC) for _ in range(args.repeats)]
            imported = [timed(root, IMPORTED) for _ in range(args.repeats)]
            assert static[0][1].split()[0] == imported[0][1].split()[0], (static[0][1], imported[0][1])
            print(
                f"{args.functions:>9} {cost:>10.1f}s {statistics.median(t for t, _ in startup):>9.2f} "
                f"{statistics.median(t for t, _ in static):>9.2f} "
                f"{statistics.median(t for t, _ in imported):>9.2f}  {static[0][1]}"
            )


if __name__ == "__main__":
    main()
