"""Writing every report (render/outputs.py, storage/outputs.py): report paths checked before any test runs, and a report that fails to write never stops the next."""

from __future__ import annotations

import os
from fnmatch import fnmatch
from pathlib import Path

import pytest

from pytest_neuron_classification.core.audit import audit_of
from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.core.items import make_item
from pytest_neuron_classification.core.test_record import TestRecord
from pytest_neuron_classification.core.vocabulary import ClassificationError, Policy
from pytest_neuron_classification.render.outputs import render_reports
from pytest_neuron_classification.storage.outputs import check_outputs, report_outputs, write_outputs


def listing(folder: Path) -> list[str]:
    """The folder's entries: a leftover ``.name.*.tmp`` shows here."""
    return sorted(os.listdir(folder))


def an_audit():
    cache = make_item("cache", "feature", "beta", {})
    record = TestRecord.of("t.py::a", ("cache",), ("cache",), ("functional",), "passed")
    return audit_of(Evidence(policy=Policy(), items=(cache,), tests=(record,), source="t"))


def test_check_report_paths_accepts_distinct_paths(tmp_path):
    check_outputs(report_outputs({"--neuron-json": tmp_path / "a.json", "--neuron-markdown": tmp_path / "a.md"}))


def test_check_report_paths_refuses_one_file_twice(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ClassificationError) as info:
        check_outputs(report_outputs({"--neuron-json": "out.json", "--neuron-markdown": "out.json"}))
    assert fnmatch(str(info.value), "--neuron-json and --neuron-markdown *out.json*")


def test_check_report_paths_sees_through_symlinks_and_spellings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "real.json").write_text("")
    (tmp_path / "link.json").symlink_to("real.json")
    for other in ("link.json", "./real.json", str(tmp_path / "real.json")):
        with pytest.raises(ClassificationError) as info:
            check_outputs(report_outputs({"--json": "real.json", "--markdown": other}))
        assert fnmatch(str(info.value), f"--json and --markdown *{tmp_path.resolve() / 'real.json'};*")


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null")
def test_check_report_paths_lets_two_reports_share_dev_null():
    check_outputs(report_outputs({"--neuron-json": "/dev/null", "--neuron-markdown": Path("/dev/null")}))


def test_check_report_paths_refuses_an_empty_value(tmp_path):
    with pytest.raises(ClassificationError) as info:
        check_outputs(report_outputs({"--neuron-markdown": tmp_path / "a.md", "--neuron-json": ""}))
    assert str(info.value).startswith("--neuron-json= ")


def test_a_failed_report_does_not_stop_the_next(tmp_path):
    (tmp_path / "reports").mkdir()
    paths = {"--neuron-json": tmp_path / "reports", "--neuron-markdown": tmp_path / "neuron.md"}
    problems = write_outputs(render_reports(an_audit(), paths))
    (problem,) = problems
    assert fnmatch(problem, f"* --neuron-json={tmp_path / 'reports'}: reports *")
    assert (tmp_path / "neuron.md").read_text().startswith("## Neuron software classification")
    assert listing(tmp_path) == ["neuron.md", "reports"]


def test_every_failure_is_one_line(tmp_path):
    (tmp_path / "ro.json").write_text("keep")
    (tmp_path / "ro.json").chmod(0o444)
    (tmp_path / "file").write_text("")
    paths = {"--json": tmp_path / "ro.json", "--markdown": tmp_path / "file" / "out.md"}
    problems = write_outputs(render_reports(an_audit(), paths))
    assert len(problems) == 2
    assert fnmatch(problems[0], f"* --json={tmp_path / 'ro.json'}: ro.json is read-only*")
    assert fnmatch(problems[1], f"* --markdown={tmp_path / 'file' / 'out.md'}: *")
    assert (tmp_path / "ro.json").read_text() == "keep"
    assert write_outputs(render_reports(an_audit(), {"--json": tmp_path / "ok.json"})) == []
