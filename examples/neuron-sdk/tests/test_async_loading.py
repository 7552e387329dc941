"""A Stable feature declared only here (not in the inventory), with too little evidence:
it has no integration test and no performance test, so it breaks its Stable promise."""

import pytest

from neuron_sdk import PersistentCache

pytestmark = pytest.mark.neuron_stable("async_loading", kind="feature")


def test_loads_from_cache(tmp_path):
    cache = PersistentCache(tmp_path)
    assert cache.get_or_compile("model", lambda p: {"weights": [1, 2]}) == {"weights": [1, 2]}
