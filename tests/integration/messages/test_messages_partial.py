"""The catalogue of what a run that saw part of the suite says: each line's exact wording, asserted here once.

A partial run (test ids, a narrower folder, ``--lf``), a test file that fails to collect, tests a
conftest removes, and a static audit (``--collect-only``) must never say "add a test" for tests they
did not see, nor "met" for tests that did not run. Each case is a real pytest run of a small project
(tests/summary_projects.py); its lines must appear whole. The summary of a whole run is in test_messages.py.
"""

from __future__ import annotations

import json
from functools import partial

import catalogue
import pytest
from summary_projects import INVENTORY, ITEM, RUNTIME, SPLIT

Case = partial(catalogue.Case, config=INVENTORY)


CATALOGUE = {
    "a partial run": Case(
        files={
            "tests/test_pkg.py": "import pytest\ndef test_unit(): pass\n"
            "@pytest.mark.neuron_integration\ndef test_integration(): pass\n",
            "tests/test_pkg_perf.py": "import pytest\n@pytest.mark.neuron_performance\n"
            "def test_speed(neuron_metric): neuron_metric('tput', 5.0, 'x/s', min=1)\n",
            "tests/test_einsum.py": "def test_e(): pass\n",
            # A recorded item this run does not see: whether it was removed is judged by a full run.
            "neuron-contracts.json": json.dumps(
                {
                    "schema": "pytest-neuron-classification-contracts/1",
                    "contracts": {},
                    "items": {"loader": {"name": "loader", "kind": "feature", "level": "beta", "coupling": {}}},
                }
            ),
        },
        args=("tests/test_pkg.py", "-k", "not integration", "-v"),
        lines=(
            "note: this run collected only part of the suite (tests/test_pkg.py given, narrower than the suite (.)): "
            "tests it did not see are not judged",
            "note: 1 recorded item(s) not seen were not judged for removal (loader): this run collected only part of "
            "the suite (tests/test_pkg.py given, narrower than the suite (.)); a run that sees them all judges them",
            "  stable package pkg: standard not-run -> [integration] run the deselected or unreached test "
            "tests/test_pkg.py::test_integration",
            "  stable package pkg: performance not-run -> not collected in this run (tests/test_pkg.py given, narrower "
            "than the suite (.)); its tests are in tests/test_pkg_perf.py, tests/test_pkg.py: run them or the whole "
            "suite",
            "  beta feature ghost: basic missing -> its tests glob 'tests/test_ghost.py' matches no file on disk: fix "
            "the glob or add the tests",
            "neuron-classification: FAILED under enforce=error: 1 gap breaks a promise (first: beta feature ghost: "
            "basic missing)",
        ),
        ret=1,
        config=ITEM
        + 'name = "einsum"\nkind = "api"\nlevel = "beta"\ntests = ["tests/test_einsum.py"]\n'
        + ITEM
        + 'name = "pkg"\nkind = "package"\ntests = ["tests/test_pkg*.py"]\n'
        + ITEM
        + 'name = "ghost"\nlevel = "beta"\ntests = ["tests/test_ghost.py"]\n',
    ),
    "a folder narrower than the rootdir": Case(
        files=SPLIT,
        args=("tests/unit",),
        lines=(
            "note: this run collected only part of the suite (tests/unit given, narrower than the suite (.)): tests "
            "it did not see are not judged",
            "  stable package pkg: standard not-run -> not collected in this run (tests/unit given, narrower than the "
            "suite (.)); run its tests or the whole suite",
        ),
        ret=0,
        config=ITEM + 'name = "pkg"\nkind = "package"\n',
    ),
    "a test file that fails to collect": Case(
        files={**SPLIT, "tests/integ/test_i.py": "import no_such_module\n" + SPLIT["tests/integ/test_i.py"]},
        args=("--continue-on-collection-errors", "--tb=no"),  # pytest's own report of the error has a traceback
        lines=(
            "note: this run collected only part of the suite (1 collection error): tests it did not see are not judged",
            "  stable package pkg: standard not-run -> tests/integ/test_i.py failed to collect: fix the import error",
            "  stable package pkg: performance not-run -> tests/integ/test_i.py failed to collect: fix the import "
            "error",
        ),
        ret=1,
        config=ITEM + 'name = "pkg"\nkind = "package"\n',
    ),
    "a test file with a syntax error": Case(
        files={**SPLIT, "tests/integ/test_i.py": "def broken(:\n"},
        args=("--tb=no",),
        lines="  stable package pkg: performance not-run -> tests/integ/test_i.py failed to collect: fix the syntax error",
        ret=pytest.ExitCode.INTERRUPTED,
        config=ITEM + 'name = "pkg"\nkind = "package"\n',
    ),
    "a test file that fails to collect otherwise": Case(
        files={**SPLIT, "tests/integ/test_i.py": "import pytest\npytest.skip('no hardware')\n"},
        args=("--tb=no",),
        lines="  stable package pkg: performance not-run -> tests/integ/test_i.py failed to collect: fix the collection "
        "error",
        ret=pytest.ExitCode.INTERRUPTED,
        config=ITEM + 'name = "pkg"\nkind = "package"\n',
    ),
    "tests a conftest removes": Case(
        files={
            **SPLIT,
            "conftest.py": "def pytest_collection_modifyitems(config, items):\n"
            "    items[:] = [i for i in items if 'integ' not in i.nodeid]\n",
        },
        lines=(
            "  stable package pkg: standard not-run -> [integration] run the deselected or unreached test "
            "tests/integ/test_i.py::test_i; removed from the collection by pytest_collection_modifyitems in conftest.py",
            "note: 2 classified tests removed from the collection without being deselected (tests/integ/test_i.py::test_i, "
            "tests/integ/test_i.py::test_p) by pytest_collection_modifyitems in conftest.py: counted as deselected "
            "(not-run); run them to judge their obligations",
        ),
        ret=0,
        config=ITEM + 'name = "pkg"\nkind = "package"\n',
    ),
    "a static audit": Case(
        files={
            "tests/test_runtime.py": RUNTIME.format(throughput="150"),
            "tests/test_cache.py": "import pytest\npytestmark = pytest.mark.neuron_alpha('cache')\n"
            "def test_a(): pass\n",
        },
        args=("--collect-only", "--neuron-graduation"),
        lines=(
            "static audit (--collect-only): a collected test counts as evidence, nothing ran",
            "  stable feature runtime: performance not-run -> tests/test_runtime.py::test_perf was only collected "
            "(static audit), never run: run it to measure performance",
            "  feature cache (alpha): not ready for beta: basic not-run",
            "neuron-classification: 2 of 3 obligations met, 1 not run in this selection",
        ),
        ret=0,
        config=None,
    ),
}


@pytest.mark.parametrize("case", CATALOGUE.values(), ids=CATALOGUE.keys())
def test_a_partial_run_says_it_in_these_words(project, case):
    catalogue.check(project, case)
