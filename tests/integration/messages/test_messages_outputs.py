"""The catalogue of what the plugin says of a run's writers besides its reports: each message's exact
wording, asserted here once.

Every file a run writes (its reports, the history, the gap baseline, metric baseline and contracts
file it updates) is checked by one rule, with the outputs of other plugins (``--junitxml``), before
any test: none replaces a file the run reads or another writer keeps, a source or configuration file
(even one that does not exist yet), or an existing file that is not one of ours. Each refusal is one
line naming the option and the file (exit 4), and the run changes no file. The report options' own
cases are in test_messages_files.py.
"""

from __future__ import annotations

import json
from functools import partial

import catalogue
import pytest

#: The start of every error of a run.
ERROR = "ERROR: neuron-classification: "
README = {"README.md": "# My project\n"}
EVIDENCE = {
    "ev.json": json.dumps(
        {
            "schema": "pytest-neuron-classification-evidence/1",
            "results": [
                {
                    "item": "rt",
                    "kind": "feature",
                    "level": "beta",
                    "category": "performance",
                    "outcome": "passed",
                    "source": "job1",
                }
            ],
        }
    )
}
GAPS = {"gb.json": json.dumps({"schema": "pytest-neuron-classification-baseline/1", "gaps": []})}
METRICS = {"neuron-metrics.json": '{"schema": "pytest-neuron-classification-metrics/2", "environments": {}}'}

Case = partial(
    catalogue.Case, stream="stderr", ret=pytest.ExitCode.USAGE_ERROR, base={"test_a.py": "def test_a(): pass\n"}
)


CATALOGUE = {
    # --- by name, before the file exists ------------------------------------------------------------
    "a report named like a configuration file": Case(
        lines=ERROR + "--neuron-json=setup.cfg: refusing to create setup.cfg, a source or configuration file; choose "
        "a report path",
        args=("--neuron-json=setup.cfg",),
    ),
    "a gap baseline named like a source file": Case(
        lines=ERROR + "--neuron-baseline=conftest.py: refusing to create conftest.py, a source or configuration file; "
        "choose a gap baseline path",
        args=("--neuron-baseline=conftest.py", "--neuron-update-baseline"),
    ),
    # --- an existing file that is not one of ours ---------------------------------------------------
    "a gap baseline update over a file that is no baseline": Case(
        lines=ERROR + "--neuron-baseline=README.md: README.md exists and is not a gap baseline of this plugin; give "
        "the gap baseline a path of its own (or delete the file first)",
        files=README,
        args=("--neuron-baseline=README.md", "--neuron-update-baseline"),
    ),
    "a history over a file that is no history": Case(
        lines=ERROR + "--neuron-history=README.md: README.md exists and is not a history of this plugin; give the "
        "history a path of its own (or delete the file first)",
        files=README,
        args=("--neuron-history=README.md",),
    ),
    "a metric baseline update over a file that is no baseline": Case(
        lines=ERROR + "metrics=README.md: README.md exists and is not a metric baseline of this plugin; give the "
        "metric baseline a path of its own (or delete the file first)",
        files=README,
        config='metrics = "README.md"\n',
        args=("--neuron-update-metrics",),
    ),
    "a contracts update over a file that is no contracts file": Case(
        lines=ERROR + "contracts=README.md: README.md exists and is not a contracts file of this plugin; give the "
        "contracts file a path of its own (or delete the file first)",
        files=README,
        config='contracts = "README.md"\n',
        args=("--neuron-update-contracts",),
    ),
    # --- a file the run reads, or another writer keeps ----------------------------------------------
    "a gap baseline update over the metric baseline": Case(
        lines=ERROR + "--neuron-baseline=neuron-metrics.json names the metric baseline this run reads; give the gap "
        "baseline a path of its own",
        files=METRICS,
        args=("--neuron-baseline=neuron-metrics.json", "--neuron-update-baseline", "--neuron-update-metrics"),
    ),
    "a history over an evidence file": Case(
        lines=ERROR + "--neuron-history=ev.json names an evidence file this run reads; give the history a path of "
        "its own",
        files=EVIDENCE,
        args=("--neuron-evidence=ev.json", "--neuron-history=ev.json"),
    ),
    "a history over the gap baseline": Case(
        lines=ERROR + "--neuron-history=gb.json names the gap baseline this run reads; give the history a path of its "
        "own",
        files=GAPS,
        args=("--neuron-baseline=gb.json", "--neuron-update-baseline", "--neuron-history=gb.json"),
    ),
    "a metric baseline update over the gap baseline": Case(
        lines=ERROR + "metrics=gb.json names the gap baseline this run reads; give the metric baseline a path of its "
        "own",
        files=GAPS,
        config='metrics = "gb.json"\n',
        args=("--neuron-baseline=gb.json", "--neuron-update-metrics"),
    ),
    "a contracts update over an evidence file": Case(
        lines=ERROR + "contracts=ev.json names an evidence file this run reads; give the contracts file a path of its "
        "own",
        files=EVIDENCE,
        config='contracts = "ev.json"\n',
        args=("--neuron-evidence=ev.json", "--neuron-update-contracts"),
    ),
    # --- another plugin's output --------------------------------------------------------------------
    "a page and pytest's JUnit XML on one file": Case(
        lines=ERROR + "--neuron-html and --junitxml name the same file x.html; give each its own path",
        args=("--neuron-html=x.html", "--junitxml=x.html"),
    ),
    "pytest's JUnit XML over the history": Case(
        lines=ERROR + "--junitxml=h.jsonl names the metric history this run reads; give the JUnit XML report a path "
        "of its own",
        args=("--neuron-history=h.jsonl", "--junitxml=h.jsonl"),
    ),
}


@pytest.mark.parametrize("case", CATALOGUE.values(), ids=CATALOGUE.keys())
def test_the_plugin_says_it_in_these_words(project, case):
    catalogue.check(project, case)
