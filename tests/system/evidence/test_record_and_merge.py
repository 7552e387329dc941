"""Evidence with other processes: the ``record`` command as a user runs it, ``merge`` of evidence files and reports, the example convergence script, and the audit under xdist."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

import pytest
from evidence_projects import (
    LLAMA,
    LLAMA_ID,
    MODEL,
    OUTCOMES,
    PERF,
    RECORD,
    SCHEMA,
    SCRIPT,
    SUITE,
    entry,
    metric_names,
    outcome_by_test,
    write_evidence,
)

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "neuron-sdk"


PREFIX = "python -m pytest_neuron_classification record: error: "


def results(project, name="e.json"):
    return json.loads((project.path / name).read_text())["results"]


def refused(done, message):
    """Exit 2, one line on stderr containing ``message``, nothing on stdout."""
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith(PREFIX)
    assert message in done.stderr, done.stderr


def test_record_writes_then_adds_results(project):
    first = project.cli(*RECORD, "--outcome", "passed", "--metric", "loss=1.93:lower", "--output", "evidence/l.json")
    assert first.returncode == 0, first.stderr
    # It names the result it recorded and the file.
    assert "passed" in first.stdout and f"{SCRIPT}::{LLAMA_ID}::convergence" in first.stdout
    assert "evidence/l.json" in first.stdout
    perf = [*RECORD[:-4], "--category", "performance", "--source", SCRIPT]
    second = project.cli(
        *perf, "--outcome", "passed", "--metric", "tokens_per_s=15200:higher", "--output", "evidence/l.json"
    )
    assert second.returncode == 0, second.stderr
    data = json.loads((project.path / "evidence/l.json").read_text())
    assert data["schema"] == SCHEMA
    assert [(r["category"], r["metrics"][0]["name"], r["metrics"][0]["better"]) for r in data["results"]] == [
        ("convergence", "loss", "lower"),
        ("performance", "tokens_per_s", "higher"),
    ]
    assert data["results"][0]["coupling"] == LLAMA and data["results"][0]["source"] == SCRIPT
    # The script ran again: its latest result for the same item and category replaces the first.
    again = project.cli(*RECORD, "--outcome", "failed", "--output", "evidence/l.json")
    assert again.returncode == 0, again.stderr
    results = json.loads((project.path / "evidence/l.json").read_text())["results"]
    assert [(r["category"], r["outcome"]) for r in results] == [("performance", "passed"), ("convergence", "failed")]


def test_record_a_value_beyond_its_bound_is_a_failed_result(project):
    done = project.cli(*RECORD, "--outcome", "passed", "--metric", "loss=3:max=2.5", "--output", "e.json")
    assert done.returncode == 0
    assert fnmatch(done.stdout, "*failed*loss = 3*max 2.5*")
    assert json.loads((project.path / "e.json").read_text())["results"][0]["outcome"] == "failed"


def test_merge_takes_evidence_files_among_reports(pytester, project):
    pytester.makepyfile(test_llama=MODEL)
    project.run("--neuron-enforce=warn", report="reports/unit.json")
    write_evidence(project, "reports/convergence.json", entry())
    done = project.cli("merge", "reports/unit.json", "reports/convergence.json", "--json", "merged.json")
    assert done.returncode == 0, done.stderr
    assert f"accuracy met (loss 1.93 <= 2.5; outside: {SCRIPT})" in done.stdout
    merged = project.read("merged.json")
    # The merge names its inputs, the evidence file among them.
    assert ": reports/unit.json, reports/convergence.json" in merged["notes"][0]
    assert merged.statuses == {LLAMA_ID: {"accuracy": "met"}}
    assert merged["items"][0]["obligations"][0]["outside"] == [SCRIPT]
    # The merged report keeps the source, so merging it again still says where the evidence came from.
    again = project.cli("merge", "merged.json")
    assert f"outside: {SCRIPT}" in again.stdout and again.returncode == 0
    # Without the evidence file the same report breaks the promise.
    alone = project.cli("merge", "reports/unit.json")
    assert alone.returncode == 1


def test_the_audit_under_xdist_equals_the_serial_one(pytester, project):
    pytest.importorskip("xdist")
    pytester.makepyfile(
        test_llama=MODEL, test_cache="import pytest\npytestmark = pytest.mark.neuron_beta\ndef test_a(): pass"
    )
    write_evidence(project, "e.json", entry(), entry(outcome="failed", category="performance"))
    no_cache = ("-p", "no:cacheprovider", "--neuron-evidence=e.json")
    serial_run, serial = project.run_subprocess(*no_cache, report="serial.json")
    xdist_run, xdist = project.run_subprocess(*no_cache, "-n", "2", report="xdist.json")
    assert serial_run.ret == xdist_run.ret == 0
    for key in ("items", "tests", "summary", "passed"):
        assert xdist[key] == serial[key], key
    assert serial.statuses[LLAMA_ID] == {"accuracy": "met"}
    assert len([t for t in serial["tests"] if t.get("source")]) == 2


def test_example_convergence_script_end_to_end(pytester, project):
    shutil.copytree(EXAMPLE, pytester.path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    script = subprocess.run(
        [sys.executable, "scripts/check_convergence.py", "reports/convergence.json"],
        cwd=project.path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert script.returncode == 0, script.stderr
    assert "passed" in script.stdout and "scripts/check_convergence.py::linear[" in script.stdout
    result_run, report = project.run("-p", "no:cacheprovider", "--neuron-evidence=reports/convergence.json")
    training = "linear[framework=pytorch-neuronx,library=neuronx-distributed,workload=training]"
    accuracy = next(i for i in report["items"] if i["id"] == training)["obligations"][0]
    assert (accuracy["status"], accuracy["outside"]) == ("met", ["scripts/check_convergence.py"])
    result_run.stdout.fnmatch_lines(
        ["*training)*accuracy met (final_loss * <= 1e-06, steps 3000, *; outside: scripts/check_convergence.py)"]
    )
    result_run.assert_outcomes(passed=18, skipped=1)  # the tests are those of the default run


def test_items_whose_ids_would_collide_cannot_both_be_recorded(project):
    """``--item y::z --source x`` and ``--item z --source x::y`` once shared ``x::y::z::functional``,
    and the second silently replaced the first."""
    base = ("record", "--kind", "feature", "--level", "beta", "--category", "functional", "--outcome", "passed")
    assert project.cli(*base, "--item", "y::z", "--source", "x", "--output", "e.json").returncode == 0
    refused(project.cli(*base, "--item", "z", "--source", "x::y", "--output", "e.json"), "'x::y'")
    assert [(r["item"], r["source"]) for r in results(project)] == [("y::z", "x")]


def test_concurrent_record_calls_keep_every_result(project):
    tail = ("--outcome", "passed", "--output", "e.json")
    calls = [
        subprocess.Popen(
            [sys.executable, "-m", "pytest_neuron_classification", *RECORD[:-2], "--source", f"job{n}.sh", *tail],
            cwd=project.path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for n in range(8)
    ]
    assert [c.wait(timeout=60) for c in calls] == [0] * 8, [c.stderr.read() for c in calls if c.stderr]
    for call in calls:
        assert call.stderr is not None
        call.stderr.close()
    assert sorted(r["source"] for r in results(project)) == [f"job{n}.sh" for n in range(8)]
    assert sorted(p.name for p in project.path.iterdir() if p.name.endswith(".lock")) == []  # no lock file here


def test_record_refuses_another_level_for_an_item_of_the_file(project):
    assert project.cli(*RECORD, "--outcome", "passed", "--output", "e.json").returncode == 0
    before = (project.path / "e.json").read_text()
    stable = [a if a != "beta" else "stable" for a in RECORD]
    other = [*stable[:-4], "--category", "performance", "--source", SCRIPT]
    refused(project.cli(*other, "--outcome", "passed", "--output", "e.json"), "is stable here but beta in results[0]")
    # The same result replaced by another level is refused too: the file's claim is not dropped.
    refused(project.cli(*stable, "--outcome", "passed", "--output", "e.json"), "is stable here but beta in results[0]")
    assert (project.path / "e.json").read_text() == before


def test_record_refuses_an_output_that_is_not_a_regular_file(project):
    os.mkfifo(project.path / "fifo")
    (project.path / "folder").mkdir()
    for output in ("fifo", "/dev/null", "folder"):
        done = subprocess.run(
            [sys.executable, "-m", "pytest_neuron_classification", *RECORD, "--outcome", "passed", "--output", output],
            cwd=project.path,
            capture_output=True,
            text=True,
            timeout=30,  # a FIFO once blocked the read forever
            check=False,
        )
        refused(done, f"--output={output}: {output} is not a regular file")


def test_neuron_prefixed_category_replaces_the_plain_one(project):
    assert project.cli(*RECORD, "--outcome", "failed", "--output", "e.json").returncode == 0
    prefixed = [a if a != "convergence" else "neuron_convergence" for a in RECORD]
    done = project.cli(*prefixed, "--outcome", "passed", "--output", "e.json")
    assert done.returncode == 0, done.stderr
    assert [(r["category"], r["outcome"]) for r in results(project)] == [("neuron_convergence", "passed")]


def test_the_example_script_records_a_diverged_run_as_failed(pytester, project):
    shutil.copytree(EXAMPLE, pytester.path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    script = subprocess.run(
        [sys.executable, "scripts/check_convergence.py", "e.json", "5"],  # a learning rate that diverges
        cwd=project.path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert script.returncode == 0, script.stderr
    assert "failed" in script.stdout and "scripts/check_convergence.py::linear[" in script.stdout
    [result] = results(project)
    assert result["outcome"] == "failed"
    assert [m["name"] for m in result["metrics"]] == ["steps"]


def test_the_hint_of_a_result_failed_by_its_bound_says_why(pytester, project):
    pytester.makepyfile(test_llama=MODEL)
    done = project.cli(*RECORD, "--outcome", "passed", "--metric", "loss=3:lower:max=2.5", "--output", "e.json")
    assert done.returncode == 0, done.stderr
    result_run, report = project.run("--neuron-evidence=e.json")
    assert report.statuses == {LLAMA_ID: {"accuracy": "failing"}}
    # The hint names the source and the bound its value broke.
    hint = report["items"][0]["obligations"][0]["hint"]
    assert fnmatch(hint, f"*{SCRIPT}*: loss = 3*max 2.5")
    result_run.stdout.fnmatch_lines(
        [f"  beta model llama (pytorch-neuronx, neuronx-distributed, training): accuracy failing -> {hint}"]
    )


def test_merge_gives_the_same_reason(project):
    project.config("")
    project.pytester.makepyfile(test_plain="def test_a(): pass")
    project.run()  # merge needs a pytest report beside the evidence file
    write_evidence(project, "e.json", entry(outcome="failed", metrics=[{"name": "loss", "value": 3, "max": 2.5}]))
    merged = project.cli("merge", "neuron-report.json", "e.json", "--json", "merged.json")
    hint = project.read("merged.json")["items"][0]["obligations"][0]["hint"]
    assert fnmatch(hint, f"*{SCRIPT}*: loss = 3*max 2.5")
    assert hint in merged.stdout, merged.stdout + merged.stderr
    assert Path(project.path / "e.json").is_file()


@pytest.fixture
def runtime(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(test_runtime=PERF)
    return pytester


def test_a_merge_with_a_collect_only_report_does_not_meet_what_the_shard_left_out(runtime, project):
    runtime.runpytest("--neuron-json=shard.json", "-k", "not perf", "-p", "no:cacheprovider")
    runtime.runpytest("--neuron-json=col.json", "--collect-only", "-p", "no:cacheprovider")
    done = project.cli("merge", "shard.json", "col.json", "--json", "merged.json")
    merged = project.read("merged.json")
    assert merged.statuses == {"runtime": {"standard": "met", "performance": "not-run"}}
    assert merged["static_inputs"] == ["col.json"]
    # The merge says which input was static, in a line of its own and in its verdict.
    lines = done.stdout.splitlines()
    assert [line for line in lines[:-1] if "(col.json, --collect-only)" in line], done.stdout
    assert fnmatch(lines[-1], "neuron-classification: * [[]*(col.json, --collect-only)*]")


@pytest.fixture
def suite(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_runtime=SUITE)


@pytest.mark.parametrize("dist", ["load", "each"])
def test_outcomes_and_metrics_are_the_same_under_xdist(project, suite, dist):
    pytest.importorskip("xdist")
    _, serial = project.run_subprocess("-p", "no:randomly", "-p", "no:cacheprovider", report="serial.json")
    # --dist each runs every test on both workers: one outcome each all the same.
    args = ("-p", "no:randomly", "-p", "no:cacheprovider", "-n", "2", "--dist", dist)
    _, parallel = project.run_subprocess(*args, report="n2.json")
    # Each phase's report crosses from the worker on its own: the teardown's carries both metrics.
    assert metric_names(parallel) == metric_names(serial) == ["load_time", "unload_time"]
    assert parallel["tests"] == serial["tests"]
    assert outcome_by_test(parallel) == OUTCOMES
