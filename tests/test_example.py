"""The bundled example project shows what README.md says it shows."""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers import run_json, statuses

EXAMPLE = Path(__file__).parent.parent / "examples" / "neuron-sdk"


def test_example_project_audit(pytester):
    shutil.copytree(EXAMPLE, pytester.path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    result, report = run_json(pytester, "-p", "no:cacheprovider")
    result.assert_outcomes(passed=16, skipped=1)
    gaps = {
        (item["name"], ob["name"]): ob["status"]
        for item in report["items"]
        for ob in item["obligations"]
        if ob["status"] != "met"
    }
    assert gaps == {
        ("async_loading", "standard"): "missing",
        ("async_loading", "performance"): "missing",
        ("linear", "performance"): "skipped",
        ("neuronx-distributed", "basic"): "missing",
    }
    assert statuses(report)["neuron-runtime"] == {"standard": "met", "performance": "met"}
    result.stdout.fnmatch_lines(
        ["neuron-classification: FAILED under enforce=error: 4 gaps break a promise (first: *; +3 more)"]
    )
    assert result.ret == 1
