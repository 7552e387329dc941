"""Command-line flags as APIs: what a parser promises about each flag, and how that changes.

A compiler flag such as ``--auto-cast`` is an API as much as a function is: scripts and build
files spell it out, so a Stable flag must keep working. Its contract is what a command line
relies on: the option strings, whether it is required, how many values it takes, which values
it accepts. This module reads that from an :mod:`argparse` parser (or a click command, when
click happens to be installed) and compares two such contracts in the words of
:mod:`.contracts`. Only :func:`resolve_parser` imports user code, through :func:`.signatures.resolve`.
"""

from __future__ import annotations

import argparse
import contextlib
import enum
import importlib
import inspect
import io
from typing import Any, Callable, Iterable, Mapping

from pytest_neuron_classification.core.contracts import Change
from pytest_neuron_classification.core.text import a_or_an, shortlist
from pytest_neuron_classification.surface.signatures import (
    USER_ERRORS,
    TargetImportError,
    error_line,
    resolve,
    without_addresses,
)

Contract = dict[str, Any]
_ARITY_WORDS = {
    "1": "exactly one value",
    "?": "an optional value",
    "*": "any number of values",
    "+": "one or more values",
    "...": "the rest of the command line",
}
_SKIPPED_ACTIONS = (argparse._HelpAction, argparse._VersionAction)
_CLICK_META_OPTIONS = {"--help", "-h", "--version"}


def _click() -> Any:
    """The click module, or None: click is optional, never a dependency."""
    try:
        return importlib.import_module("click")
    except ImportError:
        return None


def _is_click_command(obj: object) -> bool:
    click = _click()
    return click is not None and isinstance(obj, click.Command)


def _is_parser(obj: object) -> bool:
    return isinstance(obj, argparse.ArgumentParser) or _is_click_command(obj)


# --- finding the parser ------------------------------------------------------------


def resolve_parser(target: str) -> object:
    """The parser ``module:qualname`` names: a parser, a click command, or what a factory returns."""
    obj = resolve(target)
    if _is_parser(obj):
        return obj
    if not callable(obj):
        raise TargetImportError(
            f"{target} is a {type(obj).__name__}, not an argparse parser, a function returning one, or a click command"
        )
    if _needs_arguments(obj):
        raise TargetImportError(f"{target} needs arguments; give a function that takes none and returns the parser")
    try:
        parser = _quietly(obj)
    except USER_ERRORS as exc:  # user code can fail in any way; report it in one line
        raise TargetImportError(f"{target}: the parser factory raised {error_line(exc)}") from None
    if not _is_parser(parser):
        raise TargetImportError(
            f"{target} returned a {type(parser).__name__}, not an argparse parser or a click command"
        )
    return parser


def read_flags(target: str) -> dict[str, Contract]:
    """Every flag of the parser ``target`` names, or :class:`TargetImportError` in one line.

    Reading a click group calls user code (a lazy group's ``list_commands`` and ``get_command``),
    which can fail in any way: the failure names the parser rather than escaping as a traceback.
    Factories are called once per target and run: their result is kept (see :func:`_quietly`).
    """
    parser = _PARSERS.get(target)
    if parser is None:
        parser = _PARSERS[target] = resolve_parser(target)
    try:
        return parser_flags(parser)
    except USER_ERRORS as exc:
        raise TargetImportError(f"{target}: reading its flags raised {error_line(exc)}") from None


#: The parser each target gave, so that a factory runs once per run, not once per flag.
_PARSERS: dict[str, object] = {}


def forget_parsers() -> None:
    """Start a run afresh: the parsers are read again (an in-process run may follow an edit)."""
    _PARSERS.clear()


def _quietly(factory: Callable[[], Any]) -> Any:
    """Call a parser factory with its prints kept off pytest's progress line (they would land mid-line)."""
    with contextlib.redirect_stdout(io.StringIO()):
        return factory()


def _needs_arguments(factory: Callable[..., Any]) -> bool:
    try:
        parameters = inspect.signature(factory).parameters.values()
    except (TypeError, ValueError):  # no signature (some builtins): try calling it
        return False
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return any(p.default is inspect.Parameter.empty and p.kind not in variadic for p in parameters)


# --- reading the flags -------------------------------------------------------------


