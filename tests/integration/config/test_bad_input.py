"""Bad input gets one clear line naming the file or test and the fix, never a traceback.

The lines' words are in the catalogues (test_messages*.py); here, what bad input does to a run.
"""

from __future__ import annotations

import json

import pytest


def test_malformed_toml_that_pytest_reads_first_is_its_usage_error(pytester):
    # Given -c, pytest leaves pyproject.toml to the plugin (its line is in the catalogue); without
    # it, pytest reads the file itself first and stops the run in its own words.
    (pytester.path / "pyproject.toml").write_text("[tool.neuron-classification\nenforce = 'x'\n")
    pytester.makepyfile(test_a="def test_a(): pass")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: */pyproject.toml: *line 1*"])


def test_marker_errors_fail_their_test_at_setup_and_the_run(project):
    project.pytester.makepyfile(
        test_a="import pytest\n@pytest.mark.neuron_stable(42)\ndef test_it(): pass\n"
        "@pytest.mark.neuron_stable('x', kindd='api')\ndef test_keyword(): pass\ndef test_other(): pass\n"
    )
    result, report = project.run()
    result.assert_outcomes(passed=1, errors=2)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert report.outcomes == {"test_it": "error", "test_keyword": "error"}
    assert [error.split(": ")[0] for error in report["errors"]] == ["test_a.py::test_it", "test_a.py::test_keyword"]
    assert report["passed"] is False
    result.stdout.fnmatch_lines(
        [
            "*_ ERROR at setup of test_it _*",
            "neuron-classification: *neuron_stable*42*",
            "errors: 2",
            "  test_a.py::test_it: *",
            "  test_a.py::test_keyword: *kindd*",
            "neuron-classification: FAILED: 2 tests *",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_marker_errors_fail_a_static_audit(project):
    project.pytester.makepyfile(test_a="import pytest\n@pytest.mark.neuron_stable(3)\ndef test_it(): pass")
    result, report = project.run("--collect-only")
    assert result.ret == 1
    assert [error.split(": ")[0] for error in report["errors"]] == ["test_a.py::test_it"]
    result.stdout.fnmatch_lines(["  test_a.py::test_it: *neuron_stable*3"])


def test_two_levels_for_one_item_on_one_test(pytester):
    pytester.makepyfile(
        test_a="""
        import pytest
        pytestmark = pytest.mark.neuron_stable("cache")
        @pytest.mark.neuron_beta("cache")
        def test_it(): pass
        @pytest.mark.neuron_beta("other")
        def test_two_items(): pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["  test_a.py::test_it: *'cache'*stable*beta*"])


def test_marker_contradicting_the_inventory_level(pytester, project):
    project.config('[[tool.neuron-classification.items]]\nname = "rt"\nkind = "package"\nlevel = "beta"\n')
    pytester.makepyfile(test_a="import pytest\n@pytest.mark.neuron_stable('rt')\ndef test_it(): pass")
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(["  test_a.py::test_it: *'rt'*beta*pyproject.toml items[[]0]*stable*"])
    assert result.ret == 1


def test_marker_contradicting_the_inventory_kind(pytester, project):
    project.config('[[tool.neuron-classification.items]]\nname = "rt"\nkind = "package"\n')
    pytester.makepyfile(test_a="import pytest\n@pytest.mark.neuron_stable('rt', kind='api')\ndef test_it(): pass")
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(
        [
            "  test_a.py::test_it: 'rt' is marked kind='api' but pyproject.toml items[0] classifies it as a "
            "package; use kind='package' or drop kind="
        ]
    )


def test_two_modules_disagreeing_on_a_level(pytester):
    pytester.makepyfile(
        test_a="import pytest\npytestmark = pytest.mark.neuron_stable('rt')\ndef test_a(): pass",
        test_b="import pytest\npytestmark = pytest.mark.neuron_beta('rt')\ndef test_b(): pass",
    )
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(["  test_b.py::test_b: *'rt'*stable*test_a.py*beta*"])
    assert result.ret == 1


def test_a_target_module_that_exits_at_import_fails_its_compat_in_one_line(project):
    project.pytester.makepyfile(
        exiting="import sys\nsys.exit(3)\n",
        getattrs="def __getattr__(name):\n    raise RuntimeError('boom %r' % object())\n",
    )
    project.config(
        project.API.format(name="ex", target="exiting:f") + project.API.format(name="ga", target="getattrs:g")
    )
    project.pytester.makepyfile(test_ex=project.COMPAT.format(name="ex"), test_ga=project.COMPAT.format(name="ga"))
    result, report = project.run("-p", "no:cacheprovider")
    assert result.ret == 1  # not 3: the target's sys.exit does not end the run
    assert report.statuses == {"ex": {"basic": "met", "compat": "failing"}, "ga": {"basic": "met", "compat": "failing"}}
    errors = {item["name"]: item["contract"]["error"] for item in report["items"]}
    assert "SystemExit" in errors["ex"] and "RuntimeError" in errors["ga"]
    result.stdout.fnmatch_lines(
        ["  stable api ex: compat failing -> *SystemExit*", "  stable api ga: compat failing -> *"]
    )
    # An object's repr is shown without its address, which would change from run to run.
    assert "0x" not in result.stdout.str() + json.dumps(errors)
    assert "Traceback" not in result.stdout.str()


def test_enforce_on_the_command_line_is_case_insensitive(project):
    project.module(categories=("functional",))
    result, report = project.run("--neuron-enforce=WARN")
    assert result.ret == 0
    assert report["enforce"] == "warn"
