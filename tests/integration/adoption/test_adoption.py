"""Adopting gradually: waivers, a gap baseline, enforcement per level, unlisted APIs as Stable."""

from __future__ import annotations

import datetime
import json
from unittest.mock import ANY

import pytest

TODAY = datetime.date.today()
LATER = TODAY + datetime.timedelta(days=60)
EARLIER = TODAY - datetime.timedelta(days=1)

#: A Stable package whose standard suite is complete and whose performance test is missing.
STANDARD = ("functional", "integration")
#: The same package with its performance test.
COMPLETE = (*STANDARD, "performance")


def waiver(expires: datetime.date, item: str = "runtime", obligation: str = "performance", extra: str = "") -> str:
    return (
        f'[[tool.neuron-classification.waivers]]\nitem = "{item}"\nobligation = "{obligation}"\n'
        f'reason = "no Trainium runner until Q1"\nowner = "release-eng"\nlink = "https://example.invalid/JIRA-1"\n'
        f"expires = {expires}\n{extra}"
    )


def test_active_waiver_tolerates_the_gap(project):
    project.config(waiver(LATER))
    project.module(categories=STANDARD)
    result, report = project.run()
    assert report.statuses == {"runtime": {"standard": "met", "performance": "waived"}}
    assert report["summary"]["statuses"] == {"met": 1, "waived": 1}
    result.stdout.fnmatch_lines(
        [f"  stable package runtime: performance waived -> *{LATER}*release-eng*https://example.invalid/JIRA-1*"]
    )
    assert report["waivers"][0]["owner"] == "release-eng"
    assert result.ret == 0


def test_expired_waiver_fails_naming_item_owner_and_date(project):
    project.config(waiver(EARLIER))
    project.module(categories=STANDARD)
    result, report = project.run()
    assert report.statuses["runtime"]["performance"] == "missing"
    result.stdout.fnmatch_lines([f"  stable package runtime: performance missing -> *release-eng*{EARLIER}*"])
    assert result.ret == 1


def test_stale_waiver_is_reported(project):
    project.config(waiver(LATER, obligation="standard"))
    project.module(categories=COMPLETE)
    result, report = project.run()
    assert report.statuses == {"runtime": {"standard": "met", "performance": "met"}}
    result.stdout.fnmatch_lines(["note: *runtime standard*release-eng*"])
    assert result.ret == 0


def test_baseline_ratchet(pytester, project):
    project.module(categories=STANDARD)
    result = pytester.runpytest("--neuron-baseline=neuron-baseline.json", "--neuron-update-baseline")
    assert result.ret == 0
    assert json.loads((pytester.path / "neuron-baseline.json").read_text()) == {
        "schema": "pytest-neuron-classification-baseline/1",
        "gaps": ["runtime :: performance"],
    }

    # The same gaps: tolerated.
    result, report = project.run("--neuron-baseline=neuron-baseline.json")
    assert report["items"][0]["obligations"][1] == {
        "name": "performance",
        "status": "missing",
        "tests": [],
        "hint": ANY,
        "baselined": True,
    }
    result.stdout.fnmatch_lines(["  stable package runtime: performance missing *baseline*"])
    assert result.ret == 0

    # A new gap: fails.
    pytester.makepyfile(
        test_cache="import pytest\npytestmark = pytest.mark.neuron_beta('cache', kind='api')\ndef test_c(): assert 0"
    )
    result, report = project.run("--neuron-baseline=neuron-baseline.json")
    assert report.statuses["cache"] == {"basic": "failing"}
    assert report["summary"]["failing_gaps"] == 1
    result.stdout.fnmatch_lines(["neuron-classification: FAILED*cache: basic failing*"])
    assert result.ret == 1

    # The recorded gap closes: passes, and says the baseline can shrink.
    project.module(categories=COMPLETE)
    pytester.makepyfile(
        test_cache="import pytest\npytestmark = pytest.mark.neuron_beta('cache', kind='api')\ndef test_c(): pass"
    )
    result, report = project.run("--neuron-baseline=neuron-baseline.json")
    assert report["baseline_closed"] == ["runtime :: performance"]
    result.stdout.fnmatch_lines(["baseline: *(runtime :: performance)*--neuron-update-baseline"])
    assert result.ret == 0


SUITE = """
import pytest
@pytest.mark.neuron_stable("rt", kind="package")
def test_rt(): pass
@pytest.mark.neuron_beta("cache")
def test_cache(): pytest.skip("no hardware")
@pytest.mark.neuron_alpha("flag", kind="api")
def test_flag(): pytest.skip("later")
"""


