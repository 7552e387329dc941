"""Every row of the default policy (docs/explanation/classification.md), through real pytest runs."""

from __future__ import annotations

import pytest

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


def coupling(kind: str) -> dict[str, str]:
    """A model needs a workload; nothing else takes one."""
    return {"workload": "inference"} if kind == "model" else {}


def item_id(kind: str) -> str:
    return "thing[workload=inference]" if kind == "model" else "thing"


@pytest.mark.parametrize(("kind", "level", "obligations", "categories"), ROWS)
def test_each_row_is_met_by_its_categories(project, kind, level, obligations, categories):
    project.module("thing", kind=kind, level=level, categories=categories, **coupling(kind))
    result, report = project.run()
    assert report.statuses[item_id(kind)] == dict.fromkeys(obligations, "met")
    assert result.ret == 0
    result.stdout.fnmatch_lines([f"{level}: 1 item, {len(obligations)} of {len(obligations)} *"])


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
def test_each_needed_category_of_a_row(project, kind, level, dropped, obligation):
    (categories,) = [r[3] for r in ROWS if r[:2] == (kind, level)]
    kept = [c for c in categories if c != dropped]
    project.module("thing", kind=kind, level=level, categories=kept, **coupling(kind))
    result, report = project.run()
    assert report.statuses[item_id(kind)][obligation] == "missing"
    assert result.ret == 1


def test_a_functional_test_alone_does_not_meet_model_accuracy(project):
    project.module("thing", kind="model", level="beta", categories=["functional"], **coupling("model"))
    result, report = project.run()
    assert report.statuses == {"thing[workload=inference]": {"accuracy": "missing"}}
    result.stdout.fnmatch_lines(["*accuracy missing -> *@pytest.mark.neuron_accuracy*"])


def test_convergence_marker_counts_as_accuracy(pytester, project):
    pytester.makepyfile(
        test_thing="""
        import pytest
        @pytest.mark.neuron_beta("m", kind="model", workload="training")
        @pytest.mark.neuron_convergence
        def test_loss_goes_down(neuron_metric): neuron_metric("final_loss", 0.01)
        """
    )
    _, report = project.run()
    assert report.statuses == {"m[workload=training]": {"accuracy": "met"}}


def test_training_and_inference_of_one_model_are_two_items(pytester, project):
    pytester.makepyfile(
        test_llama="""
        import pytest
        C = dict(kind="model", framework="pytorch-neuronx", library="neuronx-distributed")

        @pytest.mark.neuron_beta("llama", workload="training", **C)
        @pytest.mark.neuron_convergence
        def test_train(neuron_metric): neuron_metric("final_loss", 0.01)

        @pytest.mark.neuron_stable("llama", workload="inference", **C)
        @pytest.mark.neuron_accuracy
        def test_infer(neuron_metric): neuron_metric("top1", 0.9)
        """
    )
    result, report = project.run()
    prefix = "llama[framework=pytorch-neuronx,library=neuronx-distributed,workload="
    assert report.statuses == {
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
            "beta: 1 item, 1 of 1 *",
            "  model    llama (pytorch-neuronx, neuronx-distributed, training) * accuracy met (final_loss 0.01)",
        ]
    )


def test_standard_suite_is_configurable(project):
    project.config('standard-suite = ["functional", "integration", "compat"]\n')
    project.module("thing", categories=["functional", "integration", "performance"])
    result, report = project.run()
    assert report.statuses["thing"] == {"standard": "missing", "performance": "met"}
    result.stdout.fnmatch_lines(["*standard missing -> [[]compat] *@pytest.mark.neuron_compat"])
