"""The pluggy hooks other plugins and conftest.py files implement (hooks.py)."""

from __future__ import annotations

import json

import pytest

from helpers import run_json, statuses

SECURITY_CONFTEST = """
import pytest

def pytest_neuron_categories(config):
    return {"security": ["neuron_security", "fuzzer"]}

def pytest_neuron_obligations(kind, level, obligations, config):
    if kind == "package" and level == "stable":
        obligations.append("security")

def pytest_configure(config):
    config.addinivalue_line("markers", "neuron_security: a security test")
"""

PACKAGE = """
import pytest
pytestmark = pytest.mark.neuron_stable("runtime", kind="package")
def test_unit(): pass
@pytest.mark.neuron_integration
def test_integration(): pass
@pytest.mark.neuron_performance
def test_perf(): pass
"""


def test_a_team_requires_security_tests_for_stable_packages(pytester):
    pytester.makeconftest(SECURITY_CONFTEST)
    pytester.makepyfile(test_runtime=PACKAGE)
    result, report = run_json(pytester)
    assert statuses(report) == {"runtime": {"standard": "met", "performance": "met", "security": "missing"}}
    result.stdout.fnmatch_lines(
        [
            "  stable package runtime: security missing -> add a passing test marked @pytest.mark.neuron_security or one that uses fuzzer"
        ]
    )
    assert result.ret == 1
    pytester.makepyfile(
        test_runtime=PACKAGE + "\ndef test_fuzz(fuzzer): pass\n@pytest.fixture\ndef fuzzer(): return 1\n"
    )
    result, report = run_json(pytester)
    assert statuses(report)["runtime"]["security"] == "met"
    assert {"kind": "package", "level": "stable", "obligations": ["standard", "performance", "security"]} in report[
        "policy"
    ]["obligations"]
    assert result.ret == 0


def test_obligations_can_be_removed(pytester):
    pytester.makeconftest(
        """
        def pytest_neuron_obligations(kind, level, obligations):
            if (kind, level) == ("package", "stable"):
                obligations.remove("performance")
        """
    )
    pytester.makepyfile(test_runtime=PACKAGE.replace("@pytest.mark.neuron_performance\ndef test_perf(): pass", ""))
    _, report = run_json(pytester)
    assert statuses(report) == {"runtime": {"standard": "met"}}


def test_unknown_obligation_from_a_hook_is_a_usage_error(pytester):
    pytester.makeconftest(
        """
        def pytest_neuron_obligations(kind, level, obligations):
            obligations.append("securty")
        """
    )
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: neuron-classification: unknown obligation 'securty' for * (a new category must be declared *"]
    )


def test_test_categories_hook_classifies_a_perf_folder(pytester):
    pytester.makeconftest(
        """
        def pytest_neuron_test_categories(item, categories):
            if "perf" in item.path.parts:
                return ["performance"]
        """
    )
    pytester.makepyfile(test_runtime=PACKAGE.replace("@pytest.mark.neuron_performance\ndef test_perf(): pass", ""))
    perf = pytester.mkdir("perf")
    (perf / "test_runtime_speed.py").write_text(
        'import pytest\npytestmark = pytest.mark.neuron_stable("runtime", kind="package")\ndef test_speed(): pass\n'
    )
    result, report = run_json(pytester)
    assert statuses(report) == {"runtime": {"standard": "met", "performance": "met"}}
    assert {t["nodeid"]: t["categories"] for t in report["tests"]}["perf/test_runtime_speed.py::test_speed"] == [
        "performance"
    ]
    assert result.ret == 0


def test_test_categories_hook_with_an_unknown_category(pytester):
    pytester.makeconftest("def pytest_neuron_test_categories(item, categories):\n    return ['speed']")
    pytester.makepyfile(test_runtime=PACKAGE)
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(
        [
            "  test_runtime.py::test_unit: pytest_neuron_test_categories returned [[]'speed']; use categories from functional, *"
        ]
    )
    assert result.ret == 1


def test_audit_hook_receives_the_report_and_can_fail_the_run(pytester):
    pytester.makeconftest(
        """
        import json
        def pytest_neuron_audit(report, config):
            with open("posted.json", "w") as f:
                json.dump(report, f)
            if any(i["level"] == "alpha" for i in report["items"]):
                return "release branches may not ship Alpha items"
        """
    )
    pytester.makepyfile(test_flag="import pytest\npytestmark = pytest.mark.neuron_alpha\ndef test_a(): pass")
    result, report = run_json(pytester, "--neuron-enforce=warn")
    posted = json.loads((pytester.path / "posted.json").read_text())
    assert posted["items"][0]["name"] == "flag"
    assert report["vetoes"] == ["release branches may not ship Alpha items"]
    result.stdout.fnmatch_lines(
        [
            "failed by a pytest_neuron_audit hook: release branches may not ship Alpha items",
            "neuron-classification: FAILED: release branches may not ship Alpha items (from a pytest_neuron_audit hook)",
        ]
    )
    assert result.ret == 1


def test_audit_hook_returning_none_changes_nothing(pytester):
    pytester.makeconftest("def pytest_neuron_audit(report):\n    return None")
    pytester.makepyfile(test_flag="import pytest\npytestmark = pytest.mark.neuron_alpha\ndef test_a(): pass")
    assert pytester.runpytest().ret == 0


def test_hooks_under_xdist(pytester):
    pytest.importorskip("xdist")
    pytester.makeconftest(
        SECURITY_CONFTEST
        + """
def pytest_neuron_test_categories(item, categories):
    if item.name == "test_unit":
        return ["functional", "security"]
"""
    )
    pytester.makepyfile(test_runtime=PACKAGE)
    path = pytester.path / "r.json"
    result = pytester.runpytest_subprocess("-n", "2", f"--neuron-json={path}")
    report = json.loads(path.read_text())
    assert statuses(report) == {"runtime": {"standard": "met", "performance": "met", "security": "met"}}
    assert result.ret == 0