@pytest.mark.parametrize(
    ("table", "levels", "verdict"),
    [
        (
            '{ stable = "error", beta = "warn", alpha = "off" }',
            ("error", "warn", "off"),
            "FAILED (enforce: stable=error, beta=warn, alpha=off): 2 gaps *",
        ),
        (
            '{ stable = "warn", beta = "warn", alpha = "error" }',
            ("warn", "warn", "error"),
            "FAILED (enforce: stable=warn, beta=warn, alpha=error): 1 gap *alpha api flag: basic skipped*",
        ),
        (
            '{ stable = "warn", beta = "off" }',
            ("warn", "off", "error"),
            "FAILED (enforce: stable=warn, beta=off, alpha=error): 1 gap *",
        ),
        ('{ stable = "warn", beta = "warn", alpha = "warn" }', ("warn", "warn", "warn"), "4 gaps *(enforce=warn)"),
    ],
)
def test_enforcement_per_level(pytester, project, table, levels, verdict):
    project.config(f"enforce = {table}\n")
    pytester.makepyfile(test_suite=SUITE)
    result, report = project.run()
    result.stdout.fnmatch_lines([f"neuron-classification: {verdict}"])
    assert report["enforce_levels"] == dict(zip(("stable", "beta", "alpha"), levels))
    assert report["enforce"] == (levels[0] if len(set(levels)) == 1 else "per-level")
    assert result.ret == (1 if "error" in levels else 0)


def test_command_line_overrides_every_level(pytester, project):
    project.config('enforce = { stable = "error", beta = "error", alpha = "error" }\n')
    pytester.makepyfile(test_suite=SUITE)
    result, report = project.run("--neuron-enforce=warn")
    assert report["enforce"] == "warn"
    assert result.ret == 0
    result.stdout.fnmatch_lines(["neuron-classification: *(enforce=warn)"])


SDK = """
from typing import Any  # imported, not part of the API
import os

def trace(fn, example_inputs):
    return fn

def compile(model, *, flags=""):
    return model

class Runtime:
    def run(self, x):
        return x

def _helper():
    pass
"""


def test_unlisted_public_apis_are_stable(pytester, project):
    pytester.makepyprojecttoml(
        '[tool.pytest.ini_options]\npythonpath = ["."]\n[tool.neuron-classification]\napi-modules = ["mysdk"]\n'
        '[[tool.neuron-classification.items]]\nname = "mysdk.compile"\nkind = "api"\nlevel = "beta"\n'
    )
    pytester.makepyfile(
        mysdk=SDK,
        test_sdk="import pytest\n@pytest.mark.neuron_stable('mysdk.trace')\ndef test_trace(): pass\n"
        "@pytest.mark.neuron_beta('mysdk.compile')\ndef test_compile(): pass\n",
    )
    result, report = project.run()
    items = {i["name"]: (i["level"], i["declared"], i.get("target")) for i in report["items"]}
    assert items == {
        "mysdk.Runtime": ("stable", "unlisted", "mysdk:Runtime"),
        "mysdk.trace": ("stable", "unlisted", "mysdk:trace"),
        "mysdk.compile": ("beta", "inventory", "mysdk:compile"),  # its implied target
    }
    assert report.statuses["mysdk.trace"] == {"basic": "met", "compat": "missing"}
    assert report.statuses["mysdk.Runtime"] == {"basic": "missing", "compat": "missing"}
    result.stdout.fnmatch_lines(
        [
            "  api *mysdk.Runtime (unlisted*basic missing, compat missing",
            "  api *mysdk.trace (unlisted*basic met, compat missing",
        ]
    )
    assert result.ret == 1


def test_api_modules_with_all(pytester, project):
    pytester.makepyprojecttoml(
        '[tool.pytest.ini_options]\npythonpath = ["."]\n[tool.neuron-classification]\napi-modules = ["mysdk"]\n'
    )
    pytester.makepyfile(mysdk=SDK + '\n__all__ = ["trace"]\n', test_sdk="def test_nothing(): pass")
    pytester.runpytest("--neuron-update-contracts")
    _, report = project.run()
    assert report.statuses == {"mysdk.trace": {"basic": "missing", "compat": "met"}}


def test_updating_the_gap_baseline_on_a_partial_run_keeps_what_it_did_not_judge(project):
    project.module("runtime", categories=("functional",))
    project.pytester.makepyfile(
        test_cache="import pytest\npytestmark = pytest.mark.neuron_beta\ndef test_c(): assert 0\n"
    )
    project.pytester.runpytest("--neuron-baseline=b.json", "--neuron-update-baseline")
    assert json.loads((project.path / "b.json").read_text())["gaps"] == [
        "cache :: basic",
        "runtime :: performance",
        "runtime :: standard",
    ]
    # A -k run that does not reach the cache tests must not drop the cache gap.
    project.pytester.runpytest("--neuron-baseline=b.json", "--neuron-update-baseline", "-k", "runtime")
    assert json.loads((project.path / "b.json").read_text())["gaps"] == [
        "cache :: basic",
        "runtime :: performance",
        "runtime :: standard",
    ]
