"""The one output check: every writer's paths go through storage/outputs.check_outputs.

Pure unit tests of the rules the run, ``merge`` and ``record`` share; the exact wording of each
message is asserted in the catalogue (tests/integration/messages/ and tests/system/messages/).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from pytest_neuron_classification.core.vocabulary import ClassificationError
from pytest_neuron_classification.storage.outputs import Output, check_outputs, report_outputs
from pytest_neuron_classification.storage.report_file import HTML_START, MARKDOWN_START


def refusal(outputs: list[Output], reads: dict[Path, str] | None = None) -> str:
    with pytest.raises(ClassificationError) as info:
        check_outputs(outputs, reads)
    return str(info.value)


def test_returns_each_option_s_absolute_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    paths = check_outputs(report_outputs({"--json": "a.json", "--markdown": "sub/a.md"}))
    assert paths == {"--json": tmp_path / "a.json", "--markdown": tmp_path / "sub" / "a.md"}


def test_an_input_is_never_an_output_even_through_a_symlink(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "base.json").write_text("{}")
    (tmp_path / "link.json").symlink_to("base.json")
    reads = {tmp_path / "base.json": "the metric baseline (base.json)"}
    message = refusal([Output("--neuron-history", "link.json", "history")], reads)
    assert (
        message
        == "--neuron-history=link.json names the metric baseline (base.json); give the history a path of its own"
    )


@pytest.mark.parametrize("start", [MARKDOWN_START, HTML_START, '{\n  "schema": "pytest-neuron-classification/1"'])
def test_a_report_replaces_a_report_of_ours_of_any_version(tmp_path, start):
    (tmp_path / "old").write_text(start + "\n...")
    check_outputs(report_outputs({"--neuron-json": str(tmp_path / "old")}))


def test_only_a_report_is_refused_over_a_foreign_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("mine")
    assert "exists and is not a report of this plugin" in refusal(report_outputs({"--json": "notes.txt"}))
    check_outputs([Output("--neuron-baseline", "notes.txt", "gap baseline")])  # read and validated by its reader
    (tmp_path / "empty.md").write_text("")
    check_outputs(report_outputs({"--markdown": "empty.md"}))  # a fresh $GITHUB_STEP_SUMMARY


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null")
def test_an_extended_output_is_a_regular_file_or_absent(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    for value in ("/dev/null", "folder"):
        evidence = Output("--output", value, "evidence file", extended=True)
        assert refusal([evidence]) == (
            f"--output={value}: {value} is not a regular file; give the path of an evidence file (created if absent)"
        )
    check_outputs([Output("--output", "new.json", "evidence file", extended=True)])
    check_outputs(report_outputs({"--json": "/dev/null"}))  # a report is written through a device


def test_the_fix_names_what_the_file_is(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "conf.toml").write_text("")
    assert refusal([Output("--output", "conf.toml", "evidence file")]).endswith("; choose an evidence file path")
    assert refusal([Output("--neuron-history", "", "history", "a file path such as h.jsonl")]) == (
        "--neuron-history= is empty; give a file path such as h.jsonl"
    )


def test_a_source_or_configuration_name_is_refused_before_the_file_exists(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("setup.cfg", "conftest.py", "tox.ini", "ci.yml", "Setup.CFG"):
        assert refusal(report_outputs({"--json": name})) == (
            f"--json={name}: refusing to create {name}, a source or configuration file; choose a report path"
        )
    (tmp_path / "tox.ini").write_text("")
    assert "refusing to overwrite tox.ini" in refusal(report_outputs({"--json": "tox.ini"}))
    (tmp_path / "link.json").symlink_to("pyproject.toml")  # a link to a file that does not exist yet
    assert "refusing to create link.json" in refusal(report_outputs({"--json": "link.json"}))


def test_a_kept_file_replaces_only_a_file_of_its_family(tmp_path, monkeypatch):
    """Any version, any indentation or key order, and a corrupt file of ours (its update is the cure: it
    still names its schema); never README.md, another JSON document, a JSON-with-comments file of another
    tool (it begins with "{" too), or one of our other files."""
    monkeypatch.chdir(tmp_path)
    baseline = Output("--neuron-baseline", "gb.json", "gap baseline", schema="pytest-neuron-classification-baseline")
    for text in (
        '{"gaps": [], "schema": "pytest-neuron-classification-baseline/1"}',
        '{\n  "schema": "pytest-neuron-classification-baseline/9"}',
        '{\n  "schema": "pytest-neuron-classification-baseline/1",\n  "gaps": [\n    "runtime::perf',  # torn
        "",
    ):
        (tmp_path / "gb.json").write_text(text)
        check_outputs([baseline])
    for text in (
        "# notes\n",
        '{"name": "package.json"}',
        '{"schema": "pytest-neuron-classification-metrics/2"}',
        '{\n  // TypeScript config\n  "compilerOptions": {"strict": true}\n}\n',
        "{not json",
    ):
        (tmp_path / "gb.json").write_text(text)
        assert refusal([baseline]) == (
            "--neuron-baseline=gb.json: gb.json exists and is not a gap baseline of this plugin; give the gap "
            "baseline a path of its own (or delete the file first)"
        )


def test_a_kept_file_is_refused_through_a_symlink(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "README.md").write_text("# My project\n")
    (tmp_path / "gb.json").symlink_to("README.md")
    baseline = Output("--neuron-baseline", "gb.json", "gap baseline", schema="pytest-neuron-classification-baseline")
    assert "gb.json exists and is not a gap baseline of this plugin" in refusal([baseline])


def test_no_writer_replaces_a_file_another_keeps(tmp_path, monkeypatch):
    """A role marks a file kept from run to run; the first writer to name it keeps it, and what the
    command only reads wins over any role."""
    monkeypatch.chdir(tmp_path)
    metrics = Output("metrics", "m.json", "metric baseline", role="the metric baseline this run reads")
    baseline = Output("--neuron-baseline", "m.json", "gap baseline", role="the gap baseline this run reads")
    assert refusal([metrics, baseline]) == (
        "--neuron-baseline=m.json names the metric baseline this run reads; give the gap baseline a path of its own"
    )
    reads = {tmp_path / "m.json": "an evidence file this run reads"}
    assert refusal([metrics], reads) == (
        "metrics=m.json names an evidence file this run reads; give the metric baseline a path of its own"
    )
    check_outputs([metrics])  # its own file


def test_another_plugin_s_output_is_checked_only_against_ours(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "README.md").write_text("mine")
    junit = Output("--junitxml", "README.md", "JUnit XML report", foreign=True)
    check_outputs([junit])  # where pytest writes is pytest's business
    check_outputs([Output("--junitxml", "", "JUnit XML report", foreign=True)])
    assert refusal([*report_outputs({"--neuron-html": "x.html"}), replace(junit, value="x.html")]) == (
        "--neuron-html and --junitxml name the same file x.html; give each its own path"
    )
    reads = {tmp_path / "README.md": "an evidence file this run reads"}
    assert refusal([junit], reads) == (
        "--junitxml=README.md names an evidence file this run reads; give the JUnit XML report a path of its own"
    )
