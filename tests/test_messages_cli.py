"""The catalogue of what the command line says: each message's exact wording, asserted here once.

``python -m pytest_neuron_classification`` (``record``, ``merge``, ``table``) refuses bad input in one
line on stderr and exits 2, having written nothing; ``merge`` prints the combined audit's notes and
verdict. Each case runs the command in a subprocess, as a user does, in a small project (after a
pytest run when the command needs its report); its line must appear whole, exactly as written
below. Other tests check exit codes, the files written and their keys.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from typing import Any, Callable

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


@dataclass(frozen=True)
class Case:
    #: The command's arguments.
    args: tuple[str, ...]
    #: The line, whole, as the command prints it; several lines of one command as a tuple.
    line: str | tuple[str, ...]
    ret: int = 2
    stream: str = "stderr"
    #: Files to write first, by path.
    files: dict[str, str] = field(default_factory=dict)
    #: Arguments of a pytest run of the project first, whose report (neuron-report.json) the command reads.
    run: tuple[str, ...] | None = None
    #: An edit of that report before the command reads it.
    damage: Callable[[dict[str, Any]], object] | None = None
    config: str = ""
    #: Whether a refusal prints nothing on stdout (a merge that cannot write its output has printed the audit).
    quiet: bool = True
    #: Whether the case holds on Windows, where record takes no lock file.
    windows: bool = True


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


CATALOGUE = {
    # --- record -------------------------------------------------------------------------------
    "a result recorded": Case(
        record("--outcome", "passed", "--metric", "loss=1.93:lower"),
        f"recorded passed: {SCRIPT}::{LLAMA_ID}::convergence in e.json (1 result)",
        ret=0,
        stream="stdout",
    ),
    "a result failed by its bound": Case(
        record("--outcome", "passed", "--metric", "loss=3:max=2.5"),
        f"recorded failed (loss = 3, above max 2.5): {SCRIPT}::{LLAMA_ID}::convergence in e.json (1 result)",
        ret=0,
        stream="stdout",
    ),
    "an unknown outcome": Case(
        record("--outcome", "xpassed"), REFUSED + "unknown outcome 'xpassed'; use one of: passed, failed, skipped"
    ),
    "an unknown level": Case(
        record("--outcome", "passed", "--level", "gamma"),
        REFUSED + "unknown level 'gamma'; use one of: stable, beta, alpha",
    ),
    "a metric without a value": Case(
        record("--outcome", "passed", "--metric", "loss"),
        REFUSED + "--metric 'loss' has no '='; use NAME=VALUE[:higher|lower][:unit=UNIT][:min=X][:max=X]",
    ),
    "a metric whose value is no number": Case(
        record("--outcome", "passed", "--metric", "loss=low"),
        REFUSED + "--metric 'loss=low': the value 'low' is not a number",
    ),
    "a metric whose bounds cross": Case(
        record("--outcome", "passed", "--metric", "x=1:min=2:max=1"),
        REFUSED + "--metric 'x=1:min=2:max=1': min of x (2) is greater than its max (1)",
    ),
    "a metric that gives its direction twice": Case(
        record("--outcome", "passed", "--metric", "x=1:lower:higher"),
        REFUSED + "--metric 'x=1:lower:higher': cannot read 'higher'; use NAME=VALUE[:higher|lower][:unit=UNIT][:min=X]"
        "[:max=X]",
    ),
    "a metric given twice": Case(
        record("--outcome", "passed", "--metric", "x=1", "--metric", "x=2:lower"),
        REFUSED + "metric 'x' is given twice; give each metric once",
    ),
    "a metric that is not finite": Case(
        record("--outcome", "failed", "--metric", "final_loss=nan:lower:max=2"),
        REFUSED + "--metric 'final_loss=nan:lower:max=2': the value 'nan' cannot be compared with anything; to record "
        "a diverged run, give --outcome failed without this --metric",
    ),
    "a source with a double colon": Case(
        (*RECORD[:-1], "x::y", "--outcome", "passed", "--output", "e.json"),
        REFUSED + "source 'x::y' contains '::', which separates SOURCE::ITEM_ID::CATEGORY; use '/'",
    ),
    "a category with a double colon": Case(
        (*RECORD[:-4], "--category", "a::b", "--source", SCRIPT, "--outcome", "passed", "--output", "e.json"),
        REFUSED + "category 'a::b' contains '::', which separates SOURCE::ITEM_ID::CATEGORY; use '/'",
    ),
    "an output over a source file": Case(
        record("--outcome", "passed", output="pyproject.toml"),
        "python -m pytest_neuron_classification record: error: --output=pyproject.toml: refusing to overwrite "
        "pyproject.toml, a source or configuration file; choose an evidence file path",
        files={"pyproject.toml": "[tool.neuron-classification]\n"},
    ),
    "an output over a report": Case(
        record("--outcome", "passed", output="report.json"),
        "python -m pytest_neuron_classification record: error: --item llama (--output report.json): refusing to "
        "replace a file this command cannot extend (report.json: schema 'pytest-neuron-classification/2' is not "
        "'pytest-neuron-classification-evidence/1'; write it with python -m pytest_neuron_classification record)",
        files={"report.json": json.dumps({"schema": "pytest-neuron-classification/2"})},
    ),
    "an output that is a folder": Case(
        record("--outcome", "passed", output="folder"),
        "python -m pytest_neuron_classification record: error: --output=folder: folder is not a regular file; give "
        "the path of an evidence file (created if absent)",
        files={"folder/keep.txt": ""},
    ),
    "an empty output": Case(
        record("--outcome", "passed", output=""),
        "python -m pytest_neuron_classification record: error: --output= is empty; give the path of the evidence file",
    ),
    "a lock file that is a folder": Case(
        record("--outcome", "passed"),
        REFUSED + "cannot open the lock file .e.json.lock (Is a directory); remove it, or record to another --output",
        files={".e.json.lock/keep.txt": ""},
        windows=False,
    ),
    "an item name with a newline": Case(
        (
            *("record", "--item", "a\nb", "--kind", "feature", "--level", "beta", "--category", "functional"),
            *("--outcome", "passed", "--source", "job", "--output", "e.json"),
        ),
        "python -m pytest_neuron_classification record: error: --item 'a\\nb' (--output e.json): the item name "
        "'a\\nb' contains '[', ']', a control character or a lone surrogate; '[...]' is how a model's id spells its "
        "coupling, so such a name could collide with one: rename it",
    ),
    # --- merge --------------------------------------------------------------------------------
    "a report that is not JSON": Case(
        ("merge", "neuron-report.json", "bad.json", "--json", "out.json"),
        MERGE + "bad.json: cannot read the report (not valid JSON: {any}); produce it with --neuron-json from this "
        "plugin version",
        files={"bad.json": '{"schema": "pytest-neuron-classification/2", "items": ['},
        run=(),
    ),
    "a report of another schema": Case(
        ("merge", "neuron-report.json", "bad.json"),
        MERGE + "bad.json: schema 'pytest-neuron-classification/9' is not 'pytest-neuron-classification/2'; produce "
        "it with --neuron-json from this plugin version",
        files={"bad.json": '{"schema": "pytest-neuron-classification/9"}'},
        run=(),
    ),
    "a report without its policy": Case(
        ("merge", "neuron-report.json", "bad.json"),
        MERGE + "bad.json: malformed report (KeyError: 'policy')",
        files={"bad.json": '{"schema": "pytest-neuron-classification/2", "mode": "run"}'},
        run=(),
    ),
    "a report that does not exist": Case(
        ("merge", "nowhere.json"),
        MERGE + "nowhere.json: cannot read the report (No such file or directory); produce it with --neuron-json from "
        "this plugin version",
    ),
    "a report with an unknown outcome": Case(
        ("merge", "neuron-report.json"),
        MERGE
        + "neuron-report.json: unknown outcome of test_runtime.py::test_unit 'bogus'; use one of: passed, failed, "
        "error, skipped, xfailed, not-run, collected",
        run=(),
        damage=lambda r: r["tests"][0].update(outcome="bogus"),
    ),
    "a report with an unknown level": Case(
        ("merge", "neuron-report.json"),
        MERGE + "neuron-report.json: unknown level 'gamma'; use one of: stable, beta, alpha",
        run=(),
        damage=lambda r: r["items"][0].update(level="gamma"),
    ),
    "a report whose item name is no string": Case(
        ("merge", "neuron-report.json"),
        MERGE + "neuron-report.json: the item name must be a non-empty string, not 7",
        run=(),
        damage=lambda r: r["items"][0].update(name=7),
    ),
    "a report with a model without workload": Case(
        ("merge", "neuron-report.json"),
        MERGE + "neuron-report.json: model 'runtime' needs workload='training' or workload='inference'",
        run=(),
        damage=lambda r: r["items"][0].update(kind="model"),
    ),
    "a report whose policy has an unknown obligation": Case(
        ("merge", "neuron-report.json"),
        MERGE
        + "neuron-report.json: unknown obligation 'x' for beta api; use one of accuracy, basic, compat, functional, "
        "integration, performance, standard (a new category must be declared with pytest_neuron_categories first)",
        run=(),
        damage=lambda r: r["policy"].update(obligations=[{"kind": "api", "level": "beta", "obligations": ["x"]}]),
    ),
    "a report whose policy lacks a row": Case(
        ("merge", "neuron-report.json"),
        MERGE + "neuron-report.json: the policy has no obligations for stable package",
        run=(),
        damage=lambda r: r["policy"].update(obligations=[r["policy"]["obligations"][0]]),
    ),
    "a report whose measured is no list": Case(
        ("merge", "neuron-report.json"),
        MERGE + "neuron-report.json: policy.measured must list known categories, not 'performance'",
        run=(),
        damage=lambda r: r["policy"].update(measured="performance"),
    ),
    "a report with an unknown contract state": Case(
        ("merge", "neuron-report.json"),
        MERGE + "neuron-report.json: unknown contract state 'fine'; use one of: holds, broken, changed, no-baseline, "
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
        ("merge", "neuron-report.json"),
        MERGE + "neuron-report.json: schema 'pytest-neuron-classification/1' is not 'pytest-neuron-classification/2'; "
        "produce it with --neuron-json from this plugin version",
        run=(),
        damage=lambda r: r.update(schema="pytest-neuron-classification/1"),
    ),
    "a report given twice": Case(
        ("merge", "neuron-report.json", "./neuron-report.json"),
        MERGE + "neuron-report.json is given twice; give each report once",
        run=(),
    ),
    "an output that is one of the reports": Case(
        ("merge", "neuron-report.json", "--json", "./neuron-report.json"),
        MERGE + "--json=./neuron-report.json names one of the reports to merge; give the report a path of its own",
        run=(),
    ),
    "an output over a test module": Case(
        ("merge", "neuron-report.json", "--json", "test_runtime.py"),
        MERGE + "--json=test_runtime.py: refusing to overwrite test_runtime.py, a source or configuration file; "
        "choose a report path",
        run=(),
    ),
    "an output that cannot be written": Case(
        ("merge", "neuron-report.json", "--json", "file/out.json"),
        MERGE + "--json=file/out.json: cannot create a file under {any}/file; choose a writable path",
        files={"file": "x"},
        run=(),
    ),
    "a gap baseline of another schema": Case(
        ("merge", "neuron-report.json", "--baseline", "bad.json"),
        MERGE + "bad.json: schema None is not 'pytest-neuron-classification-baseline/1'; fix it, or record it with "
        "--neuron-update-baseline",
        files={"bad.json": "[]"},
        run=(),
    ),
    "a metric baseline that does not exist": Case(
        ("merge", "neuron-report.json", "--html", "x.html", "--metrics", "nope.json"),
        MERGE + "--metrics nope.json: no such file; give the metric baseline (neuron-metrics.json)",
        run=(),
    ),
    "an evidence file alone": Case(
        ("merge", "e.json"),
        MERGE + "no pytest report among the inputs; an evidence file alone judges no inventory: give the --neuron-json "
        "reports of the test jobs too",
        files={"e.json": evidence(result())},
    ),
    "an evidence file with an unknown outcome": Case(
        ("merge", "neuron-report.json", "e.json"),
        MERGE + "e.json: results[0]: unknown outcome 'error'; use one of: passed, failed, skipped; write it with "
        "python -m pytest_neuron_classification record",
        files={"e.json": evidence(result(outcome="error"))},
        run=(),
    ),
    "what a merge says": Case(
        ("merge", "neuron-report.json", "e.json"),
        (
            "note: merged from 1 report and 1 evidence file: neuron-report.json, e.json; 1 measurement of the evidence "
            "files not compared with the metric baseline (fold them into a pytest run with --neuron-evidence for that)",
            "static input (neuron-report.json, --collect-only): its collected tests ran nothing and meet no measured "
            "obligation",
            "neuron-classification: FAILED under enforce=error: 2 gaps break a promise (first: stable package runtime: "
            "standard missing; +1 more) [static input (neuron-report.json, --collect-only): its collected tests ran "
            "nothing and meet no measured obligation]",
        ),
        ret=1,
        stream="stdout",
        files={
            "e.json": evidence(
                result(metrics=[{"name": "loss", "value": 2, "max": 2.5, "unit": "", "min": None, "better": "lower"}])
            )
        },
        run=("--collect-only",),
    ),
    # --- table --------------------------------------------------------------------------------
    "a table without a configuration": Case(
        ("table",),
        "python -m pytest_neuron_classification table: error: pyproject.toml: no such file; give --config PATH or "
        "--json REPORT",
    ),
    "a table of a configuration whose tool is no table": Case(
        ("table",),
        "python -m pytest_neuron_classification table: error: pyproject.toml: 'tool' must be a table ([tool]), not 'x'",
        files={"pyproject.toml": 'tool = "x"\n'},
    ),
}


def said(line: str, lines: list[str]) -> bool:
    """Whether ``line`` is one of ``lines``, ``{any}`` standing for text that is not the plugin's (the
    system's or a JSON parser's own message)."""
    pattern = ".*".join(re.escape(part) for part in line.split("{any}"))
    return any(re.fullmatch(pattern, candidate) for candidate in lines)


@pytest.mark.parametrize("case", CATALOGUE.values(), ids=CATALOGUE.keys())
def test_the_command_says_it_in_these_words(project, case):
    if not case.windows and sys.platform == "win32":
        pytest.skip("no lock file without fcntl")
    if case.run is not None:
        project.config(case.config)
        project.write({"test_runtime.py": MODULE})
        project.write(case.files)
        project.pytester.runpytest("--neuron-json=neuron-report.json", "--neuron-enforce=warn", *case.run)
    else:
        project.write(case.files)
    if case.damage is not None:
        report = json.loads((project.path / "neuron-report.json").read_text())
        case.damage(report)
        (project.path / "neuron-report.json").write_text(json.dumps(report))
    before = {path: path.read_bytes() for path in project.path.rglob("*") if path.is_file()}
    done = project.cli(*case.args)
    lines = (done.stdout if case.stream == "stdout" else done.stderr).splitlines()
    expected = (case.line,) if isinstance(case.line, str) else case.line
    missing = [line for line in expected if not said(line, lines)]
    assert not missing, done.stdout + done.stderr
    assert done.returncode == case.ret
    if case.ret == 2:  # refused in one line, having written nothing
        assert len(done.stderr.splitlines()) == 1, done.stderr
        assert done.stdout == "" or not case.quiet, done.stdout
        # The files there are as they were; the only new one is record's lock file, which stays.
        assert {path: path.read_bytes() for path in before} == before
        created = [path.name for path in project.path.rglob("*") if path.is_file() and path not in before]
        assert not [name for name in created if not name.endswith(".lock")], created
