"""The one output check: every writer's paths go through storage/outputs.check_outputs.

Pure unit tests of the rules the run, ``merge`` and ``record`` share; the exact wording of each
message is asserted in the catalogue (tests/integration/messages/ and tests/system/messages/).
"""

from __future__ import annotations

import os
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
