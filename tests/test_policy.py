"""Every row of the default policy (SPEC section 2), through real pytest runs."""

from __future__ import annotations

import pytest

from helpers import run_json, statuses

CATEGORY_MARK = {
    "functional": "",
    "integration": "@pytest.mark.neuron_integration",
    "performance": "@pytest.mark.neuron_performance",
    "accuracy": "@pytest.mark.neuron_accuracy",
    "compat": "@pytest.mark.neuron_compat",
}

# (kind, level, obligations, categories whose tests meet all of them)
ROWS = [
    ("api", "alpha", ["basic"], ["functional"]),
    ("api", "beta", ["basic"], ["functional"]),
    ("api", "stable", ["basic", "compat"], ["functional", "compat"]),
    ("package", "alpha", ["basic"], ["functional"]),
    ("package", "beta", ["basic"], ["functional"]),
    ("package", "stable", ["standard", "performance"], ["functional", "integration", "performance"]),
    ("feature", "alpha", ["basic"], ["functional"]),
    ("feature", "beta", ["basic"], ["functional"]),
    ("feature", "stable", ["standard", "performance"], ["functional", "integration", "performance"]),
    ("model", "beta", ["accuracy"], ["accuracy"]),
    ("model", "stable", ["accuracy", "performance"], ["accuracy", "performance"]),
]


def module(kind: str, level: str, categories: list[str]) -> str:
    coupling = ', workload="inference"' if kind == "model" else ""
    lines = ["import pytest", f'pytestmark = pytest.mark.neuron_{level}("thing", kind="{kind}"{coupling})']
    for category in categories:
        lines += [CATEGORY_MARK[category], f"def test_{category}(): pass", ""]
    return "\n".join(lines)


def item_id(kind: str) -> str:
    return "thing[workload=inference]" if kind == "model" else "thing"


@pytest.mark.parametrize(("kind", "level", "obligations", "categories"), ROWS)
def test_each_row_is_met_by_its_categories(pytester, kind, level, obligations, categories):
    pytester.makepyfile(test_thing=module(kind, level, categories))
    result, report = run_json(pytester)
    assert statuses(report)[item_id(kind)] == dict.fromkeys(obligations, "met")
    assert result.ret == 0
    result.stdout.fnmatch_lines([f"{level}: 1 item, {len(obligations)} of {len(obligations)} obligations met"])


NEEDED = [
    ("api", "stable", "compat", "compat"),
    ("package", "stable", "functional", "standard"),
    ("package", "stable", "integration", "standard"),
    ("package", "stable", "performance", "performance"),
    ("feature", "stable", "functional", "standard"),
    ("feature", "stable", "integration", "standard"),
    ("feature", "stable", "performance", "performance"),
    ("model", "stable", "accuracy", "accuracy"),
    ("model", "stable", "performance", "performance"),
]


@pytest.mark.parametrize(("kind", "level", "dropped", "obligation"), NEEDED)
def test_each_needed_category_of_a_row(pytester, kind, level, dropped, obligation):
    (categories,) = [r[3] for r in ROWS if r[:2] == (kind, level)]
    pytester.makepyfile(test_thing=module(kind, level, [c for c in categories if c != dropped]))
    result, report = run_json(pytester)
    assert statuses(report)[item_id(kind)][obligation] == "missing"
    assert result.ret == 1


def test_a_functional_test_alone_does_not_meet_model_accuracy(pytester):
    pytester.makepyfile(test_thing=module("model", "beta", ["functional"]))
    result, report = run_json(pytester)
    assert statuses(report) == {"thing[workload=inference]": {"accuracy": "missing"}}
    result.stdout.fnmatch_lines(["*accuracy missing -> add a passing test marked @pytest.mark.neuron_accuracy*"])


def test_convergence_marker_counts_as_accuracy(pytester):
    pytester.makepyfile(
        test_thing="""
        import pytest
        @pytest.mark.neuron_beta("m", kind="model", workload="training")
        @pytest.mark.neuron_convergence
        def test_loss_goes_down(): pass
        """
    )
    _, report = run_json(pytester)
    assert statuses(report) == {"m[workload=training]": {"accuracy": "met"}}


def test_training_and_inference_of_one_model_are_two_items(pytester):
    pytester.makepyfile(
        test_llama="""
        import pytest
        C = dict(kind="model", framework="pytorch-neuronx", library="neuronx-distributed")

        @pytest.mark.neuron_beta("llama", workload="training", **C)
        @pytest.mark.neuron_convergence
        def test_train(): pass

        @pytest.mark.neuron_stable("llama", workload="inference", **C)
        @pytest.mark.neuron_accuracy
        def test_infer(): pass
        """
    )
    result, report = run_json(pytester)
    prefix = "llama[framework=pytorch-neuronx,library=neuronx-distributed,workload="
    assert statuses(report) == {
        prefix + "inference]": {"accuracy": "met", "performance": "missing"},
        prefix + "training]": {"accuracy": "met"},
    }
    (inference,) = [i for i in report["items"] if i["level"] == "stable"]
    assert inference["coupling"] == {
        "framework": "pytorch-neuronx",
        "library": "neuronx-distributed",
        "workload": "inference",
    }
    result.stdout.fnmatch_lines(
        [
            "beta: 1 item, 1 of 1 obligations met",
            "  model    llama (pytorch-neuronx, neuronx-distributed, training) * accuracy met",
        ]
    )


def test_standard_suite_is_configurable(pytester):
    pytester.makepyprojecttoml(
        '[tool.neuron-classification]\nstandard-suite = ["functional", "integration", "compat"]\n'
    )
    pytester.makepyfile(test_thing=module("package", "stable", ["functional", "integration", "performance"]))
    result, report = run_json(pytester)
    assert statuses(report)["thing"] == {"standard": "missing", "performance": "met"}
    result.stdout.fnmatch_lines(
        ["*standard missing -> [[]compat] add a passing test marked @pytest.mark.neuron_compat"]
    )
