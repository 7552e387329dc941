"""Classification under pytest-xdist: aliases, globs and conflicts give the serial audit."""

from __future__ import annotations

import pytest
from sample_projects import LLAMA, MODEL_INVENTORY, REGISTER


def test_under_xdist_an_alias_classifies_a_model_and_names_a_conflict_as_serially(pytester, project):
    pytest.importorskip("xdist")
    project.config(MODEL_INVENTORY.split("\n", 1)[1])
    pytester.makeconftest(REGISTER)
    pytester.makepyfile(
        test_models="""
        import pytest
        C = dict(framework="pytorch-neuronx", library="nxd", workload="training")
        @pytest.mark.neuron_accuracy
        @pytest.mark.parametrize("m", [
            pytest.param(1, marks=pytest.mark.flagship_model("llama", **C)),
            pytest.param(2, marks=pytest.mark.neuron_beta("same")),
            pytest.param(3, marks=pytest.mark.experimental("same")),
        ])
        def test_param(m, neuron_metric): neuron_metric("top1", 0.9)
        """
    )
    serial, serial_report = project.run_subprocess("-p", "no:cacheprovider", report="s.json")
    parallel, parallel_report = project.run_subprocess("-p", "no:cacheprovider", "-n", "2", report="p.json")
    assert parallel_report.audit == serial_report.audit
    assert parallel_report["environment"] == "workers=2" and serial_report["environment"] == "default"
    assert serial_report.statuses[LLAMA] == {"accuracy": "met"}
    message = "*test_param[[]3]: *'same'*beta in test_models.py::test_param[[]2]*experimental*"
    serial.stdout.fnmatch_lines([message])
    parallel.stdout.fnmatch_lines([message])
    assert serial.ret == parallel.ret == 1


def test_benchmark_fixture_makes_a_performance_test(pytester, project):
    pytester.makepyfile(
        test_rt="""
        import pytest
        pytestmark = pytest.mark.neuron_stable("rt", kind="package")
        def test_f(): pass
        @pytest.mark.neuron_integration
        def test_i(): pass
        def test_speed(benchmark):
            benchmark(sum, range(10))
        """
    )
    result, report = project.run("-p", "benchmark", "--benchmark-disable")
    # A performance test, but a disabled benchmark times nothing (docs/how-to/metrics.md): not run here.
    assert report.statuses == {"rt": {"standard": "met", "performance": "not-run"}}
    assert {t["nodeid"]: t["categories"] for t in report["tests"]}["test_rt.py::test_speed"] == ["performance"]
    assert result.ret == 0
