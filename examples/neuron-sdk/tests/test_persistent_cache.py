"""A Beta feature: a bare marker names the item after this module (persistent_cache)."""

import pytest

from neuron_sdk import PersistentCache

pytestmark = pytest.mark.neuron_beta


def test_second_compile_is_a_hit(tmp_path):
    cache = PersistentCache(tmp_path)
    calls = []
    for _ in range(2):
        cache.get_or_compile({"op": "add"}, lambda p: calls.append(p) or "artifact")
    assert (cache.hits, cache.misses, len(calls)) == (1, 1, 1)


def test_survives_a_new_process(tmp_path):
    PersistentCache(tmp_path).get_or_compile([1, 2], lambda p: "neff")
    assert PersistentCache(tmp_path).get_or_compile([1, 2], lambda p: "recompiled") == "neff"
