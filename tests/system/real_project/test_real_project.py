"""Adoption on a real project's own suite: more-itertools 10.7.0, from its sdist on the package index.

Why: generated suites are what the plugin was written against; a real suite (unittest classes,
skips, its own layout) is what a new user tries first. With a small classification (two inventory
items whose ``tests`` globs name the suite's two files, as a maintainer would write it without
editing a test), the plugin must change no outcome, a one-file run must not cry wolf, and
``merge`` of the two file jobs must judge what the full run judges.

The sdist is downloaded and installed (``pip install --target``) into this test's own folder, the
package then imported from there (its source copy is removed). It needs the package index: marked
``network``, it runs only with ``--run-network``, and then fails (never skips) without the index.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

pytestmark = pytest.mark.network

PROJECT = "more-itertools==10.7.0"
CLASSIFICATION = """
[tool.pytest.ini_options]
testpaths = ["tests"]

[tool.neuron-classification]

[[tool.neuron-classification.items]]
name = "more"
level = "beta"
tests = ["tests/test_more.py"]

[[tool.neuron-classification.items]]
name = "recipes"
level = "beta"
tests = ["tests/test_recipes.py"]
"""


def _pip(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args]
    try:
        return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"pip {args[0]} {PROJECT} took over 300 s (no package index?)")


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The unpacked sdist, classified, with the package installed beside it in ``site/``."""
    root = tmp_path_factory.mktemp("real")
    done = _pip("download", PROJECT, "--no-binary", ":all:", "--no-deps", "-d", "dl", cwd=root)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        pytest.fail(f"cannot download the sdist of {PROJECT} from the package index (offline?): {last}")
    (sdist,) = (root / "dl").iterdir()
    done = _pip("install", "--no-deps", "--target", str(root / "site"), str(sdist), cwd=root)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        pytest.fail(f"cannot install {sdist.name} (its build backend comes from the package index): {last}")
    with tarfile.open(sdist) as archive:
        if hasattr(tarfile, "data_filter"):  # Python 3.12, and 3.9-3.11 since their 2023 security releases
            archive.extractall(root / "src", filter="data")
        else:
            archive.extractall(root / "src")
    (project,) = (root / "src").iterdir()
    shutil.rmtree(project / "more_itertools")  # the suite tests the installed copy
    with (project / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write(CLASSIFICATION)
    return project


#: Its three slowest tests (prime sieves, a DFT round trip: over a minute on a busy CI runner), left
#: out of every run alike: deselected, they are still collected and classified.
DESELECT = "not test_primes and not test_roundtrip and not test_large"


def _pytest(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_ADDOPTS", "PYTEST_PLUGINS")}
    env["PYTHONPATH"] = str(project.parent.parent / "site")
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly", "-q", "-k", DESELECT]
    return subprocess.run(
        [*command, *args], cwd=project, env=env, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture(scope="module")
def runs(real: Path) -> dict[str, subprocess.CompletedProcess[str]]:
    """The suite with the plugin off and on, and one job per test file (each with its JSON report)."""
    done = {
        "off": _pytest(real, "-p", "no:neuron_classification", "--junitxml=off.xml"),
        "on": _pytest(real, "--junitxml=on.xml", "--neuron-json=full.json"),
    }
    for name in ("more", "recipes"):
        done[name] = _pytest(real, f"tests/test_{name}.py", f"--neuron-json={name}.json")
    return done


def _outcomes(junit: Path) -> dict[str, str]:
    """``{test: outcome}`` from a JUnit XML file, whichever plugins wrote what else into it."""
    outcomes = {}
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        kinds = [child.tag for child in case if child.tag in ("failure", "error", "skipped")]
        outcomes[f"{case.get('classname')}::{case.get('name')}"] = kinds[0] if kinds else "passed"
    return outcomes


def _audit(report: Path) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """The statuses per item and obligation, and the outcome of every classified test."""
    data = json.loads(report.read_text())
    statuses = {i["id"]: {o["name"]: o["status"] for o in i["obligations"]} for i in data["items"]}
    return statuses, {t["nodeid"]: t["outcome"] for t in data["tests"]}


def test_the_plugin_changes_no_outcome(real, runs):
    off, on = runs["off"], runs["on"]
    assert off.returncode == on.returncode == 0, on.stdout[-2000:]
    off_outcomes, on_outcomes = _outcomes(real / "off.xml"), _outcomes(real / "on.xml")
    assert len(on_outcomes) > 500  # the real suite ran, not a stub
    assert on_outcomes == off_outcomes
    assert "neuron-classification: all 2 obligations met" in on.stdout
    assert "neuron classification" not in off.stdout


def test_a_one_file_run_does_not_cry_wolf(runs):
    done = runs["recipes"]
    assert done.returncode == 0, done.stdout[-2000:]
    assert "add a" not in done.stdout
    assert "beta feature more: basic not-run -> not collected in this run" in done.stdout
    assert "its tests are in tests/test_more.py" in done.stdout


def test_merge_of_the_file_jobs_is_the_full_audit(real, runs):
    assert runs["more"].returncode == runs["on"].returncode == 0, runs["more"].stdout[-2000:]
    command = [sys.executable, "-m", "pytest_neuron_classification", "merge", "more.json", "recipes.json"]
    merged = subprocess.run(
        [*command, "--json", "merged.json"], cwd=real, capture_output=True, text=True, timeout=120, check=False
    )
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert _audit(real / "merged.json") == _audit(real / "full.json")
