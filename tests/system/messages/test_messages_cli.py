"""The catalogue of what the command line says: each message's exact wording, asserted here once.

``python -m pytest_neuron_classification`` (``record``, ``merge``, ``table``) refuses bad input in one
line on stderr and exits 2, having written nothing; ``merge`` prints the combined audit's notes and
verdict. Each case runs the command in a subprocess, as a user does, in a small project (after a
pytest run when the command needs its report); its line must appear whole, exactly as written
below. Other tests check exit codes, the files written and their keys.
"""

from __future__ import annotations

import json
import os
from typing import Any

import catalogue
import pytest

SCRIPT = "scripts/convergence.sh"
LLAMA_ID = "llama[workload=training]"
RECORD = (
    *("record", "--item", "llama", "--kind", "model", "--level", "beta", "--workload", "training"),
    *("--category", "convergence", "--source", SCRIPT),
)
#: The start of every refusal of ``record`` for the item RECORD names, written to e.json.
REFUSED = "python -m pytest_neuron_classification record: error: --item llama (--output e.json): "
MERGE = "python -m pytest_neuron_classification merge: error: "
MODULE = "import pytest\npytestmark = pytest.mark.neuron_stable('runtime', kind='package')\ndef test_unit(): pass\n"
EVIDENCE = "pytest-neuron-classification-evidence/1"


#: Sharding plugins' options, stored where each stores them (none of them needs to be installed).
SPLIT = 'def pytest_addoption(parser):\n    parser.addoption("--splits", type=int)\n    parser.addoption("--group", type=int)\n'
GROUPS = (
    "def pytest_addoption(parser):\n"
    '    parser.addoption("--test-group-count", dest="test-group-count", type=int)\n'
    '    parser.addoption("--test-group", dest="test-group", type=int)\n'
)
SHARD = (
    "def pytest_addoption(parser):\n"
    '    parser.addoption("--num-shards", dest="num_shards", type=int, default=1)\n'
    '    parser.addoption("--shard-id", dest="shard_id", type=int, default=0)\n'
)


def next_commit(report: dict[str, Any]) -> None:
    """``report`` as shard 2 of 2 of a later commit, whose test has another name."""
    report["placement"]["shard"]["index"] = 2
    report["placement"]["collection"] = {"fingerprint": "sha256:0", "tests": 2}
    report["tests"][0]["nodeid"] = "test_runtime.py::test_new"


def collected_whole(report: dict[str, Any]) -> None:
    """``report`` as a ``--collect-only`` report of the whole suite: the run's file and test_runtime.py."""
    report["mode"] = "collect"
    report["tests"] = [dict(report["tests"][0], outcome="collected"), dict(report["tests"][0], outcome="collected")]
    report["tests"][1]["nodeid"] = "test_runtime.py::test_unit"


def record(*args: str, output: str = "e.json") -> tuple[str, ...]:
    return (*RECORD, *args, "--output", output)


def result(**overrides: Any) -> dict[str, Any]:
    """A result of the convergence script as ``record`` writes it."""
    return {
        "item": "llama",
        "kind": "model",
        "level": "beta",
        "coupling": {"workload": "training"},
        "category": "convergence",
        "outcome": "passed",
        "source": SCRIPT,
        "metrics": [],
        **overrides,
    }


def evidence(*results: dict[str, Any]) -> str:
    return json.dumps({"schema": EVIDENCE, "results": list(results)})


def Case(**fields: Any) -> catalogue.Case:
    """A command's case: refused on stderr with exit 2 unless it says otherwise; a case that reads a
    run's report writes the project first (a Stable package with a test, and an empty table)."""
    if fields.get("run") is not None:
        fields = {"config": "", "base": {"test_runtime.py": MODULE}, **fields}
    return catalogue.Case(**{"command": True, "ret": 2, "stream": "stderr", "config": None, **fields})


