"""The scenarios behind the documentation's output blocks: each runs the commands a page shows, as
the reader runs them, in a copy of the bundled example (see tests/docs_pages.py for the convention).

:data:`SCENARIOS` maps each scenario's name (``% output: NAME`` on a page) to its function, and
:data:`SHOWN_COMMANDS` the commands the pages write for it, so that a page and its scenario agree.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from docs_pages import EXAMPLE, blocks


def run(cwd: Path, *command: str, env: dict[str, str] | None = None) -> str:
    """One shell command of a page, run as the reader runs it; its stdout and stderr, interleaved."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NEURON_"))}
    # Hypothesis' plugin costs ~0.6 s a run and adds nothing the pages show (as in conftest.py).
    environ["PYTEST_ADDOPTS"] = "-p no:hypothesispytest"
    # The pages show plain text. A CI host may set FORCE_COLOR (even empty: pytest reads it as off, Sphinx as
    # on), so colour is turned off the one way every tool honours.
    environ.pop("FORCE_COLOR", None)
    environ.pop("PY_COLORS", None)
    environ["NO_COLOR"] = "1"
    environ.update(env or {})
    argv = [sys.executable if part == "python" else part for part in command]
    done = subprocess.run(argv, cwd=cwd, env=environ, capture_output=True, text=True, timeout=300, check=False)
    return done.stdout + done.stderr


def example_copy(tmp: Path, name: str = "examples/neuron-sdk") -> Path:
    target = tmp / name
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache", "reports"))
    return target


def write_files(tmp: Path, scenario: str) -> None:
    for block in blocks():
        if block.note[:2] == ("file", scenario):
            (tmp / block.note[2]).parent.mkdir(parents=True, exist_ok=True)
            (tmp / block.note[2]).write_text(block.text, encoding="utf-8")


def scenario_example(tmp: Path) -> str:
    example_copy(tmp)
    return run(tmp, "python", "-m", "pytest", "examples/neuron-sdk")


def scenario_tutorial(tmp: Path) -> str:
    example_copy(tmp, "my-sdk")
    write_files(tmp, "tutorial")
    return run(tmp, "python", "-m", "pytest", "my-sdk")


def scenario_shards(tmp: Path) -> str:
    sdk = example_copy(tmp)
    unit = ("-m", "not neuron_performance", "--neuron-json=reports/unit.json", "--neuron-enforce=warn")
    run(sdk, "python", "-m", "pytest", *unit)
    perf = ("-m", "neuron_performance", "--neuron-json=reports/perf.json", "--neuron-enforce=warn")
    run(sdk, "python", "-m", "pytest", *perf, env={"NEURON_HARDWARE": "1"})
    merge = ("merge", "reports/unit.json", "reports/perf.json", "--json", "reports/neuron.json")
    return run(sdk, "python", "-m", "pytest_neuron_classification", *merge, "--markdown", "reports/neuron.md")


def scenario_missing_shard(tmp: Path) -> str:
    """docs/how-to/ci.md: the split of three jobs by file, where only the first uploaded its report."""
    sdk = example_copy(tmp)
    files = sorted(f"tests/{test.name}" for test in (sdk / "tests").glob("test_*.py"))[::3]  # awk 'NR % 3 == 1'
    shard = ("--neuron-shard=1/3", "--neuron-job=unit-1", "--neuron-json=reports/unit-1.json")
    run(sdk, "python", "-m", "pytest", *files, *shard)
    return run(sdk, "python", "-m", "pytest_neuron_classification", "merge", "reports/unit-1.json")


def shown(cwd: Path, command: str, env: dict[str, str] | None = None) -> str:
    """``command`` as the page writes it (``pytest`` for ``python -m pytest``), then what it prints."""
    argv = command.split()
    if argv[0] == "pytest":
        argv = ["python", "-m", *argv]
    prefix = "".join(f"{key}={value} " for key, value in (env or {}).items())
    return f"$ {prefix}{command}\n" + run(cwd, *argv, env=env)


