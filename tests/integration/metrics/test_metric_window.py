"""A metric baseline that survives real CI hosts (docs/how-to/metrics.md, "Noise"): a window of runs,
the spread between them, a young window judged conservatively, a baseline taken during a spike or
too noisy to judge, named; and numbers at the edge of a float, and one unit per metric everywhere."""

from __future__ import annotations

import json

import pytest
from metric_projects import NOISY, TRN1, entries, stable_package

#: The noisy model without its bound: a 4x slowdown is the baseline's to catch here.
UNBOUNDED = NOISY.replace(", max=15", "")

LAT = """
import os
@pytest.mark.neuron_performance
def test_lat(neuron_metric):
    neuron_metric("lat", float(os.environ["LAT"]), "ms", better="lower")
"""


@pytest.fixture
def model(project, monkeypatch):
    """The unbounded :data:`NOISY` project, and a runner on trn1 that sets its samples."""
    project.config("")
    project.pytester.makepyfile(test_llama=UNBOUNDED)

    def run(*args: str, **env: str):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return project.run(*TRN1, *args)

    return run


def latency_check(report) -> dict:  # type: ignore[type-arg]
    [check] = [c for c in report["metric_checks"] if c["metric"] == "latency"]
    return check


def five(middle: float) -> str:
    """Five samples around ``middle`` (IQR 0.1): enough for the Mann-Whitney test to tell them apart."""
    return ",".join(str(middle + d) for d in (-0.1, -0.05, 0, 0.05, 0.1))


def test_update_keeps_a_window_of_the_last_runs(project, model):
    for samples in ("10,10.1,9.9", "12,12.1,11.9", "11,11.1,10.9", "13,13.1,12.9"):
        assert model("--neuron-update-metrics", LATENCY=samples)[0].ret == 0
    entry = entries(project)["test_latency latency"]
    assert [run["value"] for run in entry["window"]] == [10.0, 12.0, 11.0, 13.0]
    assert entry["value"] == 11.5  # their median, what a run is judged against
    assert [run["spread"] for run in entry["window"]] == pytest.approx([0.1] * 4)
    project.config("metric-window = 2\n")  # the last two runs only
    model("--neuron-update-metrics", LATENCY="20,20.1,19.9")
    assert [run["value"] for run in entries(project)["test_latency latency"]["window"]] == [13.0, 20.0]


def test_the_band_is_the_spread_between_runs_when_runs_differ_more_than_rounds(project, model):
    for middle in (10, 12, 11, 13, 11.5):
        model("--neuron-update-metrics", LATENCY=five(middle))
    result, report = model(LATENCY=five(14))  # +22%, the runs spread 10..13 around 11.5
    assert result.ret == 0, result.stdout.str()
    check = latency_check(report)
    assert check["state"] == "noise" and "5 runs, spread between runs ±3 ms" in check["text"]
    result, report = model(LATENCY=five(16))  # +39%: beyond twice the farthest run
    assert result.ret == 1 and latency_check(report)["state"] == "regressed"


def test_a_young_baseline_judges_only_what_one_run_can_tell(model):
    model("--neuron-update-metrics", LATENCY="10,10.1,9.9,10,10.2")
    result, report = model(LATENCY="16,16.1,15.9,16,16.2")  # +60%: a host can do that
    assert result.ret == 0, result.stdout.str()
    check = latency_check(report)
    assert check["state"] == "noise" and "baseline of 1 run" in check["text"]
    result.stdout.fnmatch_lines(["metric baselines: 1 within the noise; 1 within tolerance"])
    result, report = model(LATENCY="40,40.1,39.9,40,40.2")  # a 4x slowdown is still caught
    assert result.ret == 1 and latency_check(report)["state"] == "regressed"


@pytest.mark.parametrize("fail_on_improvement", [False, True])
def test_a_baseline_taken_during_a_spike_is_named(project, model, fail_on_improvement):
    model("--neuron-update-metrics", LATENCY="40,40.1,39.9,40,40.2")  # the host was busy
    project.config(f"fail-on-improvement = {str(fail_on_improvement).lower()}\n")
    result, report = model(LATENCY="10,10.1,9.9,10,10.2")
    assert result.ret == (1 if fail_on_improvement else 0), result.stdout.str()
    check = latency_check(report)
    assert check["state"] == "improved" and "improved beyond the noise" in check["text"]
    assert check["fails"] is fail_on_improvement


def test_a_baseline_too_noisy_for_its_tolerance_says_so(project, model):
    for _ in range(5):
        model("--neuron-update-metrics", LATENCY="200,361,560,300,420")  # IQR 120 on a median of 361
    result, report = model(LATENCY="365,366,364")
    assert result.ret == 0
    check = latency_check(report)
    assert check["state"] == "noise" and "is wider than the tolerance 10%" in check["text"]
    result.stdout.fnmatch_lines(["metric baselines: 1 within the noise; 1 within tolerance"])


def test_a_file_written_before_windows_is_a_window_of_one_run(project, model):
    model("--neuron-update-metrics", LATENCY="10,10.1,9.9")
    assert "window" not in entries(project)["test_latency latency"]  # a window of one is the entry itself
    _, report = model(LATENCY="10.2,10.3,10.1")
    assert "1 run" in latency_check(report)["text"]
    model("--neuron-update-metrics", LATENCY="10,10.1,9.9")
    assert len(entries(project)["test_latency latency"]["window"]) == 2


@pytest.mark.parametrize(
    ("before", "after", "change"),
    [(10.0, 1e308, "more than +1e6%"), (1e-300, 1e10, "more than +1e6%"), (1e308, -1e308, "-200%")],
)
def test_numbers_at_the_edge_of_a_float_are_judged_not_a_crash(project, monkeypatch, before, after, change):
    project.config("")
    stable_package(project, LAT)
    monkeypatch.setenv("LAT", repr(before))
    assert project.run("--neuron-update-metrics")[0].ret == 0
    monkeypatch.setenv("LAT", repr(after))
    result, report = project.run()
    assert "INTERNALERROR" not in result.stdout.str()
    [check] = report["metric_checks"]
    assert check["state"] == ("improved" if after < before else "regressed")
    assert f"({change}" in check["text"]
    json.dumps(report["metric_checks"], allow_nan=False)
