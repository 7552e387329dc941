"""Stable API contracts (docs/how-to/contracts.md): snapshots, change classes and the notice rule."""

from __future__ import annotations

import datetime
import json
import sys

import pytest

from pytest_neuron_classification.core.contracts import add_month, compare_signatures, notice_problem
from pytest_neuron_classification.surface.signatures import _parameters

D = datetime.date
TODAY = datetime.date.today()


@pytest.mark.parametrize(
    ("day", "later"),
    [
        (D(2026, 1, 31), D(2026, 2, 28)),
        (D(2024, 1, 31), D(2024, 2, 29)),
        (D(2026, 3, 31), D(2026, 4, 30)),
        (D(2026, 12, 15), D(2027, 1, 15)),
        (D(2026, 9, 1), D(2026, 10, 1)),
    ],
)
def test_add_month_clamps_to_month_end(day, later):
    assert add_month(day) == later


def test_notice_of_exactly_one_month_counts():
    assert notice_problem(D(2026, 1, 31), D(2026, 2, 28), today=D(2026, 3, 1)) == ""
    assert notice_problem(D(2026, 9, 1), D(2026, 10, 1), today=D(2026, 10, 1)) == ""


def test_short_and_future_notices_say_why():
    assert notice_problem(D(2026, 1, 31), D(2026, 2, 27), today=D(2026, 3, 1)) == (
        "the notice announced 2026-01-31 takes effect 2026-02-27, less than one month later "
        "(the earliest allowed is 2026-02-28)"
    )
    assert notice_problem(D(2026, 9, 1), D(2026, 12, 1), today=D(2026, 11, 25)) == (
        "the notice announced 2026-09-01 takes effect 2026-12-01, which is after today (2026-11-25)"
    )


def before(fn, example_inputs, *, optimize=True): ...
def removed(fn, *, optimize=True): ...
def renamed(fn, inputs, *, optimize=True): ...
def reordered(example_inputs, fn, *, optimize=True): ...
def required(fn, example_inputs, device, *, optimize=True): ...
def kw_only(fn, *, example_inputs, optimize=True): ...
def no_default(fn, example_inputs, *, optimize): ...
def optional(fn, example_inputs, device=None, *, optimize=True, cache=False, **options): ...
def pos_only(fn, example_inputs, /, *, optimize=True): ...


@pytest.mark.parametrize(
    ("after", "changes"),
    [
        (removed, [(True, "parameter `example_inputs` removed from `m:f`")]),
        (
            renamed,
            [
                (True, "parameter `example_inputs` removed from `m:f`"),
                (True, "new required positional-or-keyword parameter `inputs` in `m:f`"),
            ],
        ),
        (
            reordered,
            [
                (True, "parameter `fn` of `m:f` moved from position 1 to 2"),
                (True, "parameter `example_inputs` of `m:f` moved from position 2 to 1"),
            ],
        ),
        (required, [(True, "new required positional-or-keyword parameter `device` in `m:f`")]),
        (
            kw_only,
            [(True, "parameter `example_inputs` of `m:f` changed from positional-or-keyword to keyword-only")],
        ),
        (no_default, [(True, "parameter `optimize` of `m:f` lost its default")]),
        (
            pos_only,
            [
                (True, "parameter `fn` of `m:f` changed from positional-or-keyword to positional-only"),
                (True, "parameter `example_inputs` of `m:f` changed from positional-or-keyword to positional-only"),
            ],
        ),
        (
            optional,
            [
                (False, "new optional positional-or-keyword parameter `device` in `m:f`"),
                (False, "new optional keyword-only parameter `cache` in `m:f`"),
                (False, "new optional **kwargs parameter `options` in `m:f`"),
            ],
        ),
        (before, []),
    ],
)
def test_each_kind_of_change(after, changes):
    old = {"type": "function", "parameters": _parameters(before)}
    new = {"type": "function", "parameters": _parameters(after)}
    assert [(c.breaking, c.text) for c in compare_signatures("m:f", old, new)] == changes


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
    result.stdout.fnmatch_lines(["note: recorded 2 API contracts and 2 items in neuron-contracts.json"])
    assert result.ret == 0


def test_without_baseline_compat_is_missing(sdk, project):
    sdk()
    result, report = project.run()
    assert report.statuses["trace"] == {"basic": "met", "compat": "missing"}
    result.stdout.fnmatch_lines(
        [
            "  stable api trace (mysdk:trace): no baseline recorded (run with --neuron-update-contracts)",
            "*compat missing -> add a passing test marked @pytest.mark.neuron_compat, "
            "or record its contract with --neuron-update-contracts",
        ]
    )
    assert result.ret == 1