def scenario_split_matrix(tmp: Path) -> str:
    """docs/how-to/ci.md: three pytest-split groups of the example, merged; then without group 2."""
    assert importlib.util.find_spec("pytest_split"), "pytest-split is in the test extra: pip install -e '.[test]'"
    sdk = example_copy(tmp)
    out = ""
    for group in (1, 2, 3):
        out += shown(sdk, f"pytest --splits 3 --group {group} --neuron-json=group-{group}.json --neuron-enforce=warn")
    every = " ".join(sorted(p.name for p in sdk.glob("group-*.json")))
    assert every == "group-1.json group-2.json group-3.json", every
    out += shown(sdk, f"python -m pytest_neuron_classification merge {every}").replace(every, "group-*.json", 1)
    return out + shown(sdk, "python -m pytest_neuron_classification merge group-1.json group-3.json")


def scenario_hardware_matrix(tmp: Path) -> str:
    """docs/how-to/ci.md: a CPU job (the latency test skipped), a device job of the performance tests, merged."""
    sdk = example_copy(tmp)
    out = shown(sdk, "pytest --neuron-job=cpu --neuron-json=reports/cpu.json --neuron-enforce=warn")
    device = "-m neuron_performance --neuron-env instance=trn1.32xlarge --neuron-job=trn1"
    out += shown(
        sdk, f"pytest {device} --neuron-json=reports/trn1.json --neuron-enforce=warn", {"NEURON_HARDWARE": "1"}
    )
    return out + shown(sdk, "python -m pytest_neuron_classification merge reports/cpu.json reports/trn1.json")


def scenario_jobs(tmp: Path) -> str:
    sdk = example_copy(tmp)
    out = ""
    for test in sorted((sdk / "tests").glob("test_*.py")):
        report = f"--neuron-json=reports/{test.stem}.json"
        out += run(
            sdk,
            "python",
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            f"tests/{test.name}",
            "--neuron-scope=collected",
            report,
        )
    out += run(sdk, "python", "scripts/check_convergence.py", "reports/convergence.json")
    reports = sorted(str(p.relative_to(sdk)) for p in (sdk / "reports").glob("*.json"))
    return out + run(
        sdk, "python", "-m", "pytest_neuron_classification", "merge", *reports, "--markdown", "reports/neuron.md"
    )


def scenario_layout(tmp: Path) -> str:
    """docs/how-to/adopt.md's layout (rootdir tests/, the table in ../pyproject.toml), run as ci.md's jobs."""
    (tmp / "tests").mkdir()
    write_files(tmp, "layout")
    tests = tmp / "tests"
    out = "$ pytest -q -m neuron_alpha\n" + run(tests, "python", "-m", "pytest", "-q", "-m", "neuron_alpha")
    for job in ("runtime", "nxd", "persistent_cache", "prefetch"):
        args = (f"test_{job}.py", "--neuron-scope=collected", f"--neuron-json=../reports/{job}.json")
        out += f"$ cd tests && pytest {' '.join(args)}\n" + run(tests, "python", "-m", "pytest", *args)
    every = sorted(f"reports/{p.name}" for p in (tmp / "reports").glob("*.json"))
    for reports, shown in ((every, "reports/*.json"), (["reports/runtime.json", "reports/nxd.json"], None)):
        out += f"$ python -m pytest_neuron_classification merge {shown or ' '.join(reports)}\n"
        out += run(tmp, "python", "-m", "pytest_neuron_classification", "merge", *reports)
    return out.replace(str(tmp), "/repo")


def scenario_aliases(tmp: Path) -> str:
    """docs/how-to/adopt.md: a level-markers alias in conflict with a level marker."""
    (tmp / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\nmarkers = ["experimental: new"]\n\n'
        '[tool.neuron-classification.level-markers]\nalpha = ["experimental"]\n'
    )
    write_files(tmp, "aliases")
    return run(tmp, "python", "-m", "pytest")


