"""The catalogue of how ``merge`` and ``table`` refuse their inputs and outputs: each message's exact
wording, asserted here once.

The shared helpers and how a case runs are in tests/cli_cases.py; what ``merge`` says of the runs
of a CI matrix it judges is in test_messages_cli_run.py.
"""

from __future__ import annotations

import json

import catalogue
import pytest
from cli_cases import MERGE, Case, evidence, result

CATALOGUE = {
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
        + "bad.json: schema 'pytest-neuron-classification/9' is not 'pytest-neuron-classification/3'; produce "
        "it with --neuron-json from this plugin version",
        files={"bad.json": '{"schema": "pytest-neuron-classification/9"}'},
        run=(),
    ),
    "a report without its policy": Case(
        args=("merge", "neuron-report.json", "bad.json"),
        lines=MERGE
        + "bad.json: malformed report (KeyError: 'policy'); produce it with --neuron-json from this plugin version",
        files={"bad.json": '{"schema": "pytest-neuron-classification/2", "mode": "run"}'},
        run=(),
    ),
    "a report whose items are no list": Case(
        args=("merge", "neuron-report.json"),
        lines=MERGE
        + "neuron-report.json: malformed report (items must be a list, not 'x'); produce it with --neuron-json "
        "from this plugin version",
        run=(),
        damage=lambda r: r.update(items="x"),
    ),
    "a report whose tests are an object": Case(
        args=("merge", "neuron-report.json"),
        lines=MERGE
        + "neuron-report.json: malformed report (tests must be a list, not {}); produce it with --neuron-json "
        "from this plugin version",
        run=(),
        damage=lambda r: r.update(tests={}),
    ),
    "a report whose test's source is no text": Case(
        args=("merge", "neuron-report.json"),
        lines=MERGE + "neuron-report.json: source of test_runtime.py::test_unit must be text, not 5",
        run=(),
        damage=lambda r: r["tests"][0].update(source=5),
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
    "a report whose policy has no obligations": Case(
        args=("merge", "neuron-report.json"),
        lines=MERGE + "neuron-report.json: policy.obligations must list what each kind and level owes, not {}",
        run=(),
        damage=lambda r: r["policy"].update(obligations={}),
    ),
    "a report whose policy has an empty obligations list": Case(
        args=("merge", "neuron-report.json"),
        lines=MERGE + "neuron-report.json: policy.obligations must list what each kind and level owes, not []",
        run=(),
        damage=lambda r: r["policy"].update(obligations=[]),
    ),
    "a report whose policy lacks its obligations": Case(
        args=("merge", "neuron-report.json"),
        lines=MERGE + "neuron-report.json: policy.obligations must list what each kind and level owes, and is missing",
        run=(),
        damage=lambda r: r["policy"].pop("obligations"),
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
        + "neuron-report.json: schema 'pytest-neuron-classification/1' is not 'pytest-neuron-classification/3'; "
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
