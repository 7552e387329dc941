"""Results obtained outside pytest: ``record``, ``--neuron-evidence`` and ``merge`` of evidence files.

A convergence script is not a pytest test, yet a Beta model class's accuracy rests on it. These
tests fold an evidence file's results into real pytest sessions and check that every report says
the obligation rests on outside evidence. Recording them with the command line, and merging
evidence files, is in tests/system/evidence/test_record_and_merge.py.
"""

from __future__ import annotations

import json

import pytest
from evidence_projects import LLAMA_ID, MODEL, MODULE, SCHEMA, SCRIPT, entry, result, write_evidence
from hypothesis import strategies as st

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


# --- the --metric parser ---------------------------------------------------------------------

#: Metric names as --metric takes them: up to 100 characters (a longer one is refused, in the catalogue).
names = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="=:"), min_size=1, max_size=100
).filter(str.strip)
units = st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters=":"), max_size=8)
finite = st.floats(allow_nan=False, allow_infinity=False)


# --- record and evidence files at their limits: ids that could collide, concurrent calls, one
# file giving an item two levels, outputs that are not files, diverged runs -----------------------


# --- one file, one level per item --------------------------------------------------------------


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


# --- a failed outside result says why ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("results", "message"),
    [
        (
            [result(1), result(2, item="item1", level="stable")],
            "ev.json: feature 'item1' is stable in results[1] but beta in results[0] "
            "(job1, performance); classify it the same way in every job",
        ),
    ],
)
def test_a_hand_edited_file_is_refused_in_one_line(pytester, results, message):
    pytester.makepyfile(test_cache=MODULE)
    (pytester.path / "ev.json").write_text(json.dumps({"schema": SCHEMA, "results": results}))
    run = pytester.runpytest("--neuron-evidence=ev.json")
    assert run.ret == pytest.ExitCode.USAGE_ERROR
    assert run.stderr.lines[0] == f"ERROR: neuron-classification: {message}"