def scenario_contracts(tmp: Path) -> str:
    """docs/how-to/contracts.md's worked example: record the contract, break it, run again."""
    write_files(tmp, "contracts")
    (tmp / "pyproject.toml").write_text(
        '[[tool.neuron-classification.items]]\nname = "torch_neuronx.trace"\nkind = "api"\ntarget = "torch_neuronx:trace"\n'
    )
    run(tmp, "python", "-m", "pytest", "--neuron-update-contracts")
    write_files(tmp, "contracts-after")
    return run(tmp, "python", "-m", "pytest", "-p", "no:cacheprovider")


def scenario_annotations(tmp: Path) -> str:
    """docs/how-to/contracts.md: an SDK whose import raises, its levels and contracts read from its source."""
    write_files(tmp, "annotations")
    return run(tmp, "python", "-m", "pytest", "-p", "no:cacheprovider", "--neuron-update-contracts")


def scenario_annotations_drift(tmp: Path) -> str:
    """A marker that says Stable where the code says Beta."""
    write_files(tmp, "annotations")
    write_files(tmp, "annotations-drift")
    return run(tmp, "python", "-m", "pytest", "-p", "no:cacheprovider")


def scenario_annotations_break(tmp: Path) -> str:
    """A default value changed and a property removed, after the contracts were recorded."""
    scenario_annotations(tmp)
    write_files(tmp, "annotations-break")
    return run(tmp, "python", "-m", "pytest", "-p", "no:cacheprovider")


def scenario_annotations_notice(tmp: Path) -> str:
    """The same break with notices, under a three-month window for Python APIs."""
    scenario_annotations_break(tmp)
    write_files(tmp, "annotations-notice")
    config = tmp / "pyproject.toml"
    config.write_text(config.read_text() + "\n" + (tmp / "notice.toml").read_text())
    return run(tmp, "python", "-m", "pytest", "-p", "no:cacheprovider")


def scenario_contracts_file(tmp: Path) -> str:
    """The example's contracts file as --neuron-update-contracts writes it today."""
    sdk = example_copy(tmp)
    (sdk / "neuron-contracts.json").unlink()
    run(sdk, "python", "-m", "pytest", "--neuron-update-contracts")
    return (sdk / "neuron-contracts.json").read_text(encoding="utf-8")


def scenario_lifecycle(tmp: Path) -> str:
    """docs/how-to/lifecycle.md: a removal, a demotion and a promotion against the example's record."""
    sdk = example_copy(tmp)
    (sdk / "tests" / "test_async_loading.py").unlink()
    model = sdk / "tests" / "test_linear_model.py"
    model.write_text(
        model.read_text().replace(
            'neuron_stable("linear", workload="inference"', 'neuron_beta("linear", workload="inference"'
        )
    )
    config = sdk / "pyproject.toml"
    entry = 'name = "neuronx-distributed"   # listed, but nobody wrote its tests yet\nkind = "package"\n'
    assert entry + 'level = "beta"\n' in config.read_text()
    config.write_text(config.read_text().replace(entry + 'level = "beta"\n', entry))
    return run(sdk, "python", "-m", "pytest")


def scenario_diverged(tmp: Path) -> str:
    sdk = example_copy(tmp)
    out = run(sdk, "python", "scripts/check_convergence.py", "reports/convergence.json", "5")
    return out + run(sdk, "python", "-m", "pytest", "--neuron-evidence=reports/convergence.json")


def scenario_bound(tmp: Path) -> str:
    """docs/how-to/record.md: a result whose metric is beyond its bound."""
    sdk = example_copy(tmp)
    item = ("--item", "llama", "--kind", "model", "--level", "beta", "--framework", "pytorch-neuronx")
    item += ("--library", "neuronx-distributed", "--workload", "training", "--category", "convergence")
    result = (
        "--outcome",
        "passed",
        "--source",
        "scripts/run_llama_convergence.sh",
        "--metric",
        "loss=3.1:lower:max=2.5",
    )
    out = run(
        sdk, "python", "-m", "pytest_neuron_classification", "record", *item, *result, "--output", "evidence/llama.json"
    )
    return out + run(sdk, "python", "-m", "pytest", "--neuron-evidence=evidence/llama.json")