def parser_flags(parser: object) -> dict[str, Contract]:
    """``{flag name: contract}`` for every flag of ``parser`` and of its subcommands.

    A flag is named by its longest ``--`` option string (else its first one), after the
    subcommand path: ``"--verbose"``, ``"compile --target"``. Help, version and positional
    arguments are not flags.
    """
    if isinstance(parser, argparse.ArgumentParser):
        return _argparse_flags(parser, "")
    if _is_click_command(parser):
        return _click_flags(parser, "", _click())
    raise TypeError(f"{type(parser).__name__} is not an argparse parser or a click command")


def _flag_name(option_strings: Iterable[str]) -> str:
    options = list(option_strings)
    long_options = [o for o in options if o.startswith("--")]
    return max(long_options, key=len) if long_options else options[0]


def _flag(options: Iterable[str], required: bool, arity: str, choices: Iterable[Any] | None) -> Contract:
    return {
        "type": "flag",
        "options": sorted(options),
        "required": bool(required),
        "arity": arity,
        "choices": None if choices is None else _choices(choices),
    }


#: A range of more choices than this is recorded as the range, not as every number in it.
_LONG_RANGE = 100


def _choices(choices: Iterable[Any]) -> list[str]:
    """The accepted values as stable text: ``range(10**8)`` as one entry rather than 10**8 of them,
    and an object's text without its memory address (which differs on every run)."""
    if isinstance(choices, range) and len(choices) > _LONG_RANGE:
        return [f"range({choices.start}, {choices.stop}, {choices.step})"]
    return sorted(_choice_text(c) for c in choices)


def _choice_text(choice: Any) -> str:
    text = choice.name if isinstance(choice, enum.Enum) else str(choice)
    return without_addresses(text)


def _argparse_flags(parser: argparse.ArgumentParser, prefix: str) -> dict[str, Contract]:
    flags: dict[str, Contract] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            names: dict[int, list[str]] = {}
            for name, sub in action.choices.items():  # aliases map to the parser already seen
                names.setdefault(id(sub), []).append(name)
            for name, sub in action.choices.items():
                primary, *aliases = names[id(sub)]
                if name != primary:
                    continue
                own = f"{prefix}{name} "
                for flag, contract in _argparse_flags(sub, own).items():
                    if aliases and " " not in flag[len(own) :]:
                        # Scripts spell the subcommand by any of its names: removing one breaks them.
                        contract["command_aliases"] = sorted(aliases)
                    flags[flag] = contract
        elif action.option_strings and not isinstance(action, _SKIPPED_ACTIONS):
            flags[prefix + _flag_name(_primary_options(action))] = _argparse_contract(action)
    return flags


def _primary_options(action: argparse.Action) -> list[str]:
    """The option strings, without the ``--no-x`` ones BooleanOptionalAction adds for ``--x``."""
    options = action.option_strings
    if not isinstance(action, argparse.BooleanOptionalAction):
        return list(options)
    return [o for o in options if not (o.startswith("--no-") and "--" + o[5:] in options)] or list(options)


def _argparse_contract(action: argparse.Action) -> Contract:
    nargs = action.nargs
    arity = "switch" if nargs == 0 else "1" if nargs in (None, 1) else str(nargs)
    contract = _flag(action.option_strings, action.required, arity, action.choices)
    contract["default"] = action.default is not None and action.default is not argparse.SUPPRESS
    contract["deprecated"] = bool(getattr(action, "deprecated", False))
    return contract


def _click_flags(command: Any, prefix: str, click: Any) -> dict[str, Contract]:
    flags: dict[str, Contract] = {}
    for param in command.params:
        if isinstance(param, click.Option) and not _is_click_meta_option(param, command):
            flags[prefix + _flag_name(param.opts)] = _click_contract(param, click)
    if hasattr(command, "list_commands"):  # a group, or any lazily loading multi-command
        context = click.Context(command)
        seen: set[int] = set()
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            if sub is not None and id(sub) not in seen:
                seen.add(id(sub))
                flags.update(_click_flags(sub, f"{prefix}{name} ", click))
    return flags


def _is_click_meta_option(param: Any, command: Any) -> bool:
    """Whether ``param`` is a help or version option (eager, exposing no value)."""
    if param.expose_value or not param.is_eager:
        return False
    from_click = getattr(param.callback, "__module__", "").startswith("click.")
    help_names = set(command.context_settings.get("help_option_names", ())) | _CLICK_META_OPTIONS
    return from_click or bool(help_names & set(param.opts))


