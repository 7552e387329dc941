"""The classification over time (docs/how-to/lifecycle.md).

``--neuron-update-contracts`` records every item's level next to the API contracts; each run
compares the items it knows with that record. A Stable item removed or demoted without a
notice in effect breaks a promise; other changes are reported. A Stable API whose signature
names a Beta one, and a Stable model class on a Beta library, break a promise in any run.
"""

from __future__ import annotations

import datetime
import json
import os
from fnmatch import fnmatch
from unittest.mock import ANY

import pytest
from sample_projects import FEATURE_CONFIG, STABLE_FEATURE, record_levels


def _notice(announced: datetime.date, effective: datetime.date, item: str = "async_loading") -> str:
    return (
        f'[[tool.neuron-classification.notices]]\nitem = "{item}"\n'
        f"announced = {announced.isoformat()}\neffective = {effective.isoformat()}\n"
    )


def test_the_record_lists_every_item_with_kind_level_coupling_and_since(project):
    project.config(
        FEATURE_CONFIG
        + '[[tool.neuron-classification.items]]\nname = "neuron-runtime"\nkind = "package"\nsince = "2.12.0"\n'
        'tests = ["test_rt.py"]\n'
    )
    project.pytester.makepyfile(test_rt="def test_unit(): pass\n")
    project.module("llama", level="beta", kind="model", categories=("accuracy",), framework="pt", workload="training")
    project.run("--neuron-update-contracts")
    items = json.loads((project.path / "neuron-contracts.json").read_text())["items"]
    assert items == {
        "neuron-runtime": {
            "name": "neuron-runtime",
            "kind": "package",
            "level": "stable",
            "coupling": {},
            "since": "2.12.0",
            "declared": "inventory",
        },
        "llama[framework=pt,workload=training]": {
            "name": "llama",
            "kind": "model",
            "level": "beta",
            "coupling": {"framework": "pt", "workload": "training"},
            "declared": "marker",
        },
    }


def test_a_removed_stable_marker_only_item_fails_and_is_named(project):
    record_levels(project, ("async_loading", "stable", STABLE_FEATURE), ("cache", "beta", ("functional",)))
    (project.path / "test_async_loading.py").unlink()
    result, report = project.run()
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        ["lifecycle: 1 *", "  stable feature async_loading *removed*", "neuron-classification: FAILED*async_loading*"]
    )
    assert [(c["item"], c["change"], c["level"], c["breaks"]) for c in report["lifecycle"]] == [
        ("async_loading", "removed", "stable", True)
    ]
    assert report["passed"] is False


def test_a_notice_in_effect_covers_the_removal(project):
    today = datetime.date.today()
    announced = today - datetime.timedelta(days=60)
    record_levels(project, ("async_loading", "stable", STABLE_FEATURE), ("cache", "beta", ("functional",)))
    project.config(FEATURE_CONFIG + _notice(announced, announced + datetime.timedelta(days=31)))
    (project.path / "test_async_loading.py").unlink()
    result, report = project.run()
    assert result.ret == 0, result.stdout.str()
    result.stdout.fnmatch_lines([f"  stable feature async_loading *removed*{announced}*"])
    assert [(c["item"], c["change"], c["breaks"]) for c in report["lifecycle"]] == [("async_loading", "removed", False)]


def test_a_longer_window_for_the_kind_applies_to_its_removal(project):
    """``[notice]`` asks features for three months: a notice of two no longer covers the removal."""
    today = datetime.date.today()
    announced = today - datetime.timedelta(days=60)
    record_levels(project, ("async_loading", "stable", STABLE_FEATURE), ("cache", "beta", ("functional",)))
    windows = 'notice = { stable = "1 month", feature = "3 months" }\n'
    project.config(windows + FEATURE_CONFIG + _notice(announced, announced + datetime.timedelta(days=31)))
    (project.path / "test_async_loading.py").unlink()
    result, report = project.run()
    assert result.ret == 1
    assert [(c["item"], c["change"], c["breaks"]) for c in report["lifecycle"]] == [("async_loading", "removed", True)]
    result.stdout.fnmatch_lines(["  stable feature async_loading *removed*less than 3 months later*3 months ahead*"])


def test_a_notice_not_yet_in_effect_does_not_cover_it(project):
    today = datetime.date.today()
    record_levels(project, ("async_loading", "stable", STABLE_FEATURE), ("cache", "beta", ("functional",)))
    project.config(FEATURE_CONFIG + _notice(today, today + datetime.timedelta(days=40)))
    (project.path / "test_async_loading.py").unlink()
    result, report = project.run()
    assert result.ret == 1
    assert [(c["item"], c["change"], c["breaks"]) for c in report["lifecycle"]] == [("async_loading", "removed", True)]
    result.stdout.fnmatch_lines([f"  stable feature async_loading *removed*{today}*"])


