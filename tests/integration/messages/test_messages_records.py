"""The catalogue of what a run says when it compares with a record: each message's exact wording,
asserted here once.

The classification over time (lifecycle) and API contracts (signatures, flags, environment
variables): each case writes the ``neuron-contracts.json`` a previous run would have left, then
runs pytest once on the project as it is now. Its lines must appear whole, exactly as written
below. Other tests record for real and check statuses, contract changes and report keys.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import catalogue
import pytest

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

Case = catalogue.Case


CATALOGUE = {
    "the classification over time": Case(
        files={
            "test_rt.py": module("rt", "stable", "package", *STABLE_FEATURE),
            "test_demoted.py": module("demoted", "beta", "feature"),
            "test_engine.py": module("engine", "stable", "package", *STABLE_FEATURE),
            "test_loader.py": module("loader", "alpha", "feature"),
            "test_nxd.py": module("nxd", "beta", "package"),
            "test_llama.py": module(
                "llama", "stable", "model", *MEASURED, framework="pt", library="nxd", workload="training"
            ),
            "neuron-contracts.json": contracts(
                {},
                {
                    "async_loading": ("feature", "stable"),
                    "noticed": ("feature", "stable"),
                    "future": ("feature", "stable"),
                    "demoted": ("feature", "stable"),
                    "engine": ("feature", "stable"),
                    "gone": ("feature", "beta"),
                    "rt": ("package", "beta"),
                    "nxd": ("package", "beta"),
                    "loader": ("feature", "alpha"),
                    "llama[framework=pt,library=nxd,workload=training]": ("model", "stable"),
                },
            ),
        },
        args=(),
        lines=(
            "lifecycle: 8 findings (5 break a promise)",
            "  stable feature async_loading was removed -> no notice was published for it; restore it, or publish a "
            'notice a month ahead ([[tool.neuron-classification.notices]] item = "async_loading")',
            f"  stable feature future was removed -> the notice announced {TODAY} takes effect "
            f"{TODAY + datetime.timedelta(days=40)}, which is after today ({TODAY}); restore it, or publish a notice a "
            'month ahead ([[tool.neuron-classification.notices]] item = "future")',
            "  stable feature demoted was demoted to beta -> no notice was published for it; restore its level, or "
            'publish a notice a month ahead ([[tool.neuron-classification.notices]] item = "demoted")',
            "  stable feature engine became a package -> no notice was published for it; restore its kind, or publish "
            'a notice a month ahead ([[tool.neuron-classification.notices]] item = "engine")',
            "  stable model llama (pt, nxd, training) rests on beta package nxd (its library) -> promote nxd to stable "
            "first, or classify the model beta",
            f"  stable feature noticed was removed -> covered by the notice announced {ANNOUNCED}, effective {EFFECTIVE}",
            "  beta feature gone was removed",
            "  beta package rt was promoted to stable -> since is 2.20.0, but it was promoted in release 2.21.0: set "
            'since = "2.21.0"',
            "neuron-classification: FAILED under enforce=error: 5 lifecycle findings break a promise (first: stable "
            "feature async_loading was removed; +4 more)",
        ),
        ret=1,
        config='release = "2.21.0"\n'
        + ITEM
        + 'name = "rt"\nkind = "package"\nsince = "2.20.0"\n'
        + NOTICE.format(item="noticed", announced=ANNOUNCED, effective=EFFECTIVE)
        + NOTICE.format(item="future", announced=TODAY, effective=TODAY + datetime.timedelta(days=40)),
    ),
    "API contracts": Case(
        files={
            "mysdk.py": SDK,
            "exiting.py": "import sys\nsys.exit(3)\n",
            "oldsdk.py": "raise ImportError('needs the Neuron driver')\n",
            "test_sdk.py": "import pytest\n"
            + "".join(
                f"@pytest.mark.neuron_{level}({name!r}, kind='api')\ndef test_{name.lower()}(): pass\n"
                for name, level in APIS
            ),
            "neuron-contracts.json": contracts(
                {
                    "trace": function("mysdk:trace", "fn", "example_inputs", "*optimize="),
                    "compile": function("mysdk:compile", "model", "*flags="),
                    "export": function("mysdk:export", "fn", "example_inputs"),
                    "helper": function("mysdk:helper", "x"),
                    "old": function("oldsdk:run", "x"),
                    "reorder": function("mysdk:reorder", "fn", "example_inputs"),
                    "positional": function("mysdk:positional", "fn"),
                    "needs": function("mysdk:needs", "fn"),
                    "defaults": function("mysdk:defaults", "fn", "*optimize="),
                    "grows": function("mysdk:grows", "fn"),
                    "Model": {
                        "type": "class",
                        "target": "mysdk:Model",
                        "init": parameters("path", "*dtype="),
                        "methods": {"predict": parameters("self", "x")},
                    },
                },
                {name: ("api", level) for name, level in APIS},
            ),
        },
        args=(),
        lines=(
            "API contracts:",
            "  stable api trace (mysdk:trace): contract broken",
            "    breaking: parameter `example_inputs` removed from `mysdk:trace`",
            "    notice: no notice was published for it",
            "  stable api compile (mysdk:compile): contract holds",
            "    additive: new optional keyword-only parameter `cache` in `mysdk:compile`",
            "    breaking: parameter `example_inputs` of `mysdk:export` changed from positional-or-keyword to "
            "keyword-only",
            f"    notice: covered by the notice announced {ANNOUNCED}, effective {EFFECTIVE}",
            "  beta api helper (mysdk:helper): changed (allowed below Stable)",
            "    breaking: new required positional-or-keyword parameter `y` in `mysdk:helper`",
            "    breaking: parameter `fn` of `mysdk:reorder` moved from position 1 to 2",
            "    breaking: parameter `example_inputs` of `mysdk:reorder` moved from position 2 to 1",
            "    breaking: parameter `fn` of `mysdk:positional` changed from positional-or-keyword to positional-only",
            "    breaking: parameter `optimize` of `mysdk:defaults` lost its default",
            "    additive: new optional positional-or-keyword parameter `device` in `mysdk:grows`",
            "    additive: new optional **kwargs parameter `options` in `mysdk:grows`",
            "    breaking: parameter `dtype` of the constructor of `mysdk:Model` lost its default",
            "    additive: method `mysdk:Model.infer` added",
            "    breaking: method `mysdk:Model.predict` removed",
            "    notice: the notice announced 2025-01-31 takes effect 2025-02-27, less than one month later (the earliest "
            "allowed is 2025-02-28)",
            "  stable api run (mysdk:run): no baseline recorded (run with --neuron-update-contracts)",
            "  stable api nope (mysdk:Nope): cannot be checked",
            "    error: mysdk has no attribute Nope",
            "    breaking: target `oldsdk:run` no longer imports (cannot import oldsdk: ImportError: needs the Neuron "
            "driver)",
            "  stable api trace: compat failing -> parameter `example_inputs` removed from `mysdk:trace` without a "
            "valid notice (no notice was published for it); restore it or publish a notice a month ahead",
            "  stable api nope: compat failing -> fix the target: mysdk has no attribute Nope",
            "  stable api ex: compat failing -> fix the target: cannot import exiting: SystemExit: 3",
            "lifecycle: 1 finding (1 breaks a promise)",
            "  stable api run exposes beta api BetaConfig (parameter cfg) -> promote BetaConfig to stable, or keep it "
            "out of the signature of run",
            "note: cannot resolve the annotation 'NotDefinedAnywhere' of mystery (parameter x): NameError; not "
            "checked for Beta or Alpha APIs",
            "neuron-classification: FAILED under enforce=error: 11 gaps break a promise (first: stable api Model: "
            "compat failing; +10 more); 1 lifecycle finding breaks a promise (first: stable api run exposes beta api "
            "BetaConfig (parameter cfg))",
        ),
        ret=1,
        config="".join(
            f'{ITEM}name = "{name}"\nkind = "api"\nlevel = "{level}"\ntarget = "{target}"\n'
            for name, level, target in (
                ("trace", "stable", "mysdk:trace"),
                ("compile", "stable", "mysdk:compile"),
                ("export", "stable", "mysdk:export"),
                ("helper", "beta", "mysdk:helper"),
                ("BetaConfig", "beta", "mysdk:BetaConfig"),
                ("run", "stable", "mysdk:run"),
                ("mystery", "stable", "mysdk:mystery"),
                ("nope", "stable", "mysdk:Nope"),
                ("ex", "stable", "exiting:f"),
                ("old", "stable", "oldsdk:run"),
            )
        )
        + "".join(
            f'{ITEM}name = "{name}"\nkind = "api"\ntarget = "mysdk:{name}"\n'
            for name in ("reorder", "positional", "needs", "defaults", "grows", "Model")
        )
        + NOTICE.format(item="needs", announced="2025-01-31", effective="2025-02-27")
        + NOTICE.format(item="export", announced=ANNOUNCED, effective=EFFECTIVE)
        + IMPORTABLE,
    ),
    "flags": Case(
        files={
            "cc.py": PARSER,
            "lazy.py": LAZY,
            "version.py": "VERSION = '1'\n",
            "factory.py": "def needs_a_name(prog): pass\ndef exits():\n    raise SystemExit(2)\n",
            "test_flags.py": "def test_a(): pass\n",
            "neuron-contracts.json": contracts(FLAGS, dict.fromkeys(FLAGS, ("api", "stable"))),
        },
        args=("--neuron-enforce=warn",),
        lines=(
            "    breaking: flag `--auto-cast` of `cc:build_parser` lost choice `all`",
            "    additive: flag `--auto-cast` of `cc:build_parser` gained alias `--autocast`",
            "    breaking: flag `--optlevel` of `cc:build_parser` changed from taking exactly one value to taking one or "
            "more values",
            "    breaking: flag `--fast-math` of `cc:build_parser` turned from a switch into an option that takes a value",
            "    additive: flag `--fast-math` of `cc:build_parser` lost its default",
            "    additive: flag `--level` of `cc:build_parser` gained choice `3`",
            "    breaking: flag `--gone` of `cc:build_parser` is gone",
            "    breaking: flag `--device` of `cc:build_parser` became required",
            "    breaking: flag `compile --target` of `cc:build_parser` lost choice `inf2`",
            "    breaking: flag `compile --target` of `cc:build_parser`: its subcommand lost its alias `build`",
            "    breaking: flag `build --target` of `lazy:cli` cannot be read any more (lazy:cli: reading its flags "
            "raised ImportError: cannot load the build plugin)",
            "    error: version:VERSION is a str, not an argparse parser, a function returning one, or a click command",
            "    error: factory:needs_a_name needs arguments; give a function that takes none and returns the parser",
            "    error: factory:exits: the parser factory raised SystemExit: 2",
            "    error: cc:build_parser has no flag '--autocst'; its flags are: --auto-cast, --device, --fast-math, "
            "--level, --optlevel, compile --target",
            "  api      --gone (gone since the contracts were recorded)  compat failing",
        ),
        ret=0,
        config='cli-parsers = ["cc:build_parser"]\n'
        + "".join(
            f'{ITEM}name = "{name}"\nkind = "api"\ntarget = "{target}"\n'
            for name, target in (
                ("build --target", "lazy:cli"),
                ("--version", "version:VERSION"),
                ("--name", "factory:needs_a_name"),
                ("--exit", "factory:exits"),
                ("--autocst", "cc:build_parser"),
            )
        )
        + IMPORTABLE,
        needs="click",
    ),
    "environment variables": Case(
        files={
            **ENV_SDK,
            "test_env.py": "def test_a(): pass\n",
            "neuron-contracts.json": contracts(
                {
                    name: {"type": "env", "target": f"env:{name}", "read_by": [read_by]}
                    for name, read_by in (
                        ("NEURON_RT_VISIBLE_CORES", "sdk/runtime.py:3"),
                        ("NEURON_CC_CACHE", "sdk/runtime.py:5"),
                        ("NEURON_DEBUG", "sdk/broken.py:2"),
                    )
                }
                | {"NEURON_CC_HOME": function("env:NEURON_CC_HOME")},
                {
                    "NEURON_RT_VISIBLE_CORES": ("api", "stable"),
                    "NEURON_CC_CACHE": ("api", "beta"),
                    "NEURON_DEBUG": ("api", "stable"),
                    "NEURON_CC_HOME": ("api", "stable"),
                },
            ),
        },
        args=("--neuron-enforce=warn",),
        lines=(
            "    breaking: NEURON_RT_VISIBLE_CORES is no longer read by sdk",
            "    breaking: `NEURON_CC_HOME` changed from a function to an env",
            "  beta api NEURON_CC_CACHE (env:NEURON_CC_CACHE): changed (allowed below Stable)",
            "note: env-modules: cannot parse sdk/broken.py (SyntaxError: {any}); skipped",
            "note: env-modules: NEURON_DEBUG kept as recorded (read in a file that cannot be parsed): not judged until "
            "the file parses",
            "note: NEURON_DYNAMIC: no read of it found in sdk (a name built at run time?); its contract checks that it "
            "stays read",
        ),
        ret=0,
        config='env-modules = ["sdk"]\n'
        + "".join(
            f'{ITEM}name = "{name}"\nkind = "api"\nlevel = "{level}"\ntarget = "env:{name}"\n'
            for name, level in (("NEURON_CC_CACHE", "beta"), ("NEURON_DYNAMIC", "beta"), ("NEURON_CC_HOME", "stable"))
        )
        + IMPORTABLE,
    ),
}


@pytest.mark.parametrize("case", CATALOGUE.values(), ids=CATALOGUE.keys())
def test_the_plugin_says_it_in_these_words(project, case):
    catalogue.check(project, case)
