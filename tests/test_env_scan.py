"""Environment variables read by ``env-modules``: what the scan sees, and what it cannot.

A file that does not parse says nothing about its variables: they keep their recorded reads and
obligations, unjudged, rather than being reported "no longer read". Names spelled as f-strings
without placeholders, or through a module-level string constant, are reads like literals.
"""

from __future__ import annotations

import json

import pytest

from pytest_neuron_classification.surface.envvars import scan_env_files

SDK = """
import os
NAME = "NEURON_RT_VISIBLE_CORES"

def cores():
    return os.environ.get(NAME, "0")

def cache_dir():
    return os.environ.get(f"NEURON_CC_CACHE")
"""
TESTS = """
import pytest
@pytest.mark.neuron_stable("NEURON_RT_VISIBLE_CORES", kind="api")
def test_cores(): pass
@pytest.mark.neuron_stable("NEURON_CC_CACHE", kind="api")
def test_cache(): pass
"""


@pytest.fixture
def sdk(project) -> pytest.Pytester:
    project.config('env-modules = ["sdk"]\n')
    (project.path / "sdk").mkdir()
    (project.path / "sdk" / "__init__.py").write_text("")
    (project.path / "sdk" / "runtime.py").write_text(SDK)
    project.pytester.makepyfile(test_env=TESTS)
    project.pytester.syspathinsert()
    return project.pytester


def test_constants_and_placeholder_free_fstrings_are_reads(sdk):
    reads, notes, _ = scan_env_files(["sdk"], sdk.path)
    assert reads == {"NEURON_CC_CACHE": ["sdk/runtime.py:9"], "NEURON_RT_VISIBLE_CORES": ["sdk/runtime.py:6"]}
    assert notes == []


def test_a_name_assigned_twice_or_built_at_run_time_is_not_guessed(tmp_path, monkeypatch):
    (tmp_path / "mod2.py").write_text(
        "import os\nNAME = 'A'\nNAME = 'B'\nx = 1\nos.getenv(NAME)\nos.getenv(f'X_{x}')\nos.getenv(f'C{\"D\"}')\n"
    )
    monkeypatch.syspath_prepend(tmp_path)
    reads, _, _ = scan_env_files(["mod2"], tmp_path)
    assert reads == {}


def test_a_file_that_no_longer_parses_leaves_its_variables_unjudged(sdk, project):
    assert sdk.runpytest("--neuron-update-contracts").ret == 0
    (sdk.path / "sdk" / "runtime.py").write_text(SDK + "\ndef broken(:\n")
    result, report = project.run()
    assert report.statuses == {
        "NEURON_CC_CACHE": {"basic": "met", "compat": "met"},
        "NEURON_RT_VISIBLE_CORES": {"basic": "met", "compat": "met"},
    }
    assert [i["contract"]["changes"] for i in report["items"]] == [[], []]
    result.stdout.fnmatch_lines(
        ["note: *sdk/runtime.py*SyntaxError*", "note: *NEURON_CC_CACHE, NEURON_RT_VISIBLE_CORES*"]
    )
    assert result.ret == 0
    recorded = json.loads((sdk.path / "neuron-contracts.json").read_text())["contracts"]
    assert recorded["NEURON_CC_CACHE"]["read_by"] == ["sdk/runtime.py:9"]
