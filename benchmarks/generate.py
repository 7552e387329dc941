"""Generate a synthetic test suite for measuring the plugin's cost.

The suite has ``--tests`` tests in modules of 50: a third of the modules carry a
classification marker (every kind and level in turn), the rest are plain; classified
tests get a realistic spread of categories, and a pyproject.toml lists an inventory.

    python benchmarks/generate.py /tmp/suite --tests 50000
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path)
    parser.add_argument("--tests", type=int, default=1000)
    args = parser.parse_args()
    generate(args.root, args.tests)
    print(f"wrote {max(1, args.tests // TESTS_PER_MODULE) * TESTS_PER_MODULE} tests under {args.root}")


if __name__ == "__main__":
    main()
