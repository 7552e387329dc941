"""What a flag's recorded contract holds: its subcommand's aliases, and its choices as stable text.

Removing a subcommand alias breaks the scripts that spell it; choices that are objects are
recorded without their memory address (else every run reports a lost choice), and a huge
``range`` is recorded as the range, not expanded into memory.
"""

from __future__ import annotations

import json
import sys

import pytest

PARSER = """
import argparse

def build_parser():
    parser = argparse.ArgumentParser(prog="cc")
    commands = parser.add_subparsers(dest="command")
    compile_ = commands.add_parser("compile", aliases=["c", "build"])
    compile_.add_argument("--target", choices=["trn1", "inf2"])
    parser.add_argument("--seed", choices=range(10**6))  # argparse itself lists 10**8 when adding it
    parser.add_argument("--sentinel", choices=[object(), "auto"])
    return parser
"""
TESTS = """
import pytest
@pytest.mark.neuron_stable("{name}", kind="api")
def test_flag(): pass
@pytest.mark.neuron_compat
@pytest.mark.neuron_stable("{name}", kind="api")
def test_compat(): pass
"""


@pytest.fixture
def cli(project, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    project.config('cli-parsers = ["cc:build_parser"]\n')
    project.pytester.makepyfile(
        cc=PARSER,
        test_flags="\n".join(TESTS.format(name=n).replace("test_", f"test_{i}_") for i, n in enumerate(
            ["compile --target", "--seed", "--sentinel"]
        )),
    )  # fmt: skip
    project.pytester.syspathinsert()
    return project.pytester


def test_choices_are_recorded_compactly_and_stably(cli, project):
    assert cli.runpytest("--neuron-update-contracts").ret == 0
    contracts = json.loads((cli.path / "neuron-contracts.json").read_text())["contracts"]
    assert contracts["--seed"]["choices"] == ["range(0, 1000000, 1)"]
    assert contracts["--sentinel"]["choices"] == ["<object object>", "auto"]
    assert contracts["compile --target"]["command_aliases"] == ["build", "c"]
    result, report = project.run()
    assert result.ret == 0, result.stdout.str()
    # Read again, the choices compare equal: no change at all.
    assert {i["name"]: i["contract"]["changes"] for i in report["items"] if "contract" in i} == {
        "compile --target": [],
        "--seed": [],
        "--sentinel": [],
    }


def test_removing_a_subcommand_alias_breaks_its_flags(cli, project):
    assert cli.runpytest("--neuron-update-contracts").ret == 0
    cli.makepyfile(cc=PARSER.replace('aliases=["c", "build"]', 'aliases=["c"]'))
    result, report = project.run()
    assert result.ret == 1
    assert report.statuses["compile --target"]["compat"] == "failing"
    (change,) = {i["name"]: i["contract"] for i in report["items"]}["compile --target"]["changes"]
    assert change["breaking"] and "`build`" in change["change"]
    result.stdout.fnmatch_lines(["    breaking: flag `compile --target` of `cc:build_parser`*`build`"])
