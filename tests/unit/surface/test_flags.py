"""Command-line flags as APIs (pytest_neuron_classification.surface.flags): reading parsers, naming flags, judging changes."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
import uuid
from typing import Any, Callable, Iterator

import pytest

from pytest_neuron_classification.core.contracts import Change
from pytest_neuron_classification.surface.flags import (
    compare_flag,
    flag_snapshot,
    flag_where,
    parser_flags,
    resolve_parser,
)
from pytest_neuron_classification.surface.signatures import TargetImportError

WHERE = flag_where("neuronx_cc.driver:build_parser", "--auto-cast")


def flag(**changes: Any) -> dict[str, Any]:
    """A flag contract: a plain optional one-value flag, with ``changes`` applied."""
    base = {
        "type": "flag",
        "options": ["--auto-cast"],
        "required": False,
        "arity": "1",
        "choices": None,
        "default": False,
        "deprecated": False,
    }
    return {**base, **changes}


@pytest.fixture
def write_module(tmp_path, monkeypatch) -> Iterator[Callable[[str], str]]:
    """Write a uniquely named importable module; it is forgotten after the test."""
    monkeypatch.syspath_prepend(str(tmp_path))
    names: list[str] = []

    def write(source: str) -> str:
        name = f"nc_flags_{uuid.uuid4().hex}"
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(source))
        names.append(name)
        return name

    yield write
    for name in names:
        sys.modules.pop(name, None)


PARSER_SOURCE = """
    import argparse

    def build_parser():
        parser = argparse.ArgumentParser(prog="neuronx-cc")
        parser.add_argument("--auto-cast", choices=["none", "matmult", "all"], default="none")
        sub = parser.add_subparsers(dest="command")
        compile_ = sub.add_parser("compile", aliases=["c"])
        compile_.add_argument("-t", "--target", required=True)
        return parser

    PARSER = build_parser()
    """


# --- argparse ------------------------------------------------------------------------


def test_argparse_flags_are_named_and_described_with_subcommands():
    parser = argparse.ArgumentParser()
    parser.add_argument("--version", action="version", version="1.0")
    parser.add_argument("input")  # positional: not a flag
    parser.add_argument("-O", "--opt", "--optimization-level", type=int, choices=[3, 1, 2], default=2)
    sub = parser.add_subparsers(dest="command")
    compile_ = sub.add_parser("compile", aliases=["c"])
    compile_.add_argument("-t", "--target", required=True)
    nested = compile_.add_subparsers(dest="stage").add_parser("link")
    nested.add_argument("-x")
    assert parser_flags(parser) == {
        "--optimization-level": flag(
            options=["--opt", "--optimization-level", "-O"], choices=["1", "2", "3"], default=True
        ),
        "compile --target": flag(options=["--target", "-t"], required=True, command_aliases=["c"]),
        "compile link -x": flag(options=["-x"]),
    }


@pytest.mark.parametrize(
    ("kwargs", "arity"),
    [
        ({"action": "store_true"}, "switch"),
        ({"action": "store_false"}, "switch"),
        ({"action": "store_const", "const": 1}, "switch"),
        ({"action": "append_const", "const": 1}, "switch"),
        ({"action": "count"}, "switch"),
        ({"action": argparse.BooleanOptionalAction}, "switch"),
        ({}, "1"),
        ({"nargs": 1}, "1"),
        ({"nargs": "?"}, "?"),
        ({"nargs": "*"}, "*"),
        ({"nargs": "+"}, "+"),
        ({"nargs": 3}, "3"),
        ({"nargs": argparse.REMAINDER}, "..."),
        ({"action": "append"}, "1"),
    ],
)
def test_argparse_arity(kwargs, arity):
    parser = argparse.ArgumentParser()
    parser.add_argument("--x", **kwargs)
    assert parser_flags(parser)["--x"]["arity"] == arity


@pytest.mark.parametrize(
    ("kwargs", "default"),
    [
        ({}, False),
        ({"default": "fast"}, True),
        ({"default": 0}, True),
        ({"default": argparse.SUPPRESS}, False),
        ({"action": "store_true"}, True),  # False is a default
        ({"action": "count"}, False),
    ],
)
def test_argparse_default(kwargs, default):
    parser = argparse.ArgumentParser()
    parser.add_argument("--x", **kwargs)
    assert parser_flags(parser)["--x"]["default"] is default


def test_boolean_optional_action_is_named_after_its_positive_form():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", action=argparse.BooleanOptionalAction)
    assert parser_flags(parser) == {"--cache": flag(options=["--cache", "--no-cache"], arity="switch")}


def test_help_is_not_a_flag_even_when_added_by_hand():
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("-?", "--usage", action="help")
    assert parser_flags(parser) == {}


@pytest.mark.skipif(sys.version_info < (3, 13), reason="argparse's deprecated= is new in Python 3.13")
def test_argparse_deprecated():
    parser = argparse.ArgumentParser()
    parser.add_argument("--old", deprecated=True)
    parser.add_argument("--new")
    flags = parser_flags(parser)
    assert (flags["--old"]["deprecated"], flags["--new"]["deprecated"]) == (True, False)


def test_snapshot_is_plain_json():
    parser = argparse.ArgumentParser()
    parser.add_argument("--level", type=int, choices=range(3), default=1)
    flags = parser_flags(parser)
    assert json.loads(json.dumps(flags)) == flags


def test_parser_flags_refuses_other_objects():
    with pytest.raises(TypeError, match="int is not an argparse parser or a click command"):
        parser_flags(3)


# --- click ---------------------------------------------------------------------------


def test_click_flags_with_groups():
    click = pytest.importorskip("click")

    @click.group(context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option("1.0")
    @click.option("--shout/--no-shout", default=False)
    @click.option("-v", "--verbose", count=True)
    @click.option("--include", multiple=True)
    @click.option("--auto-cast", type=click.Choice(["none", "all", "matmult"]))
    @click.option("--size", nargs=2, type=int, default=(1, 2))
    def cli(**kwargs: Any) -> None: ...

    @cli.group()
    def model() -> None: ...

    @model.command()
    @click.help_option("--usage")
    @click.option("--target", required=True)
    @click.argument("path")
    def build(**kwargs: Any) -> None: ...

    assert parser_flags(cli) == {
        "--shout": flag(options=["--no-shout", "--shout"], arity="switch", default=True),
        "--verbose": flag(options=["--verbose", "-v"], arity="switch", default=True),
        "--include": flag(options=["--include"], arity="*"),
        "--auto-cast": flag(choices=["all", "matmult", "none"]),
        "--size": flag(options=["--size"], arity="2", default=True),
        "model build --target": flag(options=["--target"], required=True),
    }


def test_click_deprecated():
    click = pytest.importorskip("click")
    try:
        option = click.Option(["--old"], deprecated=True)
    except TypeError:
        pytest.skip("this click has no deprecated options (click < 8.2)")
    command = click.Command("cmd", params=[option, click.Option(["--new"])])
    flags = parser_flags(command)
    assert (flags["--old"]["deprecated"], flags["--new"]["deprecated"]) == (True, False)


def test_resolve_parser_returns_a_click_command_without_running_it(write_module):
    pytest.importorskip("click")
    name = write_module(
        """
        import click

        @click.command()
        @click.option("--fast", is_flag=True)
        def main(fast):
            raise SystemExit("ran")
        """
    )
    command = resolve_parser(f"{name}:main")
    assert list(parser_flags(command)) == ["--fast"]


# --- resolving the target --------------------------------------------------------------


def test_resolve_parser_accepts_a_parser_or_a_factory(write_module):
    name = write_module(PARSER_SOURCE)
    for target in (f"{name}:PARSER", f"{name}:build_parser"):
        assert isinstance(resolve_parser(target), argparse.ArgumentParser)


def test_factory_with_optional_arguments_is_called(write_module):
    name = write_module(
        "import argparse\ndef make(prog='x', *args, **kwargs):\n    return argparse.ArgumentParser(prog)\n"
    )
    assert isinstance(resolve_parser(f"{name}:make"), argparse.ArgumentParser)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("def make():\n    raise ValueError('no config')\n", "{t}: the parser factory raised ValueError: no config"),
        ("def make():\n    raise SystemExit(2)\n", "{t}: the parser factory raised SystemExit: 2"),
        ("def make(prog):\n    pass\n", "{t} needs arguments; give a function that takes none and returns the parser"),
        ("make = 3\n", "{t} is a int, not an argparse parser, a function returning one, or a click command"),
        ("def make():\n    return {}\n", "{t} returned a dict, not an argparse parser or a click command"),
    ],
)
def test_bad_targets_are_one_line(write_module, source, message):
    target = f"{write_module(source)}:make"
    with pytest.raises(TargetImportError) as info:
        resolve_parser(target)
    assert str(info.value) == message.format(t=target)


def test_unimportable_target():
    with pytest.raises(TargetImportError, match="cannot import nc_no_such_module"):
        resolve_parser("nc_no_such_module:build")


# --- one flag --------------------------------------------------------------------------


def test_flag_snapshot_by_name_or_option_string(write_module):
    target = f"{write_module(PARSER_SOURCE)}:build_parser"
    auto_cast = flag(choices=["all", "matmult", "none"], default=True)
    assert flag_snapshot(target, "--auto-cast") == auto_cast
    assert flag_snapshot(target, "compile --target") == flag(
        options=["--target", "-t"], required=True, command_aliases=["c"]
    )
    assert flag_snapshot(target, "compile -t") == flag_snapshot(target, "compile --target")


def test_missing_flag_lists_the_known_ones(write_module):
    target = f"{write_module(PARSER_SOURCE)}:build_parser"
    with pytest.raises(TargetImportError) as info:
        flag_snapshot(target, "-t")  # an option of a subcommand, not of the top level
    assert str(info.value).startswith(f"{target} ") and "'-t'" in str(info.value)
    assert str(info.value).endswith(": --auto-cast, compile --target")


def test_missing_flag_lists_at_most_ten(write_module):
    source = "import argparse\np = argparse.ArgumentParser()\nfor i in range(12):\n    p.add_argument(f'--f{i:02}')\n"
    target = f"{write_module(source)}:p"
    with pytest.raises(TargetImportError) as info:
        flag_snapshot(target, "--nope")
    known = ", ".join(f"--f{i:02}" for i in range(10))
    assert str(info.value).startswith(f"{target} ") and "'--nope'" in str(info.value)
    assert str(info.value).endswith(f": {known} (+2 more)")


def test_parser_without_flags(write_module):
    target = f"{write_module('import argparse; p = argparse.ArgumentParser()')}:p"
    with pytest.raises(TargetImportError, match=r"its flags are: none$"):
        flag_snapshot(target, "--x")


# --- comparing -------------------------------------------------------------------------


def test_where_names_flag_and_target():
    assert WHERE == "flag `--auto-cast` of `neuronx_cc.driver:build_parser`"


def test_unchanged_flag_has_no_changes():
    assert compare_flag(WHERE, flag(choices=["a"]), flag(choices=["a"])) == []


@pytest.mark.parametrize(
    ("old", "new", "changes"),
    [
        (flag(), flag(required=True), [Change(True, f"{WHERE} became required")]),
        (flag(required=True), flag(), [Change(False, f"{WHERE} is no longer required")]),
        (
            flag(choices=["all", "matmult", "none"]),
            flag(choices=["matmult", "none", "tf32"]),
            [Change(True, f"{WHERE} lost choice `all`"), Change(False, f"{WHERE} gained choice `tf32`")],
        ),
        (
            flag(choices=["a", "b", "c"]),
            flag(choices=["b"]),
            [Change(True, f"{WHERE} lost choice `a`"), Change(True, f"{WHERE} lost choice `c`")],
        ),
        (flag(), flag(choices=["a", "b"]), [Change(True, f"{WHERE} now accepts only `a`, `b`")]),
        (flag(choices=["a"]), flag(), [Change(False, f"{WHERE} no longer restricts its values to a list of choices")]),
        (
            flag(arity="switch"),
            flag(arity="1"),
            [Change(True, f"{WHERE} turned from a switch into an option that takes a value")],
        ),
        (
            flag(arity="?"),
            flag(arity="switch"),
            [Change(True, f"{WHERE} turned from an option that takes a value into a switch")],
        ),
        (
            flag(arity="1"),
            flag(arity="+"),
            [Change(True, f"{WHERE} changed from taking exactly one value to taking one or more values")],
        ),
        (
            flag(arity="?"),
            flag(arity="2"),
            [Change(True, f"{WHERE} changed from taking an optional value to taking 2 values")],
        ),
        (
            flag(options=["--auto-cast", "-a"]),
            flag(options=["--auto-cast", "-A"]),
            [Change(True, f"{WHERE} lost alias `-a`"), Change(False, f"{WHERE} gained alias `-A`")],
        ),
        (flag(), flag(default=True), [Change(False, f"{WHERE} gained a default")]),
        (flag(default=True), flag(), [Change(False, f"{WHERE} lost its default")]),
        (flag(), flag(deprecated=True), [Change(False, f"{WHERE} is now deprecated")]),
        (flag(deprecated=True), flag(), [Change(False, f"{WHERE} is no longer deprecated")]),
        ({"type": "function", "parameters": []}, flag(), [Change(True, f"{WHERE} changed from a function to a flag")]),
    ],
)
def test_each_change(old, new, changes):
    assert compare_flag(WHERE, old, new) == changes


def test_baseline_without_deprecated_key_is_read_as_not_deprecated():
    old = flag()
    del old["deprecated"]
    assert compare_flag(WHERE, old, flag()) == []


def test_compare_two_versions_of_a_parser():
    def build(choices: list[str], required: bool) -> dict[str, Any]:
        parser = argparse.ArgumentParser()
        parser.add_argument("--auto-cast", choices=choices, required=required)
        return parser_flags(parser)["--auto-cast"]

    old, new = build(["none", "matmult", "all"], False), build(["none", "matmult", "bf16"], True)
    assert [(c.breaking, c.text) for c in compare_flag(WHERE, old, new)] == [
        (True, "flag `--auto-cast` of `neuronx_cc.driver:build_parser` became required"),
        (True, "flag `--auto-cast` of `neuronx_cc.driver:build_parser` lost choice `all`"),
        (False, "flag `--auto-cast` of `neuronx_cc.driver:build_parser` gained choice `bf16`"),
    ]
