"""neuron-runtime is a Stable package: it owes standard testing and tested performance."""

import time

import pytest

from neuron_sdk import Runtime

pytestmark = pytest.mark.neuron_stable("neuron-runtime", kind="package")

PROGRAM = [("mul", 2.0), ("add", 1.0)]


def test_execute():
    assert Runtime().execute(PROGRAM, 3.0) == 7.0


def test_needs_a_core():
    with pytest.raises(ValueError):
        Runtime(cores=())


@pytest.mark.neuron_integration
def test_runtime_runs_a_traced_program(tmp_path):
    from neuron_sdk import PersistentCache

    cache = PersistentCache(tmp_path)
    program = cache.get_or_compile({"ops": PROGRAM}, lambda p: p["ops"])
    assert Runtime(cores=[0, 1]).execute_batch([tuple(op) for op in program], [0.0, 1.0]) == [1.0, 3.0]


@pytest.mark.neuron_performance
def test_throughput(neuron_metric):
    runtime = Runtime()
    batch = [float(i) for i in range(10_000)]
    start = time.perf_counter()
    runtime.execute_batch(PROGRAM, batch)
    elapsed = time.perf_counter() - start
    # The measurement is the evidence: a Stable package's performance is tested, not assumed.
    neuron_metric("throughput", round(len(batch) / elapsed, -3), "samples/s", min=10_000, better="higher")
