"""The configuration above the rootdir, read by xdist workers as by a serial run."""

from __future__ import annotations

import pytest

REPO_CONFIG = """
[tool.neuron-classification]

[[tool.neuron-classification.items]]
name = "neuron-runtime"
kind = "package"
level = "beta"
tests = ["tests/runtime/**"]

[[tool.neuron-classification.items]]
name = "nxd"
kind = "package"
level = "beta"
"""


#: The header line naming the pyproject.toml read above the rootdir (its words are in the catalogue).
HEADER = "neuron-classification: *../pyproject.toml"


@pytest.fixture
def repo(pytester: pytest.Pytester):
    """repo/pyproject.toml with the table, repo/.git, and repo/tests/pytest.ini (an empty [pytest])."""
    pytester.path.joinpath(".git").mkdir()
    pytester.path.joinpath("pyproject.toml").write_text(REPO_CONFIG)
    tests = pytester.mkdir("tests")
    tests.joinpath("pytest.ini").write_text("[pytest]\n")
    tests.joinpath("runtime").mkdir()
    tests.joinpath("runtime", "test_rt.py").write_text(
        "import pytest\n@pytest.mark.neuron_performance\ndef test_speed(neuron_metric):\n"
        "    neuron_metric('latency', 1.0, 's', better='lower')\n"
    )
    tests.joinpath("test_other.py").write_text("def test_plain(): pass\n")
    return tests


def test_under_xdist_the_config_above_gives_the_serial_audit(project, repo, monkeypatch):
    pytest.importorskip("xdist")
    monkeypatch.chdir(repo)
    serial, serial_report = project.run_subprocess("-p", "no:cacheprovider", report="s.json")
    parallel, parallel_report = project.run_subprocess("-p", "no:cacheprovider", "-n", "2", report="p.json")
    assert parallel_report == serial_report
    assert serial_report.statuses == {"neuron-runtime": {"basic": "met"}, "nxd": {"basic": "missing"}}
    parallel.stdout.fnmatch_lines([HEADER])
    assert parallel.ret == serial.ret == 1
