"""The catalogue of what a run says of its measurements against a baseline: each message's exact
wording, asserted here once.

Each case writes the metric baseline or history a previous run would have left, then runs pytest
once on the project as it is now; its lines must appear whole, exactly as written below. Other
tests record for real and check the metric checks' states, numbers and environments.
"""

from __future__ import annotations

import json

import catalogue
import pytest

#: The metric baseline recorded on trn1: llama measured 12 ms and top1 0.9, a beta model 12 ms.
METRICS = {
    "schema": "pytest-neuron-classification-metrics/2",
    "environments": {
        "instance=trn1": {
            "llama[workload=inference]": {
                "test_llama.py::test_latency": {"latency_p90": {"value": 12.0, "unit": "ms", "better": "lower"}},
                "test_llama.py::test_accuracy": {"top1": {"value": 0.9, "unit": "", "better": "higher"}},
                "test_llama.py::test_old": {"latency": {"value": 12.0, "unit": "ms", "better": "lower"}},
            },
            "qwen[workload=inference]": {
                "test_qwen.py::test_latency": {"latency_p90": {"value": 12.0, "unit": "ms", "better": "lower"}}
            },
            "gpt2[workload=inference]": {
                "test_gpt2.py::test_latency": {"latency_p90": {"value": 12.0, "unit": "ms", "better": "lower"}},
                "test_gpt2.py::test_tokens": {"tokens": {"value": 7.0, "unit": "", "better": "higher"}},
            },
            "phi[workload=inference]": {
                "test_phi.py::test_latency": {
                    "latency": {
                        "value": 10.0,
                        "unit": "ms",
                        "better": "lower",
                        "spread": 0.2,
                        "rounds": 7,
                        "samples": [9.8, 9.9, 10.0, 10.0, 10.1, 10.2, 10.3],
                        "window": [{"value": 10.0, "spread": 0.2}] * 5,
                    }
                }
            },
        },
        "instance=inf2": {
            "bert[workload=inference]": {
                "test_bert.py::test_latency": {"latency_p90": {"value": 12.0, "unit": "ms", "better": "lower"}}
            }
        },
    },
}


def timing(value: float, spread: float, samples: list[float], runs: list[float] | None = None) -> dict[str, object]:
    """A baseline entry of a latency in ms measured as samples, with its window of runs (one: none)."""
    entry = {"value": value, "unit": "ms", "better": "lower", "spread": spread, "rounds": len(samples)}
    window = [{"value": v, "spread": spread} for v in runs or ()]
    return {**entry, "samples": samples, **({"window": window} if window else {})}


#: Baselines of five models on trn1: one run (young), one taken during a spike, a window too noisy
#: for its tolerance, a window whose runs differ, and a single number at the edge of a float's range.
WINDOWS = {
    "schema": "pytest-neuron-classification-metrics/2",
    "environments": {
        "instance=trn1": {
            f"{name}[workload=inference]": {f"test_{name}.py::test_latency": {"latency": entry}}
            for name, entry in (
                ("young", timing(10.0, 0.2, [9.8, 9.9, 10.0, 10.1, 10.2])),
                ("spiked", timing(40.0, 0.2, [39.8, 39.9, 40.0, 40.1, 40.2])),
                ("noisy", timing(361.0, 200.0, [200.0, 250.0, 361.0, 450.0, 560.0], [361.0] * 5)),
                ("drifting", timing(1.19, 0.01, [1.17, 1.18, 1.19, 1.2, 1.21], [1.0, 1.19, 1.3, 1.19, 1.1, 1.25])),
                ("edge", {"value": 10.0, "unit": "ms", "better": "lower"}),
            )
        }
    },
}


def measured(name: str, level: str, **metrics: str) -> str:
    """A model class's tests, each recording one metric: ``test name="metric value unit better"``."""
    lines = ["import pytest", f"pytestmark = pytest.mark.neuron_{level}({name!r}, kind='model', workload='inference')"]
    for test, spec in metrics.items():
        metric, value, unit, better = spec.split(" ")
        category = "accuracy" if better == "higher" else "performance"
        lines += [f"@pytest.mark.neuron_{category}", f"def test_{test}(neuron_metric):"]
        lines.append(f"    neuron_metric({metric!r}, {value}, {unit.strip('-')!r}, better={better!r})")
    return "\n".join(lines) + "\n"


Case = catalogue.Case