CATALOGUE = {
    # --- record -------------------------------------------------------------------------------
    "a result recorded": Case(
        args=record("--outcome", "passed", "--metric", "loss=1.93:lower"),
        lines=f"recorded passed: {SCRIPT}::{LLAMA_ID}::convergence in e.json (1 result)",
        ret=0,
        stream="stdout",
    ),
    "a result failed by its bound": Case(
        args=record("--outcome", "passed", "--metric", "loss=3:max=2.5"),
        lines=f"recorded failed (loss = 3, above max 2.5): {SCRIPT}::{LLAMA_ID}::convergence in e.json (1 result)",
        ret=0,
        stream="stdout",
    ),
    "an unknown outcome": Case(
        args=record("--outcome", "xpassed"),
        lines=REFUSED + "unknown outcome 'xpassed'; use one of: passed, failed, skipped",
    ),
    "an unknown level": Case(
        args=record("--outcome", "passed", "--level", "gamma"),
        lines=REFUSED + "unknown level 'gamma'; use one of: stable, beta, alpha",
    ),
    "a metric without a value": Case(
        args=record("--outcome", "passed", "--metric", "loss"),
        lines=REFUSED + "--metric 'loss' has no '='; use NAME=VALUE[:higher|lower][:unit=UNIT][:min=X][:max=X]",
    ),
    "a metric whose value is no number": Case(
        args=record("--outcome", "passed", "--metric", "loss=low"),
        lines=REFUSED + "--metric 'loss=low': the value 'low' is not a number",
    ),
    "a metric whose bounds cross": Case(
        args=record("--outcome", "passed", "--metric", "x=1:min=2:max=1"),
        lines=REFUSED + "--metric 'x=1:min=2:max=1': min of x (2) is greater than its max (1)",
    ),
    "a metric that gives its direction twice": Case(
        args=record("--outcome", "passed", "--metric", "x=1:lower:higher"),
        lines=REFUSED
        + "--metric 'x=1:lower:higher': cannot read 'higher'; use NAME=VALUE[:higher|lower][:unit=UNIT][:min=X]"
        "[:max=X]",
    ),
    "a metric given twice": Case(
        args=record("--outcome", "passed", "--metric", "x=1", "--metric", "x=2:lower"),
        lines=REFUSED + "metric 'x' is given twice; give each metric once",
    ),
    "a metric that is not finite": Case(
        args=record("--outcome", "failed", "--metric", "final_loss=nan:lower:max=2"),
        lines=REFUSED
        + "--metric 'final_loss=nan:lower:max=2': the value 'nan' cannot be compared with anything; to record "
        "a diverged run, give --outcome failed without this --metric",
    ),
    "a source with a double colon": Case(
        args=(*RECORD[:-1], "x::y", "--outcome", "passed", "--output", "e.json"),
        lines=REFUSED + "source 'x::y' contains '::', which separates SOURCE::ITEM_ID::CATEGORY; use '/'",
    ),
    "a category with a double colon": Case(
        args=(*RECORD[:-4], "--category", "a::b", "--source", SCRIPT, "--outcome", "passed", "--output", "e.json"),
        lines=REFUSED + "category 'a::b' contains '::', which separates SOURCE::ITEM_ID::CATEGORY; use '/'",
    ),
    "an output over a source file": Case(
        args=record("--outcome", "passed", output="pyproject.toml"),
        lines="python -m pytest_neuron_classification record: error: --output=pyproject.toml: refusing to overwrite "
        "pyproject.toml, a source or configuration file; choose an evidence file path",
        files={"pyproject.toml": "[tool.neuron-classification]\n"},
    ),
    "an output over a report": Case(
        args=record("--outcome", "passed", output="report.json"),
        lines="python -m pytest_neuron_classification record: error: --output=report.json: report.json exists and is "
        "not an evidence file of this plugin; give the evidence file a path of its own (or delete the file first)",
        files={"report.json": json.dumps({"schema": "pytest-neuron-classification/2"})},
    ),
    "an evidence file named like a configuration file": Case(
        args=record("--outcome", "passed", output="setup.cfg"),
        lines="python -m pytest_neuron_classification record: error: --output=setup.cfg: refusing to create "
        "setup.cfg, a source or configuration file; choose an evidence file path",
    ),
    "an output of another schema": Case(
        args=record("--outcome", "passed", output="e.json"),
        lines=REFUSED + "refusing to replace a file this command cannot extend (e.json: schema "
        "'pytest-neuron-classification-evidence/9' is not 'pytest-neuron-classification-evidence/1'; write it with "
        "python -m pytest_neuron_classification record)",
        files={"e.json": json.dumps({"schema": "pytest-neuron-classification-evidence/9"})},
    ),
    "an output that is a folder": Case(
        args=record("--outcome", "passed", output="folder"),
        lines="python -m pytest_neuron_classification record: error: --output=folder: folder is not a regular file; give "
        "the path of an evidence file (created if absent)",
        files={"folder/keep.txt": ""},
    ),
    "an empty output": Case(
        args=record("--outcome", "passed", output=""),
        lines="python -m pytest_neuron_classification record: error: --output= is empty; give the path of the evidence file",
    ),
    "an item name with a newline": Case(
        args=(
            *("record", "--item", "a\nb", "--kind", "feature", "--level", "beta", "--category", "functional"),
            *("--outcome", "passed", "--source", "job", "--output", "e.json"),
        ),
        lines="python -m pytest_neuron_classification record: error: --item 'a\\nb' (--output e.json): the item name "
        "'a\\nb' contains '[', ']', a control character or a lone surrogate; '[...]' is how a model's id spells its "
        "coupling, so such a name could collide with one: rename it",
    ),
    # --- merge --------------------------------------------------------------------------------
    "a report that is not JSON": Case(
        args=("merge", "neuron-report.json", "bad.json", "--json", "out.json"),
        lines=MERGE
        + "bad.json: cannot read the report (not valid JSON: {any}); produce it with --neuron-json from this "
        "plugin version",
        files={"bad.json": '{"schema": "pytest-neuron-classification/2", "items": ['},
        run=(),
    ),
    "a report of another schema": Case(
        args=("merge", "neuron-report.json", "bad.json"),
        lines=MERGE
        + "bad.json: schema 'pytest-neuron-classification/9' is not 'pytest-neuron-classification/2'; produce "
        "it with --neuron-json from this plugin version",
        files={"bad.json": '{"schema": "pytest-neuron-classification/9"}'},
        run=(),
    ),
    "a report without its policy": Case(
        args=("merge", "neuron-report.json", "bad.json"),
        lines=MERGE + "bad.json: malformed report (KeyError: 'policy')",
        files={"bad.json": '{"schema": "pytest-neuron-classification/2", "mode": "run"}'},
        run=(),
    ),
    "a report that does not exist": Case(
        args=("merge", "nowhere.json"),
        lines=MERGE
        + "nowhere.json: cannot read the report (No such file or directory); produce it with --neuron-json from "
        "this plugin version",
    ),
    "a report with an unknown outcome": Case(
        args=("merge", "neuron-report.json"),
        lines=MERGE
        + "neuron-report.json: unknown outcome of test_runtime.py::test_unit 'bogus'; use one of: passed, failed, "
        "error, skipped, xfailed, not-run, collected",
        run=(),
        damage=lambda r: r["tests"][0].update(outcome="bogus"),
    ),
    "a report with an unknown level": Case(
        args=("merge", "neuron-report.json"),
        lines=MERGE + "neuron-report.json: unknown level 'gamma'; use one of: stable, beta, alpha",
        run=(),
        damage=lambda r: r["items"][0].update(level="gamma"),
    ),
    "a report whose item name is no string": Case(
        args=("merge", "neuron-report.json"),
        lines=MERGE + "neuron-report.json: the item name must be a non-empty string, not 7",
        run=(),
        damage=lambda r: r["items"][0].update(name=7),
    ),
    "a report with a model without workload": Case(
        args=("merge", "neuron-report.json"),
        lines=MERGE + "neuron-report.json: model 'runtime' needs workload='training' or workload='inference'",
        run=(),
        damage=lambda r: r["items"][0].update(kind="model"),
    ),
    "a report whose policy has an unknown obligation": Case(
        args=("merge", "neuron-report.json"),
        lines=MERGE
        + "neuron-report.json: unknown obligation 'x' for beta api; use one of accuracy, basic, compat, functional, "
        "integration, performance, standard (a new category must be declared with pytest_neuron_categories first)",
        run=(),
        damage=lambda r: r["policy"].update(obligations=[{"kind": "api", "level": "beta", "obligations": ["x"]}]),
    ),
    "a report whose policy lacks a row": Case(
        args=("merge", "neuron-report.json"),
        lines=MERGE + "neuron-report.json: the policy has no obligations for stable package",
        run=(),
        damage=lambda r: r["policy"].update(obligations=[r["policy"]["obligations"][0]]),
    ),
    "a report whose measured is no list": Case(
        args=("merge", "neuron-report.json"),
        lines=MERGE + "neuron-report.json: policy.measured must list known categories, not 'performance'",
        run=(),
        damage=lambda r: r["policy"].update(measured="performance"),
    ),
    "a report with an unknown contract state": Case(
        args=("merge", "neuron-report.json"),
        lines=MERGE
        + "neuron-report.json: unknown contract state 'fine'; use one of: holds, broken, changed, no-baseline, "
        "unimportable",
        config='[[tool.neuron-classification.items]]\nname = "dumps"\nkind = "api"\ntarget = "json:dumps"\n',
        files={
            "test_dumps.py": "import pytest\npytestmark = pytest.mark.neuron_stable('dumps', kind='api')\n"
            "def test_call(): pass\n"
        },
        run=(),
        damage=lambda r: r["items"][0]["contract"].update(state="fine"),
    ),
    "a report of the first schema": Case(
        args=("merge", "neuron-report.json"),
        lines=MERGE
        + "neuron-report.json: schema 'pytest-neuron-classification/1' is not 'pytest-neuron-classification/2'; "
        "produce it with --neuron-json from this plugin version",
        run=(),
        damage=lambda r: r.update(schema="pytest-neuron-classification/1"),
    ),
    "a report given twice": Case(
        args=("merge", "neuron-report.json", "./neuron-report.json"),
        lines=MERGE + "neuron-report.json is given twice; give each report once",
        run=(),
    ),
    "an output that is one of the reports": Case(
        args=("merge", "neuron-report.json", "--json", "./neuron-report.json"),
        lines=MERGE
        + "--json=./neuron-report.json names one of the reports to merge; give the report a path of its own",
        run=(),
    ),
    "an output over the gap baseline": Case(
        args=("merge", "neuron-report.json", "--baseline", "gb.json", "--json", "gb.json"),
        lines=MERGE + "--json=gb.json names the gap baseline this merge reads; give the report a path of its own",
        files={"gb.json": json.dumps({"schema": "pytest-neuron-classification-baseline/1", "gaps": []})},
        run=(),
    ),
    "a page over the metric baseline": Case(
        args=("merge", "neuron-report.json", "--metrics", "m.json", "--html", "m.json"),
        lines=MERGE + "--html=m.json names the metric baseline this merge reads; give the report a path of its own",
        files={"m.json": '{"schema": "pytest-neuron-classification-metrics/2", "environments": {}}'},
        run=(),
    ),
    "an output over the history": Case(
        args=("merge", "neuron-report.json", "--history", "h.jsonl", "--markdown", "h.jsonl"),
        lines=MERGE + "--markdown=h.jsonl names the metric history this merge reads; give the report a path of its own",
        files={"h.jsonl": ""},
        run=(),
    ),
    "a merged report named like a configuration file": Case(
        args=("merge", "neuron-report.json", "--json", "tox.ini"),
        lines=MERGE
        + "--json=tox.ini: refusing to create tox.ini, a source or configuration file; choose a report path",
        run=(),
    ),
    "an output over a test module": Case(
        args=("merge", "neuron-report.json", "--json", "test_runtime.py"),
        lines=MERGE + "--json=test_runtime.py: refusing to overwrite test_runtime.py, a source or configuration file; "
        "choose a report path",
        run=(),
    ),
    "an output that cannot be written": Case(
        args=("merge", "neuron-report.json", "--json", "file/out.json"),
        lines=MERGE + "--json=file/out.json: cannot create a file under {any}/file; choose a writable path",
        files={"file": "x"},
        run=(),
    ),
    "a gap baseline of another schema": Case(
        args=("merge", "neuron-report.json", "--baseline", "bad.json"),
        lines=MERGE
        + "bad.json: schema None is not 'pytest-neuron-classification-baseline/1'; fix it, or record it with "
        "--neuron-update-baseline",
        files={"bad.json": "[]"},
        run=(),
    ),
    "a metric baseline that does not exist": Case(
        args=("merge", "neuron-report.json", "--html", "x.html", "--metrics", "nope.json"),
        lines=MERGE + "--metrics nope.json: no such file; give the metric baseline (neuron-metrics.json)",
        run=(),
    ),
    "an evidence file alone": Case(
        args=("merge", "e.json"),
        lines=MERGE
        + "no pytest report among the inputs; an evidence file alone judges no inventory: give the --neuron-json "
        "reports of the test jobs too",
        files={"e.json": evidence(result())},
    ),
    "an evidence file with an unknown outcome": Case(
        args=("merge", "neuron-report.json", "e.json"),
        lines=MERGE + "e.json: results[0]: unknown outcome 'error'; use one of: passed, failed, skipped; write it with "
        "python -m pytest_neuron_classification record",
        files={"e.json": evidence(result(outcome="error"))},
        run=(),
    ),
    "what a merge says": Case(
        args=("merge", "neuron-report.json", "e.json"),
        lines=(
            "note: merged from 1 report and 1 evidence file: neuron-report.json, e.json; 1 measurement of the evidence "
            "files not compared with the metric baseline (fold them into a pytest run with --neuron-evidence for that)",
            "static input (neuron-report.json, --collect-only): its collected tests ran nothing and meet no obligation",
            "  beta package nxd: basic not-run -> test_nxd.py::test_basic was only collected (--collect-only), never "
            "run: run it to meet basic",
            "neuron-classification: FAILED under enforce=error: 2 gaps break a promise (first: stable package runtime: "
            "standard missing; +1 more) [static input (neuron-report.json, --collect-only): its collected tests ran "
            "nothing and meet no obligation]",
        ),
        ret=1,
        stream="stdout",
        files={
            "e.json": evidence(
                result(metrics=[{"name": "loss", "value": 2, "max": 2.5, "unit": "", "min": None, "better": "lower"}])
            ),
            "test_nxd.py": "import pytest\npytestmark = pytest.mark.neuron_beta('nxd', kind='package')\n"
            "def test_basic(): pass\n",
        },
        run=("--collect-only",),
    ),
    "a shard no report came from": Case(
        args=("merge", "neuron-report.json"),
        lines=(
            "shard 2/3 missing: no report for group 2 of 3 (pytest-split)",
            "shard 3/3 missing: no report for group 3 of 3 (pytest-split)",
            "neuron-classification: FAILED: shard 2/3 missing: no report for group 2 of 3 (pytest-split) (+1 more)",
        ),
        ret=1,
        stream="stdout",
        files={"conftest.py": SPLIT},
        run=("--splits=3", "--group=1"),
    ),
    "a shard of pytest-test-groups no report came from": Case(
        args=("merge", "neuron-report.json"),
        lines="shard 2/2 missing: no report for test group 2 of 2 (pytest-test-groups)",
        ret=1,
        stream="stdout",
        files={"conftest.py": GROUPS},
        run=("--test-group-count=2", "--test-group=1"),
    ),
    "a shard of pytest-shard no report came from": Case(
        args=("merge", "neuron-report.json"),
        lines="shard 1/2 missing: no report for shard id 0 of 2 (pytest-shard)",
        ret=1,
        stream="stdout",
        files={"conftest.py": SHARD},
        run=("--num-shards=2", "--shard-id=1"),
    ),
    "a --neuron-shard no report came from": Case(
        args=("merge", "neuron-report.json"),
        lines="shard 2/2 missing: no report for shard 2 of 2 (--neuron-shard)",
        ret=1,
        stream="stdout",
        run=("--neuron-shard=1/2",),
    ),
    "a shard given twice alike": Case(
        args=("merge", "neuron-report.json", "again.json"),
        lines="note: shard 1/1 (--neuron-shard) given twice, in neuron-report.json and again.json: the same tests and "
        "outcomes, counted once",
        ret=1,
        stream="stdout",
        run=("--neuron-shard=1/1",),
        copies={"again.json": None},
    ),
    "a shard given twice with other results": Case(
        args=("merge", "neuron-report.json", "other.json"),
        lines=MERGE + "shard 1/1 (--neuron-shard) is given twice with different results, in neuron-report.json and "
        "other.json (test_runtime.py::test_unit: passed in the first, failed in the second); give each shard's "
        "report once",
        run=("--neuron-shard=1/1",),
        copies={"other.json": lambda r: r["tests"][0].update(outcome="failed")},
    ),
    "reports of two collections": Case(
        args=("merge", "neuron-report.json", "later.json"),
        lines="reports of 2 collections: neuron-report.json (1 test); later.json (2 tests); 2 classified tests only "
        "some of them have (test_runtime.py::test_new, test_runtime.py::test_unit): merge the reports of one commit",
        ret=1,
        stream="stdout",
        run=("--neuron-shard=1/2",),
        copies={"later.json": next_commit},
    ),
    "reports that say nothing of their place": Case(
        args=("merge", "neuron-report.json", "older.json"),
        lines="note: completeness unknown: 2 reports, no shard numbers and no collection",
        ret=1,
        stream="stdout",
        run=(),
        damage=lambda r: r.pop("placement"),
        copies={"older.json": None},
    ),
    "a test of the whole collection that ran in no job": Case(
        args=("merge", "neuron-report.json"),
        lines=(
            "never ran in any job: test_runtime.py::test_unit",
            "neuron-classification: FAILED: never ran in any job: test_runtime.py::test_unit",
        ),
        ret=1,
        stream="stdout",
        run=("--neuron-shard=1/1",),
        files={"test_runtime.py": MODULE + "@pytest.mark.neuron_integration\ndef test_io(): pass\n"},
        damage=lambda r: next(t for t in r["tests"] if t["nodeid"].endswith("test_unit")).update(outcome="not-run"),
    ),
    "a missing obligation whose item has tests no run report covers": Case(
        args=("merge", "neuron-report.json", "col.json"),
        lines="  stable package runtime: performance missing -> no report covers test_runtime.py (a missing job?)",
        ret=1,
        stream="stdout",
        run=(),
        damage=lambda r: r["tests"][0].update(nodeid="test_other.py::test_unit"),
        copies={"col.json": collected_whole},
    ),
    # --- table --------------------------------------------------------------------------------
    "a table without a configuration": Case(
        args=("table",),
        lines="python -m pytest_neuron_classification table: error: pyproject.toml: no such file; give --config PATH or "
        "--json REPORT",
    ),
    "a table of a configuration whose tool is no table": Case(
        args=("table",),
        lines="python -m pytest_neuron_classification table: error: pyproject.toml: 'tool' must be a table ([tool]), not 'x'",
        files={"pyproject.toml": 'tool = "x"\n'},
    ),
}


