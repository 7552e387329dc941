"""Helpers for the pytester-based tests: they write files and read reports back.

Every test still runs a real pytest session on generated files.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest


def write_config(pytester: pytest.Pytester, body: str) -> None:
    """A pyproject.toml whose ``[tool.neuron-classification]`` table is ``body``."""
    pytester.makepyprojecttoml("[tool.neuron-classification]\n" + body)


def run_json(pytester: pytest.Pytester, *args: str) -> tuple[pytest.RunResult, dict[str, Any]]:
    """Run pytest in-process with ``--neuron-json`` and return the result and report."""
    path = pytester.path / "neuron-report.json"
    result = pytester.runpytest("--neuron-json", str(path), *args)
    return result, json.loads(path.read_text())


def statuses(report: dict[str, Any]) -> dict[str, dict[str, str]]:
    """``{item id: {obligation: status}}`` from a JSON report."""
    return {item["id"]: {ob["name"]: ob["status"] for ob in item["obligations"]} for item in report["items"]}


def outcomes(report: dict[str, Any]) -> dict[str, str]:
    """``{test name: outcome}`` from a JSON report."""
    return {t["nodeid"].split("::")[-1]: t["outcome"] for t in report["tests"]}


def literal(text: str) -> str:
    """``text`` as an fnmatch pattern that matches only itself (brackets escaped)."""
    return text.replace("[", "[[]")


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m pytest_neuron_classification ARGS`` in ``cwd``, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "pytest_neuron_classification", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
