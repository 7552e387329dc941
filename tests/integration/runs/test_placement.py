"""Each report says where it sits in a CI matrix (``placement``): the collection it came from, the
selection it ran, and its shard, as a sharding plugin or ``--neuron-shard=K/N`` says."""

from __future__ import annotations

import hashlib

import pytest

#: A sharding plugin in the manner of pytest-split: options stored as ``splits`` and ``group``; each
#: shard deselects the others' tests in its own pytest_collection_modifyitems.
SPLIT = """
def pytest_addoption(parser):
    parser.addoption("--splits", dest="splits", type=int, default=None)
    parser.addoption("--group", dest="group", type=int, default=None)

def pytest_collection_modifyitems(config, items):
    splits, group = config.option.splits, config.option.group
    if splits:
        keep = [t for i, t in enumerate(items) if i % splits == group - 1]
        config.hook.pytest_deselected(items=[t for t in items if t not in keep])
        items[:] = keep
"""
#: pytest-shard's options: ``--shard-id`` counts from 0.
SHARD = """
def pytest_addoption(parser):
    parser.addoption("--num-shards", dest="num_shards", type=int, default=1)
    parser.addoption("--shard-id", dest="shard_id", type=int, default=0)
"""
#: pytest-test-groups's options, stored under dashed names.
GROUPS = """
def pytest_addoption(parser):
    parser.addoption("--test-group-count", dest="test-group-count", type=int)
    parser.addoption("--test-group", dest="test-group", type=int)
"""
TESTS = """
import pytest
pytestmark = pytest.mark.neuron_stable("runtime", kind="package")
@pytest.mark.parametrize("n", range(6))
def test_unit(n): pass
@pytest.mark.neuron_integration
def test_io(): pass
"""
NODEIDS = sorted([f"test_runtime.py::test_unit[{n}]" for n in range(6)] + ["test_runtime.py::test_io"])
FINGERPRINT = "sha256:" + hashlib.sha256("".join(f"{n}\n" for n in NODEIDS).encode()).hexdigest()


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(test_runtime=TESTS)
    return pytester


def test_a_run_records_its_collection_and_selection(suite, project):
    _, report = project.run("-k", "not io", "-m", "neuron_stable", "--neuron-job=unit-linux", "-p", "no:randomly")
    assert report["placement"] == {
        "collection": {"fingerprint": FINGERPRINT, "tests": 7, "classified": 7, "stable": 7},
        "selection": {"tests": 6, "deselected": 1, "keyword": "not io", "markers": "neuron_stable", "narrowed": ""},
        "shard": None,
        "job": "unit-linux",
    }
    # The report lists its selection: the deselected test is counted above, and listed nowhere.
    assert sorted(t["nodeid"] for t in report["tests"]) == [n for n in NODEIDS if not n.endswith("test_io")]


def test_the_shards_of_a_split_share_one_collection(suite, project):
    suite.makeconftest(SPLIT)
    placements = [project.run("--splits=3", f"--group={k}", report=f"{k}.json")[1]["placement"] for k in (1, 2, 3)]
    assert [p["shard"] for p in placements] == [{"index": k, "count": 3, "by": "pytest-split"} for k in (1, 2, 3)]
    assert {p["collection"]["fingerprint"] for p in placements} == {FINGERPRINT}
    assert [p["selection"]["tests"] for p in placements] == [3, 2, 2]


def test_a_test_id_on_the_command_line_narrows_the_collection(suite, project):
    _, report = project.run("test_runtime.py::test_io")
    placement = report["placement"]
    assert placement["collection"]["tests"] == 1 and placement["collection"]["fingerprint"] != FINGERPRINT
    assert placement["selection"]["narrowed"] == "test ids given on the command line (test_runtime.py::test_io)"


@pytest.mark.parametrize(
    ("conftest", "args", "shard"),
    [
        (SHARD, ("--num-shards=3", "--shard-id=0"), {"index": 1, "count": 3, "by": "pytest-shard"}),
        (SHARD, (), None),  # pytest-shard's defaults: shard 0 of 1, no split
        (GROUPS, ("--test-group-count=4", "--test-group=4"), {"index": 4, "count": 4, "by": "pytest-test-groups"}),
        (GROUPS, (), None),
        ("", ("--neuron-shard=2/5",), {"index": 2, "count": 5, "by": "--neuron-shard"}),
        (SPLIT, ("--splits=2", "--group=1", "--neuron-shard=3/4"), {"index": 3, "count": 4, "by": "--neuron-shard"}),
    ],
)
def test_the_shard_as_each_plugin_says(suite, project, conftest, args, shard):
    if conftest:
        suite.makeconftest(conftest)
    _, report = project.run(*args)
    assert report["placement"]["shard"] == shard


def test_a_collect_only_report_has_its_placement_too(suite, project):
    _, report = project.run("--collect-only", "--neuron-shard=1/2")
    assert report["placement"]["collection"] == {"fingerprint": FINGERPRINT, "tests": 7, "classified": 7, "stable": 7}
    assert report["placement"]["shard"] == {"index": 1, "count": 2, "by": "--neuron-shard"}


def test_a_folder_that_holds_the_whole_suite_does_not_narrow_it(pytester, project):
    # No testpaths, every test under tests/: `pytest tests` is the whole suite, for the run and for
    # its placement alike (a narrowed placement would hide a merge of two different collections).
    pytester.makepyfile(**{"tests/test_runtime": TESTS})
    _, report = project.run("tests")
    assert report["partial"] == "" and report["placement"]["selection"]["narrowed"] == ""
    pytester.makepyfile(**{"other/test_more": TESTS})
    _, report = project.run("tests")
    assert report["placement"]["selection"]["narrowed"] == "tests given, narrower than the suite (.)"