CATALOGUE = {
    "metric baselines": Case(
        files={
            "test_llama.py": measured(
                "llama", "stable", latency="latency_p90 17.2 ms lower", accuracy="top1 0.999 - higher"
            ),
            "test_gpt2.py": measured("gpt2", "beta", latency="latency_p90 30 ms lower") + "def test_tokens(): pass\n",
            "test_bert.py": measured("bert", "stable", latency="latency_p90 12 ms lower"),
            "test_phi.py": measured("phi", "stable", latency="latency [12,12.1,11.9,12.2,12,12.3,11.8] ms lower"),
            "test_qwen.py": measured("qwen", "stable", latency="latency_p90 0.012 s lower", tokens="tokens 5 - higher"),
            "neuron-metrics.json": json.dumps(METRICS),
        },
        args=("--neuron-env", "instance=trn1"),
        lines=(
            "metric baselines: 2 not comparable, 3 regressed, 1 missing, 1 improved, 1 new; 0 within tolerance",
            "  stable model qwen (inference): latency_p90 12 ms is not comparable with the baseline 12 ms: the unit "
            "changed; refresh the baseline with --neuron-update-metrics",
            "  stable model qwen (inference): tokens 5 is new on instance=trn1: record it with --neuron-update-metrics",
            "  stable model bert (inference): latency_p90 12 ms is not comparable on instance=trn1: the baseline has "
            "it only on instance=inf2; record this environment with --neuron-update-metrics",
            "  beta model gpt2 (inference): latency_p90 regressed 12 -> 30 ms (+150%, tolerance 10%) on instance=trn1 "
            "(reported, not failing at this level)",
            "  beta model gpt2 (inference): tokens missing: the baseline has 7 on instance=trn1 but this run did not "
            "record it",
            "  stable model llama (inference): top1 improved 0.9 -> 0.999 (+11%): refresh the baseline with "
            "--neuron-update-metrics",
            "  stable model llama (inference): performance failing -> latency_p90 regressed 12 -> 17.2 ms (+43%, "
            "tolerance 10%) on instance=trn1",
            "  stable model phi (inference): performance failing -> latency regressed 10 -> 12 ms (+20%, tolerance "
            "10%, 5 runs, spread within a run ±0.227 ms) on instance=trn1",
            "note: baseline entry test_llama.py::test_old latency: no such test any more",
        ),
        ret=1,
    ),
    "metric baselines judged against a window of runs": Case(
        files={
            "test_young.py": measured("young", "stable", latency="latency [16,16.1,15.9,16.2,15.8] ms lower"),
            "test_spiked.py": measured("spiked", "stable", latency="latency [10,10.1,9.9,10.2,9.8] ms lower"),
            "test_noisy.py": measured("noisy", "stable", latency="latency [365,366,364,367,363] ms lower"),
            "test_drifting.py": measured("drifting", "stable", latency="latency [1.27,1.28,1.26,1.29,1.25] ms lower"),
            "test_edge.py": measured("edge", "stable", latency="latency 1e308 ms lower"),
            "neuron-metrics.json": json.dumps(WINDOWS),
        },
        args=("--neuron-env", "instance=trn1"),
        lines=(
            "metric baselines: 3 within the noise, 1 regressed, 1 improved; 0 within tolerance",
            "  stable model drifting (inference): latency 1.27 ms vs 1.19 ms (+6.7%, 6 runs, spread between runs "
            "±0.38 ms): within the noise; baseline band ±32% is wider than the tolerance 10%: record it again on a "
            "quieter host, or keep more runs",
            "  stable model edge (inference): latency regressed 10 -> 1e+308 ms (more than +1e6%, tolerance 10%) on "
            "instance=trn1",
            "  stable model noisy (inference): latency 365 ms vs 361 ms (+1.1%, 5 runs, spread within a run ±268 ms): "
            "within the noise; baseline band ±74% is wider than the tolerance 10%: record it again on a quieter "
            "host, or keep more runs",
            "  stable model spiked (inference): latency improved beyond the noise 40 -> 10 ms (-75%, tolerance 10%, 1 "
            "run, spread within a run ±0.268 ms): the baseline may have been recorded on a slow host; update it with "
            "--neuron-update-metrics",
            "  stable model young (inference): latency 16 ms vs 10 ms (+60%, 1 run, spread within a run ±0.268 ms): "
            "within the noise; baseline of 1 run: changes under +120% are not judged yet; record more runs with "
            "--neuron-update-metrics",
        ),
        ret=1,
    ),
    "metric history": Case(
        files={
            "test_llama.py": measured("llama", "stable", latency="latency 12 ms lower", accuracy="top1 0.9 - higher"),
            "h.jsonl": "".join(
                json.dumps(
                    {
                        "time": f"2026-01-0{day}T00:00:00+00:00",
                        "commit": None,
                        "env": "instance=trn1",
                        "metrics": {"llama[workload=inference]": {"test_llama.py::test_latency": {"latency": value}}},
                    }
                )
                + "\n"
                for day, value in ((1, 11.0), (2, 13.0))
            ),
        },
        args=("--neuron-env", "instance=trn1", "--neuron-history=h.jsonl"),
        lines=(
            "metric baselines: 2 new; 0 within tolerance",
            "  stable model llama (inference): latency 12 ms is new on instance=trn1: judged once the history has 3 "
            "runs of it in this environment",
            "trends (oldest to newest):",
            "  llama[workload=inference] latency ▁█▅ 12 ms",
        ),
        ret=0,
        config='baseline-from = "history"\nbaseline-runs = 3\n',
    ),
    "a timing in one unit everywhere": Case(
        files={"test_timed.py": measured("timed", "stable", latency="median [0.00025,0.000251,0.000249] s lower")},
        args=("--neuron-history=h.jsonl",),
        lines=(
            "  model    timed (inference)  accuracy missing, performance met (median 250 us (IQR 1 us, 3 samples))",
            "trends (oldest to newest):",
            "  timed[workload=inference] median ▄ 250 us",
        ),
        ret=1,
    ),
    "pytest-benchmark that measured nothing": Case(
        files={
            f"test_{name}.py": f"import pytest\npytestmark = pytest.mark.neuron_stable({name!r}, kind='package')\n"
            "def test_unit(): pass\n@pytest.mark.neuron_integration\ndef test_integration(): pass\n"
            f"def test_speed(benchmark):\n    {call}\n"
            for name, call in (("runtime", "benchmark(sum, range(10))"), ("loader", "pass"))
        },
        args=(
            "-p",
            "benchmark",
            "--benchmark-max-time=0.002",
            "--benchmark-warmup=off",
            "-W",
            "ignore:Benchmark fixture",
        ),
        lines=(
            "  stable package loader: performance unmeasured -> test_loader.py::test_speed passed but measured "
            "nothing: record it with neuron_metric(name, value, unit, min=..., max=...) or time it with the benchmark "
            "fixture; the test asks for the benchmark fixture but never calls it",
            "neuron-classification: FAILED under enforce=error: 1 gap breaks a promise (first: stable package loader: "
            "performance unmeasured)",
        ),
        ret=1,
        needs="pytest_benchmark",
    ),
}


