"""The history's runs (which asks git for the commit, so a process: here, not in tests/integration/):
one unit per metric in the trend line, the Markdown and HTML reports, and the history as a window."""

from __future__ import annotations

import pytest
from metric_projects import NOISY, TRN1, stable_package

TIMED = """
@pytest.mark.neuron_performance
def test_lat(neuron_metric):
    neuron_metric("median", [0.00025, 0.000251, 0.000249], "s", max=0.001, better="lower")
"""


@pytest.fixture
def model(project, monkeypatch):
    """The noisy model without its bound, and a runner on trn1 that sets its samples."""
    project.config("")
    project.pytester.makepyfile(test_llama=NOISY.replace(", max=15", ""))

    def run(*args: str, **env: str):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return project.run(*TRN1, *args)

    return run


def latency_check(report) -> dict:  # type: ignore[type-arg]
    [check] = [c for c in report["metric_checks"] if c["metric"] == "latency"]
    return check


def test_a_timing_has_one_unit_in_every_output(project):
    project.config("")
    stable_package(project, TIMED)
    result, _ = project.run("--neuron-history=h.jsonl", "--neuron-markdown=r.md", "--neuron-html=r.html")
    out = result.stdout.str()
    assert "median 250 us (IQR 1 us, 3 samples) <= 1 ms" in out
    assert "runtime median ▄ 250 us" in out  # the trend line, not 0.00025 s
    assert "| median | 250 us (IQR 1, 3 samples) | <= 1 ms |" in (project.path / "r.md").read_text()
    page = (project.path / "r.html").read_text()
    assert "<td>250 us</td>" in page and "median (us)" in page and "0.00025" not in page


def test_the_history_as_the_baseline_is_judged_like_a_window(project, model):
    project.config('baseline-from = "history"\nbaseline-runs = 5\n')
    for _ in range(5):
        model("--neuron-history=h.jsonl", LATENCY="10,10.1,9.9")
    result, report = model("--neuron-history=h.jsonl", LATENCY="10.2,10.3,10.1")
    assert result.ret == 0
    assert "5 runs" in latency_check(report)["text"]
    result, report = model("--neuron-history=h.jsonl", LATENCY="30,30.1,29.9")
    assert result.ret == 1 and latency_check(report)["state"] == "regressed"
    assert TRN1[1] in latency_check(report)["text"]
