"""Results obtained outside pytest: ``record``, ``--neuron-evidence`` and ``merge`` of evidence files.

A convergence script is not a pytest test, yet a Beta model class's accuracy rests on it. These
tests record its result (the CLI, in a subprocess as a user runs it), fold it into real pytest
sessions, and check that every report says the obligation rests on outside evidence.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_neuron_classification.core.metric import number
from pytest_neuron_classification.core.metric_arg import parse_metric_arg
from pytest_neuron_classification.core.vocabulary import ClassificationError

SCHEMA = "pytest-neuron-classification-evidence/1"
SCRIPT = "scripts/run_llama_convergence.sh"
LLAMA = {"framework": "pytorch-neuronx", "library": "neuronx-distributed", "workload": "training"}
LLAMA_ID = "llama[framework=pytorch-neuronx,library=neuronx-distributed,workload=training]"
#: A Beta model class whose only pytest test is functional: its accuracy can only come from outside.
MODEL = """
import pytest
pytestmark = pytest.mark.neuron_beta("llama", kind="model", framework="pytorch-neuronx",
                                     library="neuronx-distributed", workload="training")
def test_forward(): pass
"""
RECORD = [
    *("record", "--item", "llama", "--kind", "model", "--level", "beta", "--framework", "pytorch-neuronx"),
    *("--library", "neuronx-distributed", "--workload", "training", "--category", "convergence"),
    *("--source", SCRIPT),
]


def entry(**overrides: Any) -> dict[str, Any]:
    """One result as ``record`` writes it."""
    entry: dict[str, Any] = {
        "item": "llama",
        "kind": "model",
        "level": "beta",
        "coupling": dict(LLAMA),
        "category": "convergence",
        "outcome": "passed",
        "source": SCRIPT,
        "metrics": [{"name": "loss", "value": 1.93, "unit": "", "min": None, "max": 2.5, "better": "lower"}],
    }
    return {**entry, **overrides}


def write_evidence(project: Any, name: str, *results: dict[str, Any], schema: str = SCHEMA) -> Path:
    path: Path = project.path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"schema": schema, "results": list(results)}))
    return path


# --- record ------------------------------------------------------------------------------


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


# --- --neuron-evidence ---------------------------------------------------------------------


def test_a_beta_model_accuracy_met_only_through_outside_evidence(pytester, project):
    pytester.makepyfile(test_llama=MODEL)
    result, report = project.run()
    assert report.statuses == {LLAMA_ID: {"accuracy": "missing"}}
    assert result.ret == 1
    write_evidence(project, "evidence/llama.json", entry())
    result, report = project.run("--neuron-evidence=evidence/*.json")
    assert report.statuses == {LLAMA_ID: {"accuracy": "met"}}
    assert result.ret == 0
    result.stdout.fnmatch_lines(
        [
            "beta: 1 item, 1 of 1 *",
            "  model    llama (pytorch-neuronx, neuronx-distributed, training)  accuracy met "
            f"(loss 1.93 <= 2.5; outside: {SCRIPT})",
        ]
    )
    accuracy = report["items"][0]["obligations"][0]
    assert accuracy["outside"] == [SCRIPT]
    assert accuracy["tests"] == [f"{SCRIPT}::{LLAMA_ID}::convergence"]
    outside = [t for t in report["tests"] if t.get("source")]
    assert outside == [
        {
            "nodeid": f"{SCRIPT}::{LLAMA_ID}::convergence",
            "items": ["llama"],
            "item_ids": [LLAMA_ID],
            "categories": ["accuracy"],
            "outcome": "passed",
            "metrics": [
                {
                    "name": "loss",
                    "value": 1.93,
                    "unit": "",
                    "min": None,
                    "max": 2.5,
                    "source": "record",
                    "better": "lower",
                }
            ],
            "source": SCRIPT,
        }
    ]


def test_a_failed_outside_result_fails_the_obligation_naming_its_source(pytester, project):
    pytester.makepyfile(test_llama=MODEL)
    write_evidence(project, "e.json", entry(outcome="failed"))
    result_run, report = project.run("--neuron-evidence=e.json", "--neuron-markdown=neuron.md")
    assert report.statuses == {LLAMA_ID: {"accuracy": "failing"}}
    assert result_run.ret == 1
    result_run.stdout.fnmatch_lines(
        [f"  beta model llama (pytorch-neuronx, neuronx-distributed, training): accuracy failing -> *{SCRIPT}*"]
    )
    assert f"accuracy **failing** (outside: {SCRIPT})" in (project.path / "neuron.md").read_text()


def test_an_outside_result_without_a_measurement_is_unmeasured(pytester, project):
    pytester.makepyfile(test_llama=MODEL)
    write_evidence(project, "e.json", entry(metrics=[]))
    result_run, report = project.run("--neuron-evidence=e.json")
    assert report.statuses == {LLAMA_ID: {"accuracy": "unmeasured"}}
    result_run.stdout.fnmatch_lines([f"*accuracy unmeasured -> {SCRIPT} *--metric*"])


def test_custom_category_names_map_through_the_run_policy(pytester, project):
    project.config('[tool.neuron-classification.categories]\naccuracy = ["loss_curve"]\n')
    pytester.makepyfile(test_llama=MODEL)
    write_evidence(project, "e.json", entry(category="loss_curve"))
    _, report = project.run("--neuron-evidence=e.json")
    assert report.statuses == {LLAMA_ID: {"accuracy": "met"}}


def test_an_item_only_in_the_evidence_joins_the_audit(pytester, project):
    pytester.makepyfile(test_other="import pytest\npytestmark = pytest.mark.neuron_beta('cache')\ndef test_it(): pass")
    write_evidence(project, "e.json", entry())
    _, report = project.run("--neuron-evidence=e.json")
    assert report.statuses == {"cache": {"basic": "met"}, LLAMA_ID: {"accuracy": "met"}}
    assert {i["id"]: (i["declared"], i["origin"]) for i in report["items"]}[LLAMA_ID] == ("outside", SCRIPT)


def test_evidence_that_contradicts_the_inventory_is_a_usage_error(pytester, project):
    project.config('[[tool.neuron-classification.items]]\nname = "runtime"\nkind = "package"\n')
    project.module()
    write_evidence(project, "e.json", entry(item="runtime", kind="package", level="beta", coupling={}))
    result_run = pytester.runpytest("--neuron-evidence=e.json")
    assert result_run.ret == pytest.ExitCode.USAGE_ERROR
    result_run.stderr.fnmatch_lines(
        ["ERROR: neuron-classification: *'runtime'*beta in e.json*stable in pyproject.toml*"]
    )


def test_evidence_that_contradicts_a_marker_fails_the_run_naming_both(pytester, project):
    pytester.makepyfile(test_llama=MODEL.replace("neuron_beta", "neuron_stable"))
    write_evidence(project, "e.json", entry())
    result_run, report = project.run("--neuron-evidence=e.json", "--neuron-enforce=warn")
    assert result_run.ret == 1
    result_run.stdout.fnmatch_lines(
        [project.literal(f"ERROR: neuron-classification: *'{LLAMA_ID}'*beta in e.json*stable in test_llama.py*")]
    )
    # The audit is the run's own: nothing of the contradicting file is counted.
    assert not [t for t in report["tests"] if t.get("source")]


def test_outside_metrics_go_through_the_metric_baseline_gate(pytester, project):
    pytester.makepyfile(test_llama=MODEL)
    write_evidence(project, "e.json", entry())
    result_run, _ = project.run("--neuron-evidence=e.json", "--neuron-update-metrics")
    assert result_run.ret == 0
    worse = [{"name": "loss", "value": 2.4, "unit": "", "min": None, "max": 2.5, "better": "lower"}]
    write_evidence(project, "e.json", entry(metrics=worse))
    result_run, report = project.run("--neuron-evidence=e.json")
    # A Beta model class's accuracy is "validated": a regression beyond tolerance fails it.
    assert report.statuses == {LLAMA_ID: {"accuracy": "failing"}}
    assert [(c["nodeid"], c["state"], c["fails"]) for c in report["metric_checks"]] == [
        (f"{SCRIPT}::{LLAMA_ID}::convergence", "regressed", True)
    ]
    assert result_run.ret == 1


# --- merge and xdist -----------------------------------------------------------------------


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


# --- the example ---------------------------------------------------------------------------

EXAMPLE = Path(__file__).parent.parent / "examples" / "neuron-sdk"


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


# --- the --metric parser ---------------------------------------------------------------------

#: Metric names as --metric takes them: up to 100 characters (a longer one is refused, in the catalogue).
names = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="=:"), min_size=1, max_size=100
).filter(str.strip)
units = st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters=":"), max_size=8)
finite = st.floats(allow_nan=False, allow_infinity=False)


@given(names, finite, units, st.sampled_from([None, "higher", "lower"]), st.none() | finite, st.none() | finite)
def test_metric_argument_round_trips(name, value, unit, better, low, high):
    parts = [f"{name}={value!r}", *([better] if better else []), *([f"unit={unit}"] if unit else [])]
    parts += [f"min={low!r}"] if low is not None else []
    parts += [f"max={high!r}"] if high is not None else []
    text = ":".join(parts)
    if low is not None and high is not None and low > high:
        with pytest.raises(ClassificationError, match="is greater than its max"):
            parse_metric_arg(text)
        return
    metric = parse_metric_arg(text)
    assert (metric.name, metric.value, metric.unit, metric.better) == (name, value, unit, better)
    assert (metric.min, metric.max, metric.source) == (low, high, "record")


@given(names, finite, st.lists(st.sampled_from(["higher", "lower"]), min_size=2, max_size=3), st.randoms())
def test_metric_argument_says_its_direction_once(name, value, directions, random):
    """``x=1:lower:higher`` is refused, as ``max=3:max=1`` is: the last one does not silently win."""
    parts = [*directions, *random.sample(["unit=s", "min=0"], random.randint(0, 2))]
    random.shuffle(parts)
    with pytest.raises(ClassificationError, match=r"^--metric .*: cannot read '(higher|lower)'"):
        parse_metric_arg(":".join([f"{name}={value!r}", *parts]))


@given(st.text())
def test_metric_argument_parser_never_fails_otherwise(text):
    try:
        metric = parse_metric_arg(text)
    except ClassificationError as exc:
        assert str(exc).startswith("--metric ") and "\n" not in str(exc)
    else:
        assert math.isfinite(metric.value) and number(metric.value)


# --- record and evidence files at their limits: ids that could collide, concurrent calls, one
# file giving an item two levels, outputs that are not files, diverged runs -----------------------


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


# --- '::' would make SOURCE::ITEM_ID::CATEGORY split two ways ------------------------------------


def test_items_whose_ids_would_collide_cannot_both_be_recorded(project):
    """``--item y::z --source x`` and ``--item z --source x::y`` once shared ``x::y::z::functional``,
    and the second silently replaced the first."""
    base = ("record", "--kind", "feature", "--level", "beta", "--category", "functional", "--outcome", "passed")
    assert project.cli(*base, "--item", "y::z", "--source", "x", "--output", "e.json").returncode == 0
    refused(project.cli(*base, "--item", "z", "--source", "x::y", "--output", "e.json"), "'x::y'")
    assert [(r["item"], r["source"]) for r in results(project)] == [("y::z", "x")]


# --- concurrent calls take turns ---------------------------------------------------------------


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


# --- one file, one level per item --------------------------------------------------------------


def test_record_refuses_another_level_for_an_item_of_the_file(project):
    assert project.cli(*RECORD, "--outcome", "passed", "--output", "e.json").returncode == 0
    before = (project.path / "e.json").read_text()
    stable = [a if a != "beta" else "stable" for a in RECORD]
    other = [*stable[:-4], "--category", "performance", "--source", SCRIPT]
    refused(project.cli(*other, "--outcome", "passed", "--output", "e.json"), "is stable here but beta in results[0]")
    # The same result replaced by another level is refused too: the file's claim is not dropped.
    refused(project.cli(*stable, "--outcome", "passed", "--output", "e.json"), "is stable here but beta in results[0]")
    assert (project.path / "e.json").read_text() == before


def test_a_file_giving_an_item_two_levels_is_a_usage_error(pytester, project):
    pytester.makepyfile(test_llama=MODEL)
    write_evidence(project, "e.json", entry(), entry(level="stable", category="performance"))
    result_run = pytester.runpytest("--neuron-evidence=e.json")
    assert result_run.ret == pytest.ExitCode.USAGE_ERROR
    result_run.stderr.fnmatch_lines(
        [
            project.literal(
                f"ERROR: neuron-classification: e.json: *'{LLAMA_ID}'*stable in results[1]*beta in results[0]*"
            )
        ]
    )


# --- --output is a regular file or absent ---------------------------------------------------------


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


# --- convergence and neuron_convergence are one name ---------------------------------------------------


def test_neuron_prefixed_category_replaces_the_plain_one(project):
    assert project.cli(*RECORD, "--outcome", "failed", "--output", "e.json").returncode == 0
    prefixed = [a if a != "convergence" else "neuron_convergence" for a in RECORD]
    done = project.cli(*prefixed, "--outcome", "passed", "--output", "e.json")
    assert done.returncode == 0, done.stderr
    assert [(r["category"], r["outcome"]) for r in results(project)] == [("neuron_convergence", "passed")]


# --- a diverged run is recorded failed ------------------------------------------------------------------


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


# --- a failed outside result says why ----------------------------------------------------------------


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
