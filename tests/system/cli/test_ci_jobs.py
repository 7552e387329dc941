"""Ten one-file CI jobs under ``--neuron-scope=collected``: each passes its own gate, and
``merge`` of their reports judges the whole inventory strictly."""

from __future__ import annotations

import json

JOBS = 10


def setup_jobs(project) -> None:
    project.config(
        "".join(
            f'\n[[tool.neuron-classification.items]]\nname = "m{i}"\nkind = "package"\nlevel = "beta"\n'
            for i in range(JOBS)
        )
    )
    for i in range(JOBS):
        # A bare marker: the item is named after the module (test_m3.py classifies m3).
        project.pytester.makepyfile(
            **{f"test_m{i}": "import pytest\npytestmark = pytest.mark.neuron_beta\ndef test_it(): pass\n"}
        )


def run_jobs(project, count: int) -> list[str]:
    reports = []
    for i in range(count):
        result, report = project.run(f"test_m{i}.py", "--neuron-scope=collected", report=f"r{i}.json")
        assert result.ret == 0, result.stdout.str()
        assert report["out_of_scope"] == sorted(f"m{j}" for j in range(JOBS) if j != i)
        result.stdout.fnmatch_lines([f"out-of-scope: {JOBS - 1} *"])
        reports.append(f"r{i}.json")
    return reports


def test_each_job_passes_and_the_merge_judges_everything(project):
    setup_jobs(project)
    reports = run_jobs(project, JOBS)
    merged = project.cli("merge", *reports, "--json", "merged.json")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert "scope=collected" not in merged.stdout and "out-of-scope" not in merged.stdout
    document = json.loads((project.path / "merged.json").read_text())
    assert document["scope"] == "all"
    assert {s for i in document["items"] for s in (o["status"] for o in i["obligations"])} == {"met"}


def test_a_merge_missing_one_job_fails_strictly(project):
    setup_jobs(project)
    reports = run_jobs(project, JOBS - 1)
    merged = project.cli("merge", *reports)
    assert merged.returncode == 1
    assert f"beta package m{JOBS - 1}: basic missing" in merged.stdout
    assert "out-of-scope" not in merged.stdout
