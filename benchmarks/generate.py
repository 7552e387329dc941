"""Generate a synthetic test suite for measuring the plugin's cost.

The suite has ``--tests`` tests in modules of 50: a third of the modules carry a
classification marker (every kind and level in turn), the rest are plain; classified
tests get a realistic spread of categories, and a pyproject.toml lists an inventory.
``--items`` writes a large inventory instead (:func:`generate_inventory`).

    python benchmarks/generate.py /tmp/suite --tests 50000
    python benchmarks/generate.py /tmp/inventory --items 20000
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

TESTS_PER_MODULE = 50
CLASSIFICATIONS = [
    ("alpha", "api", ""),
    ("beta", "api", ""),
    ("stable", "api", ""),
    ("alpha", "package", ""),
    ("beta", "package", ""),
    ("stable", "package", ""),
    ("alpha", "feature", ""),
    ("beta", "feature", ""),
    ("stable", "feature", ""),
    ("beta", "model", ', framework="pytorch-neuronx", library="nxd", workload="training"'),
    ("stable", "model", ', framework="pytorch-neuronx", library="nxd", workload="inference"'),
]
# One test in ten gets a category marker; the rest are functional.
CATEGORY_MARKERS = ["neuron_integration", "neuron_performance", "neuron_accuracy", "neuron_compat"]


def classification(index: int) -> tuple[str, str, str]:
    """Module ``index`` (a multiple of 3) gets the next kind and level in turn."""
    return CLASSIFICATIONS[(index // 3) % len(CLASSIFICATIONS)]


def module_source(index: int, classified: bool) -> str:
    lines = ["import pytest", ""]
    if classified:
        level, kind, coupling = classification(index)
        lines.append(f'pytestmark = pytest.mark.neuron_{level}("item_{index}", kind="{kind}"{coupling})')
        lines.append("")
    for test in range(TESTS_PER_MODULE):
        if classified and test % 10 == 0:
            lines.append(f"@pytest.mark.{CATEGORY_MARKERS[(test // 10) % len(CATEGORY_MARKERS)]}")
        lines.append(f"def test_{test}():\n    assert {test} + 1 > {test}\n")
    return "\n".join(lines)


def pyproject(modules: int) -> str:
    lines = [
        "[tool.pytest.ini_options]",
        'testpaths = ["tests"]',
        "",
        "[tool.neuron-classification]",
        'enforce = "warn"',
    ]
    for index in range(0, modules, 3 * 7):
        level, kind, _ = classification(index)
        if kind != "model":
            lines += ["", "[[tool.neuron-classification.items]]", f'name = "item_{index}"', f'kind = "{kind}"']
            lines.append(f'level = "{level}"')
    return "\n".join(lines) + "\n"


def generate(root: Path, tests: int) -> Path:
    """Write the suite under ``root`` (replacing it) and return ``root``."""
    if root.exists():
        shutil.rmtree(root)
    (root / "tests").mkdir(parents=True)
    modules = max(1, tests // TESTS_PER_MODULE)
    for index in range(modules):
        folder = root / "tests" / f"group_{index // 100}"
        folder.mkdir(exist_ok=True)
        (folder / f"test_mod_{index}.py").write_text(module_source(index, classified=index % 3 == 0))
    (root / "pyproject.toml").write_text(pyproject(modules))
    return root


#: An inventory item's level and kind in turn: each needs basic tests only, which its one test gives.
INVENTORY_CLASSES = [("alpha", "api"), ("beta", "api"), ("alpha", "feature"), ("beta", "package")]


def generate_inventory(root: Path, items: int) -> Path:
    """A suite whose pyproject.toml lists ``items`` items (about one test each), under ``root``.

    How a large organisation's inventory looks: most items are claimed by the one test that
    carries their marker; the items of every tenth module name its file in a ``tests`` glob
    instead (2,000 globs for 20,000 items), and one item per folder of 100 modules names the
    folder; one item in a hundred is Stable and lacks its compatibility tests, so that a few gaps
    stand among many items with none.
    """
    if root.exists():
        shutil.rmtree(root)
    (root / "tests").mkdir(parents=True)
    entries: list[str] = []
    made = module = 0
    while made < items:
        folder = f"tests/group_{module // 100}"
        (root / folder).mkdir(exist_ok=True)
        lines = ["import pytest", ""]
        glob = [f"{folder}/test_mod_{module}.py"] if module % 10 == 0 else []
        for t in range(min(TESTS_PER_MODULE, items - made)):
            level, kind = INVENTORY_CLASSES[made % len(INVENTORY_CLASSES)]
            if made % 100 == 99:
                level, kind = "stable", "api"
            name = f"item_{made}"
            globs = [f"{folder}/"] if module % 100 == 1 and t == 0 else glob
            entries.append(_entry(name, level, kind, globs))
            if not glob:
                lines.append(f'@pytest.mark.neuron_{level}("{name}", kind="{kind}")')
            lines.append(f"def test_{t}():\n    assert {t} + 1 > {t}\n")
            made += 1
        (root / folder / f"test_mod_{module}.py").write_text("\n".join(lines))
        module += 1
    head = [
        "[tool.pytest.ini_options]",
        'testpaths = ["tests"]',
        "",
        "[tool.neuron-classification]",
        'enforce = "warn"',
    ]
    (root / "pyproject.toml").write_text("\n".join(head + entries) + "\n")
    return root


def _entry(name: str, level: str, kind: str, globs: list[str]) -> str:
    tests = f"\ntests = {globs!r}".replace("'", '"') if globs else ""
    return f'\n[[tool.neuron-classification.items]]\nname = "{name}"\nkind = "{kind}"\nlevel = "{level}"{tests}'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path)
    parser.add_argument("--tests", type=int, default=1000)
    parser.add_argument("--items", type=int, default=0, help="write an inventory of this many items instead")
    args = parser.parse_args()
    if args.items:
        generate_inventory(args.root, args.items)
        print(f"wrote an inventory of {args.items} items under {args.root}")
        return
    generate(args.root, args.tests)
    print(f"wrote {max(1, args.tests // TESTS_PER_MODULE) * TESTS_PER_MODULE} tests under {args.root}")


if __name__ == "__main__":
    main()