def test_demoting_stable_to_beta_fails(project):
    record_levels(project, ("async_loading", "stable", STABLE_FEATURE))
    project.module("async_loading", level="beta", kind="feature", categories=("functional",))
    result, report = project.run()
    assert result.ret == 1
    result.stdout.fnmatch_lines(["  stable feature async_loading *demoted*beta*"])
    assert [(c["item"], c["change"], c["breaks"]) for c in report["lifecycle"]] == [("async_loading", "demoted", True)]


def test_a_promotion_passes_and_is_reported(project):
    record_levels(project, ("cache", "beta", ("functional",)))
    project.module("cache", level="stable", kind="feature", categories=STABLE_FEATURE)
    result, report = project.run()
    assert result.ret == 0, result.stdout.str()
    result.stdout.fnmatch_lines(["lifecycle: 1 *", "  beta feature cache *promoted*stable"])
    assert report["lifecycle"] == [
        {"item": "cache", "change": "promoted", "text": ANY, "level": "stable", "breaks": False}
    ]


def test_removing_a_beta_item_and_adding_one_are_reported_never_failing(project):
    record_levels(project, ("cache", "beta", ("functional",)), ("runtime", "stable", STABLE_FEATURE))
    (project.path / "test_cache.py").unlink()
    project.module("loader", level="alpha", kind="feature", categories=("functional",))
    result, report = project.run()
    assert result.ret == 0, result.stdout.str()
    result.stdout.fnmatch_lines(["lifecycle: 2 *", "  beta feature cache *removed*", "  alpha feature loader *new*"])
    assert {(c["item"], c["change"], c["breaks"]) for c in report["lifecycle"]} == {
        ("cache", "removed", False),
        ("loader", "new", False),
    }


def test_warn_reports_a_broken_promise_without_failing(project):
    record_levels(project, ("async_loading", "stable", STABLE_FEATURE))
    project.module("async_loading", level="beta", kind="feature", categories=("functional",))
    result, report = project.run("--neuron-enforce=warn")
    assert result.ret == 0
    assert [(c["change"], c["breaks"]) for c in report["lifecycle"]] == [("demoted", True)]
    result.stdout.fnmatch_lines(["neuron-classification: 1 lifecycle *async_loading*(enforce=warn)"])


def test_a_run_given_one_file_judges_no_marker_only_removal_and_says_so(project):
    config = (
        FEATURE_CONFIG
        + '[[tool.neuron-classification.items]]\nname = "runtime"\nlevel = "beta"\ntests = ["test_runtime.py"]\n'
    )
    project.config(config)
    project.pytester.makepyfile(test_runtime="def test_unit(): pass\n")
    project.module("async_loading", level="stable", kind="feature", categories=STABLE_FEATURE)
    project.module("cache", level="beta", kind="feature", categories=("functional",))
    project.run("--neuron-update-contracts")
    result, report = project.run("test_cache.py")
    assert report["lifecycle"] == []
    assert report["unjudged"] == [{"item": "async_loading", "why": ANY}]
    # Every file job would say so: the note changes no conclusion of this one, so it needs -v.
    result.stdout.no_fnmatch_line("note: *async_loading*")
    result, report = project.run("test_cache.py", "-v")
    result.stdout.fnmatch_lines(["note: *(async_loading)*test_cache.py*"])
    # The inventory is known whatever was collected: its removal is judged in a partial run too.
    project.config(FEATURE_CONFIG)
    result, report = project.run("test_cache.py")
    assert [(c["item"], c["change"]) for c in report["lifecycle"]] == [("runtime", "removed")]
    assert result.ret == 0  # a Beta item: reported


def test_deselection_still_sees_the_items_so_removals_are_judged(project):
    record_levels(project, ("async_loading", "stable", STABLE_FEATURE), ("cache", "beta", ("functional",)))
    result, report = project.run("-k", "cache")
    assert report["lifecycle"] == []  # -k deselected async_loading's tests, but they were classified
    (project.path / "test_async_loading.py").unlink()
    result, report = project.run("-k", "cache")
    assert result.ret == 1
    assert [c["change"] for c in report["lifecycle"]] == ["removed"]


