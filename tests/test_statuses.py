"""Each obligation ends in exactly one status (SPEC section 2), from what really ran."""

from __future__ import annotations

import pytest

from helpers import outcomes, run_json, statuses, write_config

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
def test_status_follows_the_outcome(pytester, body, outcome, status, exit_code):
    pytester.makepyfile(test_cache=FEATURE + body)
    result, report = run_json(pytester)
    assert outcomes(report) == {"test_it": outcome}
    assert statuses(report) == {"cache": {"basic": status}}
    assert result.ret == exit_code


def test_a_teardown_error_after_a_pass_is_failing(pytester):
    pytester.makepyfile(
        test_cache=FEATURE
        + "@pytest.fixture\ndef leaky():\n    yield\n    raise RuntimeError('leak')\ndef test_it(leaky): pass"
    )
    _, report = run_json(pytester)
    assert outcomes(report) == {"test_it": "error"}
    assert statuses(report) == {"cache": {"basic": "failing"}}


def test_one_failure_outweighs_passes(pytester):
    pytester.makepyfile(test_cache=FEATURE + "def test_ok(): pass\ndef test_bad(): assert 0")
    result, report = run_json(pytester)
    assert statuses(report) == {"cache": {"basic": "failing"}}
    result.stdout.fnmatch_lines(["*beta feature cache: basic failing -> fix the failing test test_cache.py::test_bad"])


def test_deselected_tests_are_not_run_and_do_not_fail(pytester):
    pytester.makepyfile(test_cache=FEATURE + "def test_it(): pass\ndef test_other(): pass")
    result, report = run_json(pytester, "-k", "nothing_matches")
    assert outcomes(report) == {"test_it": "not-run", "test_other": "not-run"}
    assert statuses(report) == {"cache": {"basic": "not-run"}}
    result.stdout.fnmatch_lines(
        [
            "*beta feature cache: basic not-run -> run the deselected or unreached test "
            "test_cache.py::test_it (+1 more)",
            "neuron-classification: all 1 obligations kept (1 not run in this selection)",
        ]
    )
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_deselection_by_marker_expression(pytester):
    pytester.makepyfile(
        test_cache=FEATURE + "def test_unit(): pass\n@pytest.mark.neuron_integration\ndef test_integration(): pass"
    )
    pytester.makepyfile(
        test_runtime="""
        import pytest
        pytestmark = pytest.mark.neuron_stable("runtime", kind="package")
        def test_unit(): pass
        @pytest.mark.neuron_integration
        def test_integration(): pass
        @pytest.mark.neuron_performance
        def test_perf(): pass
        """
    )
    result, report = run_json(pytester, "-m", "not neuron_integration")
    assert statuses(report) == {
        "runtime": {"standard": "not-run", "performance": "met"},
        "cache": {"basic": "met"},
    }
    assert result.ret == 0


def test_tests_never_reached_are_not_run(pytester):
    pytester.makepyfile(test_cache=FEATURE + "def test_a(): assert 0\ndef test_b(): pass")
    pytester.makepyfile(test_zz_other='import pytest\npytestmark = pytest.mark.neuron_alpha("x")\ndef test_c(): pass')
    _, report = run_json(pytester, "-x")
    assert outcomes(report) == {"test_a": "failed", "test_b": "not-run", "test_c": "not-run"}
    assert statuses(report) == {"cache": {"basic": "failing"}, "x": {"basic": "not-run"}}


def test_skipped_and_deselected_together_are_not_run(pytester):
    pytester.makepyfile(test_cache=FEATURE + "@pytest.mark.skip\ndef test_a(): pass\ndef test_b(): pass")
    _, report = run_json(pytester, "--deselect", "test_cache.py::test_b")
    assert statuses(report) == {"cache": {"basic": "not-run"}}


def test_inventory_item_without_tests_is_missing(pytester):
    write_config(pytester, '[[tool.neuron-classification.items]]\nname = "runtime"\nkind = "package"\nlevel = "beta"\n')
    pytester.makepyfile(test_other="def test_unclassified(): pass")
    result, report = run_json(pytester)
    assert statuses(report) == {"runtime": {"basic": "missing"}}
    result.stdout.fnmatch_lines(
        [
            "*beta package runtime: basic missing -> add a test with "
            "pytestmark = pytest.mark.neuron_beta('runtime', kind='package')",
            "neuron-classification: FAILED under enforce=error: 1 gap breaks a promise *",
        ]
    )
    assert result.ret == 1


def test_inventory_item_in_an_empty_suite_still_fails(pytester):
    write_config(pytester, '[[tool.neuron-classification.items]]\nname = "runtime"\n')
    result, report = run_json(pytester)
    assert statuses(report) == {"runtime": {"standard": "missing", "performance": "missing"}}
    assert result.ret == 1


def test_collect_only_is_a_static_audit(pytester):
    pytester.makepyfile(test_cache=FEATURE + "def test_a(): assert 0\n@pytest.mark.skip\ndef test_b(): pass")
    pytester.makepyfile(test_x='import pytest\npytestmark = pytest.mark.neuron_alpha("x")\ndef test_c(): pass')
    result, report = run_json(pytester, "--collect-only", "--deselect", "test_x.py::test_c")
    assert report["mode"] == "collect"
    assert outcomes(report) == {"test_a": "collected", "test_b": "collected", "test_c": "not-run"}
    assert statuses(report) == {"cache": {"basic": "met"}, "x": {"basic": "not-run"}}
    result.stdout.fnmatch_lines(["static audit (--collect-only): a collected test counts as evidence, nothing ran"])
    assert result.ret == 0


def test_collect_only_still_fails_on_missing(pytester):
    write_config(pytester, '[[tool.neuron-classification.items]]\nname = "runtime"\nkind = "package"\nlevel = "beta"\n')
    pytester.makepyfile(test_other="def test_unclassified(): pass")
    result, report = run_json(pytester, "--collect-only")
    assert statuses(report) == {"runtime": {"basic": "missing"}}
    assert result.ret == 1
