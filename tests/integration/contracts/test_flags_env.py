"""Compiler flags and environment variables are APIs too (docs/how-to/contracts.md).

A flag's recorded contract holds its subcommand's aliases and its choices as stable text. The
``env-modules`` scan reads names spelled as constants or placeholder-free f-strings, and a file that
no longer parses leaves its variables unjudged rather than "no longer read".
"""

from __future__ import annotations

import datetime
import json
import sys

import pytest

from pytest_neuron_classification.surface.envvars import scan_env_files

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