def test_update_then_clean_run(sdk, pytester, project):
    sdk()
    baseline(pytester)
    stored = json.loads((pytester.path / "neuron-contracts.json").read_text())
    assert stored["schema"] == "pytest-neuron-classification-contracts/1"
    assert list(stored["contracts"]) == ["Model", "trace"]
    assert stored["contracts"]["Model"]["methods"] == {
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
    result.stdout.fnmatch_lines(
        [
            "API contracts:",
            "  stable api trace (mysdk:trace): contract broken",
            "    breaking: parameter `example_inputs` removed from `mysdk:trace`",
            "    notice: no notice was published for it",
            "  stable api trace: compat failing -> parameter `example_inputs` removed from `mysdk:trace` without a "
            "valid notice (no notice was published for it); restore it or publish a notice a month ahead",
        ]
    )
    assert result.ret == 1


def test_additive_change_passes_and_is_reported(sdk, pytester, project):
    sdk()
    baseline(pytester)
    pytester.makepyfile(mysdk=SDK_V1.replace("optimize=True)", "optimize=True, cache=None)"))
    result, report = project.run()
    assert report.statuses["trace"] == {"basic": "met", "compat": "met"}
    result.stdout.fnmatch_lines(
        [
            "  stable api trace (mysdk:trace): contract holds",
            "    additive: new optional keyword-only parameter `cache` in `mysdk:trace`",
        ]
    )
    assert result.ret == 0


@pytest.mark.parametrize("level", ["beta", "alpha"])
def test_changes_below_stable_are_reported_never_failing(sdk, pytester, project, level):
    sdk(level=level)
    baseline(pytester)
    pytester.makepyfile(mysdk=SDK_V1.replace("def trace(fn, example_inputs,", "def trace(example_inputs,"))
    result, report = project.run()
    assert report.statuses["trace"] == {"basic": "met"}
    assert report["items"][1]["contract"]["state"] == "changed"
    result.stdout.fnmatch_lines(
        [
            f"  {level} api trace (mysdk:trace): changed (allowed below Stable)",
            "    breaking: parameter `fn` removed from `mysdk:trace`",
        ]
    )
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
    result.stdout.fnmatch_lines(
        [
            "    breaking: parameter `example_inputs` of `mysdk:trace` changed from positional-or-keyword to keyword-only",
            f"    notice: covered by the notice announced {announced}, effective {add_month(announced)}",
        ]
    )
    assert result.ret == 0


@pytest.mark.parametrize(
    ("announced", "effective", "why"),
    [
        (D(2025, 1, 31), D(2025, 2, 27), "less than one month later (the earliest allowed is 2025-02-28)"),
        (TODAY, add_month(add_month(TODAY)), "which is after today"),
    ],
)
def test_short_or_future_notice_is_the_reason_it_fails(sdk, pytester, project, announced, effective, why):
    sdk(notices=notice(announced, effective))
    baseline(pytester)
    pytester.makepyfile(mysdk=SDK_V1.replace("fn, example_inputs, *,", "fn, *, example_inputs,"))
    result, report = project.run()
    assert report.statuses["trace"]["compat"] == "failing"
    assert why in report["items"][1]["contract"]["notice"]
    result.stdout.fnmatch_lines(
        [f"    notice: the notice announced {announced} takes effect {effective}, *{project.literal(why)}*"]
    )
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
    assert [(c["breaking"], c["change"]) for c in report["items"][0]["contract"]["changes"]] == [
        (True, "parameter `dtype` of the constructor of `mysdk:Model` lost its default"),
        (False, "method `mysdk:Model.infer` added"),
        (False, "new optional positional-or-keyword parameter `strict` in `mysdk:Model.load`"),
        (True, "method `mysdk:Model.predict` removed"),
    ]
    assert result.ret == 1


def test_target_that_no_longer_imports(sdk, pytester):
    sdk()
    baseline(pytester)
    pytester.makepyfile(mysdk="raise ImportError('needs the Neuron driver')")
    pytester.makepyfile(test_sdk="import pytest\n@pytest.mark.neuron_stable('trace')\ndef test_trace(): pass")
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(
        [
            "    breaking: target `mysdk:trace` no longer imports (cannot import mysdk: ImportError: needs the Neuron driver)",
        ]
    )
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
        "error": "mysdk has no attribute Nope",
    }
    result.stdout.fnmatch_lines(["  stable api Model: compat failing -> fix the target: mysdk has no attribute Nope"])


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
    ("content", "message"),
    [
        (
            "{not json",
            "neuron-contracts.json: cannot read the API contracts (*); fix it, or rewrite it with --neuron-update-contracts",
        ),
        (
            '{"schema": "pytest-neuron-classification-contracts/2", "contracts": {}}',
            "neuron-contracts.json: schema 'pytest-neuron-classification-contracts/2' is not *",
        ),
    ],
)
def test_corrupt_or_newer_baseline_is_a_usage_error(sdk, pytester, content, message):
    sdk()
    (pytester.path / "neuron-contracts.json").write_text(content)
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: neuron-classification: */{message}"])
    assert pytester.runpytest("--neuron-update-contracts").ret == 0  # the cure the message names


