"""``--neuron-scope=collected``: a job that runs part of the suite judges only what it collected.

Items no collected test covers are ``out-of-scope`` (listed once, never failing); ``merge`` of
the jobs' reports judges the whole inventory strictly.
"""

from __future__ import annotations

import sys
from fnmatch import fnmatch

import pytest

INVENTORY = "".join(
    f'\n[[tool.neuron-classification.items]]\nname = "{name}"\nkind = "package"\nlevel = "beta"\n'
    for name in ("rt", "nxd", "cc")
)


@pytest.fixture
def three(project):
    """An inventory of three Beta packages, of which only ``rt`` has a test in this project."""
    project.config(INVENTORY)
    project.module("rt", level="beta")


def test_default_scope_reports_uncovered_items_as_missing(project, three):
    result, report = project.run()
    assert result.ret == 1
    assert report["scope"] == "all"
    assert report.statuses == {"rt": {"basic": "met"}, "nxd": {"basic": "missing"}, "cc": {"basic": "missing"}}


def test_collected_scope_lists_uncovered_items_once_and_passes(project, three):
    result, report = project.run("--neuron-scope=collected")
    assert result.ret == 0
    result.stdout.fnmatch_lines(
        ["  package  rt  basic met", "out-of-scope: 2 *: cc, nxd", "neuron-classification: *[[]scope=collected: 2 *]"]
    )
    result.stdout.no_fnmatch_line("*gaps:*")
    result.stdout.no_fnmatch_line("*package  nxd*")
    assert report["scope"] == "collected"
    assert report["out_of_scope"] == ["cc", "nxd"]
    assert report["passed"] is True
    assert report.statuses == {
        "rt": {"basic": "met"},
        "nxd": {"basic": "out-of-scope"},
        "cc": {"basic": "out-of-scope"},
    }
    assert report["summary"]["statuses"] == {"met": 1, "out-of-scope": 2}


def test_collected_scope_judges_only_covered_items_for_graduation(project, three):
    result, report = project.run("--neuron-scope=collected", "--neuron-graduation", "--neuron-markdown=audit.md")
    assert [g["id"] for g in report["graduation"]] == ["rt"]
    result.stdout.fnmatch_lines(["graduation *", "  package rt (beta): *"])
    markdown = (project.path / "audit.md").read_text()
    assert "| beta | 1 | 1 of 1 | 0 |" in markdown
    assert [line for line in markdown.splitlines() if fnmatch(line, "_out-of-scope: 2 *: cc, nxd_")], markdown
    assert "[scope=collected: 2 " in markdown


def test_scope_value_is_case_insensitive(project, three):
    # An unknown value is a usage error (in the catalogue).
    result, report = project.run("--neuron-scope=Collected")
    assert result.ret == 0 and report["scope"] == "collected"


def test_covered_item_is_judged_only_on_the_obligations_its_tests_serve(project):
    project.config('[[tool.neuron-classification.items]]\nname = "rt"\nkind = "package"\n')
    project.module("rt", level="stable")  # functional only: integration and performance are another job's
    result, report = project.run("--neuron-scope=collected")
    assert result.ret == 0
    assert report.statuses == {"rt": {"standard": "out-of-scope", "performance": "out-of-scope"}}
    assert report["out_of_scope"] == []  # the item was judged, on what this job saw
    result.stdout.fnmatch_lines(
        [
            "  package  rt  standard out-of-scope, performance out-of-scope",
            "neuron-classification: *[[]scope=collected: 0 *2 *]",
        ]
    )
    # The whole suite (and merge) judges them.
    result, report = project.run()
    assert result.ret == 1
    assert report.statuses == {"rt": {"standard": "missing", "performance": "missing"}}


def test_a_seen_part_of_standard_still_fails(project):
    project.config('[[tool.neuron-classification.items]]\nname = "rt"\nkind = "package"\n')
    project.pytester.makepyfile(
        test_rt="import pytest\npytestmark = pytest.mark.neuron_stable('rt')\n"
        "@pytest.mark.skip(reason='no runner')\ndef test_unit(): pass\n"
    )
    result, report = project.run("--neuron-scope=collected")
    assert result.ret == 1
    assert report.statuses == {"rt": {"standard": "skipped", "performance": "out-of-scope"}}


def test_deselected_tests_count_as_collected(project, three):
    result, report = project.run("--neuron-scope=collected", "-k", "not unit")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED  # every test deselected
    assert report.statuses["rt"] == {"basic": "not-run"}
    assert report["out_of_scope"] == ["cc", "nxd"]


def test_waivers_and_baselines_of_out_of_scope_items_are_neither_stale_nor_closed(project, three):
    project.config(
        INVENTORY
        + """
[[tool.neuron-classification.waivers]]
item = "nxd"
obligation = "basic"
reason = "r"
owner = "o"
expires = 2999-01-01
"""
    )
    project.run("--neuron-baseline=gaps.json", "--neuron-update-baseline")  # records cc (nxd is waived)
    result, report = project.run("--neuron-scope=collected", "--neuron-baseline=gaps.json")
    assert result.ret == 0
    assert report["notes"] == []  # no stale waiver
    assert report["baseline_closed"] == []
    assert project.run("--neuron-baseline=gaps.json")[0].ret == 0  # the strict run: both still tolerated


SDK_V1 = "def trace(model, example_inputs):\n    return model\n"
SDK_V2 = "def trace(model):\n    return model\n"
API_INVENTORY = """
[tool.pytest.ini_options]
pythonpath = ["."]

[tool.neuron-classification]

[[tool.neuron-classification.items]]
name = "trace"
kind = "api"
target = "mysdk:trace"
"""


def test_a_broken_contract_still_fails_out_of_scope(pytester, project, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # the rewritten module must be re-read
    pytester.makepyprojecttoml(API_INVENTORY)
    pytester.makepyfile(mysdk=SDK_V1)
    project.module("rt", level="beta")
    assert pytester.runpytest("--neuron-update-contracts", "--neuron-scope=collected").ret == 0
    pytester.makepyfile(mysdk=SDK_V2)
    result, report = project.run("--neuron-scope=collected")
    assert result.ret == 1
    assert report.statuses["trace"] == {"basic": "out-of-scope", "compat": "failing"}
    result.stdout.fnmatch_lines(["  stable api trace: compat failing -> *example_inputs*"])


def test_last_failed_does_not_report_uncollected_tests_as_missing(project, monkeypatch):
    project.config('[[tool.neuron-classification.items]]\nname = "runtime"\nkind = "package"\n')
    project.module("runtime", categories=("functional", "integration", "performance"))
    project.pytester.makepyfile(
        test_cache="import os, pytest\npytestmark = pytest.mark.neuron_beta\n"
        "def test_ok(): pass\n"
        "def test_flaky(): assert not os.environ.get('BREAK')\n"
    )
    monkeypatch.setenv("BREAK", "1")
    project.pytester.runpytest("-p", "cacheprovider")  # test_flaky fails; every other test passes
    monkeypatch.delenv("BREAK")
    result, report = project.run("--lf")
    # --lf collected test_cache.py::test_flaky only: the Stable runtime's tests exist but were not
    # collected, so they are not "missing".
    assert report.statuses == {
        "runtime": {"standard": "not-run", "performance": "not-run"},
        "cache": {"basic": "met"},
    }
    assert report.outcomes == {"test_flaky": "passed"}  # --lf does not even collect test_ok
    assert report["partial"].startswith("--lf ")
    result.stdout.fnmatch_lines(["note: *(--lf *"])
    assert result.ret == 0
