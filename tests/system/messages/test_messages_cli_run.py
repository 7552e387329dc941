"""The catalogue of what ``merge`` says of the runs of a CI matrix: its notes and verdict, a missing
shard, a shard given twice, reports of two collections, what no report ran or lists. Each message's
exact wording is asserted here once.

Each case merges the JSON report of a real pytest run (split by a sharding plugin's options, or
``--neuron-shard``), sometimes edited as an older or another job's would be; the shared helpers and
how a case runs are in tests/cli_cases.py.
"""

from __future__ import annotations

from typing import Any

import catalogue
import pytest
from cli_cases import MERGE, MODULE, Case, evidence, result

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


#: A Beta package with one test: its one obligation, basic, is met by any passing test.
BETA = "import pytest\npytestmark = pytest.mark.neuron_beta('runtime', kind='package')\ndef test_unit(): pass\n"


def later_shard(report: dict[str, Any]) -> None:
    """``report`` as shard 2 of 2 of a later commit that lists its own selection and counts its collection."""
    next_commit(report)
    report["placement"]["collection"].update(classified=2, stable=2)


def empty_second_shard(report: dict[str, Any]) -> None:
    """``report`` as shard 2 of 2 of its collection, which selected no test."""
    report["placement"]["shard"]["index"] = 2
    report["placement"]["selection"]["tests"] = 0
    report["tests"] = []


def collected_whole(report: dict[str, Any]) -> None:
    """``report`` as a ``--collect-only`` report of the whole suite: the run's file and test_runtime.py."""
    report["mode"] = "collect"
    report["tests"] = [dict(report["tests"][0], outcome="collected"), dict(report["tests"][0], outcome="collected")]
    report["tests"][1]["nodeid"] = "test_runtime.py::test_unit"


CATALOGUE = {
    "what a merge says": Case(
        args=("merge", "neuron-report.json", "e.json"),
        lines=(
            "note: merged from 1 report and 1 evidence file: neuron-report.json, e.json; 1 measurement of the evidence "
            "files not compared with the metric baseline (fold them into a pytest run with --neuron-evidence for that)",
            "static input (neuron-report.json, --collect-only): its collected tests ran nothing and meet no obligation",
            "  beta package nxd: basic not-run -> test_nxd.py::test_basic was only collected (--collect-only), never "
            "run: run it to meet basic",
            "never ran in any job: test_runtime.py::test_unit",
            "neuron-classification: FAILED: never ran in any job: test_runtime.py::test_unit [static input "
            "(neuron-report.json, --collect-only): its collected tests ran nothing and meet no obligation]",
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
    "reports of two collections that list their selections only": Case(
        args=("merge", "neuron-report.json", "later.json"),
        lines="reports of 2 collections: neuron-report.json (1 test); later.json (2 tests): merge the reports of one "
        "commit",
        ret=1,
        stream="stdout",
        run=("--neuron-shard=1/2",),
        copies={"later.json": later_shard},
    ),
    "a selection merged alone": Case(
        args=("merge", "neuron-report.json"),
        lines=(
            "note: selection is partial: 1 of 2 collected tests selected (-k 'unit'); 1 classified test of the "
            "collection is deselected: their obligations are not-run, not missing; add a --collect-only report to "
            "name them",
            "never ran in any job: 1 Stable test of the collection is in no report (deselected in every job, or a job "
            "missing): add a --collect-only report to name them",
            "  stable package runtime: performance not-run -> no report lists 1 classified test of the collection (a "
            "missing job?)",
        ),
        ret=1,
        stream="stdout",
        run=("-k", "unit"),
        files={"test_runtime.py": MODULE + "@pytest.mark.neuron_integration\ndef test_io(): pass\n"},
    ),
    "shards whose selections leave a test out": Case(
        args=("merge", "neuron-report.json", "s2.json"),
        lines="note: selection is partial: 1 of 2 collected tests selected (-k 'unit'); 1 classified test of the "
        "collection is in no report (deselected in every job, or a job missing): their obligations are not-run, not "
        "missing; add a --collect-only report to name them",
        ret=1,
        stream="stdout",
        run=("-k", "unit", "--neuron-shard=1/2"),
        files={"test_runtime.py": MODULE + "@pytest.mark.neuron_integration\ndef test_io(): pass\n"},
        copies={"s2.json": empty_second_shard},
    ),
    "a selection merged alone, its promises kept": Case(
        args=("merge", "neuron-report.json"),
        lines="neuron-classification: all 1 obligations met [selection is partial: 1 classified test of the "
        "collection in no report]",
        ret=0,
        stream="stdout",
        run=("-k", "unit"),
        files={"test_runtime.py": BETA + "@pytest.mark.neuron_integration\ndef test_io(): pass\n"},
    ),
}


@pytest.mark.parametrize("case", CATALOGUE.values(), ids=CATALOGUE.keys())
def test_the_command_says_it_in_these_words(project, case):
    catalogue.check(project, case)
