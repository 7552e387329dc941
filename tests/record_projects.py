"""The projects and records the catalogue of a run that compares with a record runs
(test_messages_records.py): an SDK, its flags and environment variables, and the
``neuron-contracts.json`` a previous run would have left.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

TODAY = datetime.date.today()
ITEM = "[[tool.neuron-classification.items]]\n"
NOTICE = '[[tool.neuron-classification.notices]]\nitem = "{item}"\nannounced = {announced}\neffective = {effective}\n'
IMPORTABLE = '[tool.pytest.ini_options]\npythonpath = ["."]\n'
MEASURED = ("performance", "accuracy")


def module(name: str, level: str, kind: str, *categories: str, **coupling: str) -> str:
    """A test module that classifies ``name`` and meets the given categories (measured where asked)."""
    arguments = ", ".join([repr(name), f"kind={kind!r}", *(f"{k}={v!r}" for k, v in coupling.items())])
    lines = ["import pytest", f"pytestmark = pytest.mark.neuron_{level}({arguments})"]
    for category in categories or ("functional",):
        if category != "functional":  # what an unmarked test is
            lines.append(f"@pytest.mark.neuron_{category}")
        lines.append(f"def test_{category}(neuron_metric):")
        lines.append(f"    neuron_metric('{category}_score', 1.0)" if category in MEASURED else "    pass")
    return "\n".join(lines) + "\n"


def contracts(contracts: dict[str, Any], items: dict[str, tuple[str, str]]) -> str:
    """A contracts file as ``--neuron-update-contracts`` writes it: ``items`` are ``{id: (kind, level)}``, a
    model class's coupling read from its id."""
    recorded = {}
    for item_id, (kind, level) in items.items():
        name, _, coupling = item_id.rstrip("]").partition("[")
        pairs = dict(pair.split("=") for pair in coupling.split(",")) if coupling else {}
        recorded[item_id] = {"name": name, "kind": kind, "level": level, "coupling": pairs}
    return json.dumps({"schema": "pytest-neuron-classification-contracts/1", "contracts": contracts, "items": recorded})


def parameters(*names: str) -> list[dict[str, Any]]:
    """A signature as a contract records it; a parameter is ``name``, ``name=`` (with a default) or ``*name``
    (keyword-only)."""
    return [
        {
            "name": p.strip("*="),
            "kind": "keyword-only" if p.startswith("*") else "positional-or-keyword",
            "default": p.endswith("="),
        }
        for p in names
    ]


def function(target: str, *names: str) -> dict[str, Any]:
    return {"type": "function", "target": target, "parameters": parameters(*names)}


def flag(
    *options: str, choices: list[str] | None = None, arity: str = "1", target: str = "cc:build_parser", **more: Any
) -> dict[str, Any]:
    return {
        "type": "flag",
        "target": target,
        "options": list(options),
        "arity": arity,
        "choices": choices,
        "required": False,
        "default": True,
        "deprecated": False,
        **more,
    }


STABLE_FEATURE = ("functional", "integration", "performance")
ANNOUNCED = TODAY - datetime.timedelta(days=60)
EFFECTIVE = TODAY - datetime.timedelta(days=29)

#: An SDK whose signatures changed since its contracts were recorded.
SDK = """
from __future__ import annotations
class BetaConfig:
    pass
def trace(fn, *, optimize=True): pass
def compile(model, *, flags="", cache=None): pass
def export(fn, *, example_inputs): pass
def helper(y): pass
def reorder(example_inputs, fn): pass
def positional(fn, /): pass
def needs(fn, device): pass
def defaults(fn, *, optimize): pass
def grows(fn, device=None, **options): pass
class Model:
    def __init__(self, path, *, dtype): pass
    def infer(self, x): pass
def run(cfg: BetaConfig | None = None): pass
def mystery(x: NotDefinedAnywhere) -> None: pass
"""

#: A click group whose command cannot be loaded any more.
LAZY = """
import click
class Lazy(click.Group):
    def list_commands(self, ctx):
        return ["build"]
    def get_command(self, ctx, name):
        raise ImportError("cannot load the build plugin")
cli = Lazy(name="cc")
"""

PARSER = """
import argparse
def build_parser():
    parser = argparse.ArgumentParser(prog="neuronx-cc")
    parser.add_argument("--auto-cast", "--autocast", choices=["none", "matmult"], default="none")
    parser.add_argument("-O", "--optlevel", type=int, nargs="+")
    parser.add_argument("--fast-math", type=int)
    parser.add_argument("--level", choices=["1", "2", "3"])
    parser.add_argument("--device", required=True)
    commands = parser.add_subparsers(dest="command")
    compile_ = commands.add_parser("compile", aliases=["c"])
    compile_.add_argument("--target", choices=["trn1"])
    return parser
"""

#: The SDK's api items, with their levels.
APIS = (
    ("trace", "stable"),
    ("compile", "stable"),
    ("export", "stable"),
    ("helper", "beta"),
    ("BetaConfig", "beta"),
    ("run", "stable"),
    ("mystery", "stable"),
    ("nope", "stable"),
    ("ex", "stable"),
    ("old", "stable"),
    ("reorder", "stable"),
    ("positional", "stable"),
    ("needs", "stable"),
    ("defaults", "stable"),
    ("grows", "stable"),
    ("Model", "stable"),
)


#: The flags of the parser as their contracts were recorded.
FLAGS = {
    "--auto-cast": flag("--auto-cast", choices=["all", "matmult", "none"]),
    "--optlevel": flag("--optlevel", "-O", default=False),
    "--fast-math": flag("--fast-math", arity="switch"),
    "--level": flag("--level", choices=["1", "2"], default=False),
    "--gone": flag("--gone"),
    "--device": flag("--device", default=False),
    "compile --target": flag("--target", choices=["inf2", "trn1"], default=False, command_aliases=["build", "c"]),
    "build --target": flag("--target", target="lazy:cli", default=False),
}

#: An SDK that reads environment variables: one no longer, one in a file that does not parse.
ENV_SDK = {
    "sdk/__init__.py": "",
    "sdk/runtime.py": "import os\ndef f(key):\n    return os.environ.get('NEURON_' + key)\n",
    "sdk/broken.py": "import os\nDEBUG = os.environ.get('NEURON_DEBUG')\ndef (:\n",
}
