"""Check the source reader against the import on real packages: the same targets, the same parameters.

For each module given (default: a set of packages the dev environment installs), the public names
are listed both ways, and every public function and class the source settles is read both ways
(``static_snapshot`` and ``imported_snapshot``); the parameters' names, kinds and defaults, a
class's constructor and public methods must agree. Prints one line per module and a total; exits
1 when a target read from source disagrees with its import (a bug of the source reader: it should
have left that target to the import).

    python benchmarks/static_agreement.py
    python benchmarks/static_agreement.py click rich.console mysdk
"""

from __future__ import annotations

import sys
from typing import Any

from pytest_neuron_classification.surface import static
from pytest_neuron_classification.surface.signatures import (
    TargetImportError,
    _import,
    _public_names,
    imported_snapshot,
)
from pytest_neuron_classification.surface.static import public_names
from pytest_neuron_classification.surface.static_contracts import static_snapshot

MODULES = (
    "pluggy",
    "packaging.version",
    "packaging.specifiers",
    "packaging.requirements",
    "click",
    "argparse",
    "json",
    "pathlib",
    "dataclasses",
    "hypothesis.strategies",
    "_pytest.pytester",
    "jinja2",
    "rich.console",
    "rich.table",
    "rich.progress",
    "pytest",
    "_pytest.fixtures",
    "_pytest.python",
    "typing",
    "collections",
    "functools",
    "sphinx.application",
)
_CORE = ("name", "kind", "default")


def _core(params: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    return None if params is None else [{k: p[k] for k in _CORE} for p in params]


def agrees(read: dict[str, Any], imported: dict[str, Any]) -> bool:
    if read["type"] != imported["type"]:
        return False
    if read["type"] == "function":
        return imported["parameters"] is None or _core(read["parameters"]) == imported["parameters"]
    init = imported["init"] is None or read["init"] is None or _core(read["init"]) == imported["init"]
    methods = {name: _core(params) for name, params in read["methods"].items()}
    return init and methods == imported["methods"]


def main(modules: list[str]) -> int:
    totals = [0, 0, 0]
    failed = False
    for name in modules:
        try:
            module = _import(name)
        except TargetImportError as exc:
            print(f"{name}: not checked ({exc})")
            continue
        static.forget_sources()
        listed = public_names(name)
        targets = sorted(n for n in _public_names(module, name) if callable(getattr(module, n, None)))
        names = "imported" if listed is None else "same" if listed == targets else "DIFFERENT"
        read = same = 0
        wrong = []
        for target in (f"{name}:{n}" for n in targets):
            snapshot = static_snapshot(target)
            if snapshot is None:
                continue
            read += 1
            if agrees(snapshot, imported_snapshot(target)):
                same += 1
            else:
                wrong.append(target)
        failed |= bool(wrong) or names == "DIFFERENT"
        totals = [totals[0] + len(targets), totals[1] + read, totals[2] + same]
        print(f"{name}: public names {names}; {len(targets)} targets, {read} read from source, {same} agree {wrong}")
    print(f"total: {totals[0]} targets, {totals[1]} read from source, {totals[2]} agree with the import")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or list(MODULES)))
