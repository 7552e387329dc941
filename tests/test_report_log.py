"""Outcomes come from the reports pytest's terminal reporter keeps, or from a listener without it.

The controller reads every test report once, at the end, from pytest's own terminal
reporter. Without it (``-p no:terminal``), or when a plugin replaced it, the reports are
folded as they are logged: the audit must be the same either way, serially and under xdist.
"""

from __future__ import annotations

import pytest

SUITE = """
    import pytest
    pytestmark = pytest.mark.neuron_stable("runtime", kind="package")

    @pytest.fixture
    def broken_teardown():
        yield
        raise RuntimeError("teardown")

    @pytest.fixture
    def skipping_teardown():
        yield
        pytest.skip("no device to release")

    @pytest.fixture
    def late_metric(neuron_metric):
        yield
        neuron_metric("unload_time", 0.5, "s")

    def test_pass(): pass
    def test_fail(): assert False
    @pytest.mark.skip(reason="no hardware")
    def test_skip(): pass
    @pytest.mark.xfail(reason="known")
    def test_xfail(): assert False
    def test_fail_and_teardown(broken_teardown): assert False
    def test_pass_then_teardown_error(broken_teardown): pass
    def test_pass_then_teardown_skip(skipping_teardown): pass
    @pytest.mark.neuron_performance
    def test_metrics(neuron_metric, late_metric): neuron_metric("load_time", 0.25, "s", max=1)
"""

OUTCOMES = {
    "test_runtime.py::test_pass": "passed",
    "test_runtime.py::test_fail": "failed",
    "test_runtime.py::test_skip": "skipped",
    "test_runtime.py::test_xfail": "xfailed",
    "test_runtime.py::test_fail_and_teardown": "failed",
    "test_runtime.py::test_pass_then_teardown_error": "error",
    "test_runtime.py::test_pass_then_teardown_skip": "skipped",
    "test_runtime.py::test_metrics": "passed",
}

#: A terminal reporter that keeps no report: a plugin's replacement that the controller must not trust.
FORGETFUL = """
    import pytest

    class Forgetful(pytest.TerminalReporter):
        def _add_stats(self, category, items):
            pass

    @pytest.hookimpl(trylast=True)
    def pytest_configure(config):
        own = config.pluginmanager.get_plugin("terminalreporter")
        config.pluginmanager.unregister(own)
        config.pluginmanager.register(Forgetful(config), "terminalreporter")
"""


def _outcomes(report) -> dict[str, str]:
    return {t["nodeid"]: t["outcome"] for t in report["tests"]}


def _metrics(report) -> list[str]:
    return sorted(m["name"] for t in report["tests"] for m in t["metrics"])


@pytest.fixture
def suite(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_runtime=SUITE)


def test_outcomes_come_from_the_kept_reports(project, suite):
    result, report = project.run("-p", "no:randomly")
    assert _outcomes(report) == OUTCOMES
    assert _metrics(report) == ["load_time", "unload_time"]
    # pytest counts the call of test_pass_then_teardown_skip as passed and its teardown as skipped.
    result.assert_outcomes(passed=4, failed=2, skipped=2, xfailed=1, errors=2)


@pytest.mark.parametrize("setup", ["-p no:terminal", "a replaced terminal reporter"])
def test_outcomes_are_the_same_without_pytests_terminal_reporter(pytester, project, suite, setup):
    kept, kept_report = project.run("-p", "no:randomly", report="kept.json")
    if setup == "-p no:terminal":
        args: tuple[str, ...] = ("-p", "no:terminal")
    else:
        pytester.makeconftest(FORGETFUL)
        args = ()
    listened, listened_report = project.run("-p", "no:randomly", *args, report="listened.json")
    assert _outcomes(listened_report) == _outcomes(kept_report) == OUTCOMES
    assert listened_report["tests"] == kept_report["tests"]
    assert listened_report["items"] == kept_report["items"]
    assert listened.ret == kept.ret == pytest.ExitCode.TESTS_FAILED


def test_outcomes_and_metrics_are_the_same_under_xdist(project, suite):
    pytest.importorskip("xdist")
    _, serial = project.run_subprocess("-p", "no:randomly", "-p", "no:cacheprovider", report="serial.json")
    _, parallel = project.run_subprocess("-p", "no:randomly", "-p", "no:cacheprovider", "-n", "2", report="n2.json")
    # Each phase's report crosses from the worker on its own: the teardown's carries both metrics.
    assert _metrics(parallel) == _metrics(serial) == ["load_time", "unload_time"]
    assert parallel["tests"] == serial["tests"]
    assert _outcomes(parallel) == OUTCOMES
