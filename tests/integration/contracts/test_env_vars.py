"""Environment variables are APIs too (docs/how-to/contracts.md).

The ``env-modules`` scan finds the variables an SDK reads without importing it: names spelled as
constants or placeholder-free f-strings. A Stable variable no longer read fails unless a valid notice
covers it, and a file that no longer parses leaves its variables unjudged rather than "no longer read".
"""

from __future__ import annotations

import datetime
import json

import pytest

from pytest_neuron_classification.surface.envvars import scan_env_files

SDK = """
import os
from os import getenv as ge, environ

def cores():
    return os.environ.get("NEURON_RT_VISIBLE_CORES", "0")

def cache_dir():
    return ge("NEURON_CC_CACHE", "/tmp")

def debug():
    return "NEURON_DEBUG" in environ
"""
ENV_TESTS = """
import pytest
@pytest.mark.neuron_{level}("NEURON_RT_VISIBLE_CORES", kind="api")
def test_cores(): pass
@pytest.mark.neuron_stable("NEURON_CC_CACHE", kind="api")
def test_cache(): pass
@pytest.mark.neuron_stable("NEURON_DEBUG", kind="api")
def test_debug(): pass
"""


def env_project(project, level: str = "stable", notices: str = "") -> None:
    inventory = (
        f'[[tool.neuron-classification.items]]\nname = "NEURON_RT_VISIBLE_CORES"\nkind = "api"\nlevel = "{level}"\n'
        'target = "env:NEURON_RT_VISIBLE_CORES"\n'
    )
    project.config('env-modules = ["sdk"]\n' + inventory + notices)
    (project.path / "sdk").mkdir(exist_ok=True)
    (project.path / "sdk" / "__init__.py").write_text("")
    (project.path / "sdk" / "runtime.py").write_text(SDK)
    project.pytester.makepyfile(test_env=ENV_TESTS.format(level=level))
    project.pytester.syspathinsert()


def test_environment_variables_are_found_without_importing_and_recorded(project):
    env_project(project)
    (project.path / "sdk" / "__init__.py").write_text("raise RuntimeError('never imported')\n")
    result, report = project.run("--neuron-update-contracts")
    contracts = json.loads((project.path / "neuron-contracts.json").read_text())["contracts"]
    assert contracts["NEURON_CC_CACHE"] == {
        "read_by": ["sdk/runtime.py:9"],
        "target": "env:NEURON_CC_CACHE",
        "type": "env",
    }
    assert contracts["NEURON_RT_VISIBLE_CORES"]["read_by"] == ["sdk/runtime.py:6"]
    assert contracts["NEURON_DEBUG"]["read_by"] == ["sdk/runtime.py:12"]
    declared = {i["name"]: i["declared"] for i in report["items"]}
    assert declared == {
        "NEURON_RT_VISIBLE_CORES": "inventory",
        "NEURON_CC_CACHE": "unlisted",
        "NEURON_DEBUG": "unlisted",
    }
    result, report = project.run()
    assert result.ret == 0
    assert all(s == {"basic": "met", "compat": "met"} for s in report.statuses.values())


def test_a_stable_variable_no_longer_read_fails(project):
    env_project(project)
    project.pytester.runpytest("--neuron-update-contracts")
    (project.path / "sdk" / "runtime.py").write_text(
        SDK.replace('"NEURON_RT_VISIBLE_CORES", "0"', '"NEURON_CORES", "0"')
    )
    result, report = project.run()
    assert result.ret == 1
    assert report.statuses["NEURON_RT_VISIBLE_CORES"]["compat"] == "failing"
    contract = {i["name"]: i["contract"] for i in report["items"]}["NEURON_RT_VISIBLE_CORES"]
    assert (contract["state"], [c["breaking"] for c in contract["changes"]]) == ("broken", [True])
    result.stdout.fnmatch_lines(["    breaking: NEURON_RT_VISIBLE_CORES *sdk"])


