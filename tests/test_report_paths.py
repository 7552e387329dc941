"""Report paths never name a file the run reads, nor one it did not write.

A ``--neuron-json`` or ``--neuron-markdown`` path that names the contracts, the metric baseline,
the gap baseline, an evidence file, the history or the configuration would destroy an input (the
next run stops on the wrong schema); one that names README.md would destroy documentation. Each
is refused in one line before any test runs; a report of a previous run is replaced as before.
"""

from __future__ import annotations

import json

import pytest

MODULE = "import pytest\npytestmark = pytest.mark.neuron_beta('x')\ndef test_a(): pass\n"


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(test_x=MODULE)
    return pytester


def evidence(pytester: pytest.Pytester) -> None:
    result = {"item": "x", "kind": "feature", "level": "beta", "category": "functional", "outcome": "passed"}
    body = {"schema": "pytest-neuron-classification-evidence/1", "results": [{**result, "source": "job"}]}
    (pytester.path / "ev.json").write_text(json.dumps(body))


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        (
            "contracts",
            ["--neuron-json=neuron-contracts.json"],
            "--neuron-json=neuron-contracts.json names the API contracts file this run reads; "
            "give the report a path of its own",
        ),
        (
            "metrics",
            ["--neuron-json=neuron-metrics.json"],
            "--neuron-json=neuron-metrics.json names the metric baseline this run reads; "
            "give the report a path of its own",
        ),
        (
            "",
            ["--neuron-baseline=gb.json", "--neuron-update-baseline", "--neuron-json=gb.json"],
            "--neuron-json=gb.json names the gap baseline this run reads; give the report a path of its own",
        ),
        (
            "evidence",
            ["--neuron-evidence=ev.json", "--neuron-markdown=ev.json"],
            "--neuron-markdown=ev.json names an evidence file this run reads; give the report a path of its own",
        ),
        (
            "",
            ["--neuron-history=hist.jsonl", "--neuron-markdown=hist.jsonl"],
            "--neuron-markdown=hist.jsonl names the metric history this run reads; give the report a path of its own",
        ),
        (
            "readme",
            ["--neuron-markdown=README.md"],
            "--neuron-markdown=README.md: README.md exists and is not a report of this plugin; "
            "give the report a path of its own (or delete the file first)",
        ),
    ],
)
def test_a_report_path_naming_an_input_is_refused_before_any_test(suite, setup, args, message):
    inputs = {
        "contracts": (
            "neuron-contracts.json",
            '{"schema": "pytest-neuron-classification-contracts/1", "contracts": {}}',
        ),
        "metrics": ("neuron-metrics.json", '{"schema": "pytest-neuron-classification-metrics/1", "environments": {}}'),
        "readme": ("README.md", "# My project\n"),
    }
    if setup == "evidence":
        evidence(suite)
    elif setup:
        name, text = inputs[setup]
        (suite.path / name).write_text(text)
    before = {p.name: p.read_bytes() for p in suite.path.iterdir() if p.is_file()}
    result = suite.runpytest(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: neuron-classification: {message}"])
    assert "test_a" not in result.stdout.str()
    assert {p.name: p.read_bytes() for p in suite.path.iterdir() if p.is_file() and p.name in before} == before


def test_a_previous_report_is_replaced_and_a_new_path_written(suite):
    assert suite.runpytest("--neuron-json=r.json", "--neuron-markdown=r.md").ret == 0
    first = (suite.path / "r.md").read_text()
    assert suite.runpytest("--neuron-json=r.json", "--neuron-markdown=r.md").ret == 0
    assert (suite.path / "r.md").read_text() == first
    (suite.path / "empty.md").write_text("")  # a job summary file starts empty
    assert suite.runpytest("--neuron-markdown=empty.md").ret == 0
    assert (suite.path / "empty.md").read_text().startswith("## Neuron software classification")


def test_update_baseline_on_a_path_narrowed_run_keeps_the_other_files_gaps(pytester, project):
    pytester.makepyfile(
        test_a="import pytest\npytestmark = pytest.mark.neuron_stable('a')\ndef test_a(): pass\n",
        test_b="import pytest\npytestmark = pytest.mark.neuron_stable('b')\ndef test_b(): pass\n",
    )
    assert pytester.runpytest("--neuron-baseline=gb.json", "--neuron-update-baseline").ret == 0
    recorded = json.loads((pytester.path / "gb.json").read_text())["gaps"]
    assert len(recorded) == 4  # standard and performance of a and b
    assert pytester.runpytest("test_a.py", "--neuron-baseline=gb.json", "--neuron-update-baseline").ret == 0
    assert json.loads((pytester.path / "gb.json").read_text())["gaps"] == recorded
    assert pytester.runpytest("--neuron-baseline=gb.json").ret == 0  # the full run still tolerates b's gaps


@pytest.mark.parametrize(
    ("setup", "value", "message"),
    [
        (False, "", "--neuron-history= is empty; give a file path such as metric-history.jsonl"),
        (
            True,
            "neuron-metrics.json",
            "--neuron-history=neuron-metrics.json names the metric baseline (neuron-metrics.json); "
            "give the history a path of its own",
        ),
        (
            True,
            "copy.json",
            "copy.json: not a metric history file (it holds a JSON document; a history holds one JSON line per "
            "run); give --neuron-history a path of its own",
        ),
    ],
)
def test_a_history_path_that_is_no_history_is_one_line(suite, setup, value, message):
    baseline = '{\n  "schema": "pytest-neuron-classification-metrics/1",\n  "environments": {}\n}\n'
    if setup:
        (suite.path / "neuron-metrics.json").write_text(baseline)
        (suite.path / "copy.json").write_text(baseline)
    result = suite.runpytest(f"--neuron-history={value}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: neuron-classification: *{message}"])
