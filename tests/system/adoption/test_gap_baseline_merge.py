"""Adopting gradually with other processes: the gap baseline under merge."""

from __future__ import annotations

#: A Stable package whose standard suite is complete and whose performance test is missing.
STANDARD = ("functional", "integration")


def test_baseline_under_merge(pytester, project):
    project.module(categories=STANDARD)
    pytester.runpytest("--neuron-baseline=b.json", "--neuron-update-baseline", "--neuron-json=r.json")
    assert project.cli("merge", "r.json").returncode == 1
    done = project.cli("merge", "r.json", "--baseline", "b.json", "--json", "merged.json")
    assert done.returncode == 0, done.stdout
    performance = project.read("merged.json")["items"][0]["obligations"][1]
    assert (performance["status"], performance.get("baselined")) == ("missing", True)
