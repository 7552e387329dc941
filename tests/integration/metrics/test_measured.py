"""Measured evidence: a performance or accuracy promise is kept by a number, not by a pass."""

from __future__ import annotations

from metric_projects import MEASURED, PRINT_ONLY, stable_package


def test_a_print_only_performance_test_is_unmeasured(project):
    stable_package(project, PRINT_ONLY)
    result, report = project.run()
    assert result.ret == 1
    assert report.statuses == {"runtime": {"standard": "met", "performance": "unmeasured"}}
    result.stdout.fnmatch_lines(
        [
            "  package  runtime  standard met, performance unmeasured",
            "  stable package runtime: performance unmeasured -> test_runtime.py::test_speed *neuron_metric*benchmark*",
            "neuron-classification: FAILED*runtime: performance unmeasured*",
        ]
    )


def test_a_metric_within_bounds_is_met_and_in_every_report(project):
    stable_package(project, MEASURED)
    result, report = project.run("--neuron-markdown=neuron.md", "--junitxml=junit.xml")
    assert result.ret == 0
    assert report.statuses == {"runtime": {"standard": "met", "performance": "met"}}
    result.stdout.fnmatch_lines(
        ["  package  runtime  standard met, performance met (throughput 1520 samples/s >= 1400)"]
    )
    speed = next(t for t in report["tests"] if t["nodeid"].endswith("test_speed"))
    assert speed["metrics"] == [
        {
            "name": "throughput",
            "value": 1520.0,
            "unit": "samples/s",
            "min": 1400.0,
            "max": None,
            "source": "neuron_metric",
            "better": None,
        }
    ]
    assert report["schema"] == "pytest-neuron-classification/3"
    markdown = (project.path / "neuron.md").read_text()
    assert "performance met (throughput 1520 samples/s >= 1400)" in markdown
    assert "| test_runtime.py::test_speed | throughput | 1520 samples/s | >= 1400 | neuron_metric |" in markdown
    assert (
        'name="neuron_metric" value="{&quot;better&quot;: null, &quot;max&quot;: null'
        in (project.path / "junit.xml").read_text()
    )


def test_a_violated_bound_fails_the_test_in_one_line(project):
    stable_package(
        project,
        """
@pytest.mark.neuron_performance
def test_speed(neuron_metric):
    neuron_metric("latency_p90", 17.2, "ms", max=15)
""",
    )
    result, report = project.run()
    assert result.ret == 1
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*_ test_speed _*", "latency_p90 = 17.2 ms*max 15 ms", "*= neuron classification =*"])
    assert "Traceback" not in result.stdout.str()
    assert report.statuses["runtime"]["performance"] == "failing"
    # The number that failed is in the report too.
    assert [m["value"] for t in report["tests"] for m in t["metrics"]] == [17.2]


def test_several_metrics_and_a_lower_bound(project):
    stable_package(
        project,
        """
@pytest.mark.neuron_performance
def test_speed(neuron_metric):
    neuron_metric("latency_p50", 4.0, "ms", min=1, max=5)
    neuron_metric("throughput", 900, "samples/s", min=1400)
""",
    )
    result, report = project.run()
    result.stdout.fnmatch_lines(["*_ test_speed _*", "throughput = 900 samples/s*min 1400 samples/s"])
    assert [m["name"] for t in report["tests"] for m in t["metrics"]] == ["latency_p50", "throughput"]


def test_measured_empty_restores_pass_means_met(project):
    project.config("measured = []\n")
    stable_package(project, PRINT_ONLY)
    result, report = project.run()
    assert result.ret == 0
    assert report.statuses["runtime"]["performance"] == "met"
    assert report["policy"]["measured"] == []


def test_measured_may_name_another_category(project):
    project.config('measured = ["integration"]\n')
    stable_package(project, PRINT_ONLY)
    _result, report = project.run()
    assert report.statuses["runtime"] == {"standard": "unmeasured", "performance": "met"}


def test_a_beta_model_accuracy_test_without_a_metric_is_unmeasured(project):
    project.module(
        "llama",
        level="beta",
        kind="model",
        categories=(),
        framework="pytorch-neuronx",
        library="neuronx-distributed",
        workload="training",
        extra="@pytest.mark.neuron_convergence\ndef test_loss_goes_down(): assert 0.5 < 1\n",
    )
    result, report = project.run()
    assert result.ret == 1
    assert list(report.statuses.values()) == [{"accuracy": "unmeasured"}]


def test_collect_only_cannot_see_measurements_and_does_not_ask(project):
    """A static audit neither asks for a measurement (not "unmeasured") nor claims one ("met")."""
    stable_package(project, PRINT_ONLY)
    _result, report = project.run("--collect-only")
    assert report.statuses["runtime"]["performance"] == "not-run"


def test_an_unmeasured_gap_can_be_waived(project):
    project.config(
        '[[tool.neuron-classification.waivers]]\nitem = "runtime"\nobligation = "performance"\n'
        'reason = "no hardware runner"\nowner = "release-eng"\nexpires = 2999-01-01\n'
    )
    stable_package(project, PRINT_ONLY)
    result, report = project.run()
    assert result.ret == 0
    assert report.statuses["runtime"]["performance"] == "waived"


def test_a_measurement_that_broke_its_bound_is_not_evidence_even_if_the_test_passed(project):
    project.module(
        "llama",
        level="beta",
        kind="model",
        categories=(),
        workload="inference",
        extra="@pytest.mark.neuron_accuracy\ndef test_acc(neuron_metric):\n"
        "    for value in (0.42, 0.95):  # a retry loop that swallows the first failure\n"
        "        try:\n            neuron_metric('top1', value, min=0.9)\n            break\n"
        "        except pytest.fail.Exception:\n            continue\n",
    )
    result, report = project.run()
    assert result.ret == 1
    assert report.statuses == {"llama[workload=inference]": {"accuracy": "failing"}}
    result.stdout.fnmatch_lines(["*accuracy failing -> top1 = 0.42*0.9*test_llama.py::test_acc*"])


def test_numbers_from_numeric_libraries_are_accepted(project):
    project.module(
        extra="class F32:\n    def __float__(self): return 2.5\n"
        "@pytest.mark.neuron_performance\ndef test_speed(neuron_metric):\n    neuron_metric('top1', F32())\n"
    )
    _result, report = project.run()
    assert report.statuses["runtime"]["performance"] == "met"
