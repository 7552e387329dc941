"""Under pytest-xdist the audit must equal the serial run's, test for test.

These run pytest in a subprocess: xdist starts real worker processes.
"""

from __future__ import annotations

import pytest

pytest.importorskip("xdist")

#: Every run starts from the same state: no .pytest_cache is carried from one run to the next.
NO_CACHE = ("-p", "no:cacheprovider")

INVENTORY = """
[[tool.neuron-classification.items]]
name = "runtime"
kind = "package"
since = "2.12.0"

[[tool.neuron-classification.items]]
name = "nxd"
kind = "package"
level = "beta"

[[tool.neuron-classification.items]]
name = "trace"
kind = "api"
"""

MODULES = {
    "test_runtime": """
        import pytest
        pytestmark = pytest.mark.neuron_stable("runtime")
        def test_unit(): pass
        @pytest.mark.neuron_integration
        def test_integration(): pass
        @pytest.mark.neuron_performance
        @pytest.mark.skip(reason="no hardware")
        def test_perf(): pass
    """,
    "test_trace": """
        import pytest
        pytestmark = pytest.mark.neuron_stable("trace")
        @pytest.mark.parametrize("n", range(6))
        def test_call(n): pass
        @pytest.mark.neuron_compat
        def test_compat(): assert False
    """,
    "test_flags": """
        import pytest
        @pytest.mark.neuron_alpha("--auto-cast", kind="api")
        def test_flag(): pass
        @pytest.mark.neuron_beta("VISIBLE_CORES", kind="api")
        def test_env(): pass
    """,
    "test_features": """
        import pytest
        @pytest.mark.neuron_alpha("prefetch")
        def test_prefetch(): pass
        @pytest.mark.neuron_beta("cache")
        @pytest.mark.xfail(reason="known bug")
        def test_cache(): assert False
        @pytest.mark.neuron_stable("loader")
        @pytest.mark.neuron_integration
        def test_loader(): pass
        @pytest.mark.neuron_stable("loader")
        @pytest.mark.neuron_performance
        def test_loader_speed(neuron_metric): neuron_metric("load_time", 0.25, "s", max=1)
        @pytest.mark.neuron_alpha("kernels", kind="package")
        def test_kernels(): pass
    """,
    "test_models": """
        import pytest
        C = dict(kind="model", framework="pt", library="nxd")
        @pytest.mark.neuron_beta("llama", workload="training", **C)
        @pytest.mark.neuron_convergence
        def test_train(neuron_metric): neuron_metric("final_loss", 0.01, max=0.1)
        @pytest.mark.neuron_stable("llama", workload="inference", **C)
        @pytest.mark.neuron_accuracy
        def test_acc(neuron_metric): neuron_metric("top1", 0.91, min=0.9)
        @pytest.mark.neuron_stable("llama", workload="inference", **C)
        @pytest.mark.neuron_performance
        def test_latency(): print("12 ms")  # measured nothing: unmeasured
        def test_plain(): pass
    """,
}


@pytest.fixture
def suite(pytester: pytest.Pytester, project) -> None:
    """Every kind and level, and every status, in one project."""
    project.config(INVENTORY)
    pytester.makepyfile(**MODULES)


def summary(result: pytest.RunResult) -> list[str]:
    lines = result.stdout.lines
    start = next(i for i, line in enumerate(lines) if "neuron classification" in line)
    end = next(i for i, line in enumerate(lines) if line.startswith("neuron-classification:"))
    return lines[start : end + 1]


@pytest.mark.parametrize("selection", [(), ("-k", "not perf and not compat and not call")])
def test_parallel_audit_equals_serial(project, suite, selection):
    serial, serial_report = project.run_subprocess(*NO_CACHE, *selection, report="serial.json")
    parallel, parallel_report = project.run_subprocess(*NO_CACHE, "-n", "2", *selection, report="parallel.json")
    assert parallel_report.audit == serial_report.audit
    assert parallel_report["environment"] == "workers=2" and serial_report["environment"] == "default"
    assert summary(parallel) == summary(serial)
    assert parallel.ret == serial.ret == 1
    assert {i["kind"] for i in serial_report["items"]} == {"api", "package", "feature", "model"}
    assert {i["level"] for i in serial_report["items"]} == {"alpha", "beta", "stable"}


def test_parallel_statuses_cover_every_status(project, suite):
    _, report = project.run_subprocess(*NO_CACHE, "-n", "2", "--deselect", "test_flags.py::test_env")
    assert report.statuses == {
        "runtime": {"standard": "met", "performance": "skipped"},
        "trace": {"basic": "failing", "compat": "failing"},
        "loader": {"standard": "missing", "performance": "met"},
        "llama[framework=pt,library=nxd,workload=inference]": {"accuracy": "met", "performance": "unmeasured"},
        "VISIBLE_CORES": {"basic": "not-run"},
        "cache": {"basic": "skipped"},
        "llama[framework=pt,library=nxd,workload=training]": {"accuracy": "met"},
        "nxd": {"basic": "missing"},
        "--auto-cast": {"basic": "met"},
        "kernels": {"basic": "met"},
        "prefetch": {"basic": "met"},
    }


