"""Stable API contracts (docs/how-to/contracts.md): snapshots, change classes and the notice rule."""

from __future__ import annotations

import datetime
import json
import sys
from fnmatch import fnmatch
from unittest.mock import ANY

import pytest

from pytest_neuron_classification.core.contracts import add_month

D = datetime.date
CONTRACTS_SCHEMA = "pytest-neuron-classification-contracts/1"
TODAY = datetime.date.today()


SDK_V1 = """
def trace(fn, example_inputs, *, optimize=True):
    return fn(*example_inputs)

class Model:
    def __init__(self, path, *, dtype="fp32"):
        self.path = path
    def predict(self, x):
        return x
    @classmethod
    def load(cls, path):
        return cls(path)
    def _private(self, y):
        return y
"""
INVENTORY = """
[tool.pytest.ini_options]
pythonpath = ["."]

[tool.neuron-classification]

[[tool.neuron-classification.items]]
name = "trace"
kind = "api"
level = "{level}"
target = "mysdk:trace"

[[tool.neuron-classification.items]]
name = "Model"
kind = "api"
level = "{level}"
target = "mysdk:Model"
{notices}
"""
TESTS = """
import pytest, mysdk
@pytest.mark.neuron_{level}("trace")
def test_trace(): pass
@pytest.mark.neuron_{level}("Model")
def test_model(): pass
"""


@pytest.fixture
def sdk(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch):
    """A project with an SDK module and two api items; returns a function to set it up."""
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # rewritten modules must be re-read

    def setup(level: str = "stable", notices: str = "", source: str = SDK_V1) -> None:
        pytester.makepyprojecttoml(INVENTORY.format(level=level, notices=notices))
        pytester.makepyfile(mysdk=source, test_sdk=TESTS.format(level=level))

    return setup


