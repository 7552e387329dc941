"""The classification over time with other processes: merged partial jobs, xdist runs and lost workers, and merge's Markdown."""

from __future__ import annotations

import json
from unittest.mock import ANY

from sample_projects import FEATURE_CONFIG, STABLE_FEATURE, record_levels


def test_merged_partial_jobs_settle_what_one_of_them_saw(project):
    record_levels(project, ("async_loading", "stable", STABLE_FEATURE), ("cache", "beta", ("functional",)))
    project.run("test_cache.py", report="a.json")
    project.run("test_async_loading.py", report="b.json")
    (project.path / "test_async_loading.py").unlink()
    project.run("test_cache.py", report="c.json")
    project.cli("merge", "a.json", "b.json", "--json", "by-one.json")
    assert project.read("by-one.json")["unjudged"] == []
    seen_by_none = project.cli("merge", "a.json", "c.json", "--json", "by-none.json")
    assert [u["item"] for u in project.read("by-none.json")["unjudged"]] == ["async_loading"]
    assert "(async_loading)" in seen_by_none.stdout


def test_the_same_findings_under_xdist(project):
    record_levels(project, ("async_loading", "stable", STABLE_FEATURE), ("cache", "beta", ("functional",)))
    project.module("async_loading", level="beta", kind="feature", categories=("functional",))
    project.module("loader", level="alpha", kind="feature", categories=("functional",))
    serial, serial_report = project.run_subprocess("-p", "no:randomly", report="serial.json")
    distributed, distributed_report = project.run_subprocess("-n", "2", "-p", "no:randomly", report="xdist.json")
    assert serial.ret == distributed.ret == 1
    assert serial_report["lifecycle"] == distributed_report["lifecycle"]
    assert {c["change"] for c in serial_report["lifecycle"]} == {"demoted", "new"}


def test_markdown_section_and_merge_keep_the_findings(project):
    record_levels(project, ("async_loading", "stable", STABLE_FEATURE))
    project.module("async_loading", level="beta", kind="feature", categories=("functional",))
    _, report = project.run(f"--neuron-markdown={project.path / 'summary.md'}")
    (finding,) = report["lifecycle"]
    markdown = (project.path / "summary.md").read_text()
    assert "### Classification over time" in markdown
    assert f"- {finding['text']} -> " in markdown
    merged = project.cli("merge", "neuron-report.json", "--json", "merged.json")
    assert merged.returncode == 1, merged.stdout + merged.stderr
    assert finding["text"] in merged.stdout
    assert json.loads((project.path / "merged.json").read_text())["lifecycle"][0]["change"] == "demoted"


def test_a_lost_xdist_worker_hides_its_items(project):
    record_levels(project, ("async_loading", "stable", STABLE_FEATURE))
    project.pytester.makepyfile(test_zcrash="import os\ndef test_crash(): os._exit(1)\n")
    _result, report = project.run_subprocess("-n", "1", "--max-worker-restart", "0", "-p", "no:randomly")
    assert report["lifecycle"] == []
    assert [u["item"] for u in report["unjudged"]] == ["async_loading"]
    assert report["passed"] is False


def test_merge_refuses_to_write_over_a_report_it_reads(project):
    project.config(FEATURE_CONFIG)
    project.module("cache", level="beta", kind="feature", categories=("functional",))
    project.run()
    before = (project.path / "neuron-report.json").read_text()
    # The same path spelt another way is still the input (the catalogue has --json's refusal).
    merged = project.cli("merge", "neuron-report.json", "--markdown", "./neuron-report.json")
    assert merged.returncode == 2
    assert "--markdown=./neuron-report.json" in merged.stderr
    assert (project.path / "neuron-report.json").read_text() == before


def test_an_item_only_an_evidence_file_declares_is_judged_by_runs_that_read_its_source(project):
    project.config(FEATURE_CONFIG)
    project.module("cache", level="beta", kind="feature", categories=("functional",))
    for item, source in (("ext", "ext.sh"), ("other", "other.sh")):
        recorded = project.cli(
            "record", "--item", item, "--kind", "feature", "--level", "beta", "--category", "functional",
            "--outcome", "passed", "--source", source, "--output", f"ev/{item}.json",
        )  # fmt: skip
        assert recorded.returncode == 0, recorded.stderr
    project.run("--neuron-evidence=ev/*.json", "--neuron-update-contracts")
    _, report = project.run("--neuron-evidence=ev/other.json")
    assert report["lifecycle"] == []
    assert report["unjudged"] == [{"item": "ext", "why": ANY}]
    assert "ext.sh" in report["unjudged"][0]["why"]
    project.run("--neuron-evidence=ev/other.json", "--neuron-update-contracts")  # keeps ext in the record
    (project.path / "ev" / "ext.json").unlink()
    project.cli(
        "record", "--item", "ext2", "--kind", "feature", "--level", "beta", "--category", "functional",
        "--outcome", "passed", "--source", "ext.sh", "--output", "ev/ext.json",
    )  # fmt: skip
    _, report = project.run("--neuron-evidence=ev/*.json")
    assert {(c["item"], c["change"]) for c in report["lifecycle"]} == {("ext", "removed"), ("ext2", "new")}
