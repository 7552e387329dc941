"""A Stable feature declared only here (not in the inventory), with too little evidence:
it has no integration test, and its performance test prints a number but records no
measurement, so it breaks its Stable promise."""

import time

import pytest

from neuron_sdk import PersistentCache

pytestmark = pytest.mark.neuron_stable("async_loading", kind="feature")


def test_loads_from_cache(tmp_path):
    cache = PersistentCache(tmp_path)
    assert cache.get_or_compile("model", lambda p: {"weights": [1, 2]}) == {"weights": [1, 2]}


@pytest.mark.neuron_performance
def test_load_time(tmp_path):
    cache = PersistentCache(tmp_path)
    start = time.perf_counter()
    cache.get_or_compile("model", lambda p: {"weights": [0] * 1000})
    print(f"load took {time.perf_counter() - start:.6f} s")  # printed, never measured