@pytest.mark.parametrize("case", CATALOGUE.values(), ids=CATALOGUE.keys())
def test_the_plugin_says_it_in_these_words(project, case):
    catalogue.check(project, case)


#: A Stable package whose standard suite passes and whose performance test is a pytest-benchmark one.
BENCHMARKED = {
    "test_runtime.py": "import pytest\npytestmark = pytest.mark.neuron_stable('runtime', kind='package')\n"
    "def test_unit(): pass\n@pytest.mark.neuron_integration\ndef test_integration(): pass\n"
    "def test_speed(benchmark):\n    benchmark(sum, range(10))\n"
}

#: What a run says of a benchmark that pytest-benchmark did not time in it, by how it was off.
BENCHMARK_OFF = {
    "--benchmark-disable": "  stable package runtime: performance not-run -> test_runtime.py::test_speed was not timed; "
    "pytest-benchmark was disabled (--benchmark-disable): run performance tests without it",
    "--benchmark-skip": "  stable package runtime: performance not-run -> test_runtime.py::test_speed was not timed; "
    "pytest-benchmark skipped it (--benchmark-skip): run performance tests without it",
    "-n": "  stable package runtime: performance not-run -> test_runtime.py::test_speed was not timed; pytest-benchmark "
    "does not time under xdist: run performance tests with -p no:xdist or in their own job",
}


@pytest.mark.parametrize("off", BENCHMARK_OFF)
def test_a_benchmark_pytest_benchmark_did_not_time_is_said_in_these_words(project, monkeypatch, off):
    pytest.importorskip("pytest_benchmark")
    project.config("")
    project.write(BENCHMARKED)
    if off == "-n":  # xdist starts workers: a process of its own
        pytest.importorskip("xdist")
        result = project.pytester.runpytest_subprocess("-n", "2")
    else:
        result = project.pytester.runpytest("-p", "benchmark", off)
    expected = (BENCHMARK_OFF[off], "neuron-classification: 1 of 2 obligations met, 1 not run in this selection")
    missing = [line for line in expected if not catalogue.said(line, result.stdout.lines, str(project.path))]
    assert not missing, result.stdout.str()
    assert result.ret == pytest.ExitCode.OK
