"""The catalogue of what a run says when it compares with a record: each message's exact wording,
asserted here once.

The classification over time (lifecycle) and API contracts (signatures, flags, environment
variables): each case writes the ``neuron-contracts.json`` a previous run would have left, then
runs pytest once on the project as it is now. Its lines must appear whole, exactly as written
below. Other tests record for real and check statuses, contract changes and report keys.
"""

from __future__ import annotations

import datetime

import catalogue
import pytest
from record_projects import (
    ANNOUNCED,
    APIS,
    EFFECTIVE,
    ENV_SDK,
    FLAGS,
    IMPORTABLE,
    ITEM,
    LAZY,
    MEASURED,
    NOTICE,
    PARSER,
    SDK,
    STABLE_FEATURE,
    TODAY,
    contracts,
    function,
    module,
    parameters,
)

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