def test_parallel_run_without_gaps_passes(pytester, project):
    pytester.makepyfile(
        test_ok="""
        import pytest
        pytestmark = pytest.mark.neuron_beta("cache")
        @pytest.mark.parametrize("n", range(10))
        def test_it(n): pass
        """
    )
    result, report = project.run_subprocess(*NO_CACHE, "-n", "2")
    assert result.ret == 0
    assert report.statuses == {"cache": {"basic": "met"}}
    assert len(report["tests"]) == 10
    assert report["passed"] is True


def test_crashed_worker_is_reported_not_invented(pytester, project):
    pytester.makepyfile(
        test_crash="""
        import os, pytest
        pytestmark = pytest.mark.neuron_beta("runtime", kind="package")
        def test_crash(): os._exit(1)
        """,
        test_other="""
        import pytest
        pytestmark = pytest.mark.neuron_alpha("flag", kind="api")
        @pytest.mark.parametrize("n", range(4))
        def test_it(n): pass
        """,
    )
    result, report = project.run_subprocess(*NO_CACHE, "-n", "2", "--max-worker-restart=1")
    assert report.statuses == {"runtime": {"basic": "failing"}, "flag": {"basic": "met"}}
    # The note names the worker that sent nothing.
    assert [note for note in report["notes"] if note.startswith("gw")], report["notes"]
    result.stdout.fnmatch_lines(["note: gw* *"])
    assert result.ret == 1


def test_one_crashed_worker_loses_no_evidence_when_another_sent_it(pytester, project):
    """Every worker classifies the whole suite and every outcome arrives on the reports: the evidence
    is complete. The crash is the test's failure (as pytest counts it), not a lost audit."""
    pytester.makepyfile(
        test_crash="""
        import os, pytest
        pytestmark = pytest.mark.neuron_beta("runtime", kind="package")
        def test_crash(): os._exit(1)
        def test_ok(): pass
        """,
        test_other="""
        import pytest
        pytestmark = pytest.mark.neuron_alpha("flag", kind="api")
        @pytest.mark.parametrize("n", range(4))
        def test_it(n): pass
        """,
    )
    result, report = project.run_subprocess(*NO_CACHE, "-n", "2")
    assert report["lost"] == [] and report["interrupted"] == ""
    assert report.outcomes["test_crash"] == "failed"  # pytest's "1 failed", not "error"
    result.assert_outcomes(passed=5, failed=1)
    assert report.statuses["runtime"] == {"basic": "failing"}
    result.stdout.fnmatch_lines(["neuron-classification: FAILED*runtime: basic failing*"])


def test_bad_config_is_one_line_under_xdist(pytester, project):
    project.config('enforce = "loud"\n')
    pytester.makepyfile(test_a="def test_a(): pass")
    result = pytester.runpytest_subprocess("-n", "2")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: neuron-classification: pyproject.toml: *enforce*'loud'*"])
    assert "INTERNALERROR" not in result.stderr.str() + result.stdout.str()


def test_bad_markers_are_one_line_under_xdist(pytester):
    pytester.makepyfile(
        test_a="""
        import pytest
        @pytest.mark.neuron_alpha("m", kind="model", workload="training")
        def test_alpha_model(): pass
        @pytest.mark.neuron_stable("x")
        @pytest.mark.neuron_beta("x")
        def test_two_levels(): pass
        def test_plain(): pass
        """
    )
    result = pytester.runpytest_subprocess("-n", "2")
    result.assert_outcomes(passed=1, errors=2)
    result.stdout.fnmatch_lines_random(
        [
            "  test_a.py::test_alpha_model: *Alpha*",
            "  test_a.py::test_two_levels: *'x'*stable*beta*",
        ]
    )
    assert "INTERNALERROR" not in result.stdout.str()
    assert result.ret == 1


def test_junit_properties_under_xdist(pytester):
    pytester.makepyfile(
        test_llama="""
        import pytest
        @pytest.mark.neuron_stable("llama", kind="model", workload="inference")
        @pytest.mark.neuron_accuracy
        def test_acc(): pass
        def test_plain(): pass
        """
    )
    result = pytester.runpytest_subprocess("-n", "2", "--junitxml=junit.xml")
    xml = (pytester.path / "junit.xml").read_text()
    assert '<property name="neuron_item" value="llama[workload=inference]" />' in xml
    assert '<property name="neuron_level" value="stable" />' in xml
    assert '<property name="neuron_kind" value="model" />' in xml
    assert '<property name="neuron_categories" value="accuracy" />' in xml
    assert xml.count("<properties>") == 1  # the unclassified test carries none
    assert result.ret == 1


