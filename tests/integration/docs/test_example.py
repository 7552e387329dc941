"""The bundled example project shows what README.md and docs/tutorial.md say it shows (tests/system/docs/test_docs_output.py compares the text)."""

from __future__ import annotations

import shutil
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "neuron-sdk"


def test_example_project_audit(pytester, project):
    shutil.copytree(EXAMPLE, pytester.path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    result, report = project.run("-p", "no:cacheprovider")
    result.assert_outcomes(passed=18, skipped=1)
    gaps = {
        (item["name"], ob["name"]): ob["status"]
        for item in report["items"]
        for ob in item["obligations"]
        if ob["status"] != "met"
    }
    assert gaps == {
        ("async_loading", "standard"): "missing",
        ("async_loading", "performance"): "unmeasured",  # it prints a time, records none
        ("linear", "performance"): "skipped",
        ("neuronx-distributed", "basic"): "missing",
    }
    assert report.statuses["neuron-runtime"] == {"standard": "met", "performance": "met"}
    # A flag and two environment variables are APIs with recorded contracts that hold.
    contracts = {i["name"]: (i["declared"], i["contract"]["state"]) for i in report["items"] if "contract" in i}
    assert contracts == {
        "neuron_sdk.trace": ("inventory", "holds"),
        "--auto-cast": ("inventory", "holds"),
        "NEURON_RT_VISIBLE_CORES": ("inventory", "holds"),
        "NEURON_CC_CACHE_DIR": ("unlisted", "holds"),
    }
    measured = {t["nodeid"].split("::")[-1]: [m["name"] for m in t["metrics"]] for t in report["tests"] if t["metrics"]}
    assert measured == {
        "test_throughput": ["throughput"],
        "test_training_converges": ["final_loss"],
        "test_inference_accuracy": ["max_abs_error"],
    }
    # The Stable inference model rests on a library the inventory calls Beta; nothing changed since the record.
    assert [(c["change"], c["item"]) for c in report["lifecycle"]] == [
        ("rests-on", "linear[framework=pytorch-neuronx,library=neuronx-distributed,workload=inference]")
    ]
    result.stdout.fnmatch_lines(
        [
            "neuron-classification: FAILED under enforce=error: 4 gaps *; 1 lifecycle *stable model linear *neuronx-distributed*"
        ]
    )
    assert result.ret == 1