def test_updating_in_a_partial_run_keeps_what_it_did_not_see(project):
    record_levels(project, ("async_loading", "stable", STABLE_FEATURE), ("cache", "beta", ("functional",)))
    project.run("test_cache.py", "--neuron-update-contracts")
    items = json.loads((project.path / "neuron-contracts.json").read_text())["items"]
    assert sorted(items) == ["async_loading", "cache"]
    (project.path / "test_async_loading.py").unlink()
    _, report = project.run()
    assert [(c["item"], c["change"]) for c in report["lifecycle"]] == [("async_loading", "removed")]


# --- promises resting on previews ------------------------------------------------

SDK = """
from __future__ import annotations

import os
from typing import Optional


class BetaConfig:
    pass


class StableOptions:
    pass


def compile(model, cfg: Optional["BetaConfig"] = None) -> StableOptions:
    return StableOptions()


def options() -> "StableOptions":
    return StableOptions()


def mystery(x: "NotDefinedAnywhere") -> None:
    pass


class Runner(BetaConfig):
    def run(self, options: StableOptions) -> list[BetaConfig]:
        return []
"""


def _sdk_config(*stable: str) -> str:
    entries = [("BetaConfig", "beta"), *((name, "stable") for name in stable)]
    return FEATURE_CONFIG + "".join(
        f'[[tool.neuron-classification.items]]\nname = "mysdk.{name}"\nkind = "api"\nlevel = "{level}"\n'
        f'target = "mysdk:{name}"\ntests = ["test_sdk.py"]\n'
        for name, level in entries
    )


def test_a_stable_function_taking_a_beta_class_fails_string_annotations_too(project):
    project.pytester.makepyfile(mysdk=SDK, test_sdk="def test_unit(): pass\n")
    project.pytester.syspathinsert()
    project.config(_sdk_config("compile", "options", "mystery", "Runner", "StableOptions"))
    result, report = project.run()
    assert result.ret == 1
    result.stdout.fnmatch_lines(["  stable api mysdk.compile *mysdk.BetaConfig*cfg*"])
    findings = sorted((c["item"], c["change"], c["text"]) for c in report["lifecycle"])
    assert [(item, change) for item, change, _ in findings] == [
        ("mysdk.Runner", "exposes"),
        ("mysdk.Runner", "exposes"),
        ("mysdk.compile", "exposes"),
    ]
    # Where each signature names the Beta class: a base, a method's return, a parameter.
    wheres = (
        "*mysdk.BetaConfig*(base class)",
        "*mysdk.BetaConfig*(return of method run)",
        "*mysdk.BetaConfig*(parameter cfg)",
    )
    assert all(fnmatch(text, where) for (_, _, text), where in zip(findings, wheres)), findings
    assert [n for n in report["notes"] if "'NotDefinedAnywhere'" in n and "mysdk.mystery" in n], report["notes"]


def test_a_stable_function_taking_only_stable_types_is_fine(project):
    project.pytester.makepyfile(mysdk=SDK, test_sdk="def test_unit(): pass\n")
    project.pytester.syspathinsert()
    project.config(_sdk_config("options", "StableOptions"))
    _, report = project.run()
    assert report["lifecycle"] == []


def test_a_stable_model_on_a_beta_library_fails(project):
    project.config(
        FEATURE_CONFIG
        + '[[tool.neuron-classification.items]]\nname = "nxd"\nkind = "package"\nlevel = "beta"\ntests = ["test_nxd.py"]\n'
    )
    project.pytester.makepyfile(test_nxd="def test_unit(): pass\n")
    project.module(
        "llama",
        kind="model",
        categories=("accuracy", "performance"),
        framework="pt",
        library="nxd",
        workload="training",
    )
    result, report = project.run()
    assert result.ret == 1
    assert [(c["item"], c["change"], c["breaks"]) for c in report["lifecycle"]] == [
        ("llama[framework=pt,library=nxd,workload=training]", "rests-on", True)
    ]
    result.stdout.fnmatch_lines(["  stable model llama (pt, nxd, training) *nxd*"])
    project.module(
        "llama",
        level="beta",
        kind="model",
        categories=("accuracy",),
        framework="pt",
        library="nxd",
        workload="training",
    )
    result, report = project.run()
    assert result.ret == 0, result.stdout.str()
    assert report["lifecycle"] == []


# --- since and the release ----------------------------------------------------------


def test_release_from_reads_the_installed_version(project):
    version = pytest.__version__
    project.config(
        f'release-from = "pytest"\n[[tool.neuron-classification.items]]\nname = "rt"\nsince = "{version}"\ntests = ["t.py"]\n'
    )
    project.pytester.makepyfile(t="def test_unit(): pass")
    result = project.pytester.runpytest("--collect-only", "-q")
    assert result.ret != pytest.ExitCode.USAGE_ERROR, result.stderr.str()


