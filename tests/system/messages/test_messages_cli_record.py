"""The catalogue of what ``record`` says: each message's exact wording, asserted here once.

The shared helpers and how a case runs are in tests/cli_cases.py.
"""

from __future__ import annotations

import json
import os

import catalogue
import pytest
from cli_cases import SCRIPT, Case

LLAMA_ID = "llama[workload=training]"
RECORD = (
    *("record", "--item", "llama", "--kind", "model", "--level", "beta", "--workload", "training"),
    *("--category", "convergence", "--source", SCRIPT),
)
#: The start of every refusal of ``record`` for the item RECORD names, written to e.json.
REFUSED = "python -m pytest_neuron_classification record: error: --item llama (--output e.json): "


def record(*args: str, output: str = "e.json") -> tuple[str, ...]:
    return (*RECORD, *args, "--output", output)


CATALOGUE = {
    "a result recorded": Case(
        args=record("--outcome", "passed", "--metric", "loss=1.93:lower"),
        lines=f"recorded passed: {SCRIPT}::{LLAMA_ID}::convergence in e.json (1 result)",
        ret=0,
        stream="stdout",
    ),
    "a result failed by its bound": Case(
        args=record("--outcome", "passed", "--metric", "loss=3:max=2.5"),
        lines=f"recorded failed (loss = 3, above max 2.5): {SCRIPT}::{LLAMA_ID}::convergence in e.json (1 result)",
        ret=0,
        stream="stdout",
    ),
    "an unknown outcome": Case(
        args=record("--outcome", "xpassed"),
        lines=REFUSED + "unknown outcome 'xpassed'; use one of: passed, failed, skipped",
    ),
    "an unknown level": Case(
        args=record("--outcome", "passed", "--level", "gamma"),
        lines=REFUSED + "unknown level 'gamma'; use one of: stable, beta, alpha",
    ),
    "a metric without a value": Case(
        args=record("--outcome", "passed", "--metric", "loss"),
        lines=REFUSED + "--metric 'loss' has no '='; use NAME=VALUE[:higher|lower][:unit=UNIT][:min=X][:max=X]",
    ),
    "a metric whose value is no number": Case(
        args=record("--outcome", "passed", "--metric", "loss=low"),
        lines=REFUSED + "--metric 'loss=low': the value 'low' is not a number",
    ),
    "a metric whose bounds cross": Case(
        args=record("--outcome", "passed", "--metric", "x=1:min=2:max=1"),
        lines=REFUSED + "--metric 'x=1:min=2:max=1': min of x (2) is greater than its max (1)",
    ),
    "a metric that gives its direction twice": Case(
        args=record("--outcome", "passed", "--metric", "x=1:lower:higher"),
        lines=REFUSED
        + "--metric 'x=1:lower:higher': cannot read 'higher'; use NAME=VALUE[:higher|lower][:unit=UNIT][:min=X]"
        "[:max=X]",
    ),
    "a metric given twice": Case(
        args=record("--outcome", "passed", "--metric", "x=1", "--metric", "x=2:lower"),
        lines=REFUSED + "metric 'x' is given twice; give each metric once",
    ),
    "a metric that is not finite": Case(
        args=record("--outcome", "failed", "--metric", "final_loss=nan:lower:max=2"),
        lines=REFUSED
        + "--metric 'final_loss=nan:lower:max=2': the value 'nan' cannot be compared with anything; to record "
        "a diverged run, give --outcome failed without this --metric",
    ),
    "a source with a double colon": Case(
        args=(*RECORD[:-1], "x::y", "--outcome", "passed", "--output", "e.json"),
        lines=REFUSED + "source 'x::y' contains '::', which separates SOURCE::ITEM_ID::CATEGORY; use '/'",
    ),
    "a category with a double colon": Case(
        args=(*RECORD[:-4], "--category", "a::b", "--source", SCRIPT, "--outcome", "passed", "--output", "e.json"),
        lines=REFUSED + "category 'a::b' contains '::', which separates SOURCE::ITEM_ID::CATEGORY; use '/'",
    ),
    "an output over a source file": Case(
        args=record("--outcome", "passed", output="pyproject.toml"),
        lines="python -m pytest_neuron_classification record: error: --output=pyproject.toml: refusing to overwrite "
        "pyproject.toml, a source or configuration file; choose an evidence file path",
        files={"pyproject.toml": "[tool.neuron-classification]\n"},
    ),
    "an output over a report": Case(
        args=record("--outcome", "passed", output="report.json"),
        lines="python -m pytest_neuron_classification record: error: --output=report.json: report.json exists and is "
        "not an evidence file of this plugin; give the evidence file a path of its own (or delete the file first)",
        files={"report.json": json.dumps({"schema": "pytest-neuron-classification/2"})},
    ),
    "an evidence file named like a configuration file": Case(
        args=record("--outcome", "passed", output="setup.cfg"),
        lines="python -m pytest_neuron_classification record: error: --output=setup.cfg: refusing to create "
        "setup.cfg, a source or configuration file; choose an evidence file path",
    ),
    "an output of another schema": Case(
        args=record("--outcome", "passed", output="e.json"),
        lines=REFUSED + "refusing to replace a file this command cannot extend (e.json: schema "
        "'pytest-neuron-classification-evidence/9' is not 'pytest-neuron-classification-evidence/1'; write it with "
        "python -m pytest_neuron_classification record)",
        files={"e.json": json.dumps({"schema": "pytest-neuron-classification-evidence/9"})},
    ),
    "an output that is a folder": Case(
        args=record("--outcome", "passed", output="folder"),
        lines="python -m pytest_neuron_classification record: error: --output=folder: folder is not a regular file; give "
        "the path of an evidence file (created if absent)",
        files={"folder/keep.txt": ""},
    ),
    "an empty output": Case(
        args=record("--outcome", "passed", output=""),
        lines="python -m pytest_neuron_classification record: error: --output= is empty; give the path of the evidence file",
    ),
    "an item name with a newline": Case(
        args=(
            *("record", "--item", "a\nb", "--kind", "feature", "--level", "beta", "--category", "functional"),
            *("--outcome", "passed", "--source", "job", "--output", "e.json"),
        ),
        lines="python -m pytest_neuron_classification record: error: --item 'a\\nb' (--output e.json): the item name "
        "'a\\nb' contains '[', ']', a control character or a lone surrogate; '[...]' is how a model's id spells its "
        "coupling, so such a name could collide with one: rename it",
    ),
}


