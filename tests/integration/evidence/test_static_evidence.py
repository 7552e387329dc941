"""A static (``--collect-only``) audit: a collected test is evidence that a test exists, never of a measurement.

Run alone, merged with shards that ran, or asked about graduation, it never meets a measured
obligation nor calls an item ready: nothing ran.
"""

from __future__ import annotations

from fnmatch import fnmatch

import pytest
from evidence_projects import PERF


@pytest.fixture
def runtime(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(test_runtime=PERF)
    return pytester


def test_a_collect_only_run_meets_no_measured_obligation(runtime, project):
    result, report = project.run("--collect-only", "-p", "no:cacheprovider")
    assert report.statuses == {"runtime": {"standard": "met", "performance": "not-run"}}
    performance = report["items"][0]["obligations"][1]
    assert fnmatch(performance["hint"], "test_runtime.py::test_perf *performance")
    result.stdout.fnmatch_lines(["*(--collect-only)*", "neuron-classification: 1 of 2 *, 1 not run*"])


def test_graduation_on_a_static_audit_is_never_ready(pytester, project):
    pytester.makepyfile(
        test_cache="import pytest\npytestmark = pytest.mark.neuron_alpha('cache')\ndef test_a(): pass",
    )
    result, report = project.run("--collect-only", "--neuron-graduation", "-p", "no:cacheprovider")
    assert [g["ready"] for g in report["graduation"]] == [False]
    result.stdout.fnmatch_lines(["  feature cache (alpha): *basic not-run"])
    _, report = project.run("--neuron-graduation", "-p", "no:cacheprovider")
    assert [g["ready"] for g in report["graduation"]] == [True]  # the same test, run: ready
