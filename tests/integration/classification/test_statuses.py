"""Each obligation ends in exactly one status (docs/reference/statuses.md), from what really ran."""

from __future__ import annotations

import pytest

FEATURE = 'import pytest\npytestmark = pytest.mark.neuron_beta("cache", kind="feature")\n'


@pytest.mark.parametrize(
    ("body", "outcome", "status", "exit_code"),
    [
        ("def test_it(): pass", "passed", "met", 0),
        ("def test_it(): assert False", "failed", "failing", 1),
        (
            "@pytest.fixture\ndef broken(): raise RuntimeError\ndef test_it(broken): pass",
            "error",
            "failing",
            1,
        ),
        ("@pytest.mark.skip(reason='no hardware')\ndef test_it(): pass", "skipped", "skipped", 1),
        ("@pytest.mark.xfail(reason='known bug')\ndef test_it(): assert False", "xfailed", "skipped", 1),
        ("def test_it(): pytest.skip('later')", "skipped", "skipped", 1),
    ],
)
def test_status_follows_the_outcome(pytester, project, body, outcome, status, exit_code):
    pytester.makepyfile(test_cache=FEATURE + body)
    result, report = project.run()
    assert report.outcomes == {"test_it": outcome}
    assert report.statuses == {"cache": {"basic": status}}
    assert result.ret == exit_code


def test_a_teardown_error_after_a_pass_is_failing(pytester, project):
    pytester.makepyfile(
        test_cache=FEATURE
        + "@pytest.fixture\ndef leaky():\n    yield\n    raise RuntimeError('leak')\ndef test_it(leaky): pass"
    )
    _, report = project.run()
    assert report.outcomes == {"test_it": "error"}
    assert report.statuses == {"cache": {"basic": "failing"}}


def test_one_failure_outweighs_passes(pytester, project):
    pytester.makepyfile(test_cache=FEATURE + "def test_ok(): pass\ndef test_bad(): assert 0")
    result, report = project.run()
    assert report.statuses == {"cache": {"basic": "failing"}}
    result.stdout.fnmatch_lines(["*beta feature cache: basic failing -> *test_cache.py::test_bad"])


def test_deselected_tests_are_not_run_and_do_not_fail(pytester, project):
    pytester.makepyfile(test_cache=FEATURE + "def test_it(): pass\ndef test_other(): pass")
    result, report = project.run("-k", "nothing_matches")
    # The report lists the selection (none of them); the deselected tests are counted, and judged not-run.
    assert report.outcomes == {}
    assert report["placement"]["collection"]["classified"] == 2
    assert report.statuses == {"cache": {"basic": "not-run"}}
    assert report["summary"]["statuses"] == {"not-run": 1}
    result.stdout.fnmatch_lines(["*beta feature cache: basic not-run -> *test_cache.py::test_it (+1 more)"])
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_deselection_by_marker_expression(pytester, project):
    pytester.makepyfile(
        test_cache=FEATURE + "def test_unit(): pass\n@pytest.mark.neuron_integration\ndef test_integration(): pass"
    )
    project.module(categories=("functional", "integration", "performance"))
    result, report = project.run("-m", "not neuron_integration")
    assert report.statuses == {
        "runtime": {"standard": "not-run", "performance": "met"},
        "cache": {"basic": "met"},
    }
    assert result.ret == 0


def test_tests_never_reached_are_not_run(pytester, project):
    pytester.makepyfile(test_cache=FEATURE + "def test_a(): assert 0\ndef test_b(): pass")
    pytester.makepyfile(test_zz_other='import pytest\npytestmark = pytest.mark.neuron_alpha("x")\ndef test_c(): pass')
    # In file order (pytest-randomly, when installed, would shuffle which test -x stops at).
    _, report = project.run("-x", "-p", "no:randomly")
    assert report.outcomes == {"test_a": "failed", "test_b": "not-run", "test_c": "not-run"}
    assert report.statuses == {"cache": {"basic": "failing"}, "x": {"basic": "not-run"}}


def test_skipped_and_deselected_together_are_not_run(pytester, project):
    pytester.makepyfile(test_cache=FEATURE + "@pytest.mark.skip\ndef test_a(): pass\ndef test_b(): pass")
    _, report = project.run("--deselect", "test_cache.py::test_b")
    assert report.statuses == {"cache": {"basic": "not-run"}}


def test_inventory_item_without_tests_is_missing(pytester, project):
    project.config('[[tool.neuron-classification.items]]\nname = "runtime"\nkind = "package"\nlevel = "beta"\n')
    pytester.makepyfile(test_other="def test_unclassified(): pass")
    result, report = project.run()
    assert report.statuses == {"runtime": {"basic": "missing"}}
    result.stdout.fnmatch_lines(
        [
            "*beta package runtime: basic missing -> *pytest.mark.neuron_beta('runtime', kind='package')",
            "neuron-classification: FAILED*runtime: basic missing*",
        ]
    )
    assert result.ret == 1


def test_inventory_item_in_an_empty_suite_still_fails(project):
    project.config('[[tool.neuron-classification.items]]\nname = "runtime"\n')
    result, report = project.run()
    assert report.statuses == {"runtime": {"standard": "missing", "performance": "missing"}}
    assert result.ret == 1


def test_collect_only_is_a_static_audit(pytester, project):
    pytester.makepyfile(test_cache=FEATURE + "def test_a(): assert 0\n@pytest.mark.skip\ndef test_b(): pass")
    pytester.makepyfile(test_x='import pytest\npytestmark = pytest.mark.neuron_alpha("x")\ndef test_c(): pass')
    result, report = project.run("--collect-only", "--deselect", "test_x.py::test_c")
    assert report["mode"] == "collect"
    assert report.outcomes == {"test_a": "collected", "test_b": "collected"}  # test_c, deselected, is not listed
    assert report.statuses == {"cache": {"basic": "met"}, "x": {"basic": "not-run"}}
    result.stdout.fnmatch_lines(["*(--collect-only)*"])
    assert result.ret == 0


def test_collect_only_still_fails_on_missing(pytester, project):
    project.config('[[tool.neuron-classification.items]]\nname = "runtime"\nkind = "package"\nlevel = "beta"\n')
    pytester.makepyfile(test_other="def test_unclassified(): pass")
    result, report = project.run("--collect-only")
    assert report.statuses == {"runtime": {"basic": "missing"}}
    assert result.ret == 1


def test_an_interrupted_run_is_reported_as_interrupted(project):
    project.module(
        "runtime", level="beta", extra="def test_stop():\n    pytest.exit('maintenance window', returncode=0)\n"
    )
    result, report = project.run()
    assert report["passed"] is False
    assert report["interrupted"] == "Exit: maintenance window"
    result.stdout.fnmatch_lines(["neuron-classification: INTERRUPTED (Exit: maintenance window)*"])


def test_a_run_stopped_early_never_claims_passed(project):
    project.pytester.makepyfile(
        test_a="def test_crash(): assert 0\n",
        test_b="import pytest\npytestmark = pytest.mark.neuron_beta('cache')\ndef test_b(): pass\n",
    )
    _result, report = project.run("-x", "-p", "no:randomly")
    assert report["passed"] is False
    assert report["interrupted"].startswith("stopped early")
