"""``python -m pytest_neuron_classification merge``: one audit from sharded CI jobs."""

from __future__ import annotations

import json
from fnmatch import fnmatch

import pytest

#: A performance test that runs only on the hardware (HW=1): the nightly shard.
THROUGHPUT = """
import os
@pytest.mark.neuron_performance
@pytest.mark.skipif(not os.environ.get("HW"), reason="needs hardware")
def test_throughput(neuron_metric): neuron_metric("throughput", 1520, "samples/s", min=1400)
"""
MODEL = """
import pytest
pytestmark = pytest.mark.neuron_stable("llama", kind="model", workload="inference")
@pytest.mark.neuron_accuracy
def test_accuracy(neuron_metric): neuron_metric("top1", 0.91)
@pytest.mark.neuron_performance
def test_latency(neuron_metric): neuron_metric("latency_p90", 12.3, "ms", max=15)
"""


def shard(pytester: pytest.Pytester, name: str, *args: str) -> str:
    pytester.runpytest(f"--neuron-json={name}", "-p", "no:cacheprovider", *args)
    return name


@pytest.fixture
def shards(pytester: pytest.Pytester, project, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    project.config('[[tool.neuron-classification.items]]\nname = "nxd"\nkind = "package"\nlevel = "beta"\n')
    project.module(categories=("functional", "integration"), extra=THROUGHPUT)
    pytester.makepyfile(test_llama=MODEL, test_nxd="def test_untagged(): pass")
    unit = shard(pytester, "unit.json", "-m", "not neuron_performance")
    monkeypatch.setenv("HW", "1")
    nightly = shard(pytester, "nightly.json", "-m", "neuron_performance")
    return unit, nightly


def test_unit_and_performance_shards_merge(pytester, project, shards):
    unit, nightly = shards
    for alone in shards:
        report = project.read(alone)
        assert "not-run" in {o["status"] for i in report["items"] for o in i["obligations"]}
    done = project.cli("merge", unit, nightly, "--json", "merged.json", "--markdown", "merged.md")
    merged = project.read("merged.json")
    assert merged.statuses == {
        "llama[workload=inference]": {"accuracy": "met", "performance": "met"},
        "runtime": {"standard": "met", "performance": "met"},
        "nxd": {"basic": "missing"},
    }
    assert {t["nodeid"]: t["outcome"] for t in merged["tests"]}["test_runtime.py::test_throughput"] == "passed"
    assert merged["notes"][0].endswith(": unit.json, nightly.json")
    assert "  beta package nxd: basic missing -> " in done.stdout
    assert fnmatch(done.stdout.splitlines()[-1], "neuron-classification: FAILED under enforce=error: 1 gap *nxd*")
    assert "### Gaps (1)" in (pytester.path / "merged.md").read_text()
    assert done.returncode == 1


def test_merge_into_all_met_exits_0(pytester, project, monkeypatch):
    project.module(categories=("functional", "integration"), extra=THROUGHPUT)
    unit = shard(pytester, "unit.json", "-m", "not neuron_performance")
    monkeypatch.setenv("HW", "1")
    nightly = shard(pytester, "nightly.json", "-m", "neuron_performance")
    done = project.cli("merge", unit, nightly, "--json", "merged.json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert project.read("merged.json").statuses == {"runtime": {"standard": "met", "performance": "met"}}


def test_merge_refuses_an_output_over_a_file_that_is_not_a_report(pytester, project, shards):
    # The run's rule (storage/outputs.check_outputs), worded once in tests/integration/messages/test_messages_files.py.
    readme = pytester.path / "README.md"
    readme.write_text("# the project\n")
    done = project.cli("merge", *shards, "--markdown", "README.md")
    assert done.returncode == 2
    assert "README.md exists and is not a report of this plugin" in done.stderr
    assert readme.read_text() == "# the project\n"


def test_merge_surfaces_a_failure(pytester, project):
    project.module(categories=("integration",), extra="def test_unit(): assert 0\n" + THROUGHPUT)
    unit = shard(pytester, "unit.json", "-m", "not neuron_performance")
    done = project.cli("merge", unit, "--enforce", "warn")
    assert done.returncode == 0
    assert "stable package runtime: standard failing -> [functional] " in done.stdout
    assert project.cli("merge", unit).returncode == 1


def test_inconsistent_outcomes_count_as_failing(pytester, project):
    pytester.makepyfile(test_flaky="import pytest\npytestmark = pytest.mark.neuron_beta\ndef test_it(): pass")
    first = shard(pytester, "a.json")
    pytester.makepyfile(test_flaky="import pytest\npytestmark = pytest.mark.neuron_beta\ndef test_it(): assert 0")
    second = shard(pytester, "b.json")
    done = project.cli("merge", first, second, "--json", "m.json")
    assert project.read("m.json").statuses == {"flaky": {"basic": "failing"}}
    assert done.returncode == 1


def test_items_at_two_levels_are_an_error(pytester, project):
    pytester.makepyfile(test_cache="import pytest\npytestmark = pytest.mark.neuron_beta\ndef test_it(): pass")
    first = shard(pytester, "a.json")
    pytester.makepyfile(test_cache="import pytest\npytestmark = pytest.mark.neuron_stable\ndef test_it(): pass")
    second = shard(pytester, "b.json")
    done = project.cli("merge", first, second)
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    assert line.startswith("python -m pytest_neuron_classification merge: error: ")
    assert "'cache' is stable in b.json but beta in a.json" in line


@pytest.mark.parametrize("content", ["[1, 2]", "\udcff"])  # more unusable reports are in the catalogue
def test_unusable_input_exits_2_with_one_line(pytester, project, content):
    pytester.makepyfile(test_cache="import pytest\npytestmark = pytest.mark.neuron_beta\ndef test_it(): pass")
    good = shard(pytester, "good.json")
    (pytester.path / "bad.json").write_bytes(content.encode("utf-8", "surrogateescape"))
    done = project.cli("merge", good, "bad.json", "--json", "out.json")
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1
    assert fnmatch(lines[0], "python -m pytest_neuron_classification merge: error: bad.json: *")
    assert not (pytester.path / "out.json").exists()


def test_merge_usage(project):
    done = project.cli("merge")
    assert done.returncode == 2
    assert "the following arguments are required: REPORT.json" in done.stderr


def test_table_refuses_bad_values_as_merge_does(project):
    # Each value merge refuses, and its words, are in the catalogue; table reads a report the same way.
    project.module()
    project.run()
    report = json.loads((project.path / "neuron-report.json").read_text())
    report["tests"][0]["outcome"] = "bogus"
    (project.path / "bad.json").write_text(json.dumps(report))
    done = project.cli("table", "--json", "bad.json")
    assert done.returncode == 2, done.stderr
    (line,) = done.stderr.splitlines()
    assert "error: bad.json: " in line and "'bogus'" in line


#: Two Stable packages in two modules; the run job runs only the runtime's.
COMPILER = """
import pytest
pytestmark = pytest.mark.neuron_stable("compiler", kind="package")
def test_unit(): pass
@pytest.mark.neuron_integration
def test_io(): pass
"""
BETA = """
import pytest
pytestmark = pytest.mark.neuron_beta("nxd", kind="package")
def test_basic(): pass
"""


def test_a_collect_only_report_meets_nothing_beside_run_reports(pytester, project):
    """``merge rt.json col.json`` once said ``compiler standard met`` though no compiler test ran anywhere."""
    project.module(categories=("functional", "integration"))
    pytester.makepyfile(test_compiler=COMPILER, test_nxd=BETA)
    shard(pytester, "rt.json", "test_runtime.py", "--neuron-scope=collected")
    shard(pytester, "col.json", "--collect-only")
    done = project.cli("merge", "rt.json", "col.json", "--json", "merged.json")
    merged = project.read("merged.json")
    statuses = merged.statuses
    assert (statuses["compiler"]["standard"], statuses["nxd"]["basic"], statuses["runtime"]["standard"]) == (
        "not-run",
        "not-run",
        "met",
    )
    assert merged["static_inputs"] == ["col.json"]
    hint = "test_nxd.py::test_basic was only collected (--collect-only), never run: run it to meet basic"
    assert f"  beta package nxd: basic not-run -> {hint}" in done.stdout, done.stdout
    assert "compiler  standard met" not in done.stdout
    # The static report alone is still the static audit it was: there a collected test shows the test exists.
    alone = project.cli("merge", "col.json", "--json", "static.json")
    assert project.read("static.json").statuses["compiler"]["standard"] == "met"
    assert "static audit (--collect-only)" in alone.stdout
