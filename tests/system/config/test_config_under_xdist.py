"""The configuration above the rootdir, read by xdist workers as by a serial run."""

from __future__ import annotations

import pytest
from sample_projects import REPO_CONFIG_HEADER, repo_with_tests_ini


@pytest.fixture
def repo(pytester: pytest.Pytester):
    """repo/pyproject.toml with the table, repo/.git, and repo/tests/pytest.ini (an empty [pytest])."""
    return repo_with_tests_ini(pytester)


def test_under_xdist_the_config_above_gives_the_serial_audit(project, repo, monkeypatch):
    pytest.importorskip("xdist")
    monkeypatch.chdir(repo)
    serial, serial_report = project.run_subprocess("-p", "no:cacheprovider", report="s.json")
    parallel, parallel_report = project.run_subprocess("-p", "no:cacheprovider", "-n", "2", report="p.json")
    assert parallel_report.audit == serial_report.audit
    assert parallel_report["environment"] == "workers=2" and serial_report["environment"] == "default"
    assert serial_report.statuses == {"neuron-runtime": {"basic": "met"}, "nxd": {"basic": "missing"}}
    parallel.stdout.fnmatch_lines([REPO_CONFIG_HEADER])
    assert parallel.ret == serial.ret == 1