@pytest.mark.parametrize("case", CATALOGUE.values(), ids=CATALOGUE.keys())
def test_the_command_says_it_in_these_words(project, case):
    catalogue.check(project, case)


def test_record_says_it_in_these_words(project):
    record = ("record", "--item", "rt", "--kind", "feature", "--outcome", "passed", "--output", "e.json")
    first = project.cli(*record, "--level", "beta", "--category", "performance", "--source", "job1")
    assert first.returncode == 0, first.stderr
    done = project.cli(*record, "--level", "stable", "--category", "accuracy", "--source", "job2")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "python -m pytest_neuron_classification record: error: --item rt (--output e.json): feature 'rt' is stable here but beta in results[0] "
        "(job1, performance); record it with --level beta --kind feature, or record to another --output"
    ]


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="no lock file without fcntl")
def test_record_says_it_cannot_lock_in_these_words(project, monkeypatch):
    # The lock files live in a folder of the user's under the temporary folder: a file in its place
    # (or another user's folder) is refused, in one line, before the evidence file is touched.
    monkeypatch.setenv("TMPDIR", str(project.path / "tmp"))
    folder = f"{{root}}/tmp/neuron-classification-locks-{os.getuid()}"
    case = Case(
        args=record("--outcome", "passed"),
        lines=REFUSED + f"cannot open a lock file in {folder} (it is not a folder only this user can write); "
        "make it a folder only you can write, or record to another --output",
        files={f"tmp/neuron-classification-locks-{os.getuid()}": ""},
    )
    catalogue.check(project, case)
