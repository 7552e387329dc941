"""Every reason a run fails for reaches its verdict, its JSON report and its Markdown report.

A run that fails on its evidence (an evidence file contradicting a marker) must not print
"all obligations kept" nor write ``passed: true`` while pytest exits 1.
"""

from __future__ import annotations

import json
from fnmatch import fnmatch


def test_a_run_failed_by_contradicting_evidence_says_so_everywhere(pytester, project):
    pytester.makepyfile(
        test_x="import pytest\npytestmark = pytest.mark.neuron_beta('x', kind='package')\ndef test_a(): pass"
    )
    out = project.cli(
        "record", "--item", "x", "--kind", "package", "--level", "stable", "--category", "functional",
        "--outcome", "passed", "--source", "job", "--output", "ev.json",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    result, report = project.run("--neuron-evidence=ev.json", "--neuron-markdown=summary.md")
    assert result.ret == 1
    [problem] = report["errors"]
    assert all(key in problem for key in ("'x'", "stable in ev.json", "beta in test_x.py"))
    # The one problem is the verdict, an error line and the report's error, in the same words.
    result.stdout.fnmatch_lines(
        [f"neuron-classification: FAILED: {problem}", f"ERROR: neuron-classification: {problem}"]
    )
    assert "obligations kept" not in result.stdout.str()
    assert report["passed"] is False
    markdown = (pytester.path / "summary.md").read_text()
    assert f":x: FAILED: {problem}" in markdown
    assert f"### Errors\n\n- {problem}" in markdown


def test_a_hook_that_returns_no_string_is_named_as_the_hooks_mistake(pytester, project):
    pytester.makeconftest(
        "def pytest_neuron_audit(report, config):\n    return 42\n"
        "def pytest_neuron_audit(report, config):\n    return 'line one\\nline two'\n"
    )
    pytester.makepyfile(
        conftest_two="",
        test_x="import pytest\npytestmark = pytest.mark.neuron_beta('x')\ndef test_a(): pass",
    )
    result, report = project.run()
    assert result.ret == 1
    # A reason of several lines is the verdict's one line.
    verdict = [line for line in result.stdout.lines if line.startswith("neuron-classification:")]
    assert len(verdict) == 1 and fnmatch(verdict[0], "neuron-classification: FAILED: line one line two (*)")
    pytester.makeconftest("def pytest_neuron_audit(report, config):\n    return 42\n")
    result, report = project.run()
    assert result.ret == 1
    (veto,) = report["vetoes"]
    assert fnmatch(veto, "*pytest_neuron_audit*42*")
    json.dumps(report)
