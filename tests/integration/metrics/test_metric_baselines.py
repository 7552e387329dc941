"""Metric baselines per environment, tolerances and trends (docs/how-to/metrics.md), and baselines that
do not cry wolf: samples, noise, history, passing evidence only, reruns, stale entries."""

from __future__ import annotations

import json

import pytest
from metric_projects import ENV, MODEL, NOISY, TRN1, entries, noisy_model, recorded_model

recorded = pytest.fixture(recorded_model, name="recorded")
model = pytest.fixture(noisy_model, name="model")


def test_the_baseline_file_is_sorted_and_keeps_value_unit_and_direction(project, recorded):
    setup, _ = recorded
    setup()
    data = json.loads((project.path / "neuron-metrics.json").read_text())
    assert data["schema"] == "pytest-neuron-classification-metrics/2"
    assert data["environments"]["instance=trn1.32xlarge"]["llama[workload=inference]"] == {
        "test_llama.py::test_accuracy": {"top1": {"better": "higher", "unit": "", "value": 0.9}},
        "test_llama.py::test_latency": {"latency_p90": {"better": "lower", "unit": "ms", "value": 12.0}},
    }


def test_a_stable_regression_beyond_tolerance_fails_in_one_line(recorded):
    setup, run = recorded
    setup()
    result, report = run(LATENCY="17.2")
    assert result.ret == 1
    assert report.statuses["llama[workload=inference]"] == {"accuracy": "met", "performance": "failing"}
    (check,) = [c for c in report["metric_checks"] if c["state"] != "ok"]
    assert (check["metric"], check["state"], check["fails"], check["obligation"]) == (
        "latency_p90",
        "regressed",
        True,
        "performance",
    )
    result.stdout.fnmatch_lines(
        [f"  stable model llama (inference): performance failing -> latency_p90 *12 -> 17.2 ms*{ENV}"]
    )


def test_a_regression_within_tolerance_passes(recorded):
    setup, run = recorded
    setup()
    result, report = run(LATENCY="13.0")
    assert result.ret == 0
    assert {c["state"] for c in report["metric_checks"]} == {"ok"}
    result.stdout.fnmatch_lines(["metric baselines: 2 *"])


def test_an_improvement_passes_and_says_to_refresh(recorded):
    setup, run = recorded
    setup()
    result, report = run(TOP1="0.999")
    assert result.ret == 0
    assert {c["metric"]: c["state"] for c in report["metric_checks"]} == {"top1": "improved", "latency_p90": "ok"}
    result.stdout.fnmatch_lines(["  stable model llama (inference): top1 *0.9 -> 0.999*--neuron-update-metrics"])


def test_fail_on_improvement_keeps_baselines_exact(recorded):
    setup, run = recorded
    setup(config="fail-on-improvement = true\n")
    result, report = run(TOP1="0.999")
    assert result.ret == 1
    assert report.statuses["llama[workload=inference]"]["accuracy"] == "failing"


def test_another_environment_is_not_comparable_and_passes(recorded, project):
    setup, _ = recorded
    setup()
    result, report = project.run("--neuron-env", "instance=inf2.xlarge", "--neuron-env", "region=x")
    assert result.ret == 0
    assert {c["state"] for c in report["metric_checks"]} == {"not-comparable"}
    assert {c["env"] for c in report["metric_checks"]} == {"instance=inf2.xlarge,region=x"}
    result.stdout.fnmatch_lines([f"*latency_p90 12 ms *instance=inf2.xlarge,region=x*{ENV}*"])


def test_a_beta_item_regressing_is_reported_not_failed(project, recorded):
    setup, run = recorded
    setup(level="beta")
    result, report = run(LATENCY="30")
    assert result.ret == 0
    assert [(c["metric"], c["state"], c["fails"]) for c in report["metric_checks"] if c["state"] != "ok"] == [
        ("latency_p90", "regressed", False)
    ]
    result.stdout.fnmatch_lines(["  beta model llama (inference): latency_p90 *12 -> 30 ms*"])


def test_a_beta_models_accuracy_is_validated_so_its_regression_fails(recorded):
    setup, run = recorded
    setup(level="beta")
    result, report = run(TOP1="0.5")
    assert result.ret == 1
    assert report.statuses["llama[workload=inference]"] == {"accuracy": "failing"}


