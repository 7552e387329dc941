"""Compiler flags are APIs too (docs/how-to/contracts.md).

A flag's recorded contract holds its subcommand's aliases and its choices as stable text; a breaking
change to a Stable flag fails, an additive one is reported, and every flag of a listed CLI parser is a
Stable API unless the inventory says otherwise. Environment variables are in test_env_vars.py.
"""

from __future__ import annotations

import json
import sys

import pytest

PARSER = """
import argparse

def build_parser():
    parser = argparse.ArgumentParser(prog="neuronx-cc")
    parser.add_argument("--auto-cast", choices=["none", "matmult", "all"], default="none")
    parser.add_argument("-O", "--optlevel", type=int)
    parser.add_argument("--fast-math", action="store_true")
    commands = parser.add_subparsers(dest="command")
    compile_ = commands.add_parser("compile")
    compile_.add_argument("--target", choices=["trn1", "inf2"])
    return parser
"""
FLAG_TESTS = """
import pytest
pytestmark = pytest.mark.neuron_{level}("{name}", kind="api")
def test_flag(): pass
@pytest.mark.neuron_compat
def test_old_spelling(): pass
"""
FLAG_ITEM = '[[tool.neuron-classification.items]]\nname = "{name}"\nkind = "api"\nlevel = "{level}"\ntarget = "cc:build_parser"\n'


@pytest.fixture
def fresh_modules(monkeypatch: pytest.MonkeyPatch) -> None:
    """Modules rewritten between two runs must be read again, not from a same-second .pyc."""
    monkeypatch.setattr(sys, "dont_write_bytecode", True)


def flag_project(project, name: str = "--auto-cast", level: str = "stable", extra: str = "") -> None:
    project.config("")
    project.pytester.makepyprojecttoml(FLAG_ITEM.format(name=name, level=level) + extra)
    project.pytester.makepyfile(cc=PARSER, test_flag=FLAG_TESTS.format(level=level, name=name))
    project.pytester.syspathinsert()


@pytest.mark.parametrize(
    ("name", "edit"),
    [
        ("--auto-cast", ('"--auto-cast", ', '"--auto-casting", ')),
        ("--auto-cast", ('default="none")', 'default="none", required=True)')),
        ("--auto-cast", ('"matmult", "all"]', '"matmult"]')),
        ("--fast-math", ('action="store_true"', "type=int")),
        ("--optlevel", ("type=int)", 'type=int, nargs="+")')),
        ("compile --target", ('"trn1", "inf2"]', '"trn1"]')),
    ],
    ids=["renamed", "required", "a choice dropped", "a switch taking a value", "more values", "a subcommand's choice"],
)
def test_a_breaking_change_to_a_stable_flag_fails(project, fresh_modules, name, edit):
    flag_project(project, name)
    assert project.pytester.runpytest("--neuron-update-contracts").ret == 0
    recorded = json.loads((project.path / "neuron-contracts.json").read_text())["contracts"][name]
    assert recorded["type"] == "flag" and recorded["target"] == "cc:build_parser"
    project.pytester.makepyfile(cc=PARSER.replace(*edit))
    result, report = project.run()
    assert result.ret == 1
    assert report.statuses[name]["compat"] == "failing"
    contract = {i["name"]: i["contract"] for i in report["items"]}[name]
    assert contract["state"] == "broken"
    (breaking,) = [c["change"] for c in contract["changes"] if c["breaking"]]
    assert f"flag `{name}` of `cc:build_parser`" in breaking
    result.stdout.fnmatch_lines([f"    breaking: flag `{name}` of `cc:build_parser`*", "    notice: *"])


@pytest.mark.parametrize(
    ("edit", "added"),
    [
        (('"--auto-cast", ', '"--auto-cast", "--autocast", '), "`--autocast`"),
        (('"matmult", "all"]', '"matmult", "all", "fp8"]'), "`fp8`"),
    ],
    ids=["an alias", "a choice"],
)
def test_an_additive_change_to_a_stable_flag_passes_and_is_reported(project, fresh_modules, edit, added):
    flag_project(project)
    project.pytester.runpytest("--neuron-update-contracts")
    project.pytester.makepyfile(cc=PARSER.replace(*edit))
    result, report = project.run()
    assert result.ret == 0
    assert report.statuses["--auto-cast"] == {"basic": "met", "compat": "met"}
    (change,) = report["items"][0]["contract"]["changes"]
    assert not change["breaking"] and added in change["change"]
    result.stdout.fnmatch_lines(["    additive: flag `--auto-cast` of `cc:build_parser`*"])