def baseline(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--neuron-update-contracts")
    assert result.ret == 0
    recorded = json.loads((pytester.path / "neuron-contracts.json").read_text())
    assert (sorted(recorded["contracts"]), sorted(recorded["items"])) == (["Model", "trace"], ["Model", "trace"])


def test_without_baseline_compat_is_missing(sdk, project):
    sdk()
    result, report = project.run()
    assert report.statuses["trace"] == {"basic": "met", "compat": "missing"}
    assert report["items"][1]["contract"]["state"] == "no-baseline"
    result.stdout.fnmatch_lines(
        [
            "  stable api trace (mysdk:trace): *--neuron-update-contracts*",
            "  stable api trace: compat missing -> *neuron_compat*--neuron-update-contracts",
        ]
    )
    assert result.ret == 1


def test_update_then_clean_run(sdk, pytester, project):
    sdk()
    baseline(pytester)
    stored = json.loads((pytester.path / "neuron-contracts.json").read_text())
    assert stored["schema"] == "pytest-neuron-classification-contracts/1"
    assert list(stored["contracts"]) == ["Model", "trace"]
    core = ("default", "kind", "name")  # what an import reads too; the source adds annotations and defaults
    methods = {m: [{k: p[k] for k in core} for p in ps] for m, ps in stored["contracts"]["Model"]["methods"].items()}
    assert methods == {
        "load": [{"default": False, "kind": "positional-or-keyword", "name": "path"}],
        "predict": [
            {"default": False, "kind": "positional-or-keyword", "name": "self"},
            {"default": False, "kind": "positional-or-keyword", "name": "x"},
        ],
    }
    assert (pytester.path / "neuron-contracts.json").read_text() == json.dumps(stored, indent=2, sort_keys=True) + "\n"
    result, report = project.run()
    assert report.statuses == {"Model": {"basic": "met", "compat": "met"}, "trace": {"basic": "met", "compat": "met"}}
    assert report["items"][1]["contract"] == {"target": "mysdk:trace", "state": "holds", "changes": []}
    result.stdout.no_fnmatch_line("API contracts:")
    assert result.ret == 0


def test_breaking_change_to_a_stable_api_fails(sdk, pytester, project):
    sdk()
    baseline(pytester)
    pytester.makepyfile(mysdk=SDK_V1.replace("def trace(fn, example_inputs,", "def trace(fn,"))
    result, report = project.run()
    assert report.statuses["trace"] == {"basic": "met", "compat": "failing"}
    contract = report["items"][1]["contract"]
    assert (contract["state"], [c["breaking"] for c in contract["changes"]]) == ("broken", [True])
    (change,) = contract["changes"]
    assert "`example_inputs`" in change["change"]
    result.stdout.fnmatch_lines(
        [
            "API contracts:",
            "  stable api trace (mysdk:trace): *broken",
            f"    breaking: {change['change']}",
            "    notice: *",
            f"  stable api trace: compat failing -> {change['change']}*",
        ]
    )
    assert result.ret == 1


def test_additive_change_passes_and_is_reported(sdk, pytester, project):
    sdk()
    baseline(pytester)
    pytester.makepyfile(mysdk=SDK_V1.replace("optimize=True)", "optimize=True, cache=None)"))
    result, report = project.run()
    assert report.statuses["trace"] == {"basic": "met", "compat": "met"}
    contract = report["items"][1]["contract"]
    assert (contract["state"], [c["breaking"] for c in contract["changes"]]) == ("holds", [False])
    result.stdout.fnmatch_lines(["  stable api trace (mysdk:trace): *holds", "    additive: *`cache`*"])
    assert result.ret == 0


@pytest.mark.parametrize("level", ["beta", "alpha"])
def test_changes_below_stable_are_reported_never_failing(sdk, pytester, project, level):
    sdk(level=level)
    baseline(pytester)
    pytester.makepyfile(mysdk=SDK_V1.replace("def trace(fn, example_inputs,", "def trace(example_inputs,"))
    result, report = project.run()
    assert report.statuses["trace"] == {"basic": "met"}
    assert report["items"][1]["contract"]["state"] == "changed"
    result.stdout.fnmatch_lines([f"  {level} api trace (mysdk:trace): changed*", "    breaking: *`fn`*"])
    assert result.ret == 0


def notice(announced: datetime.date, effective: datetime.date) -> str:
    return (
        f'\n[[tool.neuron-classification.notices]]\nitem = "trace"\nannounced = {announced}\n'
        f'effective = {effective}\nchange = "example_inputs becomes keyword-only"\n'
    )


def test_notice_of_one_month_in_the_past_allows_the_break(sdk, pytester, project):
    announced = add_month(TODAY.replace(day=1) - datetime.timedelta(days=70)).replace(day=28)
    sdk(notices=notice(announced, add_month(announced)))
    baseline(pytester)
    pytester.makepyfile(mysdk=SDK_V1.replace("fn, example_inputs, *,", "fn, *, example_inputs,"))
    result, report = project.run()
    assert report.statuses["trace"]["compat"] == "met"
    contract = report["items"][1]["contract"]
    assert (contract["state"], [c["breaking"] for c in contract["changes"]]) == ("holds", [True])
    result.stdout.fnmatch_lines(
        ["    breaking: *`example_inputs`*keyword-only", f"    notice: *{announced}*{add_month(announced)}"]
    )
    assert result.ret == 0


@pytest.mark.parametrize(
    ("announced", "effective", "why"),
    [
        (D(2025, 1, 31), D(2025, 2, 27), "2025-02-28"),  # the earliest day it could take effect
        (TODAY, add_month(add_month(TODAY)), str(TODAY)),  # it is not in effect today
    ],
)
def test_short_or_future_notice_is_the_reason_it_fails(sdk, pytester, project, announced, effective, why):
    sdk(notices=notice(announced, effective))
    baseline(pytester)
    pytester.makepyfile(mysdk=SDK_V1.replace("fn, example_inputs, *,", "fn, *, example_inputs,"))
    result, report = project.run()
    assert report.statuses["trace"]["compat"] == "failing"
    assert why in report["items"][1]["contract"]["notice"]
    result.stdout.fnmatch_lines([f"    notice: *{announced}*{effective}*{why}*"])
    assert result.ret == 1


def test_class_constructor_and_methods(sdk, pytester, project):
    sdk()
    baseline(pytester)
    changed = (
        SDK_V1.replace("def predict(self, x):", "def infer(self, x):")
        .replace('*, dtype="fp32"', "*, dtype")
        .replace("def load(cls, path):", "def load(cls, path, strict=False):")
    )
    pytester.makepyfile(mysdk=changed)
    result, report = project.run()
    assert report.statuses["Model"]["compat"] == "failing"
    changes = report["items"][0]["contract"]["changes"]
    assert [c["breaking"] for c in changes] == [True, False, False, True]
    expected = (
        "*`dtype`*constructor*",
        "*`mysdk:Model.infer`*",
        "*`strict`*`mysdk:Model.load`",
        "*`mysdk:Model.predict`*",
    )
    assert all(fnmatch(c["change"], pattern) for c, pattern in zip(changes, expected)), changes
    assert result.ret == 1


def test_target_that_no_longer_imports(sdk, pytester, project):
    sdk()
    baseline(pytester)
    pytester.makepyfile(mysdk="raise ImportError('needs the Neuron driver')")
    pytester.makepyfile(test_sdk="import pytest\n@pytest.mark.neuron_stable('trace')\ndef test_trace(): pass")
    result, report = project.run()
    contract = {i["name"]: i["contract"] for i in report["items"]}["trace"]
    assert (contract["state"], [c["breaking"] for c in contract["changes"]]) == ("broken", [True])
    assert fnmatch(contract["changes"][0]["change"], "*`mysdk:trace`*ImportError*needs the Neuron driver*")
    result.stdout.fnmatch_lines(["    breaking: *`mysdk:trace`*ImportError*"])
    assert "Traceback" not in result.stdout.str()
    assert result.ret == 1


def test_unimportable_target_without_baseline(sdk, pytester, project):
    sdk()
    pytester.makepyprojecttoml(INVENTORY.format(level="stable", notices="").replace("mysdk:Model", "mysdk:Nope"))
    result, report = project.run()
    assert report["items"][0]["contract"] == {
        "target": "mysdk:Nope",
        "state": "unimportable",
        "changes": [],
        "error": ANY,
    }
    assert "Nope" in report["items"][0]["contract"]["error"]
    assert report.statuses["Model"]["compat"] == "failing"
    result.stdout.fnmatch_lines(["  stable api Model: compat failing -> *Nope*"])


def test_compat_test_meets_compat_without_a_contract(sdk, pytester, project):
    sdk()
    pytester.makepyfile(
        test_sdk="""
        import pytest
        pytestmark = pytest.mark.neuron_stable("trace")
        def test_trace(): pass
        @pytest.mark.neuron_compat
        def test_old_callers_still_work(): pass
        """
    )
    _, report = project.run()
    assert report.statuses["trace"] == {"basic": "met", "compat": "met"}


@pytest.mark.parametrize(
    "content",
    [
        '{\n  "schema": "pytest-neuron-classification-contracts/1",\n  "contracts": {\n    "trace": {',  # torn
        '{"schema": "pytest-neuron-classification-contracts/2", "contracts": {}}',
    ],
)
def test_a_corrupt_or_newer_contracts_file_is_cured_by_recording_it_again(sdk, pytester, content):
    # The usage error it gives (in the catalogue) names this cure; a broken file that no longer names
    # the contracts' schema is not known to be ours, and must be deleted first (see test_outputs.py).
    sdk()
    (pytester.path / "neuron-contracts.json").write_text(content)
    assert pytester.runpytest("--neuron-update-contracts").ret == 0
    recorded = json.loads((pytester.path / "neuron-contracts.json").read_text())
    assert (recorded["schema"], sorted(recorded["contracts"])) == (CONTRACTS_SCHEMA, ["Model", "trace"])


def test_a_notice_may_name_an_item_only_markers_classify(pytester, project):
    project.config(notice(D(2026, 1, 1), D(2026, 2, 1)).replace('"trace"', '"cache"'))
    pytester.makepyfile(test_cache="import pytest\npytestmark = pytest.mark.neuron_beta('cache')\ndef test_a(): pass")
    result, report = project.run()
    assert result.ret == 0, result.stdout.str() + result.stderr.str()
    assert report.statuses == {"cache": {"basic": "met"}}
    # A run given part of the suite cannot tell whether the item exists elsewhere: not judged.
    pytester.makepyfile(test_other="def test_b(): pass")
    assert pytester.runpytest("test_other.py").ret == 0


def test_contracts_in_markdown_and_merge(sdk, pytester):
    sdk()
    baseline(pytester)
    pytester.makepyfile(mysdk=SDK_V1.replace("def trace(fn, example_inputs,", "def trace(fn,"))
    pytester.runpytest("--neuron-json=a.json", "--neuron-markdown=a.md")
    (change,) = {i["name"]: i for i in json.loads((pytester.path / "a.json").read_text())["items"]}["trace"][
        "contract"
    ]["changes"]
    markdown = (pytester.path / "a.md").read_text()
    assert "### API contracts" in markdown
    assert f"    breaking: {change['change']}" in markdown
    from pytest_neuron_classification.merge import merge_reports
    from pytest_neuron_classification.storage.report_file import load_report

    merged = merge_reports([load_report(pytester.path / "a.json")], "error")
    (trace,) = [r for r in merged.items if r.item.name == "trace"]
    assert trace.contract is not None and trace.contract.state == "broken"
    assert {o.name: o.status for o in trace.obligations} == {"basic": "met", "compat": "failing"}


def test_c_targets_are_met_by_a_compat_test_and_hold_once_recorded(project):
    project.config(
        project.API.format(name="date", target="datetime:date") + project.API.format(name="int", target="builtins:int")
    )
    project.pytester.makepyfile(
        test_date=project.COMPAT.format(name="date"), test_int=project.COMPAT.format(name="int")
    )
    result, report = project.run()
    assert report.statuses == {"date": {"basic": "met", "compat": "met"}, "int": {"basic": "met", "compat": "met"}}
    assert result.ret == 0
    project.pytester.runpytest("--neuron-update-contracts")
    result, report = project.run()
    assert {i["name"]: i["contract"]["state"] for i in report["items"]} == {"date": "holds", "int": "holds"}
    assert "date" in json.loads((project.path / "neuron-contracts.json").read_text())["contracts"]