def test_a_metric_the_passing_test_stopped_recording_fails_for_stable(recorded, project):
    setup, run = recorded
    setup()
    project.pytester.makepyfile(
        test_llama=MODEL.format(level="stable").replace(
            '    neuron_metric("latency_p90"', '    0 and neuron_metric("latency_p90"'
        )
    )
    result, report = run()
    assert result.ret == 1
    assert [(c["metric"], c["state"], c["fails"]) for c in report["metric_checks"] if c["state"] != "ok"] == [
        ("latency_p90", "missing", True)
    ]
    result.stdout.fnmatch_lines([f"*latency_p90 missing*12 ms*{ENV}*"])


def test_tolerance_per_metric_and_per_item(recorded):
    setup, run = recorded
    setup(config="[tool.neuron-classification.metrics-tolerance]\ndefault = 0.1\nmetrics = { latency_p90 = 0.5 }\n")
    assert run(LATENCY="17.2")[0].ret == 0  # +43% is within the metric's 50%
    setup(
        config="[tool.neuron-classification.metrics-tolerance]\nmetrics = { latency_p90 = 0.5 }\nitems = { llama = 0.2 }\n"
    )
    assert run(LATENCY="17.2")[0].ret == 1  # the item's 20% wins over the metric's


def test_an_unset_environment_variable_is_said_and_keyed_unset(project, monkeypatch):
    monkeypatch.delenv("NEURON_INSTANCE_TYPE", raising=False)
    project.config('environment = ["NEURON_INSTANCE_TYPE"]\n')
    project.pytester.makepyfile(test_llama=MODEL.format(level="stable"))
    result, _report = project.run("--neuron-update-metrics")
    result.stdout.fnmatch_lines(["note: *NEURON_INSTANCE_TYPE*NEURON_INSTANCE_TYPE=unset"])
    assert (
        "NEURON_INSTANCE_TYPE=unset" in json.loads((project.path / "neuron-metrics.json").read_text())["environments"]
    )


def test_a_metric_without_direction_is_shown_never_compared(project):
    project.pytester.makepyfile(
        test_llama="import pytest\npytestmark = pytest.mark.neuron_stable('llama', kind='model', workload='inference')\n"
        "@pytest.mark.neuron_accuracy\ndef test_a(neuron_metric): neuron_metric('top1', 0.9)\n"
        "@pytest.mark.neuron_performance\ndef test_b(neuron_metric): neuron_metric('rounds', 5)\n"
    )
    project.pytester.runpytest("--neuron-update-metrics")
    project.pytester.makepyfile(test_llama=(project.path / "test_llama.py").read_text().replace("0.9", "0.1"))
    result, report = project.run()
    assert result.ret == 0
    assert {c["state"] for c in report["metric_checks"]} == {"no-direction"}


RERUN = """
import os, pytest
pytestmark = pytest.mark.neuron_stable("runtime", kind="package")
def test_unit(): pass
@pytest.mark.neuron_integration
def test_integration(): pass
@pytest.mark.neuron_performance
def test_latency(neuron_metric, request):
    first = not os.path.exists("attempted")
    open("attempted", "w").close()
    neuron_metric("latency", 99.0 if first else 12.0, "ms", max=15, better="lower")
"""


def test_samples_are_recorded_as_a_distribution_and_shown_with_their_spread(project, model):
    result, _report = model("--neuron-update-metrics")
    assert result.ret == 0, result.stdout.str()
    latency = entries(project)["test_latency latency"]
    assert latency == {"value": 12.0, "unit": "ms", "better": "lower", "spread": 0.5, "rounds": 5,
                       "samples": [11.0, 12.0, 12.0, 12.5, 13.0]}  # fmt: skip
    result.stdout.fnmatch_lines(["*performance met (latency 12 ms (IQR 0.5 ms, 5 samples) <= 15)*"])
    project.run("--neuron-markdown=r.md", *TRN1)
    row = "| test_llama.py::test_latency | latency | 12 ms (IQR 0.5, 5 samples) | <= 15 | neuron_metric |"
    assert row in (project.path / "r.md").read_text()


