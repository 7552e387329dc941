"""Small projects and the helpers that set them up, each shared by an in-process test file under
tests/integration/ and its counterpart under tests/system/ (which runs the same project in other
processes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

# --- configuration above the rootdir (config/test_config_discovery.py, config/test_config_under_xdist.py)

REPO_CONFIG = """
[tool.neuron-classification]

[[tool.neuron-classification.items]]
name = "neuron-runtime"
kind = "package"
level = "beta"
tests = ["tests/runtime/**"]

[[tool.neuron-classification.items]]
name = "nxd"
kind = "package"
level = "beta"
"""
#: The header line naming the pyproject.toml read above the rootdir (its words are in the catalogue).
REPO_CONFIG_HEADER = "neuron-classification: *../pyproject.toml"


def repo_with_tests_ini(pytester: pytest.Pytester) -> Path:
    """repo/pyproject.toml with the table, repo/.git, and repo/tests/pytest.ini (an empty [pytest]);
    returns repo/tests."""
    pytester.path.joinpath(".git").mkdir()
    pytester.path.joinpath("pyproject.toml").write_text(REPO_CONFIG)
    tests = pytester.mkdir("tests")
    tests.joinpath("pytest.ini").write_text("[pytest]\n")
    tests.joinpath("runtime").mkdir()
    tests.joinpath("runtime", "test_rt.py").write_text(
        "import pytest\n@pytest.mark.neuron_performance\ndef test_speed(neuron_metric):\n"
        "    neuron_metric('latency', 1.0, 's', better='lower')\n"
    )
    tests.joinpath("test_other.py").write_text("def test_plain(): pass\n")
    return tests


# --- partial runs (runs/test_daily_loop.py, runs/test_runs.py) ------------------------------------

GLOB_INVENTORY = """
[[tool.neuron-classification.items]]
name = "einsum"
kind = "api"
level = "beta"
tests = ["tests/test_einsum.py"]

[[tool.neuron-classification.items]]
name = "pkg"
kind = "package"
level = "stable"
tests = ["tests/test_pkg*.py"]
"""


def glob_suite(project: Any) -> Any:
    """An inventory that classifies three files by globs; every obligation is met by the whole suite."""
    project.config(GLOB_INVENTORY)
    tests = project.path / "tests"
    tests.mkdir()
    (tests / "test_einsum.py").write_text("def test_e(): pass\n")
    (tests / "test_pkg.py").write_text(
        "import pytest\ndef test_unit(): pass\n@pytest.mark.neuron_integration\ndef test_integration(): pass\n"
    )
    (tests / "test_pkg_perf.py").write_text(
        "import pytest\n@pytest.mark.neuron_performance\n"
        "def test_speed(neuron_metric): neuron_metric('tput', 5.0, 'x/s', min=1)\n"
    )
    return project


# --- level aliases (classification/test_aliases.py, classification/test_classification.py) --------

REGISTER = """
def pytest_configure(config):
    for name in ("experimental", "flagship_model", "key_config_test"):
        config.addinivalue_line("markers", name)
"""
MODEL_INVENTORY = """
[tool.neuron-classification.level-markers]
alpha = ["experimental"]
beta = ["flagship_model"]

[[tool.neuron-classification.items]]
name = "llama"
kind = "model"
level = "beta"
framework = "pytorch-neuronx"
library = "nxd"
workload = "training"
"""
LLAMA = "llama[framework=pytorch-neuronx,library=nxd,workload=training]"


# --- hooks (hooks/test_hooks.py, hooks/test_hooks_under_xdist.py) ----------------------------------

SECURITY_CONFTEST = """
import pytest

def pytest_neuron_categories(config):
    return {"security": ["neuron_security", "fuzzer"]}

def pytest_neuron_obligations(kind, level, obligations, config):
    if kind == "package" and level == "stable":
        obligations.append("security")

def pytest_configure(config):
    config.addinivalue_line("markers", "neuron_security: a security test")
"""
#: A Stable package with every category the default policy asks of it.
EVERY_CATEGORY = ("functional", "integration", "performance")


# --- the classification over time (lifecycle/test_lifecycle.py, lifecycle/test_lifecycle_jobs.py) ---

STABLE_FEATURE = ("functional", "integration", "performance")
FEATURE_CONFIG = 'default-kind = "feature"\n'


def record_levels(project: Any, *modules: tuple[str, str, tuple[str, ...]], config: str = FEATURE_CONFIG) -> None:
    """Write the modules (name, level, categories), record the classification, and check it was."""
    project.config(config)
    for name, level, categories in modules:
        project.module(name, level=level, kind="feature", categories=categories)
    result, _ = project.run("--neuron-update-contracts")
    assert result.ret == 0, result.stdout.str()
    recorded = json.loads((project.path / "neuron-contracts.json").read_text())["items"]
    assert sorted(recorded) == sorted(name for name, _, _ in modules)
