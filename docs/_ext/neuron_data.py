"""What the reference documents, read from the plugin's own code: the one place the docs import it.

Every name of the package the documentation needs is imported here and nowhere else (not in
conf.py, not in a page), so a move of a module is fixed in this file alone. The Sphinx side
(:mod:`neuron_reference`) renders these values; ``tests/integration/docs/test_docs.py`` checks them against
what pytest and the command line really offer, without Sphinx.
"""

from __future__ import annotations

import argparse
import inspect
from dataclasses import dataclass
from typing import Any

from _pytest.config.argparsing import Parser

from pytest_neuron_classification import __version__, cli, fixtures, plugin
from pytest_neuron_classification import hookspec as hooks
from pytest_neuron_classification.config import entries, keys, table
from pytest_neuron_classification.config import settings as config
from pytest_neuron_classification.core import vocabulary as policy
from pytest_neuron_classification.fixtures import MetricRecorder
from pytest_neuron_classification.storage.contracts_file import CONTRACTS_FILE
from pytest_neuron_classification.storage.evidence_file import EVIDENCE_FILE
from pytest_neuron_classification.storage.files import FileFormat
from pytest_neuron_classification.storage.gap_baseline import BASELINE_FILE
from pytest_neuron_classification.storage.metric_baseline import METRICS_FILE
from pytest_neuron_classification.storage.report_file import REPORT_FILE

VERSION = __version__
#: The module autodoc renders the hook specifications from.
HOOKS_MODULE = hooks.__name__
#: The package, for tests that walk it.
PACKAGE = "pytest_neuron_classification"
#: ``python -m ...``, as the subcommands' usage lines print it.
PROG = cli.PROG
ConfigKey = table.ConfigKey

#: Each versioned file, by the name the reference gives its section.
FILE_FORMATS: dict[str, FileFormat] = {
    "report": REPORT_FILE,
    "contracts": CONTRACTS_FILE,
    "metrics": METRICS_FILE,
    "baseline": BASELINE_FILE,
    "evidence": EVIDENCE_FILE,
}

#: The tables of ``[tool.neuron-classification]``: (TOML header, keys).
CONFIG_TABLES: tuple[tuple[str, tuple[table.ConfigKey, ...]], ...] = (
    (f"[{table.TABLE}]", keys.KEYS),
    (f"[{table.TABLE}.metrics-tolerance]", keys.TOLERANCE_KEYS),
    (f"[[{table.TABLE}.items]]", entries.ITEM_TABLE),
    (f"[[{table.TABLE}.notices]]", entries.NOTICE_TABLE),
    (f"[[{table.TABLE}.waivers]]", entries.WAIVER_TABLE),
)

STATUSES: tuple[str, ...] = policy.STATUSES
FAILING_STATUSES: frozenset[str] = frozenset(policy.FAILING_STATUSES)
#: What each status means: words the code does not hold. The build, and tests/integration/docs/test_docs.py, fail when
#: the code's statuses and these differ.
STATUS_MEANINGS = {
    "met": "a test of that category ran and passed (and none failed)",
    "waived": "a failing gap covered by an unexpired waiver",
    "not-run": "such tests were deselected (-k, -m, --deselect, or dropped by a conftest), not reached (-x), not"
    " collected by a run of part of the suite or in a file that failed to collect, or (measured categories) only"
    " collected by --collect-only or not timed because pytest-benchmark was off (xdist, --benchmark-disable/-skip)",
    "out-of-scope": "only under --neuron-scope=collected: no collected test covers the obligation (or the whole item),"
    " so this run does not judge it",
    "skipped": "every such test was skipped or xfailed",
    "unmeasured": "such tests passed, but none recorded a measurement (only for measured categories)",
    "missing": "the item has no such test",
    "failing": "such a test failed or errored (setup and teardown errors included), even if others passed",
}
LEVELS: tuple[str, ...] = policy.LEVELS
KINDS: tuple[str, ...] = policy.KINDS
OBLIGATIONS: tuple[str, ...] = policy.OBLIGATIONS
CATEGORIES: tuple[str, ...] = policy.CATEGORIES
DEFAULT_CATEGORY_NAMES: dict[str, tuple[str, ...]] = dict(policy.DEFAULT_CATEGORY_NAMES)
COUPLING_KEYS: dict[str, tuple[str, ...]] = dict(policy.COUPLING_KEYS)


ClassificationError = policy.ClassificationError
#: Validates a parsed ``[tool.neuron-classification]`` table: its "known keys" are what the tests check.
parse_settings = config.parse_settings


