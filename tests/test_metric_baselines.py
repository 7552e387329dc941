"""Metric baselines per environment, tolerances and trends (docs/how-to/metrics.md)."""

from __future__ import annotations

import json

import pytest

MODEL = """
import os, pytest
pytestmark = pytest.mark.neuron_{level}("llama", kind="model", workload="inference")
@pytest.mark.neuron_accuracy
def test_accuracy(neuron_metric):
    neuron_metric("top1", float(os.environ.get("TOP1", "0.90")), better="higher")
@pytest.mark.neuron_performance
def test_latency(neuron_metric):
    neuron_metric("latency_p90", float(os.environ.get("LATENCY", "12.0")), "ms", better="lower")
"""
ENV = "instance=trn1.32xlarge"


@pytest.fixture
def recorded(project, monkeypatch):
    """A Stable model whose measurements on trn1 are recorded as the baseline; returns a runner."""

    def setup(level: str = "stable", config: str = "") -> None:
        for name in ("LATENCY", "TOP1"):
            monkeypatch.delenv(name, raising=False)  # record the defaults
        project.config(config)
        project.pytester.makepyfile(test_llama=MODEL.format(level=level))
        result = project.pytester.runpytest("--neuron-update-metrics", "--neuron-env", ENV)
        assert result.ret == 0, result.stdout.str()
        recorded = json.loads((project.path / "neuron-metrics.json").read_text())["environments"][ENV]
        assert sorted(recorded["llama[workload=inference]"]) == [
            "test_llama.py::test_accuracy",
            "test_llama.py::test_latency",
        ]

    def run(*args: str, report: str = "neuron-report.json", **env: str):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return project.run("--neuron-env", "instance=trn1.32xlarge", *args, report=report)

    return setup, run


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


@pytest.mark.slow
def test_the_same_under_xdist_once_its_worker_count_has_a_baseline(project, recorded, monkeypatch):
    """-n 2 is its own environment (workers=2): never judged against the serial baseline, judged as
    serially against its own."""
    pytest.importorskip("xdist")
    setup, _ = recorded
    setup()
    env = ("--neuron-env", "instance=trn1.32xlarge")
    monkeypatch.setenv("LATENCY", "17.2")
    serial, serial_report = project.run_subprocess("-p", "no:randomly", *env, report="s.json")
    dist, dist_report = project.run_subprocess("-p", "no:randomly", "-n", "2", *env, report="d.json")
    assert (serial.ret, dist.ret) == (1, 0)
    assert {c["state"] for c in dist_report["metric_checks"]} == {"not-comparable"}
    dist.stdout.fnmatch_lines([f"*latency_p90 17.2 ms *{ENV},workers=2*{ENV};*"])
    assert {c["env"] for c in dist_report["metric_checks"]} == {f"{ENV},workers=2"}
    monkeypatch.delenv("LATENCY")
    recorded_dist = project.pytester.runpytest_subprocess(
        "-p", "no:randomly", "-n", "2", "--neuron-update-metrics", *env
    )
    assert recorded_dist.ret == 0
    environments = json.loads((project.path / "neuron-metrics.json").read_text())["environments"]
    assert sorted(environments) == [ENV, f"{ENV},workers=2"]
    monkeypatch.setenv("LATENCY", "17.2")
    dist, dist_report = project.run_subprocess("-p", "no:randomly", "-n", "2", *env, report="d.json")
    assert dist.ret == 1
    strip = [{k: v for k, v in c.items() if k not in ("env", "text")} for c in serial_report["metric_checks"]]
    assert strip == [{k: v for k, v in c.items() if k not in ("env", "text")} for c in dist_report["metric_checks"]]
    assert serial_report.statuses == dist_report.statuses


def test_through_merge(project, recorded):
    setup, run = recorded
    setup()
    run("-m", "neuron_accuracy", "--neuron-enforce=warn", report="acc.json")
    run("-m", "neuron_performance", "--neuron-enforce=warn", report="perf.json", LATENCY="17.2")
    done = project.cli("merge", "acc.json", "perf.json", "--json", "merged.json")
    assert done.returncode == 1
    merged = project.read("merged.json")
    assert merged.statuses == {"llama[workload=inference]": {"accuracy": "met", "performance": "failing"}}
    assert [(c["metric"], c["state"]) for c in merged["metric_checks"] if c["fails"]] == [("latency_p90", "regressed")]
    assert "latency_p90" in done.stdout


def test_history_shows_a_sparkline_after_three_runs(project, recorded):
    setup, run = recorded
    setup()
    for latency in ("12.0", "13.0", "17.2"):
        result, report = run("--neuron-history=history.jsonl", LATENCY=latency)
    lines = (project.path / "history.jsonl").read_text().splitlines()
    assert len(lines) == 3
    assert json.loads(lines[-1])["env"] == "instance=trn1.32xlarge"
    result.stdout.fnmatch_lines(["trends *", "  llama[[]workload=inference] latency_p90 ▁▂█ 17.2 ms"])
    assert "llama[workload=inference] latency_p90 ▁▂█ 17.2 ms" in report["trends"]
    done = project.cli("merge", "neuron-report.json", "--history", "history.jsonl", "--markdown", "m.md")
    assert "latency_p90 ▁▂█ 17.2 ms" in done.stdout
    assert "### Performance and accuracy baselines" in (project.path / "m.md").read_text()


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
