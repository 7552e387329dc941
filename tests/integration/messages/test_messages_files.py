"""The catalogue of what the plugin says of the files a run reads and writes: each message's exact
wording, asserted here once.

A report path that would destroy an input, a corrupt contracts file, metric baseline or evidence
file: each stops the run before any test, in one line naming the file and the fix (exit 4). Each
case is a real pytest run of a small project; its line must appear whole, exactly as written below.
Other tests check exit codes, statuses and report keys and that the files are left as they were.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

import catalogue
import pytest

#: The start of every error of a run.
ERROR = "ERROR: neuron-classification: "
CONTRACTS = "pytest-neuron-classification-contracts/1"
EVIDENCE = "pytest-neuron-classification-evidence/1"
#: An item whose contract the contracts files below record.
API = '[[tool.neuron-classification.items]]\nname = "mylib.trace"\nkind = "api"\ntarget = "json:dumps"\n'
FLAG = {"type": "flag", "options": ["--x"], "required": False, "arity": "1", "choices": None, "default": False}
SCRIPT = "scripts/run_llama_convergence.sh"


def contracts(entry: Any) -> dict[str, str]:
    """A contracts file recording ``entry`` as the contract of mylib.trace."""
    return {"neuron-contracts.json": json.dumps({"schema": CONTRACTS, "contracts": {"mylib.trace": entry}})}


def entry_case(entry: Any, problem: str) -> Case:
    return Case(
        lines=ERROR
        + f"{{root}}/neuron-contracts.json: contracts entry 'mylib.trace': {problem}; fix it, or delete it and "
        "record it again with --neuron-update-contracts",
        files=contracts(entry),
        config=API,
    )


def evidence(**overrides: Any) -> dict[str, str]:
    """An evidence file holding one result as ``record`` writes it, with ``overrides``."""
    result = {
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
    return {"e.json": json.dumps({"schema": EVIDENCE, "results": [result]})}


def results(*entries: dict[str, Any]) -> dict[str, str]:
    return {"ev.json": json.dumps({"schema": EVIDENCE, "results": list(entries)})}


def job(index: int, **overrides: Any) -> dict[str, Any]:
    return {
        "item": f"item{index}",
        "kind": "feature",
        "level": "beta",
        "category": "performance",
        "outcome": "passed",
        "source": f"job{index}",
        **overrides,
    }


Case = partial(
    catalogue.Case, stream="stderr", ret=pytest.ExitCode.USAGE_ERROR, base={"test_a.py": "def test_a(): pass\n"}
)


CATALOGUE = {
    # --- report paths ---------------------------------------------------------------------------
    "a report path that is a directory": Case(
        lines=ERROR + "--neuron-json=reports is a directory; give a file path such as reports/neuron.json",
        files={"reports/keep.txt": ""},
        args=("--neuron-json=reports",),
    ),
    "a report path under a file": Case(
        lines=ERROR
        + "--neuron-json=notes.txt/report.json: cannot create a file under {root}/notes.txt; choose a writable "
        "path",
        files={"notes.txt": "x"},
        args=("--neuron-json=notes.txt/report.json",),
    ),
    "an empty report path": Case(lines=ERROR + "--neuron-json= is empty; give a file path", args=("--neuron-json=",)),
    "an empty page path": Case(lines=ERROR + "--neuron-html= is empty; give a file path", args=("--neuron-html=",)),
    "one file for two reports": Case(
        lines=ERROR + "--neuron-json and --neuron-markdown name the same file out.json; give each its own path",
        args=("--neuron-json=out.json", "--neuron-markdown=out.json"),
    ),
    "one file for the page and a report": Case(
        lines=ERROR + "--neuron-json and --neuron-html name the same file r.json; give each its own path",
        args=("--neuron-html=r.json", "--neuron-json=r.json"),
    ),
    "a report over a test module": Case(
        lines=ERROR
        + "--neuron-json=test_a.py: refusing to overwrite test_a.py, a source or configuration file; choose a "
        "report path",
        args=("--neuron-json=test_a.py",),
    ),
    "a page over a test module": Case(
        lines=ERROR
        + "--neuron-html=test_a.py: refusing to overwrite test_a.py, a source or configuration file; choose a "
        "report path",
        args=("--neuron-html=test_a.py",),
    ),
    "a report over the contracts": Case(
        lines=ERROR
        + "--neuron-json=neuron-contracts.json names the API contracts file this run reads; give the report a "
        "path of its own",
        files={"neuron-contracts.json": json.dumps({"schema": CONTRACTS, "contracts": {}})},
        args=("--neuron-json=neuron-contracts.json",),
    ),
    "a report over the metric baseline": Case(
        lines=ERROR
        + "--neuron-json=neuron-metrics.json names the metric baseline this run reads; give the report a path "
        "of its own",
        files={"neuron-metrics.json": '{"schema": "pytest-neuron-classification-metrics/1", "environments": {}}'},
        args=("--neuron-json=neuron-metrics.json",),
    ),
    "a report over the gap baseline": Case(
        lines=ERROR + "--neuron-json=gb.json names the gap baseline this run reads; give the report a path of its own",
        args=("--neuron-baseline=gb.json", "--neuron-update-baseline", "--neuron-json=gb.json"),
    ),
    "a report over an evidence file": Case(
        lines=ERROR
        + "--neuron-markdown=ev.json names an evidence file this run reads; give the report a path of its own",
        files=results(job(1)),
        args=("--neuron-evidence=ev.json", "--neuron-markdown=ev.json"),
    ),
    "a report over the history": Case(
        lines=ERROR + "--neuron-markdown=hist.jsonl names the metric history this run reads; give the report a path of "
        "its own",
        args=("--neuron-history=hist.jsonl", "--neuron-markdown=hist.jsonl"),
    ),
    "a report over a file that is no report": Case(
        lines=ERROR
        + "--neuron-markdown=README.md: README.md exists and is not a report of this plugin; give the report a "
        "path of its own (or delete the file first)",
        files={"README.md": "# My project\n"},
        args=("--neuron-markdown=README.md",),
    ),
    # --- the metric baseline and history --------------------------------------------------------
    "an empty history path": Case(
        lines=ERROR + "--neuron-history= is empty; give a file path such as metric-history.jsonl",
        args=("--neuron-history=",),
    ),
    "a history over the metric baseline": Case(
        lines=ERROR + "--neuron-history=neuron-metrics.json names the metric baseline this run reads; give the "
        "history a path of its own",
        files={"neuron-metrics.json": '{"schema": "pytest-neuron-classification-metrics/1", "environments": {}}'},
        args=("--neuron-history=neuron-metrics.json",),
    ),
    "a history that is a JSON document": Case(
        lines=ERROR
        + "{root}/copy.json: not a metric history file (it holds a JSON document; a history holds one JSON line "
        "per run); give --neuron-history a path of its own",
        files={"copy.json": '{\n  "schema": "pytest-neuron-classification-metrics/1",\n  "environments": {}\n}\n'},
        args=("--neuron-history=copy.json",),
    ),
    "a history line that is no object": Case(
        lines=ERROR + "{root}/h.jsonl:2: not a JSON line holding an object, but list; fix or delete that line",
        files={"h.jsonl": '{"commit": null, "env": "", "metrics": {}, "time": "2024-01-01T00:00:00Z"}\n[1]\n'},
        args=("--neuron-history=h.jsonl",),
    ),
    "a corrupt metric baseline": Case(
        lines=ERROR
        + "{root}/neuron-metrics.json: cannot read the metric baseline (not valid JSON: {any}); fix it, or delete "
        "it and record it again with --neuron-update-metrics",
        files={"neuron-metrics.json": "{oops"},
    ),
    "a metric baseline of another schema": Case(
        lines=ERROR
        + "{root}/neuron-metrics.json: schema 'x/9' is not 'pytest-neuron-classification-metrics/2'; fix it, or "
        "delete it and record it again with --neuron-update-metrics",
        files={"neuron-metrics.json": '{"schema": "x/9"}'},
    ),
    "a gap baseline that does not exist": Case(
        lines=ERROR + "{root}/nowhere.json: no such gap baseline; record it with --neuron-update-baseline",
        args=("--neuron-baseline=nowhere.json",),
    ),
    # --- the contracts file ---------------------------------------------------------------------
    "a corrupt contracts file": Case(
        lines=ERROR + "{root}/neuron-contracts.json: cannot read the API contracts ({any}); fix it, or delete it and "
        "record it again with --neuron-update-contracts",
        files={"neuron-contracts.json": "{not json"},
        config=API,
    ),
    "a contracts file of a newer schema": Case(
        lines=ERROR + "{root}/neuron-contracts.json: schema 'pytest-neuron-classification-contracts/2' is not "
        "'pytest-neuron-classification-contracts/1'; fix it, or delete it and record it again with "
        "--neuron-update-contracts",
        files={"neuron-contracts.json": '{"schema": "pytest-neuron-classification-contracts/2", "contracts": {}}'},
        config=API,
    ),
    "a contracts entry of no known type": entry_case(
        {}, "'type' must be 'function', 'class', 'constant', 'flag' or 'env', not None"
    ),
    "a contracts entry that is no object": entry_case(1, "must be an object, not 1"),
    "a contracts entry with a bad parameter": entry_case(
        {"type": "function", "parameters": [{"name": "x"}]},
        "'parameters' has a parameter that is not {name, kind, default}: {'name': 'x'}",
    ),
    "a contracts entry with bad methods": entry_case(
        {"type": "class", "init": [], "methods": 3}, "'methods' must be an object"
    ),
    "a function entry without parameters": entry_case(
        {"type": "function"}, "a function entry needs 'parameters' (missing)"
    ),
    "a class entry without its constructor": entry_case(
        {"type": "class", "methods": {}}, "a class entry needs 'init' (missing)"
    ),
    "an env entry without its readers": entry_case({"type": "env"}, "an env entry needs 'read_by' (missing)"),
    "a flag entry without choices": entry_case(
        {k: v for k, v in FLAG.items() if k != "choices"}, "a flag entry needs 'choices' (missing)"
    ),
    "a flag entry without options": entry_case(
        {**FLAG, "options": []}, "'options' must be a non-empty list of option strings"
    ),
    "a flag entry that is required or not": entry_case(
        {**FLAG, "required": "no"}, "'required' and 'default' must be true or false"
    ),
    "a flag entry whose choices are no strings": entry_case(
        {**FLAG, "choices": [1, 2]}, "'choices' must be null or a list of strings"
    ),
    "a flag entry whose arity is no string": entry_case({**FLAG, "arity": 1}, "'arity' must be a string"),
    "a recorded item of an unknown kind": Case(
        lines=ERROR
        + "{root}/neuron-contracts.json: recorded item 'x': unknown kind 'gadget'; use one of: api, package, "
        "feature, model; rewrite it with --neuron-update-contracts",
        files={
            "neuron-contracts.json": json.dumps(
                {"schema": CONTRACTS, "contracts": {}, "items": {"x": {"name": "x", "kind": "gadget", "level": "beta"}}}
            )
        },
    ),
    # --- evidence files -------------------------------------------------------------------------
    "an evidence glob that matches no file": Case(
        lines=ERROR + "--neuron-evidence=evidence/*.json matches no file; give the path of a file written by python -m "
        "pytest_neuron_classification record",
        args=("--neuron-evidence=evidence/*.json",),
    ),
    "an evidence file that does not exist": Case(
        lines=ERROR + "--neuron-evidence=nothing.json matches no file; give the path of a file written by python -m "
        "pytest_neuron_classification record",
        args=("--neuron-evidence=nothing.json",),
    ),
    "a corrupt evidence file": Case(
        lines=ERROR + "e.json: cannot read the evidence file (not valid JSON: {any}); write it with python -m "
        "pytest_neuron_classification record",
        files={"e.json": "{not json"},
        args=("--neuron-evidence=e.json",),
    ),
    "an evidence file of another schema": Case(
        lines=ERROR
        + "e.json: schema 'pytest-neuron-classification/2' is not 'pytest-neuron-classification-evidence/1'; "
        "write it with python -m pytest_neuron_classification record",
        files={"e.json": json.dumps({"schema": "pytest-neuron-classification/2", "results": []})},
        args=("--neuron-evidence=e.json",),
    ),
    "an evidence result of an unknown outcome": Case(
        lines=ERROR
        + "e.json: results[0]: unknown outcome 'xfailed'; use one of: passed, failed, skipped; write it with "
        "python -m pytest_neuron_classification record",
        files=evidence(outcome="xfailed"),
        args=("--neuron-evidence=e.json",),
    ),
    "an evidence result of an unknown level": Case(
        lines=ERROR
        + "e.json: results[0]: unknown level 'gamma'; use one of: stable, beta, alpha; write it with python -m "
        "pytest_neuron_classification record",
        files=evidence(level="gamma"),
        args=("--neuron-evidence=e.json",),
    ),
    "an evidence result with an unknown key": Case(
        lines=ERROR
        + "e.json: results[0]: unknown key 'outcom' in a result; use item, kind, level, coupling, category, "
        "outcome, source, metrics, recorded; write it with python -m pytest_neuron_classification record",
        files={"e.json": evidence()["e.json"].replace('"outcome"', '"outcom"')},
        args=("--neuron-evidence=e.json",),
    ),
    "an evidence result of a category the run does not know": Case(
        lines=ERROR
        + f"e.json: results[0] ({SCRIPT}): category 'security' counts for no category of this run; record it "
        "as one of accuracy, benchmark, compat, functional, integration, neuron_accuracy, neuron_compat, "
        "neuron_convergence, neuron_integration, neuron_performance, performance, or add it to "
        "[tool.neuron-classification.categories]",
        files=evidence(category="security"),
        args=("--neuron-evidence=e.json",),
    ),
    "an evidence result with a coupling its kind does not take": Case(
        lines=ERROR
        + "e.json: results[0]: unknown keyword workload='training': a package item takes no coupling keywords; "
        "write it with python -m pytest_neuron_classification record",
        files=evidence(item="rt", kind="package"),
        args=("--neuron-evidence=e.json",),
    ),
    "an evidence source with a double colon": Case(
        lines=ERROR
        + "e.json: results[0]: source 'x::y' contains '::', which separates SOURCE::ITEM_ID::CATEGORY; use '/'; "
        "write it with python -m pytest_neuron_classification record",
        files=evidence(source="x::y"),
        args=("--neuron-evidence=e.json",),
    ),
    "an evidence result given twice": Case(
        lines=ERROR
        + "ev.json: results[2]: job1::item1::performance is also results[0]; a file holds one result per source, "
        "item and category (record replaces the older one): delete one of them",
        files=results(job(1), job(2), job(1, outcome="failed")),
        args=("--neuron-evidence=ev.json",),
    ),
    "an evidence metric that record did not take": Case(
        lines=ERROR
        + "ev.json: results[0]: metric 'tput' claims source 'benchmark'; record writes 'record'; write it with "
        "python -m pytest_neuron_classification record",
        files=results(job(1, metrics=[{"name": "tput", "value": 5, "source": "benchmark"}])),
        args=("--neuron-evidence=ev.json",),
    ),
}


@pytest.mark.parametrize("case", CATALOGUE.values(), ids=CATALOGUE.keys())
def test_the_plugin_says_it_in_these_words(project, case):
    catalogue.check(project, case)