def test_an_unlisted_variable_that_vanished_is_judged_and_a_valid_notice_covers_it(project):
    announced = datetime.date.today() - datetime.timedelta(days=62)
    effective = datetime.date.today() - datetime.timedelta(days=1)
    notice = f'[[tool.neuron-classification.notices]]\nitem = "NEURON_CC_CACHE"\nannounced = {announced}\neffective = {effective}\n'
    env_project(project)
    project.pytester.runpytest("--neuron-update-contracts")
    (project.path / "sdk" / "runtime.py").write_text(SDK.replace('ge("NEURON_CC_CACHE", "/tmp")', '"/tmp"'))
    project.pytester.makepyfile(
        test_env=ENV_TESTS.format(level="stable").replace(
            '@pytest.mark.neuron_stable("NEURON_CC_CACHE", kind="api")\ndef test_cache(): pass\n', ""
        )
    )
    result, report = project.run()
    assert result.ret == 1
    assert report.statuses["NEURON_CC_CACHE"] == {"compat": "failing"}
    result.stdout.fnmatch_lines(["  api *NEURON_CC_CACHE (*)*compat failing"])
    env_project(project, notices=notice)
    (project.path / "sdk" / "runtime.py").write_text(SDK.replace('ge("NEURON_CC_CACHE", "/tmp")', '"/tmp"'))
    project.pytester.makepyfile(
        test_env=ENV_TESTS.format(level="stable").replace(
            '@pytest.mark.neuron_stable("NEURON_CC_CACHE", kind="api")\ndef test_cache(): pass\n', ""
        )
    )
    result, report = project.run()
    assert result.ret == 0, result.stdout.str()
    assert report.statuses["NEURON_CC_CACHE"] == {"compat": "met"}
    result.stdout.fnmatch_lines([f"    notice: *{announced}*{effective}"])


def test_a_beta_variable_no_longer_read_is_reported_not_failed(project):
    env_project(project, level="beta")
    project.pytester.runpytest("--neuron-update-contracts")
    (project.path / "sdk" / "runtime.py").write_text(
        SDK.replace('"NEURON_RT_VISIBLE_CORES", "0"', '"NEURON_CORES", "0"')
    )
    result, report = project.run("-k", "cores")
    assert report.statuses["NEURON_RT_VISIBLE_CORES"] == {"basic": "met"}
    contract = {i["name"]: i["contract"] for i in report["items"]}["NEURON_RT_VISIBLE_CORES"]
    assert contract["state"] == "changed"
    result.stdout.fnmatch_lines(["  beta api NEURON_RT_VISIBLE_CORES (env:NEURON_RT_VISIBLE_CORES): changed*"])


def test_an_env_target_the_scan_cannot_see_gets_a_note(project):
    project.config(
        'env-modules = ["sdk"]\n[[tool.neuron-classification.items]]\nname = "NEURON_DYNAMIC"\nkind = "api"\n'
        'level = "beta"\ntarget = "env:NEURON_DYNAMIC"\n'
    )
    project.pytester.mkpydir("sdk")
    (project.path / "sdk" / "runtime.py").write_text("import os\ndef f(k): return os.environ.get('NEURON_' + k)\n")
    project.pytester.syspathinsert()
    project.pytester.makepyfile(
        test_env="import pytest\n@pytest.mark.neuron_beta('NEURON_DYNAMIC', kind='api')\ndef test_d(): pass\n"
    )
    result, report = project.run()
    assert result.ret == 0
    assert [n for n in report["notes"] if n.startswith("NEURON_DYNAMIC: ") and " sdk " in n], report["notes"]


def test_a_file_the_scan_cannot_parse_is_skipped_with_a_note(project):
    env_project(project)
    (project.path / "sdk" / "broken.py").write_text("def (:\n")
    result, report = project.run()
    assert [n for n in report["notes"] if "sdk/broken.py" in n and "SyntaxError" in n], report["notes"]
    assert result.ret == 1  # no contracts recorded yet: the compat obligations are missing


SCANNED_SDK = """
import os
NAME = "NEURON_RT_VISIBLE_CORES"

def cores():
    return os.environ.get(NAME, "0")

def cache_dir():
    return os.environ.get(f"NEURON_CC_CACHE")
"""


SCANNED_TESTS = """
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
    (project.path / "sdk" / "runtime.py").write_text(SCANNED_SDK)
    project.pytester.makepyfile(test_env=SCANNED_TESTS)
    project.pytester.syspathinsert()
    return project.pytester


def test_constants_and_placeholder_free_fstrings_are_reads(sdk):
    reads, notes, _ = scan_env_files(["sdk"], sdk.path)
    assert reads == {"NEURON_CC_CACHE": ["sdk/runtime.py:9"], "NEURON_RT_VISIBLE_CORES": ["sdk/runtime.py:6"]}
    assert notes == []


def test_a_file_that_no_longer_parses_leaves_its_variables_unjudged(sdk, project):
    assert sdk.runpytest("--neuron-update-contracts").ret == 0
    (sdk.path / "sdk" / "runtime.py").write_text(SCANNED_SDK + "\ndef broken(:\n")
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