def test_bounds_apply_to_the_median(model):
    assert model(LATENCY="12,12,40,13,12")[0].ret == 0  # one outlier
    result, _ = model(LATENCY="16,17,18")
    assert result.ret == 1
    result.stdout.fnmatch_lines(["*latency median = 17 ms*max 15 ms*"])


def test_the_same_name_twice_is_one_line_error(project):
    project.module("runtime", categories=("functional", "performance"), extra=(
        "@pytest.mark.neuron_performance\n"
        "def test_twice(neuron_metric):\n"
        "    for v in (1.0, 2.0):\n"
        "        neuron_metric('lat', v, better='lower')\n"
    ))  # fmt: skip
    result, report = project.run()
    result.stdout.fnmatch_lines(["neuron_metric: lat *"])
    twice = next(t for t in report["tests"] if t["nodeid"].endswith("test_twice"))
    assert twice["outcome"] == "failed" and [m["name"] for m in twice["metrics"]] == ["lat"]


def test_identical_noisy_samples_are_not_a_regression_but_a_real_shift_is(project, model):
    for _ in range(5):  # a window of five runs: the spread between runs is known, no young floor
        model("--neuron-update-metrics", LATENCY="10,14,11,13,12,10.5,13.5")
    result, report = model(LATENCY="13,14,11.5,14.5,13.5,12,14")  # +12%, inside 3 x IQR 2.5 / sqrt(7)
    assert result.ret == 0, result.stdout.str()
    [check] = [c for c in report["metric_checks"] if c["metric"] == "latency"]
    assert check["state"] == "noise" and "±2.83 ms" in check["text"]
    result, report = model(LATENCY="14,14.5,14.2,14.8,14.9,14.4,14.6", **{})
    assert result.ret == 0  # +21% yet inside the band: a noisy baseline needs a larger shift
    (project.path / "neuron-metrics.json").unlink()  # a quieter baseline, recorded afresh
    for _ in range(5):
        model("--neuron-update-metrics", LATENCY="10,10.2,9.9,10.1,10,10.3,9.8")
    result, report = model(LATENCY="12,12.1,11.9,12.2,12,12.3,11.8")  # +20%, far beyond the band, p < 0.05
    assert result.ret == 1
    assert [(c["state"], c["fails"]) for c in report["metric_checks"] if c["metric"] == "latency"] == [
        ("regressed", True)
    ]
    result.stdout.fnmatch_lines(["*latency *10 -> 12 ms*5 runs, spread within a run ±0.227 ms*instance=trn1"])


def test_under_rerunfailures_the_last_attempt_decides(project):
    pytest.importorskip("pytest_rerunfailures")
    project.config("")
    project.pytester.makepyfile(test_llama=RERUN)
    result, report = project.run("-p", "rerunfailures", "--reruns", "1")
    assert result.ret == 0, result.stdout.str()
    result.stdout.fnmatch_lines(["*3 passed, 1 rerun in *"])
    latency = next(t for t in report["tests"] if t["nodeid"].endswith("test_latency"))
    assert [(m["name"], m["value"]) for m in latency["metrics"]] == [("latency", 12.0)]


def test_stale_entries_are_named_on_a_full_run_dropped_on_update_kept_by_a_partial_one(project, model):
    model("--neuron-update-metrics")
    project.pytester.makepyfile(test_llama=NOISY.replace("def test_latency(", "def test_latency_p50("))
    stale = "note: *test_llama.py::test_latency latency*"
    result, _ = model("-k", "accuracy or unit")
    result.stdout.fnmatch_lines([stale])  # deselected tests are still collected: -k is a full run
    result, _ = model("test_llama.py::test_unit")
    result.stdout.no_fnmatch_line(stale)
    result, _ = model("--neuron-update-metrics", "test_llama.py::test_unit")
    assert "test_latency latency" in entries(project)  # a partial run keeps them
    result, _ = model("--neuron-update-metrics")
    result.stdout.fnmatch_lines(["note: *1 test(s)*test_llama.py::test_latency"])
    assert sorted(entries(project)) == ["test_accuracy top1", "test_latency_p50 latency"]