def test_notice_for_an_unknown_item(pytester, project):
    project.config(notice(D(2026, 1, 1), D(2026, 2, 1)).replace('"trace"', '"tracee"'))
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.TESTS_FAILED  # known only after collection: markers classify too
    result.stdout.fnmatch_lines(
        [
            "ERROR: neuron-classification: *notices[[]0]: item 'tracee' is not an item this run classifies, nor one "
            "recorded with --neuron-update-contracts (those are: none); fix the name or delete the notice"
        ]
    )


def test_a_notice_may_name_an_item_only_markers_classify(pytester, project):
    project.config(notice(D(2026, 1, 1), D(2026, 2, 1)).replace('"trace"', '"cache"'))
    pytester.makepyfile(test_cache="import pytest\npytestmark = pytest.mark.neuron_beta('cache')\ndef test_a(): pass")
    result = pytester.runpytest()
    assert result.ret == 0, result.stdout.str() + result.stderr.str()
    result.stdout.fnmatch_lines(["neuron-classification: all 1 obligations met"])
    # A run given part of the suite cannot tell whether the item exists elsewhere: not judged.
    pytester.makepyfile(test_other="def test_b(): pass")
    assert pytester.runpytest("test_other.py").ret == 0


def test_contracts_in_markdown_and_merge(sdk, pytester):
    sdk()
    baseline(pytester)
    pytester.makepyfile(mysdk=SDK_V1.replace("def trace(fn, example_inputs,", "def trace(fn,"))
    pytester.runpytest("--neuron-json=a.json", "--neuron-markdown=a.md")
    markdown = (pytester.path / "a.md").read_text()
    assert "### API contracts" in markdown
    assert "    breaking: parameter `example_inputs` removed from `mysdk:trace`" in markdown
    from pytest_neuron_classification.merge import merge_reports
    from pytest_neuron_classification.storage.report_file import load_report

    merged = merge_reports([load_report(pytester.path / "a.json")], "error")
    (trace,) = [r for r in merged.items if r.item.name == "trace"]
    assert trace.contract is not None and trace.contract.state == "broken"
    assert {o.name: o.status for o in trace.obligations} == {"basic": "met", "compat": "failing"}


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("{}", "'type' must be 'function', 'class', 'flag' or 'env', not None"),
        ("1", "must be an object, not 1"),
        ('{"type": "function", "parameters": [{"name": "x"}]}', "'parameters' has a parameter that is not"),
        ('{"type": "class", "init": [], "methods": 3}', "'methods' must be an object"),
    ],
)
def test_a_malformed_contracts_entry_is_a_usage_error(project, entry, problem):
    project.config(project.API.format(name="mylib.trace", target="json:dumps"))
    (project.path / "neuron-contracts.json").write_text(
        f'{{"schema": "pytest-neuron-classification-contracts/1", "contracts": {{"mylib.trace": {entry}}}}}'
    )
    project.pytester.makepyfile(test_a="def test_a(): pass")
    result = project.pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [f"ERROR: neuron-classification: *neuron-contracts.json: contracts entry 'mylib.trace': {problem}*"]
    )
    result.stdout.no_fnmatch_line("*passed*")


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


def test_a_notice_that_takes_effect_before_it_is_announced(project):
    project.config(
        project.API.format(name="dumps", target="json:dumps")
        + '[[tool.neuron-classification.notices]]\nitem = "dumps"\nannounced = 2026-09-01\neffective = 2026-08-01\n'
    )
    result = project.pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*notices[[]0]: effective (2026-08-01) is before announced (2026-09-01); swap them"])
