"""The JSON report: the fields docs/reference/files.md documents, and an atomic write."""

from __future__ import annotations

import json
import os
import stat

LLAMA = """
import pytest
pytestmark = pytest.mark.neuron_stable("llama", kind="model", framework="pytorch-neuronx",
                                       library="neuronx-distributed", workload="inference")
@pytest.mark.neuron_accuracy
def test_acc(neuron_metric): neuron_metric("top1", 0.91, min=0.9)
"""


def test_report_has_the_documented_fields(pytester, project):
    pytester.makepyfile(test_llama=LLAMA)
    _, report = project.run()
    assert report["schema"] == "pytest-neuron-classification/3"
    assert report["mode"] == "run"
    assert report["enforce"] == "error"
    (item,) = report["items"]
    assert {k: item[k] for k in ("name", "kind", "level", "coupling")} == {
        "name": "llama",
        "kind": "model",
        "level": "stable",
        "coupling": {"framework": "pytorch-neuronx", "library": "neuronx-distributed", "workload": "inference"},
    }
    assert item["obligations"][0] == {
        "name": "accuracy",
        "status": "met",
        "tests": ["test_llama.py::test_acc"],
        "hint": "",
    }
    assert item["obligations"][1]["status"] == "missing"
    assert report["tests"] == [
        {
            "nodeid": "test_llama.py::test_acc",
            "items": ["llama"],
            "item_ids": [item["id"]],
            "categories": ["accuracy"],
            "outcome": "passed",
            "metrics": [
                {
                    "name": "top1",
                    "value": 0.91,
                    "unit": "",
                    "min": 0.9,
                    "max": None,
                    "source": "neuron_metric",
                    "better": None,
                }
            ],
        }
    ]
    assert report["summary"] == {
        "items": 1,
        "obligations": 2,
        "statuses": {"met": 1, "missing": 1},
        "gaps": 1,
        "failing_gaps": 1,
    }
    assert report["passed"] is False


def test_since_is_carried_to_the_report_and_terminal(pytester, project):
    pytester.makepyprojecttoml(
        '[[tool.neuron-classification.items]]\nname = "rt"\nkind = "package"\nlevel = "beta"\nsince = "2.19"\n'
    )
    pytester.makepyfile(test_rt="import pytest\npytestmark = pytest.mark.neuron_beta('rt')\ndef test_a(): pass")
    result, report = project.run()
    assert report["items"][0]["since"] == "2.19"
    result.stdout.fnmatch_lines(["  package  rt since 2.19  basic met"])


def test_report_is_written_for_an_unclassified_run(pytester, project):
    pytester.makepyfile(test_plain="def test_a(): pass")
    result, report = project.run()
    assert (report["items"], report["tests"], report["passed"]) == ([], [], True)
    assert result.ret == 0


def test_report_replaces_an_old_one_without_leftovers(pytester):
    pytester.makepyfile(test_plain="import pytest\npytestmark = pytest.mark.neuron_beta\ndef test_a(): pass")
    out = pytester.path / "out" / "deep" / "report.json"
    out.parent.mkdir(parents=True)
    out.write_text('{\n  "schema": "pytest-neuron-classification/1", "stale": ')  # an old, cut report of ours
    out.chmod(0o640)
    # A new report gets the mode a plain open() would give (0666 less the umask), not mkstemp's
    # 0600; a replaced one keeps its mode. A fixed umask other than the usual 022 keeps a
    # hard-coded 0644 from passing.
    umask = 0o027
    previous = os.umask(umask)
    try:
        result = pytester.runpytest(f"--neuron-json={out}", f"--neuron-markdown={out.parent / 'new.md'}")
    finally:
        os.umask(previous)
    assert result.ret == 0
    assert json.loads(out.read_text())["items"][0]["name"] == "plain"
    assert sorted(os.listdir(out.parent)) == ["new.md", "report.json"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert stat.S_IMODE((out.parent / "new.md").stat().st_mode) == 0o666 & ~umask


def test_report_directories_are_created(pytester):
    pytester.makepyfile(test_plain="def test_a(): pass")
    result = pytester.runpytest("--neuron-json=build/reports/neuron.json")
    assert result.ret == 0
    assert json.loads((pytester.path / "build/reports/neuron.json").read_text())["schema"]