def scenario_errors(tmp: Path) -> str:
    """docs/reference/errors.md: a bad config, a bad option value, a bad marker; each one line."""
    cases = {
        "level": {"pyproject.toml": '[[tool.neuron-classification.items]]\nname = "rt"\nlevel = "gamma"\n'},
        "above": {
            "pyproject.toml": '[tool.neuron-classification.level-markers]\nalpha = ["experimental"]\nbeta = ["experimental"]\n',
            "tests/pytest.ini": "[pytest]\n",
        },
        "alias": {"pyproject.toml": '[tool.neuron-classification.level-markers]\nalpha = [""]\n'},
        "scope": {"pyproject.toml": "[tool.neuron-classification]\n"},
        "marker": {
            "test_a.py": 'import pytest\n\n\n@pytest.mark.neuron_stable("a", kindd="x")\ndef test_it():\n    pass\n'
        },
    }
    out = ""
    for name, files in cases.items():
        for path, text in files.items():
            (tmp / name / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name / path).write_text(text)
        where = tmp / name / "tests" if name == "above" else tmp / name
        out += run(where, "python", "-m", "pytest", *(["--neuron-scope=any"] if name == "scope" else []))
    return out


def scenario_table(tmp: Path) -> str:
    return run(example_copy(tmp), "python", "-m", "pytest_neuron_classification", "table")


def scenario_report(tmp: Path) -> str:
    sdk = example_copy(tmp)
    run(sdk, "python", "-m", "pytest", "--neuron-json=reports/neuron.json")
    return (sdk / "reports" / "neuron.json").read_text(encoding="utf-8")


def scenario_baseline(tmp: Path) -> str:
    """docs/how-to/waivers.md: record the example's gaps, then run against them."""
    sdk = example_copy(tmp)
    run(sdk, "python", "-m", "pytest", "--neuron-baseline=neuron-baseline.json", "--neuron-update-baseline")
    recorded = (sdk / "neuron-baseline.json").read_text(encoding="utf-8")
    return recorded + run(sdk, "python", "-m", "pytest", "--neuron-baseline=neuron-baseline.json")


def scenario_metrics(tmp: Path) -> str:
    """docs/how-to/metrics.md: record the example's measurements for one runner, run on another."""
    sdk = example_copy(tmp)
    out = run(sdk, "python", "-m", "pytest", "--neuron-update-metrics", "--neuron-env", "instance=trn1.32xlarge")
    out += (sdk / "neuron-metrics.json").read_text(encoding="utf-8")
    return out + run(sdk, "python", "-m", "pytest", "--neuron-env", "instance=trn2")


def scenario_markdown(tmp: Path) -> str:
    sdk = example_copy(tmp)
    run(sdk, "python", "-m", "pytest", "--neuron-markdown=reports/neuron.md")
    return (sdk / "reports" / "neuron.md").read_text(encoding="utf-8")


def scenario_convergence(tmp: Path) -> str:
    sdk = example_copy(tmp)
    out = run(sdk, "python", "scripts/check_convergence.py", "reports/convergence.json")
    return out + run(sdk, "python", "-m", "pytest", "--neuron-evidence=reports/convergence.json")


def scenario_graduation(tmp: Path) -> str:
    return run(example_copy(tmp), "python", "-m", "pytest", "--neuron-graduation")


def scenario_sphinx_docs(tmp: Path) -> str:
    """docs/how-to/sphinx.md: the example's docs with the extension, built by the text builder, then the page."""
    sdk = example_copy(tmp, "my-sdk")
    (sdk / "docs").mkdir()
    write_files(tmp, "sphinx-docs")
    out = shown(sdk, "python -m sphinx -q -b text docs docs/_build/text").replace(f"{sdk}/", "")
    return out + "$ cat docs/_build/text/index.txt\n" + (sdk / "docs" / "_build" / "text" / "index.txt").read_text()


