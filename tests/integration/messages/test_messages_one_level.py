"""The catalogue's entries for one rule, one item one level: every source that classifies an item
must agree, and every disagreement is said in one format, ``SUBJECT is FIRST but SECOND; FIX``.

Each case is a real pytest run; its line must appear whole. Other tests of these conflicts check
exit codes and that the line names the item and both levels.
"""

from __future__ import annotations

import json
from functools import partial

import catalogue
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


Case = partial(catalogue.Case, config=None, ret=pytest.ExitCode.TESTS_FAILED)


CATALOGUE = {
    "two markers on one test": Case(
        files={
            "test_a.py": "import pytest\n@pytest.mark.neuron_beta('rt')\n@pytest.mark.neuron_stable('rt')\ndef test_it(): pass\n"
        },
        lines="  test_a.py::test_it: item 'rt' is beta by neuron_beta but stable by neuron_stable; keep one level",
    ),
    "a marker and a tests glob": Case(
        files={"test_a.py": "import pytest\n@pytest.mark.neuron_stable('rt')\ndef test_it(): pass\n"},
        lines="  test_a.py::test_it: item 'rt' is stable by neuron_stable but beta by a tests glob of "
        "pyproject.toml items[0]; keep one level",
        config=GLOB,
    ),
    "a marker and the inventory": Case(
        files={"test_a.py": "import pytest\n@pytest.mark.neuron_stable('rt')\ndef test_it(): pass\n"},
        lines="  test_a.py::test_it: package 'rt' is beta in pyproject.toml items[0] but stable by neuron_stable here; "
        "use neuron_beta or change pyproject.toml items[0]",
        config=INVENTORY,
    ),
    "markers in two files": Case(
        files={
            "test_a.py": "import pytest\npytestmark = pytest.mark.neuron_stable('rt')\ndef test_a(): pass\n",
            "test_b.py": "import pytest\npytestmark = pytest.mark.neuron_beta('rt')\ndef test_b(): pass\n",
        },
        lines="  test_b.py::test_b: feature 'rt' is stable in test_a.py but beta by neuron_beta here; "
        "use neuron_stable or change test_a.py",
    ),
    "two results of one evidence file": Case(
        files={"e.json": _evidence(("beta", "performance", "job1"), ("stable", "accuracy", "job2"))},
        lines="ERROR: neuron-classification: e.json: feature 'rt' is stable in results[1] but beta in results[0] "
        "(job1, performance); classify it the same way in every job",
        args=("--neuron-evidence=e.json",),
        stream="stderr",
        ret=pytest.ExitCode.USAGE_ERROR,
    ),
    "two evidence files": Case(
        files={
            "a.json": _evidence(("beta", "performance", "job1")),
            "b.json": _evidence(("stable", "accuracy", "job2")),
        },
        lines="ERROR: neuron-classification: feature 'rt' is stable in b.json but beta in a.json; "
        "classify it the same way in every job",
        args=("--neuron-evidence=a.json", "--neuron-evidence=b.json"),
        stream="stderr",
        ret=pytest.ExitCode.USAGE_ERROR,
    ),
    "an evidence file and the inventory": Case(
        files={"e.json": _evidence(("stable", "performance", "job1"))},
        lines="ERROR: neuron-classification: 'rt' is stable (feature) in e.json but beta (package) in "
        "pyproject.toml items[0]; record it with --level beta --kind package or change the run's classification",
        args=("--neuron-evidence=e.json",),
        config=INVENTORY,
        stream="stderr",
        ret=pytest.ExitCode.USAGE_ERROR,
    ),
}


@pytest.mark.parametrize("case", CATALOGUE.values(), ids=CATALOGUE.keys())
def test_one_item_one_level_is_said_in_these_words(pytester, project, case):
    catalogue.check(project, case)