def test_xdist_reports_still_give_each_tests_place(pytester):
    """The controller's outcome log files each outcome by ``report.item_index``, the test's place in
    its worker's collection. xdist sets that attribute without documenting it; without it the log
    falls back to node ids (still correct, but a dict of every test on a large suite), so this test
    fails loudly when an xdist release stops sending it."""
    pytester.makeconftest(
        """
        import pytest

        def pytest_runtest_logreport(report):
            if report.when == "call" and hasattr(report, "worker_id"):
                with open("places.txt", "a") as f:
                    f.write(f"{report.nodeid} {getattr(report, 'item_index', None)!r}\\n")
        """
    )
    pytester.makepyfile(test_places="def test_a(): pass\ndef test_b(): pass\ndef test_c(): pass\n")
    result = pytester.runpytest_subprocess("-n", "2", *NO_CACHE)
    assert result.ret == 0
    places = dict(line.split() for line in (pytester.path / "places.txt").read_text().splitlines())
    assert sorted(places) == [f"test_places.py::test_{n}" for n in "abc"]
    assert all(place.isdigit() for place in places.values()), places


def test_a_run_whose_only_worker_died_does_not_pass(project):
    pytest.importorskip("xdist")
    project.module("runtime", level="beta", extra="import os\ndef test_crash(): os._exit(1)\n")
    result, report = project.run_subprocess("-n", "1", "--max-worker-restart", "0", "-p", "no:randomly")
    assert report["passed"] is False
    assert report["lost"] and report["lost"][0].startswith("gw0")
    result.stdout.fnmatch_lines(["neuron-classification: FAILED: *gw0*"])
    assert result.ret != 0


def test_a_lost_worker_under_warn_is_said_but_does_not_fail(project):
    pytest.importorskip("xdist")
    project.module("runtime", level="beta", categories=(), extra="import os\ndef test_crash(): os._exit(1)\n")
    result, report = project.run_subprocess(
        "-n", "1", "--max-worker-restart", "0", "-p", "no:randomly", "--neuron-enforce=warn"
    )
    assert report["passed"] is False
    assert report["lost"] and report["lost"][0].startswith("gw0")
    result.stdout.fnmatch_lines(["neuron-classification: *gw0*(enforce=warn)"])


BENCHMARKED = """
import pytest
pytestmark = pytest.mark.neuron_stable("runtime", kind="package")
def test_unit(): pass
@pytest.mark.neuron_integration
def test_integration(): pass
def test_speed(benchmark):
    benchmark(sum, range(10))
"""


def test_a_benchmark_under_xdist_is_not_run_and_every_test_passing_passes_the_run(project):
    """pytest-benchmark does not time on xdist workers: the daily ``-n 2`` run is not failed for it."""
    pytest.importorskip("pytest_benchmark")
    project.config("")
    project.pytester.makepyfile(test_runtime=BENCHMARKED)
    result, report = project.run_subprocess("-n", "2", *NO_CACHE)
    assert result.ret == 0, result.stdout.str()
    result.assert_outcomes(passed=3)
    assert report.statuses["runtime"] == {"standard": "met", "performance": "not-run"}
    (speed,) = [t for t in report["tests"] if t["nodeid"].endswith("test_speed")]
    assert speed["untimed"] == "xdist"
    result.stdout.fnmatch_lines(
        ["  stable package runtime: performance not-run -> test_runtime.py::test_speed *xdist*"]
    )


def test_tests_a_conftest_removes_on_the_workers_are_named_in_the_hints(project):
    project.config('[[tool.neuron-classification.items]]\nname = "runtime"\nkind = "package"\n')
    project.pytester.makepyfile(
        test_runtime=BENCHMARKED.replace("def test_speed(benchmark):\n    benchmark(sum, range(10))\n", "")
    )
    project.pytester.makeconftest(
        "def pytest_collection_modifyitems(items):\n    items[:] = [i for i in items if 'integration' not in i.name]\n"
    )
    serial, serial_report = project.run_subprocess("-p", "no:xdist", *NO_CACHE, report="s.json")
    dist, dist_report = project.run_subprocess("-n", "2", *NO_CACHE, report="d.json")
    assert serial.ret == dist.ret == 1  # performance is missing: the package has no performance test
    assert serial_report["items"] == dist_report["items"]
    (standard,) = [o for o in dist_report["items"][0]["obligations"] if o["name"] == "standard"]
    assert standard["status"] == "not-run" and "conftest.py" in standard["hint"]