SCENARIOS: dict[str, Callable[[Path], str]] = {
    name.removeprefix("scenario_").replace("_", "-"): value
    for name, value in globals().items()
    if name.startswith("scenario_")
}


#: The commands each scenario runs, as the pages (one of those showing its output) write them: a page
#: whose command changes no longer matches its scenario, and this fails until both agree again.
SHOWN_COMMANDS: dict[str, tuple[str, ...]] = {
    "example": ("python -m pytest examples/neuron-sdk",),
    "tutorial": ("cp -r examples/neuron-sdk my-sdk", "python -m pytest my-sdk"),
    "missing-shard": (
        "pytest $(ls tests/test_*.py | awk 'NR % 3 == 1') --neuron-shard=1/3 --neuron-job=unit-1 "
        "--neuron-json=reports/unit-1.json",
        "python -m pytest_neuron_classification merge reports/unit-1.json",
    ),
    "shards": (
        'pytest -m "not neuron_performance" --neuron-json=reports/unit.json --neuron-enforce=warn',
        "pytest -m neuron_performance --neuron-json=reports/perf.json --neuron-enforce=warn",
        "python -m pytest_neuron_classification merge reports/unit.json reports/perf.json",
    ),
    "jobs": (
        'pytest -p no:cacheprovider "$f" --neuron-scope=collected --neuron-json="reports/$(basename "$f" .py).json"',
        "python scripts/check_convergence.py reports/convergence.json",
        "python -m pytest_neuron_classification merge reports/*.json --markdown reports/neuron.md",
    ),
    "split-matrix": (
        "pytest --splits 3 --group $g --neuron-json=group-$g.json --neuron-enforce=warn",
        "--splits 3 --group ${{ matrix.group }} --neuron-json=group-${{ matrix.group }}.json",
        "python -m pytest_neuron_classification merge group-*.json",
        "merge group-1.json group-3.json",
    ),
    "hardware-matrix": (
        "pytest --neuron-job=cpu --neuron-json=reports/cpu.json --neuron-enforce=warn",
        "NEURON_HARDWARE=1 pytest -m neuron_performance --neuron-env instance=trn1.32xlarge --neuron-job=trn1 "
        "--neuron-json=reports/trn1.json --neuron-enforce=warn",
        "python -m pytest_neuron_classification merge reports/cpu.json reports/trn1.json",
    ),
    "layout": ("pytest -q -m neuron_alpha",),
    "aliases": ('alpha = ["experimental"]',),
    "contracts": ("pytest --neuron-update-contracts", "pytest"),
    "contracts-file": ("--neuron-update-contracts",),
    "annotations": ("pytest --neuron-update-contracts",),
    "annotations-drift": (),
    "annotations-break": ("pytest",),
    "annotations-notice": ('python = "3 months"',),
    "lifecycle": ("tests/test_async_loading.py", 'level = "beta"'),
    "diverged": ("python scripts/check_convergence.py reports/convergence.json 5",),
    "bound": ("--metric loss=3.1:lower:max=2.5",),
    "errors": (),
    "table": ("python -m pytest_neuron_classification table",),
    "report": ("python -m pytest --neuron-json=reports/neuron.json",),
    "markdown": ("python -m pytest --neuron-markdown=reports/neuron.md",),
    "metrics": (
        "pytest --neuron-update-metrics --neuron-env instance=trn1.32xlarge",
        "pytest --neuron-env instance=trn2",
    ),
    "baseline": (
        "pytest --neuron-baseline=neuron-baseline.json --neuron-update-baseline",
        "pytest --neuron-baseline=neuron-baseline.json ",
    ),
    "convergence": (
        "python scripts/check_convergence.py reports/convergence.json",
        "--neuron-evidence=reports/convergence.json",
    ),
    "graduation": ("pytest --neuron-graduation",),
    "sphinx-docs": ("python -m sphinx -q -b text docs docs/_build/text",),
}