def parse_defaults() -> Any:
    """The settings an empty ``[tool.neuron-classification]`` gives, to check documented defaults against."""
    return config.parse_settings({}, "pyproject.toml")


#: The page that shows each option at work: words the code does not hold. tests/integration/docs/test_docs.py fails
#: when an option has none, and the build when a page is not there.
OPTION_GUIDES = {
    "--neuron-enforce": "/explanation/classification",
    "--neuron-scope": "/how-to/ci",
    "--neuron-json": "/reference/files",
    "--neuron-markdown": "/how-to/ci",
    "--neuron-baseline": "/how-to/waivers",
    "--neuron-update-baseline": "/how-to/waivers",
    "--neuron-graduation": "/how-to/lifecycle",
    "--neuron-update-metrics": "/how-to/metrics",
    "--neuron-env": "/how-to/metrics",
    "--neuron-history": "/how-to/metrics",
    "--neuron-update-contracts": "/how-to/contracts",
    "--neuron-evidence": "/how-to/record",
    "--neuron-html": "/how-to/html-report",
    "--neuron-shard": "/how-to/ci",
    "--neuron-job": "/how-to/ci",
    "neuron_enforce": "/explanation/classification",
}


@dataclass(frozen=True)
class Option:
    """A command-line option, as ``pytest --help`` lists it."""

    names: tuple[str, ...]
    metavar: str
    help: str
    default: Any
    repeatable: bool
    switch: bool


@dataclass(frozen=True)
class Ini:
    name: str
    type: str
    default: Any
    help: str


def _parser() -> Parser:
    """pytest's own parser, given exactly the options the plugin adds."""
    parser = Parser(_ispytest=True)
    plugin.pytest_addoption(parser)
    return parser


def options() -> list[Option]:
    found = []
    for group in _parser()._groups:
        for option in group.options:
            attrs = option.attrs()
            action = attrs.get("action") or _action_name(getattr(option, "_action", None))
            found.append(
                Option(
                    names=tuple(option.names()),
                    metavar=str(attrs.get("metavar") or ""),
                    help=str(attrs.get("help", "")),
                    default=attrs.get("default"),
                    repeatable=action == "append",
                    switch=action in ("store_true", "store_false"),
                )
            )
    return found


def _action_name(action: object) -> str:
    """pytest 9 keeps the argparse action itself where pytest 8 kept its ``action=`` string."""
    if isinstance(action, argparse._AppendAction):
        return "append"
    if isinstance(action, argparse._StoreTrueAction):
        return "store_true"
    return "store"


def ini_options() -> list[Ini]:
    found = []
    for name, spec in _parser()._inidict.items():
        help_text, kind, default = spec[0], spec[1], spec[2]
        found.append(Ini(name, str(kind or "string"), default, str(help_text)))
    return found


def markers() -> list[tuple[str, str]]:
    """(signature, help) of each marker the plugin registers, as ``pytest --markers`` shows them."""
    levels = [(f"{name}(name=None, *, kind=None, **coupling)", text) for name, text in fixtures.MARKERS.items()]
    return levels + list(fixtures.CATEGORY_MARKERS.items())


def metric_signature() -> str:
    """``neuron_metric(...)``: the signature of what the fixture gives a test."""
    parts = []
    for param in inspect.signature(MetricRecorder.__call__).parameters.values():
        if param.name == "self":
            continue
        if param.kind is param.KEYWORD_ONLY and not any(p.startswith("*") for p in parts):
            parts.append("*")
        # The annotations are strings (``from __future__ import annotations``): shown as written.
        text = f"{param.name}: {param.annotation}"
        parts.append(text if param.default is param.empty else f"{text} = {param.default!r}")
    return f"neuron_metric({', '.join(parts)})"


def metric_doc() -> str:
    return inspect.getdoc(MetricRecorder.__call__) or ""


def hook_names() -> list[str]:
    """The hook specifications the plugin adds, in source order."""
    names = [name for name, value in vars(hooks).items() if name.startswith("pytest_") and callable(value)]
    return [name for name in names if getattr(getattr(hooks, name), "pytest_spec", None) is not None]


def subcommand_parser() -> argparse.ArgumentParser:
    return cli.build_parser()


def subcommands() -> dict[str, argparse.ArgumentParser]:
    """Each subcommand's own parser, by name, in the order ``--help`` lists them."""
    for action in subcommand_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def subcommand_help() -> dict[str, str]:
    for action in subcommand_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return {choice.dest: str(choice.help or "") for choice in action._choices_actions}
    return {}
