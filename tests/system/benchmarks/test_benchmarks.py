"""The benchmark scripts run (at a tiny size); timing itself is never asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "benchmarks"


def test_the_evidence_benchmark_runs_at_a_tiny_size():
    done = subprocess.run(
        [sys.executable, str(BENCH / "evidence.py"), "--sizes", "20", "--repeats", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].split()[0] == "20"


# 1,650 tests in one in-process session: slow, with the benchmark scripts
def test_generated_suite_is_classified_at_every_kind_and_level(pytester):
    sys.path.insert(0, str(BENCH))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(BENCH))
    generate(pytester.path / "suite", 1650)
    result = pytester.runpytest(str(pytester.path / "suite"), "--neuron-json=r.json", "-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1650)
    report = json.loads((pytester.path / "r.json").read_text())
    assert {(i["kind"], i["level"]) for i in report["items"]} == {
        (kind, level) for kind in ("api", "package", "feature") for level in ("alpha", "beta", "stable")
    } | {("model", "beta"), ("model", "stable")}
    assert {c for t in report["tests"] for c in t["categories"]} == {
        "functional",
        "integration",
        "performance",
        "accuracy",
        "compat",
    }
    assert result.ret == 0  # the generated config uses enforce = "warn"


def test_benchmark_script_runs_on_a_tiny_suite():
    done = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--sizes", "50", "--repeats", "1", "--workers", "0"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.split()[:2] == ["50", "collect-only"] for line in lines)
    assert any(line.split()[:2] == ["50", "run"] for line in lines)
    assert "extra peak RSS (MiB)" in done.stdout


def test_the_merge_benchmark_runs_at_a_tiny_size(tmp_path):
    done = subprocess.run(
        [sys.executable, str(BENCH / "merge_scale.py"), "--tests", "100", "--shards", "2,3", "--keep", str(tmp_path),
         "--check"],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.split()[0].isdigit()]
    assert [row.split()[0] for row in rows] == ["2", "3"]
    assert all(row.endswith("same audit as the full run") for row in rows)
    merged = json.loads((tmp_path / "merged-3.json").read_text())
    full = json.loads((tmp_path / "full-100.json").read_text())
    assert [(t["nodeid"], t["outcome"]) for t in merged["tests"]] == [
        (t["nodeid"], t["outcome"]) for t in full["tests"]
    ]


def test_inventory_benchmark_prints_the_ratio_and_the_page():
    done = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--inventory", "120", "--repeats", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert any(
        line.split()[:4] == ["120", "items", "run", "off"] and "on/off" in line for line in done.stdout.splitlines()
    )
    assert "extra peak RSS of the run:" in done.stdout
    assert "HTML page:" in done.stdout and "Chromium:" in done.stdout


TINY = ("--repeats", "1", "--import-cost", "0")


def test_the_annotations_benchmark_runs_at_a_tiny_size():
    """Static and import reads of a generated SDK find the same targets (timing is not asserted)."""
    done = subprocess.run(
        [sys.executable, str(BENCH / "annotations.py"), *("--functions", "40", "--modules", "4"), *TINY],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].split()[-2:] == ["40", "12"]


def test_the_source_reader_agrees_with_the_import_on_real_packages():
    """Every target of these packages that the source settles has the parameters an import reads."""
    done = subprocess.run(
        [sys.executable, str(BENCH / "static_agreement.py"), "click", "json", "argparse", "_pytest.fixtures"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    total = done.stdout.splitlines()[-1].split()
    assert int(total[3]) > 50 and total[3] == total[7], done.stdout