def test_a_beta_flag_may_change(project, fresh_modules):
    flag_project(project, level="beta")
    project.pytester.runpytest("--neuron-update-contracts")
    project.pytester.makepyfile(cc=PARSER.replace('"matmult", "all"]', '"matmult"]'))
    result, report = project.run()
    assert result.ret == 0
    assert report["items"][0]["contract"]["state"] == "changed"
    result.stdout.fnmatch_lines(["  beta api --auto-cast (cc:build_parser): changed*"])


def test_click_commands_are_parsers_too(project, fresh_modules):
    pytest.importorskip("click")
    project.pytester.makepyprojecttoml(FLAG_ITEM.format(name="build --target", level="stable"))
    click_cli = """
import click
@click.group()
def cli(): pass
@cli.command()
@click.option("--target", type=click.Choice(["trn1", "inf2"]))
def build(target): pass
"""
    project.pytester.makepyfile(cc=click_cli, test_flag=FLAG_TESTS.format(level="stable", name="build --target"))
    project.pytester.syspathinsert()
    (project.path / "pyproject.toml").write_text(
        (project.path / "pyproject.toml").read_text().replace("cc:build_parser", "cc:cli")
    )
    assert project.pytester.runpytest("--neuron-update-contracts").ret == 0
    project.pytester.makepyfile(cc=click_cli.replace('["trn1", "inf2"]', '["trn1"]'))
    result, report = project.run()
    assert result.ret == 1
    (change,) = report["items"][0]["contract"]["changes"]
    assert change["breaking"] and "`inf2`" in change["change"]
    result.stdout.fnmatch_lines(["    breaking: flag `build --target` of `cc:cli` *`inf2`"])


def test_every_flag_of_a_cli_parser_is_a_stable_api_unless_listed(project, fresh_modules):
    project.config('cli-parsers = ["cc:build_parser"]\n')
    project.pytester.makepyfile(cc=PARSER, test_flag=FLAG_TESTS.format(level="stable", name="--auto-cast"))
    project.pytester.syspathinsert()
    result, report = project.run("--neuron-enforce=warn")
    assert sorted(report.statuses) == ["--auto-cast", "--fast-math", "--optlevel", "compile --target"]
    assert {i["name"]: i["declared"] for i in report["items"]}["--optlevel"] == "unlisted"
    assert report.statuses["--optlevel"] == {"basic": "missing", "compat": "missing"}
    assert "--help" not in report.statuses
    result.stdout.fnmatch_lines(["  api *--optlevel (unlisted*basic missing, compat missing"])


ALIASED_PARSER = """
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


ALIASED_TESTS = """
import pytest
@pytest.mark.neuron_stable("{name}", kind="api")
def test_flag(): pass
@pytest.mark.neuron_compat
@pytest.mark.neuron_stable("{name}", kind="api")
def test_compat(): pass
"""


@pytest.fixture
def aliased(project, fresh_modules, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    project.config('cli-parsers = ["cc:build_parser"]\n')
    project.pytester.makepyfile(
        cc=ALIASED_PARSER,
        test_flags="\n".join(ALIASED_TESTS.format(name=n).replace("test_", f"test_{i}_") for i, n in enumerate(
            ["compile --target", "--seed", "--sentinel"]
        )),
    )  # fmt: skip
    project.pytester.syspathinsert()
    return project.pytester


def test_choices_are_recorded_compactly_and_stably(aliased, project):
    assert aliased.runpytest("--neuron-update-contracts").ret == 0
    contracts = json.loads((aliased.path / "neuron-contracts.json").read_text())["contracts"]
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


def test_removing_a_subcommand_alias_breaks_its_flags(aliased, project):
    assert aliased.runpytest("--neuron-update-contracts").ret == 0
    aliased.makepyfile(cc=ALIASED_PARSER.replace('aliases=["c", "build"]', 'aliases=["c"]'))
    result, report = project.run()
    assert result.ret == 1
    assert report.statuses["compile --target"]["compat"] == "failing"
    (change,) = {i["name"]: i["contract"] for i in report["items"]}["compile --target"]["changes"]
    assert change["breaking"] and "`build`" in change["change"]
    result.stdout.fnmatch_lines(["    breaking: flag `compile --target` of `cc:build_parser`*`build`"])
