"""The catalogue of the plugin's usage errors: each one's exact wording, asserted here once.

A mistake in the configuration, an option or the code the plugin imports stops the run before
any test, in one line that names the file and the fix (exit 4; a few, known only once the tests
are collected, fail the run instead). Users act on these lines, so their words are part of the
product. Each case is a real pytest run of a small project; its line must appear whole, exactly
as written below. Other tests check exit codes, statuses and report keys, so a change of wording
is reviewed here, in one place. Errors about the files a run reads and writes are in
test_messages_files.py; those of the user's code the plugin imports (``api-modules``, parsers,
``env-modules``, hooks) in test_messages_user_code.py.
"""

from __future__ import annotations

import json
from functools import partial

import catalogue
import pytest

#: The start of every error found in the pyproject.toml's table.
TABLE = "ERROR: neuron-classification: pyproject.toml: [tool.neuron-classification] "
#: Lets a run import the modules the project holds (an ``api-modules`` module, a parser factory).
IMPORTABLE = '[tool.pytest.ini_options]\npythonpath = ["."]\n'
ITEM = "[[tool.neuron-classification.items]]\n"


def waiver(extra: str = "", without: str = "") -> str:
    entry = (
        '[[tool.neuron-classification.waivers]]\nitem = "runtime"\nobligation = "performance"\n'
        'reason = "no Trainium runner"\nowner = "release-eng"\nexpires = 2999-01-01\n'
    )
    return "".join(line + "\n" for line in entry.splitlines() if not line.startswith(without or "\0")) + extra


Case = partial(
    catalogue.Case, stream="stderr", ret=pytest.ExitCode.USAGE_ERROR, base={"test_a.py": "def test_a(): pass\n"}
)


