"""One model class, two items: Beta for training, Stable for inference."""

import os

import pytest

from neuron_sdk import LinearModel

XS = [0.0, 1.0, 2.0, 3.0, 4.0]
YS = [1.0, 3.0, 5.0, 7.0, 9.0]  # y = 2x + 1
COUPLING = {"kind": "model", "framework": "pytorch-neuronx", "library": "neuronx-distributed"}


@pytest.mark.neuron_beta("linear", workload="training", **COUPLING)
@pytest.mark.neuron_convergence
def test_training_converges():
    history = LinearModel().fit(XS, YS)
    assert history[-1] < 1e-4 < history[0]


@pytest.mark.neuron_stable("linear", workload="inference", **COUPLING)
@pytest.mark.neuron_accuracy
def test_inference_accuracy():
    model = LinearModel(weight=2.0, bias=1.0)
    assert model.predict([10.0]) == [21.0]


@pytest.mark.neuron_stable("linear", workload="inference", **COUPLING)
@pytest.mark.neuron_performance
@pytest.mark.skipif(not os.environ.get("NEURON_HARDWARE"), reason="latency is measured on Neuron hardware only")
def test_inference_latency():
    model = LinearModel(weight=2.0, bias=1.0)
    assert len(model.predict([float(i) for i in range(100_000)])) == 100_000
