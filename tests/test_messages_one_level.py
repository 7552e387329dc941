"""The catalogue's entries for one rule, one item one level: every source that classifies an item
must agree, and every disagreement is said in one format, ``SUBJECT is FIRST but SECOND; FIX``.

Each case is a real pytest run; its line must appear whole. Other tests of these conflicts check
exit codes and that the line names the item and both levels.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from pytest_neuron_classification.storage.evidence_file import EVIDENCE_FILE

INVENTORY = '[[tool.neuron-classification.items]]\nname = "rt"\nkind = "package"\nlevel = "beta"\n'
GLOB = '[[tool.neuron-classification.items]]\nname = "rt"\nlevel = "beta"\ntests = ["test_a.py"]\n'


def _evidence(*results: tuple[str, str, str]) -> str:
    """An evidence file of passing ``(level, category, source)`` results for the feature ``rt``."""
    return json.dumps(
        {
            "schema": EVIDENCE_FILE.schema,
            "results": [
                {"item": "rt", "kind": "feature", "level": level, "category": category, "outcome": "passed"}
                | {"source": source}
                for level, category, source in results
            ],
        }
    )


@dataclass(frozen=True)
class Case:
    #: The files to write, by path: test modules, evidence files.
    files: dict[str, str]
    #: The line, whole, as the terminal shows it.
    line: str
    args: tuple[str, ...] = ()
    config: str = ""
    stream: str = "stdout"
    #: The exit status: a per-test error fails the run; a bad evidence file stops it before any test.
    ret: int = 1


CATALOGUE = {
    "two markers on one test": Case(
        {
            "test_a.py": "import pytest\n@pytest.mark.neuron_beta('rt')\n@pytest.mark.neuron_stable('rt')\ndef test_it(): pass\n"
        },
        "  test_a.py::test_it: item 'rt' is beta by neuron_beta but stable by neuron_stable; keep one level",
    ),
    "a marker and a tests glob": Case(
        {"test_a.py": "import pytest\n@pytest.mark.neuron_stable('rt')\ndef test_it(): pass\n"},
        "  test_a.py::test_it: item 'rt' is stable by neuron_stable but beta by a tests glob of "
        "pyproject.toml items[0]; keep one level",
        config=GLOB,
    ),
    "a marker and the inventory": Case(
        {"test_a.py": "import pytest\n@pytest.mark.neuron_stable('rt')\ndef test_it(): pass\n"},
        "  test_a.py::test_it: package 'rt' is beta in pyproject.toml items[0] but stable by neuron_stable here; "
        "use neuron_beta or change pyproject.toml items[0]",
        config=INVENTORY,
    ),
    "markers in two files": Case(
        {
            "test_a.py": "import pytest\npytestmark = pytest.mark.neuron_stable('rt')\ndef test_a(): pass\n",
            "test_b.py": "import pytest\npytestmark = pytest.mark.neuron_beta('rt')\ndef test_b(): pass\n",
        },
        "  test_b.py::test_b: feature 'rt' is stable in test_a.py but beta by neuron_beta here; "
        "use neuron_stable or change test_a.py",
    ),
    "two results of one evidence file": Case(
        {"e.json": _evidence(("beta", "performance", "job1"), ("stable", "accuracy", "job2"))},
        "ERROR: neuron-classification: e.json: feature 'rt' is stable in results[1] but beta in results[0] "
        "(job1, performance); classify it the same way in every job",
        args=("--neuron-evidence=e.json",),
        stream="stderr",
        ret=pytest.ExitCode.USAGE_ERROR,
    ),
    "two evidence files": Case(
        {"a.json": _evidence(("beta", "performance", "job1")), "b.json": _evidence(("stable", "accuracy", "job2"))},
        "ERROR: neuron-classification: feature 'rt' is stable in b.json but beta in a.json; "
        "classify it the same way in every job",
        args=("--neuron-evidence=a.json", "--neuron-evidence=b.json"),
        stream="stderr",
        ret=pytest.ExitCode.USAGE_ERROR,
    ),
    "an evidence file and the inventory": Case(
        {"e.json": _evidence(("stable", "performance", "job1"))},
        "ERROR: neuron-classification: 'rt' is stable (feature) in e.json but beta (package) in "
        "pyproject.toml items[0]; record it with --level beta --kind package or change the run's classification",
        args=("--neuron-evidence=e.json",),
        config=INVENTORY,
        stream="stderr",
        ret=pytest.ExitCode.USAGE_ERROR,
    ),
}


@pytest.mark.parametrize("case", CATALOGUE.values(), ids=CATALOGUE.keys())
def test_one_item_one_level_is_said_in_these_words(pytester, project, case):
    if case.config:
        project.config(case.config)
    project.write(case.files)
    result = pytester.runpytest(*case.args)
    lines = (result.stdout if case.stream == "stdout" else result.stderr).lines
    assert case.line in lines, "\n".join(lines)
    assert result.ret == case.ret


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
