"""The pluggy hooks other plugins and conftest.py files implement (hooks.py)."""

from __future__ import annotations

import gc
import json
from fnmatch import fnmatch

import pytest
from sample_projects import EVERY_CATEGORY, SECURITY_CONFTEST


def test_a_team_requires_security_tests_for_stable_packages(pytester, project):
    pytester.makeconftest(SECURITY_CONFTEST)
    project.module(categories=EVERY_CATEGORY)
    result, report = project.run()
    assert report.statuses == {"runtime": {"standard": "met", "performance": "met", "security": "missing"}}
    result.stdout.fnmatch_lines(["  stable package runtime: security missing -> *neuron_security*fuzzer"])
    assert result.ret == 1
    project.module(
        categories=EVERY_CATEGORY, extra="def test_fuzz(fuzzer): pass\n@pytest.fixture\ndef fuzzer(): return 1\n"
    )
    result, report = project.run()
    assert report.statuses["runtime"]["security"] == "met"
    assert {"kind": "package", "level": "stable", "obligations": ["standard", "performance", "security"]} in report[
        "policy"
    ]["obligations"]
    assert result.ret == 0


def test_obligations_can_be_removed(pytester, project):
    pytester.makeconftest(
        """
        def pytest_neuron_obligations(kind, level, obligations):
            if (kind, level) == ("package", "stable"):
                obligations.remove("performance")
        """
    )
    project.module(categories=("functional", "integration"))
    _, report = project.run()
    assert report.statuses == {"runtime": {"standard": "met"}}


def test_test_categories_hook_classifies_a_perf_folder(pytester, project):
    pytester.makeconftest(
        """
        def pytest_neuron_test_categories(item, categories):
            if "perf" in item.path.parts:
                return ["performance"]
        """
    )
    project.module(categories=("functional", "integration"))
    # One unmarked test: only the hook makes it a performance test.
    project.module(
        file="perf/test_runtime_speed",
        categories=(),
        extra="def test_speed(neuron_metric):\n    neuron_metric('throughput', 1.0)\n",
    )
    result, report = project.run()
    assert report.statuses == {"runtime": {"standard": "met", "performance": "met"}}
    assert {t["nodeid"]: t["categories"] for t in report["tests"]}["perf/test_runtime_speed.py::test_speed"] == [
        "performance"
    ]
    assert result.ret == 0


def test_audit_hook_receives_the_report_and_can_fail_the_run(pytester, project):
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
    result, report = project.run("--neuron-enforce=warn")
    posted = project.read("posted.json")
    assert posted["items"][0]["name"] == "flag"
    assert report["vetoes"] == ["release branches may not ship Alpha items"]
    result.stdout.fnmatch_lines(
        [
            "*pytest_neuron_audit*: release branches may not ship Alpha items",
            "neuron-classification: FAILED: release branches may not ship Alpha items (*pytest_neuron_audit*)",
        ]
    )
    assert result.ret == 1


def test_audit_hook_returning_none_changes_nothing(pytester, project):
    pytester.makeconftest(
        """
        def pytest_neuron_audit(report):
            with open("audited.txt", "a") as f:
                f.write(",".join(i["name"] for i in report["items"]) + "\\n")
            return None
        """
    )
    pytester.makepyfile(test_flag="import pytest\npytestmark = pytest.mark.neuron_alpha\ndef test_a(): pass")
    result, report = project.run()
    # The hook ran exactly once, on this run's audit; a run it was never called in would pass too.
    assert (pytester.path / "audited.txt").read_text() == "flag\n"
    assert report["vetoes"] == []
    assert result.ret == 0


@pytest.mark.parametrize("enabled", [True, False])
def test_the_run_is_judged_with_the_cyclic_collector_paused(pytester, project, enabled):
    # Judging builds a record per test: on a large run a full collection then walks every report
    # pytest kept. The collector is paused while judging and resumed after, unless the user paused it.
    pytester.makeconftest(
        f"""
        import gc
        def pytest_sessionstart():
            gc.enable() if {enabled} else gc.disable()
        def note(text):
            with open("states.txt", "a") as f:
                f.write(text)
        def pytest_neuron_audit(report):
            note(f"judging {{gc.isenabled()}} ")
        def pytest_terminal_summary():
            note(f"summary {{gc.isenabled()}}")
        """
    )
    pytester.makepyfile(test_flag="import pytest\npytestmark = pytest.mark.neuron_alpha\ndef test_a(): pass")
    try:
        result, _ = project.run()
    finally:
        gc.enable()
    assert (pytester.path / "states.txt").read_text() == f"judging False summary {enabled}"
    assert result.ret == 0


