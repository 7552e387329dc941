"""neuron_sdk.trace is a Stable API (the inventory says so): basic and compatibility tests."""

import inspect

import pytest

from neuron_sdk import trace

pytestmark = pytest.mark.neuron_stable("neuron_sdk.trace")


def double(xs):
    return [2 * x for x in xs]


def test_trace_then_call():
    traced = trace(double, [[1.0, 2.0]])
    assert traced([3.0, 4.0]) == [6.0, 8.0]


def test_wrong_shape_is_refused():
    with pytest.raises(ValueError, match="input shapes"):
        trace(double, [[1.0]])([1.0, 2.0])


@pytest.mark.neuron_compat
def test_signature_is_backward_compatible():
    params = inspect.signature(trace).parameters
    assert list(params)[:2] == ["fn", "example_inputs"]
    assert params["optimize"].kind is inspect.Parameter.KEYWORD_ONLY
