"""How a run writes its reports: through a device or a symlink, every report even when one fails, and never over a source or the configuration."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

ROOT_ON_LINUX = sys.platform.startswith("linux") and hasattr(os, "geteuid") and os.geteuid() == 0


needs_root_on_linux = pytest.mark.skipif(not ROOT_ON_LINUX, reason="only root on Linux can replace /dev/null")


def listing(folder: Path) -> list[str]:
    """The folder's entries: a leftover ``.name.*.tmp`` shows here."""
    return sorted(os.listdir(folder))


@needs_root_on_linux
def test_a_run_reporting_to_dev_null_keeps_the_device(pytester):
    pytester.makepyfile(test_plain="def test_a(): pass")
    result = pytester.runpytest("--neuron-json=/dev/null", "--neuron-markdown=/dev/null")
    assert result.ret == 0
    assert "ERROR" not in result.stdout.str() + result.stderr.str()
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_run_writes_through_a_symlinked_markdown_path(project):
    project.module("cache", level="beta", kind="feature")
    store = project.path / "store"
    store.mkdir()
    (store / "neuron.md").write_text("## Neuron software classification\n\nyesterday's summary\n")
    link = project.path / "summary.md"
    link.symlink_to(store / "neuron.md")
    result, report = project.run(f"--neuron-markdown={link}")
    assert result.ret == 0
    assert report["items"][0]["name"] == "cache"
    assert link.is_symlink() and os.readlink(link) == str(store / "neuron.md")
    assert (store / "neuron.md").read_text().startswith("## Neuron software classification")
    assert listing(store) == ["neuron.md"]


def test_a_run_writes_the_markdown_when_the_json_write_fails(pytester):
    # The report folder is fine when the run starts and becomes a file before it ends.
    pytester.makepyfile(
        test_plain="""
        import os, shutil
        def test_a():
            shutil.rmtree("reports")
            open("reports", "w").close()
        """
    )
    pytester.mkdir("reports")
    result = pytester.runpytest("--neuron-json=reports/neuron.json", "--neuron-markdown=neuron.md")
    result.stdout.fnmatch_lines(["ERROR: neuron-classification: *--neuron-json=*reports/neuron.json*"])
    assert result.ret == 1
    assert (pytester.path / "neuron.md").read_text().startswith("## Neuron software classification")
    assert "Traceback" not in result.stdout.str()


@pytest.mark.parametrize("target", ["pyproject.toml", "link.json"])
def test_reports_never_replace_sources_or_config_even_through_a_link(project, target):
    project.config("")
    project.module()
    (project.path / "link.json").symlink_to(project.path / "test_runtime.py")
    before = (project.path / "test_runtime.py").read_text(), (project.path / "pyproject.toml").read_text()
    result = project.pytester.runpytest(f"--neuron-json={target}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: neuron-classification: --neuron-json={target}*"])
    assert ((project.path / "test_runtime.py").read_text(), (project.path / "pyproject.toml").read_text()) == before


def test_the_contracts_file_never_replaces_a_source(project):
    # merge's refusal of a source as its output is in the catalogue, which checks that no file changed.
    project.module()
    project.config('contracts = "test_runtime.py"\n')
    result = project.pytester.runpytest("--neuron-update-contracts")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "pytestmark" in (project.path / "test_runtime.py").read_text()


MODULE = "import pytest\npytestmark = pytest.mark.neuron_beta('x')\ndef test_a(): pass\n"


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(test_x=MODULE)
    return pytester


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
