"""Environment variables (one Beta, one unlisted and so Stable) and a compiler flag (Alpha) are APIs too."""

import pytest

from neuron_sdk import PersistentCache, parse_compiler_flags, visible_cores


@pytest.mark.neuron_beta("NEURON_RT_VISIBLE_CORES")
@pytest.mark.parametrize(("value", "cores"), [("0-3", [0, 1, 2, 3]), ("1,3", [1, 3]), ("2", [2])])
def test_visible_cores(value, cores):
    assert visible_cores({"NEURON_RT_VISIBLE_CORES": value}) == cores


@pytest.mark.neuron_alpha("--auto-cast")
def test_auto_cast_flag():
    assert parse_compiler_flags("--auto-cast=matmult -O2") == {"auto-cast": "matmult", "optlevel": "2"}
    with pytest.raises(ValueError):
        parse_compiler_flags("--auto-cast=everything")


@pytest.mark.neuron_stable("NEURON_CC_CACHE_DIR", kind="api")
def test_cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("NEURON_CC_CACHE_DIR", str(tmp_path / "cache"))
    assert PersistentCache.default().directory == tmp_path / "cache"