def test_a_promotion_should_carry_the_release_as_its_since(project):
    inventory = '[[tool.neuron-classification.items]]\nname = "rt"\nkind = "package"\nlevel = "{level}"\n{since}tests = ["test_rt.py"]\n'
    project.config('release = "2.21.0"\n' + inventory.format(level="beta", since=""))
    project.module("rt", level="beta", categories=STABLE_FEATURE, file="test_rt")
    project.run("--neuron-update-contracts")
    project.config('release = "2.21.0"\n' + inventory.format(level="stable", since='since = "2.20.0"\n'))
    project.module("rt", level="stable", categories=STABLE_FEATURE, file="test_rt")
    result, report = project.run()
    assert result.ret == 0, result.stdout.str()
    assert [(c["item"], c["change"]) for c in report["lifecycle"]] == [("rt", "promoted")]
    result.stdout.fnmatch_lines(["  beta package rt *promoted*stable -> *2.20.0*2.21.0*"])
    project.config('release = "2.21.0"\n' + inventory.format(level="stable", since='since = "2.21"\n'))
    result, _ = project.run()
    result.stdout.fnmatch_lines(["  beta package rt *promoted*stable"])
    result.stdout.no_fnmatch_line("*rt *promoted* -> *")


# --- what a run cannot see is never a removal (found by trying to break it) ----------


def test_a_module_that_fails_to_import_hides_its_items_it_does_not_remove_them(project):
    record_levels(project, ("async_loading", "stable", STABLE_FEATURE), ("cache", "beta", ("functional",)))
    with (project.path / "test_async_loading.py").open("a") as handle:
        handle.write("import no_such_module_xyz\n")
    _result, report = project.run("--continue-on-collection-errors")
    assert report["lifecycle"] == []
    assert report["unjudged"] == [{"item": "async_loading", "why": ANY}]
    assert "1 collection error" in report["unjudged"][0]["why"]
    # A recording run with the same error keeps what it could not see.
    project.run("--continue-on-collection-errors", "--neuron-update-contracts")
    assert "async_loading" in json.loads((project.path / "neuron-contracts.json").read_text())["items"]


def test_an_ignore_in_pytest_addopts_narrows_the_run(project, monkeypatch):
    record_levels(project, ("async_loading", "stable", STABLE_FEATURE), ("cache", "beta", ("functional",)))
    # Added to what the pytester fixture sets: the plugins it leaves out stay out.
    monkeypatch.setenv("PYTEST_ADDOPTS", os.environ["PYTEST_ADDOPTS"] + " --ignore=test_async_loading.py")
    _, report = project.run()
    assert report["lifecycle"] == []
    assert "--ignore=test_async_loading.py" in report["unjudged"][0]["why"]


def test_a_stable_item_that_changes_kind_needs_a_notice(project):
    record_levels(project, ("engine", "stable", STABLE_FEATURE))
    project.module("engine", level="stable", kind="package", categories=STABLE_FEATURE)
    result, report = project.run()
    assert result.ret == 1
    assert [(c["item"], c["change"], c["breaks"]) for c in report["lifecycle"]] == [("engine", "kind-changed", True)]
    result.stdout.fnmatch_lines(["  stable feature engine *package -> *"])


ODD_SDK = """
from typing import Annotated, Literal
Rec = list["Rec"]


class Beta2:
    pass


def walk(tree: Rec, mode: Literal["fast", "slow"] = "fast", n: Annotated[int, "positive"] = 1) -> None:
    pass


def run(cfg: "Beta2 | None" = None) -> None:
    pass
"""


def test_odd_annotations_and_api_modules_names(project):
    project.pytester.makepyfile(oddsdk=ODD_SDK, test_sdk="def test_unit(): pass\n")
    project.pytester.syspathinsert()
    project.config(
        FEATURE_CONFIG + 'api-modules = ["oddsdk"]\n'
        '[[tool.neuron-classification.items]]\nname = "oddsdk.Beta2"\nkind = "api"\nlevel = "beta"\ntests = ["test_sdk.py"]\n'
    )
    _result, report = project.run()
    # A recursive alias is walked once; Literal values and Annotated metadata are not types.
    assert not [n for n in report["notes"] if "cannot resolve" in n], report["notes"]
    # oddsdk.Beta2 has no target, but it names a public name of an api-modules module.
    assert [(c["item"], c["change"]) for c in report["lifecycle"]] == [("oddsdk.run", "exposes")]
    assert fnmatch(report["lifecycle"][0]["text"], "*oddsdk.Beta2*(parameter cfg)")