@pytest.mark.parametrize("enabled", [True, False])
def test_the_inventory_and_the_classification_are_read_with_the_cyclic_collector_paused(pytester, project, enabled):
    # A large inventory parses into tens of thousands of short-lived objects, and classifying makes a
    # shape per test: either would bring the next full collection forward. pytest_neuron_categories
    # is asked while the configuration is read, pytest_neuron_test_categories while tests are classified.
    pytester.makeconftest(
        f"""
        import gc
        def pytest_configure():
            gc.enable() if {enabled} else gc.disable()
        def note(text):
            with open("states.txt", "a") as f:
                f.write(text)
        def pytest_neuron_categories(config):
            note(f"configuring {{gc.isenabled()}} ")
        def pytest_neuron_test_categories(item, categories):
            note(f"classifying {{gc.isenabled()}} ")
        def pytest_runtest_setup(item):
            note(f"running {{gc.isenabled()}}")
        """
    )
    pytester.makepyfile(test_flag="import pytest\npytestmark = pytest.mark.neuron_alpha\ndef test_a(): pass")
    try:
        result, _ = project.run()
    finally:
        gc.enable()
    assert (pytester.path / "states.txt").read_text() == f"configuring False classifying False running {enabled}"
    assert result.ret == 0


def test_what_only_classifying_needs_is_dropped_before_the_tests_run(pytester, project):
    # Per-module and per-test caches held through the run made every full collection of the cyclic
    # collector walk them again (on a 20,000-item inventory, 92,000 tracked objects of the plugin's 145,000);
    # so did a named tuple per classified test, where a plain tuple of strings leaves the collector's sight.
    pytester.makeconftest(
        """
        import gc
        def pytest_runtest_setup(item):
            classifier = item.config.pluginmanager.get_plugin("neuron_classification_classifier")
            held = {name: len(getattr(classifier, name)) for name in ("_resolved", "_parents", "_shapes")}
            held["categories"] = len(classifier._test_categories.cached)
            gc.collect()
            tracked = [gc.is_tracked(row) for row in classifier.records.values()]
            with open("held.txt", "w") as f:
                f.write(f"{held} {len(classifier.records)} tracked {tracked}")
        """
    )
    pytester.makepyfile(
        test_flag="import pytest\npytestmark = pytest.mark.neuron_alpha\ndef test_a(): pass\ndef test_b(): pass"
    )
    result, report = project.run()
    held = "{'_resolved': 0, '_parents': 0, '_shapes': 0, 'categories': 0} 2 tracked [False, False]"
    assert (pytester.path / "held.txt").read_text() == held
    assert [t["outcome"] for t in report["tests"]] == ["passed", "passed"]
    assert result.ret == 0


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


def test_an_audit_hook_that_raises_fails_the_run_and_its_reports_are_still_written(pytester, project):
    # The project's hook is the project's code: its exception is one line, never a traceback, and the
    # audit it was asked about still reaches the JSON and Markdown reports, with the reason the run failed.
    pytester.makeconftest("def pytest_neuron_audit(report, config):\n    raise ValueError('audit boom')\n")
    pytester.makepyfile(test_flag="import pytest\npytestmark = pytest.mark.neuron_alpha\ndef test_a(): pass")
    result, report = project.run("--neuron-markdown=r.md")
    said = "pytest_neuron_audit raised ValueError: audit boom (in conftest.py:2); fix the hook"
    result.stdout.fnmatch_lines([f"ERROR: neuron-classification: {said}"])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()
    assert said in report["errors"] and report["passed"] is False
    assert [t["outcome"] for t in report["tests"]] == ["passed"]
    assert said in (pytester.path / "r.md").read_text()
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_the_roles_let_go_of_their_data_at_unconfigure(pytester, project):
    # pluggy keeps every plugin it registered to the end of the process: a role that kept its data (a
    # large inventory's items, the audit) would have every later full collection walk it, and the exit's.
    class Watcher:
        def __init__(self):
            self.roles = []

        def pytest_plugin_registered(self, plugin, plugin_name):
            if str(plugin_name).startswith("neuron_classification_"):
                self.roles.append(plugin)

    pytester.makepyfile(test_flag="import pytest\npytestmark = pytest.mark.neuron_alpha\ndef test_a(): pass")
    watcher = Watcher()
    result = pytester.runpytest(f"--neuron-json={pytester.path / 'r.json'}", plugins=[watcher])
    assert result.ret == 0
    names = sorted(type(role).__name__ for role in watcher.roles)
    assert {"Classifier", "Controller", "ReportLog"} <= set(names)
    assert {type(role).__name__: vars(role) for role in watcher.roles if vars(role)} == {}
    result.stdout.fnmatch_lines(["neuron-classification: all 1 obligations met"])  # said before it let go