def _click_contract(param: Any, click: Any) -> Contract:
    switch = bool(param.is_flag or param.count)
    if switch:
        arity = "switch"
    elif param.multiple or param.nargs == -1:
        arity = "*"
    else:
        arity = str(param.nargs)
    choices = param.type.choices if isinstance(param.type, click.Choice) else None
    contract = _flag([*param.opts, *param.secondary_opts], param.required, arity, choices)
    contract["default"] = switch or _click_has_default(param.default)
    contract["deprecated"] = bool(getattr(param, "deprecated", False))
    return contract


def _click_has_default(default: Any) -> bool:
    """A default other than None, click 8.3's ``UNSET`` and an empty ``multiple`` default."""
    unset = isinstance(default, enum.Enum) and default.name == "UNSET"
    empty = isinstance(default, (tuple, list)) and not default
    return not (default is None or unset or empty)


def flag_snapshot(target: str, flag: str) -> Contract:
    """The contract of ``flag`` (its name, or one of its option strings) in the parser ``target``."""
    flags = read_flags(target)
    if flag in flags:
        return flags[flag]
    prefix, _, option = flag.rpartition(" ")
    prefix = f"{prefix} " if prefix else ""
    aliases = [c for n, c in flags.items() if n.startswith(prefix) and " " not in n[len(prefix) :]]
    matches = [c for c in aliases if option in c["options"]]
    if len(matches) == 1:
        return matches[0]
    known = shortlist(sorted(flags), 10)
    raise TargetImportError(f"{target} has no flag {flag!r}; its flags are: {known or 'none'}")


# --- comparing ---------------------------------------------------------------------


def flag_where(target: str, flag: str) -> str:
    """How changes name a flag: ``flag `--auto-cast` of `neuronx_cc.driver:build_parser```."""
    return f"flag `{flag}` of `{target}`"


def compare_flag(where: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every difference between two contracts of one flag; ``where`` names it (see :func:`flag_where`)."""
    if old.get("type") != new.get("type"):
        return [Change(True, f"{where} changed from {a_or_an(old.get('type'))} to {a_or_an(new.get('type'))}")]
    changes = _compare_required(where, old, new) + _compare_arity(where, old["arity"], new["arity"])
    changes += _compare_choices(where, old["choices"], new["choices"])
    changes += _compare_aliases(where, old["options"], new["options"])
    if old["default"] != new["default"]:
        changes.append(Change(False, f"{where} {'gained a' if new['default'] else 'lost its'} default"))
    lost = [a for a in old.get("command_aliases", []) if a not in new.get("command_aliases", [])]
    changes += [Change(True, f"{where}: its subcommand lost its alias `{a}`") for a in lost]
    if old.get("deprecated", False) != new.get("deprecated", False):
        changes.append(Change(False, f"{where} is {'now' if new.get('deprecated') else 'no longer'} deprecated"))
    return changes


def _compare_required(where: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    if old["required"] == new["required"]:
        return []
    if new["required"]:
        return [Change(True, f"{where} became required")]
    return [Change(False, f"{where} is no longer required")]


def _taking(arity: str) -> str:
    return "taking " + _ARITY_WORDS.get(arity, f"{arity} values")


def _compare_arity(where: str, old: str, new: str) -> list[Change]:
    if old == new:
        return []
    if old == "switch":
        return [Change(True, f"{where} turned from a switch into an option that takes a value")]
    if new == "switch":
        return [Change(True, f"{where} turned from an option that takes a value into a switch")]
    return [Change(True, f"{where} changed from {_taking(old)} to {_taking(new)}")]


def _compare_choices(where: str, old: list[str] | None, new: list[str] | None) -> list[Change]:
    if old == new:
        return []
    if new is None:
        return [Change(False, f"{where} no longer restricts its values to a list of choices")]
    if old is None:
        return [Change(True, f"{where} now accepts only {_names(new)}")]
    lost = [Change(True, f"{where} lost choice `{c}`") for c in old if c not in new]
    return lost + [Change(False, f"{where} gained choice `{c}`") for c in new if c not in old]


def _compare_aliases(where: str, old: list[str], new: list[str]) -> list[Change]:
    lost = [Change(True, f"{where} lost alias `{o}`") for o in old if o not in new]
    return lost + [Change(False, f"{where} gained alias `{o}`") for o in new if o not in old]


def _names(values: Iterable[str]) -> str:
    return ", ".join(f"`{v}`" for v in values)