@pytest.mark.parametrize("case", CATALOGUE.values(), ids=CATALOGUE.keys())
def test_the_command_says_it_in_these_words(project, case):
    catalogue.check(project, case)


def test_record_says_it_in_these_words(project):
    record = ("record", "--item", "rt", "--kind", "feature", "--outcome", "passed", "--output", "e.json")
    first = project.cli(*record, "--level", "beta", "--category", "performance", "--source", "job1")
    assert first.returncode == 0, first.stderr
    done = project.cli(*record, "--level", "stable", "--category", "accuracy", "--source", "job2")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "python -m pytest_neuron_classification record: error: --item rt (--output e.json): feature 'rt' is stable here but beta in results[0] "
        "(job1, performance); record it with --level beta --kind feature, or record to another --output"
    ]


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="no lock file without fcntl")
def test_record_says_it_cannot_lock_in_these_words(project, monkeypatch):
    # The lock files live in a folder of the user's under the temporary folder: a file in its place
    # (or another user's folder) is refused, in one line, before the evidence file is touched.
    monkeypatch.setenv("TMPDIR", str(project.path / "tmp"))
    folder = f"{{root}}/tmp/neuron-classification-locks-{os.getuid()}"
    case = Case(
        args=record("--outcome", "passed"),
        lines=REFUSED + f"cannot open a lock file in {folder} (it is not a folder only this user can write); "
        "make it a folder only you can write, or record to another --output",
        files={f"tmp/neuron-classification-locks-{os.getuid()}": ""},
    )
    catalogue.check(project, case)