CATALOGUE = {
    # --- the pyproject.toml table -------------------------------------------------------------
    "an unknown enforce value": Case(
        lines=TABLE + "unknown value for enforce 'loud'; use one of: error, warn, off", config='enforce = "loud"\n'
    ),
    "an unknown default kind": Case(
        lines=TABLE + "unknown default-kind 'widget'; use one of: api, package, feature, model",
        config='default-kind = "widget"\n',
    ),
    "an unknown category in the standard suite": Case(
        lines=TABLE
        + "unknown category in standard-suite 'smoke'; use one of: functional, integration, performance, accuracy, compat",
        config='standard-suite = ["functional", "smoke"]\n',
    ),
    "an empty standard suite": Case(
        lines=TABLE + "standard-suite must name at least one category", config="standard-suite = []\n"
    ),
    "an unknown category given test patterns": Case(
        lines=TABLE
        + "unknown category in category-tests 'speed'; use one of: integration, performance, accuracy, compat",
        config='category-tests = { speed = ["tests/test_perf.py"] }\n',
    ),
    "a category's test pattern outside the folder": Case(
        lines=TABLE + "category-tests.integration: tests glob '../e2e/*.py' leaves the pyproject.toml's folder ('..'); "
        "write it relative to the pyproject.toml's folder",
        config='category-tests = { integration = ["tests/test_e.py", "../e2e/*.py"] }\n',
    ),
    "a category's test patterns that are not a list": Case(
        lines=TABLE + "category-tests.integration: the value must be a list of strings, not 'tests/test_e.py'",
        config='category-tests = { integration = "tests/test_e.py" }\n',
    ),
    "an unknown category given names": Case(
        lines=TABLE
        + "unknown category in [categories] 'speed'; use one of: integration, performance, accuracy, compat",
        config='[tool.neuron-classification.categories]\nspeed = ["perf"]\n',
    ),
    "category names that are not a list": Case(
        lines=TABLE + "categories.performance must be a list of strings, not 'perf'",
        config='[tool.neuron-classification.categories]\nperformance = "perf"\n',
    ),
    "an unknown key": Case(
        lines=TABLE
        + "unknown key 'enforcee'; known keys: enforce, default-kind, standard-suite, contracts, categories, category-tests, "
        "items, notices, notice, waivers, api-modules, annotations, measured, cli-parsers, env-modules, metrics, "
        "metrics-tolerance, environment, fail-on-improvement, benchmark-statistic, baseline-from, baseline-runs, "
        "metric-window, release, release-from, level-markers",
        config='enforcee = "warn"\n',
    ),
    "an item without a name": Case(
        lines=TABLE + 'items[0]: no name; add name = "..."', config=ITEM + 'kind = "package"\n'
    ),
    "an item name with a terminal escape": Case(
        # The name is shown escaped wherever the line names it, never as the bytes it holds.
        lines=TABLE + "items[0] (a\\x1b[31mb): the item name 'a\\x1b[31mb' contains '[', ']', a control character "
        "or a lone surrogate; '[...]' is how a model's id spells its coupling, so such a name could collide with one: "
        "rename it",
        config=ITEM + 'name = "a\\u001b[31mb"\n',
    ),
    "one name in two Unicode spellings": Case(
        # café composed (U+00E9) and decomposed (e + U+0301): one name once read as NFC, so one item.
        lines=TABLE
        + "item 'caf\u00e9' is listed twice (pyproject.toml items[0] and pyproject.toml items[1]); keep one entry",
        config=ITEM + 'name = "caf\\u00e9"\n' + ITEM + 'name = "cafe\\u0301"\n',
    ),
    "an unknown level": Case(
        lines=TABLE + "items[0] (rt): unknown level 'gamma'; use one of: stable, beta, alpha",
        config=ITEM + 'name = "rt"\nlevel = "gamma"\n',
    ),
    "an unknown kind": Case(
        lines=TABLE + "items[0] (rt): unknown kind 'runtime'; use one of: api, package, feature, model",
        config=ITEM + 'name = "rt"\nkind = "runtime"\n',
    ),
    "an item listed twice": Case(
        lines=TABLE + "item 'rt' is listed twice (pyproject.toml items[0] and pyproject.toml items[1]); keep one entry",
        config=ITEM + 'name = "rt"\n' + ITEM + 'name = "rt"\n',
    ),
    "a since that is no version": Case(
        lines=TABLE + "items[0] (rt): since = 'two' is not a PEP 440 version; write it like \"2.19.0\"",
        config=ITEM + 'name = "rt"\nsince = "two"\n',
    ),
    "a since written as a number": Case(
        lines=TABLE + 'items[0] (rt): since = 2.1 is not a string; quote the version, like since = "2.10.0"',
        config=ITEM + 'name = "rt"\nsince = 2.10\n',
    ),
    "a model without a workload": Case(
        lines=TABLE + "items[0] (llama): model 'llama' needs workload='training' or workload='inference'",
        config=ITEM + 'name = "llama"\nkind = "model"\n',
    ),
    "an alpha model": Case(
        lines=TABLE + "items[0] (llama): a model class has no Alpha level; classify it neuron_beta or neuron_stable",
        config=ITEM + 'name = "llama"\nkind = "model"\nlevel = "alpha"\nworkload = "training"\n',
    ),
    "a target on an item that is no api": Case(
        lines=TABLE + "items[0] (rt): target is only for api items", config=ITEM + 'name = "rt"\ntarget = "rt:run"\n'
    ),
    "an unknown key of an item": Case(
        lines=TABLE
        + "items[0] (rt): unknown key 'owner'; known keys: name, kind, level, since, target, tests, framework, "
        "library, workload, package",
        config=ITEM + 'name = "rt"\nowner = "me"\n',
    ),
    "a tests glob that is no list": Case(
        lines=TABLE + "items[0] (rt): tests must be a list of strings, not 'tests/**'",
        config=ITEM + 'name = "rt"\ntests = "tests/**"\n',
    ),
    "an empty tests glob": Case(
        lines=TABLE
        + "items[0] (rt): tests glob '' names no file; write a path such as 'tests/' or 'tests/test_ops.py'",
        config=ITEM + 'name = "rt"\ntests = [""]\n',
    ),
    "a tests pattern with nothing after '::'": Case(
        lines=TABLE + "items[0] (rt): tests glob 'tests/test_ops.py::' names no test after '::'; add one, such as "
        "tests/test_ops.py::test_add*",
        config=ITEM + 'name = "rt"\ntests = ["tests/test_ops.py::"]\n',
    ),
    "an absolute tests glob": Case(
        lines=TABLE + "items[0] (rt): tests glob '/abs/tests/test_a.py' is an absolute path; write it relative to the "
        "pyproject.toml's folder",
        config=ITEM + 'name = "rt"\ntests = ["/abs/tests/test_a.py"]\n',
    ),
    "a tests glob that goes up": Case(
        lines=TABLE
        + "items[0] (rt): tests glob 'tests/../../x.py' leaves the pyproject.toml's folder ('..'); write it "
        "relative to the pyproject.toml's folder",
        config=ITEM + 'name = "rt"\ntests = ["tests/../../x.py"]\n',
    ),
    "a notice date that is no date": Case(
        lines=TABLE + "notices[0]: announced must be a TOML date like 2026-09-01, not 'soon'",
        config='[[tool.neuron-classification.notices]]\nitem = "x"\nannounced = "soon"\neffective = 2026-01-01\n',
    ),
    "a notice effective before it is announced": Case(
        lines=TABLE + "notices[0]: effective (2026-08-01) is before announced (2026-09-01); swap them",
        config='[[tool.neuron-classification.notices]]\nitem = "x"\nannounced = 2026-09-01\neffective = 2026-08-01\n',
    ),
    "a notice naming no item": Case(
        lines=TABLE + "notices[0]: item 'tracee' is not an item this run classifies, nor one recorded with "
        "--neuron-update-contracts (those are: none); fix the name or delete the notice",
        config='[[tool.neuron-classification.notices]]\nitem = "tracee"\nannounced = 2026-01-01\neffective = 2026-02-01\n',
        # Known only once the tests are collected: markers classify items too.
        stream="stdout",
        ret=pytest.ExitCode.TESTS_FAILED,
    ),
    "an enforce level given twice": Case(
        lines=TABLE + "enforce names stable twice (levels are case-insensitive); keep one",
        config='enforce = { Stable = "error", stable = "off" }\n',
    ),
    "an unknown level in the enforce table": Case(
        lines=TABLE + "unknown level in the enforce table 'gamma'; use one of: stable, beta, alpha",
        config='enforce = { gamma = "error" }\n',
    ),
    "an unknown measured category": Case(
        lines=TABLE
        + "measured: unknown category 'speed'; use one of functional, integration, performance, accuracy, compat",
        config='measured = ["speed"]\n',
    ),
    "a negative tolerance": Case(
        lines=TABLE + "metrics-tolerance must be a number >= 0 (0.1 means 10%), not -0.1",
        config="[tool.neuron-classification.metrics-tolerance]\ndefault = -0.1\n",
    ),
    "an unknown benchmark statistic": Case(
        lines=TABLE + "unknown benchmark-statistic 'ops'; use one of: median, mean, min",
        config='benchmark-statistic = "ops"\n',
    ),
    "a history baseline without a history": Case(
        lines='ERROR: neuron-classification: baseline-from = "history" needs --neuron-history=PATH: the history to judge by',
        config='baseline-from = "history"\n',
    ),
    "a metric window of no runs": Case(
        lines=TABLE + "metric-window must be a whole number of runs from 1 to 1000, not 0",
        config="metric-window = 0\n",
    ),
    "a run of a metric window that is no number": Case(
        lines="ERROR: neuron-classification: {root}/neuron-metrics.json: environment 'default', item 'x', test 't.py::t', "
        'metric \'lat\': a run of the window must be {"value": number, "spread": number >= 0 or null}, not '
        "{'value': 'fast'}; fix it, or delete it and record it again with --neuron-update-metrics",
        files={
            "neuron-metrics.json": json.dumps(
                {
                    "schema": "pytest-neuron-classification-metrics/2",
                    "environments": {
                        "default": {"x": {"t.py::t": {"lat": {"value": 1.0, "window": [{"value": "fast"}]}}}}
                    },
                }
            )
        },
    ),
    "a release given twice": Case(
        lines=TABLE + "release and release-from are both set; keep one",
        config='release = "2.21.0"\nrelease-from = "pytest"\n',
    ),
    "a release from a distribution not installed": Case(
        lines=TABLE
        + "release-from = 'no-such-distribution-xyz': no installed distribution has that name; install it or "
        'write the version, like release = "2.21.0"',
        config='release-from = "no-such-distribution-xyz"\n',
    ),
    "a release written as a number": Case(
        lines=TABLE + 'release = 2.21 is not a string; quote the version, like release = "2.10.0"',
        config="release = 2.21\n",
    ),
    "a since later than the release": Case(
        lines=TABLE + "items[0] (rt): since = '2.22.0' is later than the release 2.21.0; a release cannot ship an item "
        'from a later one: set since = "2.21.0" or earlier',
        config='release = "2.21.0"\n' + ITEM + 'name = "rt"\nsince = "2.22.0"\n',
    ),
    "a waiver without a reason": Case(
        lines=TABLE + 'waivers[0]: no reason; add reason = "..." (a waiver needs item, obligation, reason, owner)',
        config=waiver(without="reason"),
    ),
    "a waiver without an owner": Case(
        lines=TABLE + 'waivers[0]: no owner; add owner = "..." (a waiver needs item, obligation, reason, owner)',
        config=waiver(without="owner"),
    ),
    "a waiver without an expiry": Case(
        lines=TABLE + "waivers[0]: expires must be a TOML date like 2027-03-31, not None",
        config=waiver(without="expires"),
    ),
    "an unknown key of a waiver": Case(
        lines=TABLE + "waivers[0]: unknown key 'team'; known keys: item, obligation, reason, owner, link, expires",
        config=waiver('team = "x"\n'),
    ),
    "a waiver of an unknown obligation": Case(
        lines="ERROR: neuron-classification: pyproject.toml: waivers[0]: unknown obligation 'speed'; use one of accuracy, "
        "basic, compat, functional, integration, performance, standard",
        config=waiver().replace('obligation = "performance"', 'obligation = "speed"'),
    ),
    "an alias that is one of ours": Case(
        lines=TABLE + "level-markers.beta: 'neuron_beta' is not one of your own markers (neuron_* markers are this "
        "plugin's); list marker names such as 'experimental'",
        config='[tool.neuron-classification.level-markers]\nbeta = ["neuron_beta"]\n',
    ),
    "an alias of an unknown level": Case(
        lines=TABLE + "unknown level in level-markers 'gamma'; use one of: stable, beta, alpha",
        config='[tool.neuron-classification.level-markers]\ngamma = ["exp"]\n',
    ),
    "aliases that are not a list": Case(
        lines=TABLE + "level-markers.beta must be a list of strings, not 'exp'",
        config='[tool.neuron-classification.level-markers]\nbeta = "exp"\n',
    ),
    "an alias level given twice": Case(
        lines=TABLE + "level-markers names alpha twice (levels are case-insensitive); keep one",
        config='[tool.neuron-classification.level-markers]\nalpha = ["x"]\nALPHA = ["y"]\n',
    ),
    "an empty alias": Case(
        lines=TABLE + "level-markers.alpha: '' is not a marker name; a marker name is a non-empty identifier such as "
        "'experimental'",
        config='[tool.neuron-classification.level-markers]\nalpha = [""]\n',
    ),
    "an alias that is no identifier": Case(
        lines=TABLE
        + "level-markers.beta: 'my-marker' is not a marker name; a marker name is a non-empty identifier such as "
        "'experimental'",
        config='[tool.neuron-classification.level-markers]\nbeta = ["my-marker"]\n',
    ),
    "invalid TOML": Case(
        lines="ERROR: neuron-classification: pyproject.toml: invalid TOML ({any}); fix the syntax",
        files={"pyproject.toml": "[tool.neuron-classification\nenforce = 'x'\n", "tox.ini": "[pytest]\n"},
        # Without -c, pytest reads the file first and says it in its own words.
        args=("-c", "tox.ini"),
    ),
    # --- ini options and the command line ------------------------------------------------------
    "an unknown enforce value in the ini file": Case(
        lines="ERROR: neuron-classification: {root}/tox.ini: neuron_enforce = 'sometimes' is not one of error, warn, off",
        files={"tox.ini": "[pytest]\nneuron_enforce = sometimes\n"},
    ),
    "an unknown enforce value on the command line": Case(
        # argparse's own words for a choice (its quoting of the choices differs across Python versions)
        lines="pytest.main(): error: argument --neuron-enforce: invalid choice: 'loud' (choose from {any}error{any}, {any}warn{any}, {any}off{any})",
        args=("--neuron-enforce=loud",),
    ),
    "an unknown scope on the command line": Case(
        lines="pytest.main(): error: argument --neuron-scope: invalid choice: 'some' (choose from {any}all{any}, {any}collected{any})",
        args=("--neuron-scope=some",),
    ),
    "an environment key without a value": Case(
        lines="ERROR: neuron-classification: --neuron-env 'instance': give KEY=VALUE", args=("--neuron-env", "instance")
    ),
    "a gap baseline to update without its path": Case(
        lines="ERROR: neuron-classification: --neuron-update-baseline needs --neuron-baseline=PATH to know where to write",
        args=("--neuron-update-baseline",),
    ),
    "a shard that is not K/N": Case(
        lines="ERROR: neuron-classification: --neuron-shard=2: not K/N; give K/N, this job's shard K (from 1) of N, "
        "such as 2/3",
        args=("--neuron-shard=2",),
    ),
    "a shard beyond the count": Case(
        lines="ERROR: neuron-classification: --neuron-shard=4/3: shard 4 of 3 does not exist; give K/N, this job's "
        "shard K (from 1) of N, such as 2/3",
        args=("--neuron-shard=4/3",),
    ),
    "a shard count past the most": Case(
        lines="ERROR: neuron-classification: --neuron-shard=1/1000000000000: more than 10000 shards; give K/N, this "
        "job's shard K (from 1) of N, such as 2/3",
        args=("--neuron-shard=1/1000000000000",),
    ),
    "an empty job name": Case(
        lines="ERROR: neuron-classification: --neuron-job= is empty; give the CI job's name, such as unit-linux",
        args=("--neuron-job=",),
    ),
    "a job name of two lines": Case(
        lines="ERROR: neuron-classification: --neuron-job='unit\\nlinux' is not one line of text; give the CI job's "
        "name, such as unit-linux",
        args=("--neuron-job=unit\nlinux",),
    ),
    # --- code the plugin imports or calls ------------------------------------------------------
}


@pytest.mark.parametrize("case", CATALOGUE.values(), ids=CATALOGUE.keys())
def test_the_plugin_says_it_in_these_words(project, case):
    catalogue.check(project, case)
