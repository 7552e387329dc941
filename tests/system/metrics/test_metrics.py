"""Metrics with other processes: the commit git reports, numpy never imported, pytest-benchmark (which
asks git for the commit) and the history (the plugin asks git too), baselines under xdist and
through merge."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

import pytest
from metric_projects import (
    BENCHMARKED,
    BENCHMARKED_PACKAGE,
    ENV,
    MEASURED,
    PRINT_ONLY,
    entries,
    noisy_model,
    recorded_model,
    stable_package,
)

from pytest_neuron_classification.metrics.history import git_commit


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_commit_is_the_checked_out_commit_and_never_raises(tmp_path: Path) -> None:
    assert git_commit(tmp_path) is None  # not a repository
    assert git_commit(tmp_path / "does-not-exist") is None
    repo = tmp_path / "repo"
    repo.mkdir()

    def git(*args: str) -> str:
        command = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args]
        return subprocess.run(command, cwd=repo, capture_output=True, text=True, check=True).stdout.strip()

    git("init", "-q")
    assert git_commit(repo) is None  # a repository without a commit
    git("commit", "-q", "--allow-empty", "-m", "first")
    assert git_commit(repo) == git("rev-parse", "HEAD")


def test_numpy_is_never_imported() -> None:
    """neuron_metric takes a numpy array of samples, yet importing the plugin or making a metric never imports numpy."""
    code = (
        "import sys; from pytest_neuron_classification.core.metric import make_metric; "
        "import pytest_neuron_classification.fixtures, pytest_neuron_classification.plugin; "
        "make_metric('x', [1.0, 2.0]); assert 'numpy' not in sys.modules, 'numpy imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_merge_keeps_the_metrics_of_the_shard_that_measured(project):
    stable_package(project, MEASURED)
    project.run("-m", "not neuron_performance", "--neuron-enforce=warn", report="unit.json")
    project.run("-m", "neuron_performance", "--neuron-enforce=warn", report="perf.json")
    done = project.cli("merge", "unit.json", "perf.json", "--json", "merged.json", "--markdown", "merged.md")
    assert done.returncode == 0, done.stdout + done.stderr
    merged = project.read("merged.json")
    assert merged.statuses == {"runtime": {"standard": "met", "performance": "met"}}
    assert "performance met (throughput 1520 samples/s >= 1400)" in done.stdout
    assert [m["name"] for t in merged["tests"] for m in t["metrics"]] == ["throughput"]
    # Without the measuring shard, the merge does not claim the measurement.
    project.cli("merge", "unit.json", "--json", "unit-only.json")
    assert project.read("unit-only.json").statuses["runtime"]["performance"] == "not-run"


def test_merge_of_a_measured_and_an_unmeasured_run_of_one_test(project):
    """One shard measured the test, another ran it without measuring: the measurement counts."""
    stable_package(project, MEASURED)
    project.run(report="measured.json")
    stable_package(project, PRINT_ONLY)
    project.run(report="printed.json")
    done = project.cli("merge", "printed.json", "measured.json", "--json", "merged.json")
    assert project.read("merged.json").statuses["runtime"]["performance"] == "met", done.stdout


def test_neuron_metric_under_xdist_gives_the_serial_audit(project):
    pytest.importorskip("xdist")
    stable_package(project, MEASURED + PRINT_ONLY.replace("test_speed", "test_print"))
    project.module(
        "llama",
        level="beta",
        kind="model",
        categories=(),
        workload="training",
        extra='@pytest.mark.neuron_convergence\ndef test_loss(neuron_metric):\n    neuron_metric("final_loss", 0.5, max=1)\n',
    )
    serial_result, serial = project.run_subprocess("-p", "no:randomly", report="serial.json")
    dist_result, dist = project.run_subprocess("-p", "no:randomly", "-n", "2", report="dist.json")
    assert serial_result.ret == dist_result.ret == 0
    assert (
        serial.statuses
        == dist.statuses
        == {
            "runtime": {"standard": "met", "performance": "met"},
            "llama[workload=training]": {"accuracy": "met"},
        }
    )
    assert serial["tests"] == dist["tests"]
    assert sum(len(t["metrics"]) for t in dist["tests"]) == 2


recorded = pytest.fixture(recorded_model, name="recorded")
model = pytest.fixture(noisy_model, name="model")


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


def test_an_outside_result_recorded_failed_is_never_a_baseline(project):
    project.config("")
    project.module("runtime", categories=("functional",))
    for outcome, value in (("passed", "2.0"), ("failed", "9.0")):
        done = project.cli(
            "record", "--item", "runtime", "--kind", "package", "--level", "stable", "--category", "performance",
            "--source", f"train-{outcome}", "--outcome", outcome, "--metric", f"loss={value}:lower", "--output", "ev.json",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr  # recorded, whatever the outcome
    _result, _ = project.run("--neuron-evidence=ev.json", "--neuron-update-metrics")
    data = json.loads((project.path / "neuron-metrics.json").read_text())
    tests = data["environments"]["default"]["runtime"]
    assert list(tests) == ["train-passed::runtime::performance"]


def test_the_benchmark_fixture_counts_when_it_timed(project):
    pytest.importorskip("pytest_benchmark")
    stable_package(project, BENCHMARKED)
    result, report = project.run(*project.BENCHMARK)
    assert result.ret == 0, result.stdout.str()
    assert report.statuses["runtime"]["performance"] == "met"
    speed = next(t for t in report["tests"] if t["nodeid"].endswith("test_speed"))
    # The median is judged and carries the rounds' distribution; the others are shown only.
    assert [(m["name"], m["unit"], m["source"], m["better"]) for m in speed["metrics"]] == [
        ("median", "s", "benchmark", "lower"),
        ("mean", "s", "benchmark", None),
        ("min", "s", "benchmark", None),
    ]
    assert all(m["value"] > 0 for m in speed["metrics"])
    median = speed["metrics"][0]
    assert median["rounds"] >= len(median["samples"]) >= 1 and median["spread"] >= 0
    result.stdout.re_match_lines(
        [
            r"  package  runtime  standard met, performance met \(median [\d.]+ [mun]?s \(IQR [\d.]+ [mun]?s, \d+ samples\), .*"
        ]
    )


@pytest.mark.parametrize("off", ["--benchmark-disable", "--benchmark-skip"])
def test_a_benchmark_off_in_this_run_is_not_run_never_unmeasured(project, off):
    pytest.importorskip("pytest_benchmark")
    stable_package(project, BENCHMARKED)
    result, report = project.run("-p", "benchmark", off)
    assert result.ret == 0
    assert report.statuses["runtime"] == {"standard": "met", "performance": "not-run"}
    result.stdout.fnmatch_lines([f"  stable package runtime: performance not-run -> *{off}*"])


def test_a_benchmark_fixture_never_called_is_unmeasured(project):
    pytest.importorskip("pytest_benchmark")
    stable_package(project, "def test_speed(benchmark):\n    pass\n")
    result, report = project.run("-p", "benchmark", "-W", "ignore:Benchmark fixture was not used")
    assert report.statuses["runtime"]["performance"] == "unmeasured"
    result.stdout.fnmatch_lines(
        ["  stable package runtime: performance unmeasured -> test_runtime.py::test_speed *benchmark*"]
    )


@pytest.mark.parametrize("outcome", ["fail", "skip", "xfail"])
def test_measurements_of_tests_that_did_not_pass_are_never_recorded_or_compared(project, model, outcome):
    model("--neuron-update-metrics")
    before = entries(project)
    model("--neuron-update-metrics", "--neuron-history=h.jsonl", LATENCY="99", OUTCOME=outcome)
    assert entries(project)["test_latency latency"] == before["test_latency latency"]  # its old entry is kept
    history = json.loads((project.path / "h.jsonl").read_text())
    assert "latency" not in json.dumps(history["metrics"])
    _result, report = model(LATENCY="99", OUTCOME=outcome)
    assert all(c["metric"] != "latency" for c in report["metric_checks"])  # never compared either


def test_a_run_is_judged_against_the_last_runs_of_its_history(project, model):
    project.config('baseline-from = "history"\nbaseline-runs = 5\n')
    result, report = model("--neuron-history=h.jsonl")
    assert {c["state"] for c in report["metric_checks"]} == {"new"}
    result.stdout.fnmatch_lines(["*latency 12 ms *instance=trn1*3 runs*"])
    for latency in ("11,11,11", "13,13,13", "12.5,12.5,12.5"):
        model("--neuron-history=h.jsonl", LATENCY=latency)
    result, report = model("--neuron-history=h.jsonl", LATENCY="14,14,14")  # +12%, but runs differ that much
    assert result.ret == 0, result.stdout.str()
    [check] = [c for c in report["metric_checks"] if c["metric"] == "latency"]
    assert check["state"] == "noise"
    assert fnmatch(check["text"], "latency 14 ms vs 12.25 ms (+14%, 4 runs, spread between runs ±2.5 ms): within*")
    for _ in range(5):
        model("--neuron-history=h.jsonl", LATENCY="12,12,12")  # the runs settle: so does the noise band
    result, report = model("--neuron-history=h.jsonl", LATENCY="14,14,14")
    assert result.ret == 1
    assert [(c["state"], c["fails"]) for c in report["metric_checks"] if c["metric"] == "latency"] == [
        ("regressed", True)
    ]
    result.stdout.fnmatch_lines(["*latency regressed 12 -> 14 ms (+17%, tolerance 10%, 5 runs) on instance=trn1"])


@pytest.mark.parametrize("statistic", ["median", "min"])
def test_one_benchmark_statistic_is_judged_and_rounds_is_never_a_metric(project, statistic):
    pytest.importorskip("pytest_benchmark")
    project.config(f'benchmark-statistic = "{statistic}"\n')
    project.pytester.makepyfile(test_runtime=BENCHMARKED_PACKAGE)
    result, _ = project.run(*project.BENCHMARK, "--neuron-update-metrics")
    assert result.ret == 0, result.stdout.str()
    data = json.loads((project.path / "neuron-metrics.json").read_text())
    [names] = [n for tests in data["environments"]["default"].values() for n in tests.values()]
    assert list(names) == [statistic] and names[statistic]["rounds"] >= 1
    result, report = project.run(*project.BENCHMARK)
    assert [c["metric"] for c in report["metric_checks"]] == [statistic]


def test_a_rerun_benchmark_keeps_only_the_last_attempts_timings(project):
    pytest.importorskip("pytest_benchmark")
    pytest.importorskip("pytest_rerunfailures")
    project.config("")
    project.pytester.makepyfile(
        test_runtime=BENCHMARKED_PACKAGE
        + "\n@pytest.mark.neuron_performance\ndef test_flaky(benchmark):\n"
        + "    import os\n    first = not os.path.exists('tried')\n    open('tried', 'w').close()\n"
        + "    benchmark(sum, range(100))\n    assert not first\n"
    )
    result, report = project.run(*project.BENCHMARK, "-p", "rerunfailures", "--reruns", "1")
    result.stdout.fnmatch_lines(["*4 passed, 1 rerun in *"])
    flaky = next(t for t in report["tests"] if t["nodeid"].endswith("test_flaky"))
    assert [m["name"] for m in flaky["metrics"]] == ["median", "mean", "min"]
