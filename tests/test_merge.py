"""``python -m pytest_neuron_classification merge``: one audit from sharded CI jobs."""

from __future__ import annotations

import fnmatch
import json

import pytest

from pytest_neuron_classification.core.outcomes import outcome_across_runs

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
    assert merged["notes"][0] == "merged from 2 reports: unit.json, nightly.json"
    assert "beta package nxd: basic missing -> add a test with" in done.stdout
    assert done.stdout.splitlines()[-1].startswith("neuron-classification: FAILED under enforce=error: 1 gap")
    assert "### Gaps (1)" in (pytester.path / "merged.md").read_text()
    assert done.returncode == 1


def test_merge_into_all_met_exits_0(pytester, project, monkeypatch):
    project.module(categories=("functional", "integration"), extra=THROUGHPUT)
    unit = shard(pytester, "unit.json", "-m", "not neuron_performance")
    monkeypatch.setenv("HW", "1")
    nightly = shard(pytester, "nightly.json", "-m", "neuron_performance")
    done = project.cli("merge", unit, nightly)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "neuron-classification: all 2 obligations met" in done.stdout


def test_merge_surfaces_a_failure(pytester, project):
    project.module(categories=("integration",), extra="def test_unit(): assert 0\n" + THROUGHPUT)
    unit = shard(pytester, "unit.json", "-m", "not neuron_performance")
    done = project.cli("merge", unit, "--enforce", "warn")
    assert done.returncode == 0
    assert "stable package runtime: standard failing -> [functional] fix the failing test" in done.stdout
    assert project.cli("merge", unit).returncode == 1


def test_inconsistent_outcomes_count_as_failing(pytester, project):
    pytester.makepyfile(test_flaky="import pytest\npytestmark = pytest.mark.neuron_beta\ndef test_it(): pass")
    first = shard(pytester, "a.json")
    pytester.makepyfile(test_flaky="import pytest\npytestmark = pytest.mark.neuron_beta\ndef test_it(): assert 0")
    second = shard(pytester, "b.json")
    done = project.cli("merge", first, second, "--json", "m.json")
    assert project.read("m.json").statuses == {"flaky": {"basic": "failing"}}
    assert done.returncode == 1


@pytest.mark.parametrize(
    ("outcomes", "merged"),
    [
        (["passed", "not-run"], "passed"),
        (["not-run", "skipped"], "skipped"),
        (["skipped", "passed"], "passed"),
        (["passed", "failed"], "failed"),
        (["passed", "error"], "failed"),
        (["failed", "failed"], "failed"),
        (["xfailed", "not-run"], "xfailed"),
        (["collected", "passed"], "passed"),
        (["not-run", "not-run"], "not-run"),
    ],
)
def test_outcome_across_runs(outcomes, merged):
    assert outcome_across_runs(outcomes) == merged


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


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"schema": "pytest-neuron-classification/2", "items": [',
            "bad.json: cannot read the report (not valid JSON: *); produce it with --neuron-json from this plugin version",
        ),
        ('{"schema": "pytest-neuron-classification/9"}', "bad.json: schema 'pytest-neuron-classification/9' is not *"),
        ("[1, 2]", "bad.json: schema None is not 'pytest-neuron-classification/2'*"),
        (
            '{"schema": "pytest-neuron-classification/2", "mode": "run"}',
            "bad.json: malformed report (KeyError: 'policy')",
        ),
        ("\udcff", "bad.json: cannot read the report (not valid JSON*"),
    ],
)
def test_unusable_input_exits_2_with_one_line(pytester, project, content, message):
    pytester.makepyfile(test_cache="import pytest\npytestmark = pytest.mark.neuron_beta\ndef test_it(): pass")
    good = shard(pytester, "good.json")
    (pytester.path / "bad.json").write_bytes(content.encode("utf-8", "surrogateescape"))
    done = project.cli("merge", good, "bad.json", "--json", "out.json")
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1
    assert fnmatch.fnmatch(lines[0], f"python -m pytest_neuron_classification merge: error: {message}")
    assert not (pytester.path / "out.json").exists()


def test_missing_input_file(project):
    done = project.cli("merge", "nowhere.json")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "python -m pytest_neuron_classification merge: error: nowhere.json: cannot read the report "
        "(No such file or directory); produce it with --neuron-json from this plugin version"
    )


def test_unwritable_output(pytester, project):
    pytester.makepyfile(test_cache="import pytest\npytestmark = pytest.mark.neuron_beta\ndef test_it(): pass")
    good = shard(pytester, "good.json")
    (pytester.path / "file").write_text("x")
    done = project.cli("merge", good, "--json", "file/out.json")
    assert done.returncode == 2
    assert "error: cannot write --json=file/out.json:" in done.stderr


def test_merge_usage(project):
    done = project.cli("merge")
    assert done.returncode == 2
    assert "the following arguments are required: REPORT.json" in done.stderr


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda r: r["tests"][0].update(outcome="bogus"), "unknown outcome of test_runtime.py::test_unit 'bogus'"),
        (lambda r: r["items"][0].update(level="gamma"), "unknown level 'gamma'"),
        (lambda r: r["items"][0].update(name=7), "the item name must be a non-empty string, not 7"),
        (lambda r: r["items"][0].update(kind="model"), "model 'runtime' needs workload"),
        (
            lambda r: r["policy"].update(obligations=[{"kind": "api", "level": "beta", "obligations": ["x"]}]),
            "unknown obligation 'x'",
        ),
        (
            lambda r: r["policy"].update(obligations=[r["policy"]["obligations"][0]]),
            "the policy has no obligations for stable package",
        ),
    ],
)
def test_merge_refuses_bad_values_with_exit_2(project, damage, message):
    project.module()
    project.run()
    report = json.loads((project.path / "neuron-report.json").read_text())
    damage(report)
    (project.path / "bad.json").write_text(json.dumps(report))
    done = project.cli("merge", "bad.json")
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert "error: bad.json: " in done.stderr and message in done.stderr
    done = project.cli("table", "--json", "bad.json")
    assert done.returncode == 2 and message in done.stderr


def test_merge_refuses_a_contract_state_it_does_not_know(project):
    project.config(project.API.format(name="dumps", target="json:dumps"))
    project.pytester.makepyfile(test_dumps=project.COMPAT.format(name="dumps"))
    project.run()
    report = json.loads((project.path / "neuron-report.json").read_text())
    report["items"][0]["contract"]["state"] = "fine"
    (project.path / "bad.json").write_text(json.dumps(report))
    done = project.cli("merge", "bad.json")
    assert done.returncode == 2
    assert "unknown contract state 'fine'" in done.stderr


def test_merge_names_a_file_given_twice_and_counts_one_report(project):
    project.module()
    project.run()
    done = project.cli("merge", "neuron-report.json", "./neuron-report.json")
    assert done.returncode == 2
    assert "neuron-report.json is given twice; give each report once" in done.stderr
    done = project.cli("merge", "neuron-report.json")
    assert "note: merged from 1 report: neuron-report.json" in done.stdout


def test_merge_refuses_a_policy_whose_measured_is_not_a_list(project):
    project.module()
    project.run()
    report = json.loads((project.path / "neuron-report.json").read_text())
    report["policy"]["measured"] = "performance"
    (project.path / "bad.json").write_text(json.dumps(report))
    done = project.cli("merge", "bad.json")
    assert done.returncode == 2
    assert "policy.measured must list known categories" in done.stderr
