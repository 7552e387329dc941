"""Enforcement modes, where they come from, and runs the plugin must leave alone."""

from __future__ import annotations

import pytest


def test_error_fails_a_run_whose_tests_all_passed(pytester, project):
    project.module()
    result = pytester.runpytest()
    result.assert_outcomes(passed=1)
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        ["neuron-classification: FAILED under enforce=error: 2 gaps *runtime: standard missing*"]
    )


@pytest.mark.parametrize("source", ["cli", "pyproject", "ini", "ini-in-pyproject"])
def test_warn_reports_without_failing(pytester, project, source):
    project.module()
    args = []
    if source == "cli":
        args = ["--neuron-enforce=warn"]
    elif source == "pyproject":
        project.config('enforce = "warn"\n')
    elif source == "ini":
        pytester.makeini("[pytest]\nneuron_enforce = warn\n")
    else:
        pytester.makepyprojecttoml('[tool.pytest.ini_options]\nneuron_enforce = "warn"\n')
    result = pytester.runpytest(*args)
    assert result.ret == 0
    result.stdout.fnmatch_lines(["neuron-classification: 2 gaps *(enforce=warn)"])


def test_off_is_silent_and_never_fails(project):
    project.module()
    result, report = project.run("--neuron-enforce=off")
    assert result.ret == 0
    result.stdout.no_fnmatch_line("*neuron classification*")
    assert report["enforce"] == "off"
    assert report["summary"]["failing_gaps"] == 2


def test_command_line_overrides_config(pytester, project):
    project.config('enforce = "off"\n')
    pytester.makeini("[pytest]\nneuron_enforce = warn\n")
    project.module()
    assert pytester.runpytest("--neuron-enforce=error").ret == 1
    # warn and off both exit 0: only the verdict line shows that the ini option beat the table.
    result = pytester.runpytest()
    assert result.ret == 0
    result.stdout.fnmatch_lines(["neuron-classification: 2 gaps *(enforce=warn)"])


def test_ini_option_overrides_pyproject_table(pytester, project):
    pytester.makepyprojecttoml(
        '[tool.pytest.ini_options]\nneuron_enforce = "warn"\n[tool.neuron-classification]\nenforce = "error"\n'
    )
    project.module()
    result = pytester.runpytest()
    assert result.ret == 0
    result.stdout.fnmatch_lines(["neuron-classification: 2 gaps *(enforce=warn)"])


def test_failing_tests_keep_their_exit_code(pytester, project):
    project.module(extra="def test_bad(): assert 0\n")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_unclassified_run_is_untouched(pytester):
    pytester.makepyfile(test_plain="def test_a(): pass\ndef test_b(): assert 0")
    result = pytester.runpytest()
    assert result.ret == 1
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.no_fnmatch_line("*neuron classification*")
    result.stdout.no_fnmatch_line("*neuron-classification:*")
    assert pytester.runpytest("-k", "test_a").ret == 0


def test_unclassified_empty_run_keeps_exit_5(pytester):
    assert pytester.runpytest().ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_all_met_says_so_and_passes(pytester):
    pytester.makepyfile(test_cache="import pytest\npytestmark = pytest.mark.neuron_beta\ndef test_a(): pass")
    result = pytester.runpytest()
    assert result.ret == 0
    result.stdout.fnmatch_lines(
        [
            "*= neuron classification =*",
            "beta: 1 item, 1 of 1 *",
            "  feature  cache  basic met",
            "neuron-classification: all 1 *",
        ]
    )


def test_plugin_can_be_disabled(pytester, project):
    project.module()
    result = pytester.runpytest("-p", "no:neuron_classification")
    assert result.ret == 0
    result.stdout.no_fnmatch_line("*neuron classification*")


def test_help_lists_the_options(pytester):
    result = pytester.runpytest("--help")
    result.stdout.fnmatch_lines(
        [
            "*--neuron-enforce=error|warn|off*",
            "*--neuron-json=PATH*",
            "*neuron_enforce (string):*",
        ]
    )


def test_markers_are_registered(pytester):
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(
        [
            "@pytest.mark.neuron_alpha(name=None, [*], kind=None, [*][*]coupling): *",
            "@pytest.mark.neuron_beta(name=None, *",
            "@pytest.mark.neuron_stable(name=None, *",
            "@pytest.mark.neuron_integration: *",
            "@pytest.mark.neuron_performance: *",
            "@pytest.mark.neuron_accuracy: *",
            "@pytest.mark.neuron_convergence: *",
            "@pytest.mark.neuron_compat: *",
        ]
    )
