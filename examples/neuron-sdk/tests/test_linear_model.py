"""One model class, two items: Beta for training, Stable for inference."""

import os
import time

import pytest

from neuron_sdk import LinearModel

XS = [0.0, 1.0, 2.0, 3.0, 4.0]
YS = [1.0, 3.0, 5.0, 7.0, 9.0]  # y = 2x + 1
COUPLING = {"kind": "model", "framework": "pytorch-neuronx", "library": "neuronx-distributed"}


@pytest.mark.neuron_beta("linear", workload="training", **COUPLING)
@pytest.mark.neuron_convergence
def test_training_converges(neuron_metric):
    history = LinearModel().fit(XS, YS)
    assert history[0] > 1e-4
    neuron_metric("final_loss", history[-1], max=1e-4, better="lower")


@pytest.mark.neuron_stable("linear", workload="inference", **COUPLING)
@pytest.mark.neuron_accuracy
def test_inference_accuracy(neuron_metric):
    model = LinearModel(weight=2.0, bias=1.0)
    errors = [abs(p - (2 * x + 1)) for p, x in zip(model.predict(XS), XS)]
    neuron_metric("max_abs_error", max(errors), max=1e-9, better="lower")


@pytest.mark.neuron_stable("linear", workload="inference", **COUPLING)
@pytest.mark.neuron_performance
@pytest.mark.skipif(not os.environ.get("NEURON_HARDWARE"), reason="latency is measured on Neuron hardware only")
def test_inference_latency(neuron_metric):
    model = LinearModel(weight=2.0, bias=1.0)
    timings = []
    for _ in range(20):
        start = time.perf_counter()
        model.predict([float(i) for i in range(1_000)])
        timings.append((time.perf_counter() - start) * 1000)
    neuron_metric("latency_p90", sorted(timings)[17], "ms", max=5, better="lower")
