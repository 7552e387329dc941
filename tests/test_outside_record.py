"""``record`` and evidence files under hostile use: ids that could collide, concurrent calls, one
file giving an item two levels, outputs that are not files, diverged runs, and failures that must
say why. Each test drives the CLI as a user does (a subprocess) or a real pytest session.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_outside_evidence import EXAMPLE, LLAMA_ID, MODEL, RECORD, SCRIPT, entry, write_evidence

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


# --- 1. '::' would make SOURCE::ITEM_ID::CATEGORY split two ways ------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--source", "x::y"), "source 'x::y' contains '::', which separates SOURCE::ITEM_ID::CATEGORY; use '/'"),
        (("--category", "a::b"), "category 'a::b' contains '::', which separates SOURCE::ITEM_ID::CATEGORY"),
    ],
)
def test_record_refuses_a_double_colon_in_source_or_category(project, args, message):
    done = project.cli(*RECORD, "--outcome", "passed", *args, "--output", "e.json")
    refused(done, message)
    assert not (project.path / "e.json").exists()


def test_items_whose_ids_would_collide_cannot_both_be_recorded(project):
    """``--item y::z --source x`` and ``--item z --source x::y`` once shared ``x::y::z::functional``,
    and the second silently replaced the first."""
    base = ("record", "--kind", "feature", "--level", "beta", "--category", "functional", "--outcome", "passed")
    assert project.cli(*base, "--item", "y::z", "--source", "x", "--output", "e.json").returncode == 0
    refused(project.cli(*base, "--item", "z", "--source", "x::y", "--output", "e.json"), "source 'x::y' contains")
    assert [(r["item"], r["source"]) for r in results(project)] == [("y::z", "x")]


def test_reading_a_double_colon_source_is_a_usage_error(pytester, project):
    pytester.makepyfile(test_llama=MODEL)
    write_evidence(project, "e.json", entry(source="x::y"))
    result_run = pytester.runpytest("--neuron-evidence=e.json")
    assert result_run.ret == pytest.ExitCode.USAGE_ERROR
    assert "ERROR: neuron-classification: e.json: results[0]: source 'x::y' contains '::'" in result_run.stderr.str()


# --- 2. concurrent calls take turns ---------------------------------------------------------------


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
    assert (project.path / ".e.json.lock").exists()  # the lock file stays, empty
    assert (project.path / ".e.json.lock").read_text() == ""


# --- 3. one file, one level per item --------------------------------------------------------------


def test_record_refuses_another_level_for_an_item_of_the_file(project):
    assert project.cli(*RECORD, "--outcome", "passed", "--output", "e.json").returncode == 0
    before = (project.path / "e.json").read_text()
    stable = [a if a != "beta" else "stable" for a in RECORD]
    other = [*stable[:-4], "--category", "performance", "--source", SCRIPT]
    refused(
        project.cli(*other, "--outcome", "passed", "--output", "e.json"),
        f"model '{LLAMA_ID}' is stable here but beta (model) in results[0] ({SCRIPT}, convergence); "
        "record it with --level beta --kind model, or record to another --output",
    )
    # The same result replaced by another level is refused too: the file's claim is not dropped.
    refused(project.cli(*stable, "--outcome", "passed", "--output", "e.json"), "is stable here but beta (model)")
    assert (project.path / "e.json").read_text() == before


def test_a_file_giving_an_item_two_levels_is_a_usage_error(pytester, project):
    pytester.makepyfile(test_llama=MODEL)
    write_evidence(project, "e.json", entry(), entry(level="stable", category="performance"))
    result_run = pytester.runpytest("--neuron-evidence=e.json")
    assert result_run.ret == pytest.ExitCode.USAGE_ERROR
    assert (
        f"ERROR: neuron-classification: e.json: results[1]: model '{LLAMA_ID}' is stable there but beta (model) in "
        f"results[0] ({SCRIPT}, convergence); classify it the same way in every job"
    ) in result_run.stderr.str()


# --- 7. --output is a regular file or absent ---------------------------------------------------------


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
        refused(done, f"{output} is not a regular file; give the path of an evidence file (created if absent)")


def test_record_refuses_an_empty_output(project):
    done = project.cli(*RECORD, "--outcome", "passed", "--output", "")
    assert done.stderr == f"{PREFIX}--output '' is empty; give the path of the evidence file\n"
    assert done.returncode == 2


# --- 10. a metric argument says each thing once ---------------------------------------------------------


@pytest.mark.parametrize(
    ("metrics", "message"),
    [
        (("x=1:lower:higher",), "--metric 'x=1:lower:higher': cannot read 'higher'"),
        (("x=1", "x=2:lower"), "metric 'x' is given twice; give each metric once"),
    ],
)
def test_record_refuses_a_metric_said_twice(project, metrics, message):
    done = project.cli(
        *RECORD, "--outcome", "passed", *(a for m in metrics for a in ("--metric", m)), "--output", "e.json"
    )
    refused(done, message)


# --- 11. convergence and neuron_convergence are one name ---------------------------------------------------


def test_neuron_prefixed_category_replaces_the_plain_one(project):
    assert project.cli(*RECORD, "--outcome", "failed", "--output", "e.json").returncode == 0
    prefixed = [a if a != "convergence" else "neuron_convergence" for a in RECORD]
    done = project.cli(*prefixed, "--outcome", "passed", "--output", "e.json")
    assert "(1 result)" in done.stdout
    assert [(r["category"], r["outcome"]) for r in results(project)] == [("neuron_convergence", "passed")]


# --- 12. a diverged run is recorded failed ------------------------------------------------------------------


def test_a_non_finite_metric_says_how_to_record_a_diverged_run(project):
    done = project.cli(*RECORD, "--outcome", "failed", "--metric", "final_loss=nan:lower:max=2", "--output", "e.json")
    refused(
        done,
        "--metric 'final_loss=nan:lower:max=2': the value 'nan' cannot be compared with anything; "
        "to record a diverged run, give --outcome failed without this --metric",
    )


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
    assert script.stdout.startswith("recorded failed: scripts/check_convergence.py::linear[")
    [result] = results(project)
    assert result["outcome"] == "failed"
    assert [m["name"] for m in result["metrics"]] == ["steps"]


# --- 13. a failed outside result says why ----------------------------------------------------------------


def test_the_hint_of_a_result_failed_by_its_bound_says_why(pytester, project):
    pytester.makepyfile(test_llama=MODEL)
    done = project.cli(*RECORD, "--outcome", "passed", "--metric", "loss=3:lower:max=2.5", "--output", "e.json")
    assert done.stdout.startswith("recorded failed (loss = 3, above max 2.5): ")
    result_run, report = project.run("--neuron-evidence=e.json")
    assert report.statuses == {LLAMA_ID: {"accuracy": "failing"}}
    result_run.stdout.fnmatch_lines(
        [
            "  beta model llama (pytorch-neuronx, neuronx-distributed, training): accuracy failing -> "
            f"fix the failing test {SCRIPT} (recorded outside pytest): loss = 3, above max 2.5"
        ]
    )


def test_merge_gives_the_same_reason(project):
    project.config("")
    project.pytester.makepyfile(test_plain="def test_a(): pass")
    project.run()  # merge needs a pytest report beside the evidence file
    write_evidence(project, "e.json", entry(outcome="failed", metrics=[{"name": "loss", "value": 3, "max": 2.5}]))
    merged = project.cli("merge", "neuron-report.json", "e.json")
    assert f"{SCRIPT} (recorded outside pytest): loss = 3, above max 2.5" in merged.stdout, (
        merged.stdout + merged.stderr
    )
    assert Path(project.path / "e.json").is_file()


def test_merge_needs_a_pytest_report_and_says_what_it_did_not_compare(project):
    project.config("")
    write_evidence(project, "e.json", entry(outcome="passed", metrics=[{"name": "loss", "value": 2, "max": 2.5}]))
    alone = project.cli("merge", "e.json")
    assert alone.returncode == 2
    assert "no pytest report among the inputs; an evidence file alone judges no inventory" in alone.stderr
    project.pytester.makepyfile(test_plain="def test_a(): pass")
    project.run()
    merged = project.cli("merge", "neuron-report.json", "e.json")
    assert (
        "; 1 measurement of the evidence files not compared with the metric baseline "
        "(fold them into a pytest run with --neuron-evidence for that)"
    ) in merged.stdout, merged.stdout + merged.stderr
