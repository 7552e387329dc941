"""The catalogue of what the plugin says of one test: each message's exact wording, asserted here once.

A marker the plugin cannot read makes its test error at setup, and the summary lists it under
``errors:``; a ``neuron_metric`` call it refuses fails its test in one line. Either way the rest of
the run goes on. Each case is one real pytest run of a module with one test per mistake; every line
must appear whole, exactly as written below. Other tests check outcomes, statuses and report keys.
"""

from __future__ import annotations

from functools import partial

import catalogue
import pytest

#: One test per marker the plugin refuses: {test name: the marker}.
BAD_MARKERS = {
    "test_a_number_for_a_name": "neuron_stable(42)",
    "test_an_empty_name": "neuron_stable('')",
    "test_two_names": "neuron_beta('a', 'b')",
    "test_a_misspelt_keyword": "neuron_stable('x', kindd='api')",
    "test_an_unknown_kind": "neuron_stable('x', kind='library')",
    "test_a_model_without_workload": "neuron_stable('x', kind='model')",
    "test_an_unknown_workload": "neuron_stable('x', kind='model', workload='serving')",
    "test_an_alpha_model": "neuron_alpha('x', kind='model', workload='training')",
    "test_a_workload_on_an_api": "neuron_stable('x', kind='api', workload='training')",
    "test_a_package_coupled_to_a_package": "neuron_stable('x', kind='package', package='y')",
    "test_a_package_that_is_no_string": "neuron_stable('x', package=3)",
    "test_a_name_like_a_model_id": "neuron_beta('llama[framework=pt,workload=inference]')",
    "test_an_alias_with_an_unknown_workload": "flagship_model('llama', workload='serving')",
}

#: One test per ``neuron_metric`` call that fails its test: {test name: the call}.
BAD_METRICS = {
    "test_above_max": "neuron_metric('latency_p90', 17.2, 'ms', max=15)",
    "test_a_median_above_max": "neuron_metric('latency', [16, 17, 18], 'ms', max=15)",
    "test_below_min": "neuron_metric('throughput', 50, 'images/s', min=100)",
    "test_a_word": "neuron_metric('x', 'fast')",
    "test_nan": "neuron_metric('x', float('nan'))",
    "test_a_bool": "neuron_metric('x', True)",
    "test_an_empty_name": "neuron_metric('', 1.0)",
    "test_min_over_max": "neuron_metric('x', 1.0, min=5, max=2)",
    "test_an_infinite_max": "neuron_metric('x', 1.0, max=float('inf'))",
    "test_a_lone_surrogate": "neuron_metric('a\\udcffb', 1.0)",
    "test_a_newline_in_the_name": "neuron_metric('thr\\nFAKE', 1.0)",
    "test_a_newline_in_the_unit": "neuron_metric('x', 1.0, 'ms\\n| row |')",
    "test_too_large_for_a_float": "neuron_metric('x', 10**400)",
    "test_a_float_that_raises": "neuron_metric('throughput', Tensor())",
    "test_a_very_long_name": "neuron_metric('x' * 5000, 1.0)",
    "test_an_unknown_direction": "neuron_metric('top1', 0.9, better='up')",
    "test_the_same_name_twice": "neuron_metric('lat', 1.0)\n    neuron_metric('lat', 2.0)",
}

TENSOR = """
class Tensor:
    def __float__(self):
        raise RuntimeError("a Tensor with 2 elements cannot be converted to Scalar")
"""


def module(header: str, tests: dict[str, str], decorate: bool) -> str:
    lines = ["import pytest", header]
    for name, code in tests.items():
        if decorate:
            lines += [f"@pytest.mark.{code}", f"def {name}(): pass"]
        else:
            lines += ["@pytest.mark.neuron_performance", f"def {name}(neuron_metric):", f"    {code}"]
    return "\n".join(lines) + "\n"


Case = partial(catalogue.Case, ret=pytest.ExitCode.TESTS_FAILED)


CATALOGUE = {
    "markers the plugin cannot read": Case(
        files={
            "test_bad_markers.py": module("", BAD_MARKERS, decorate=True),
            "conftest.py": "def pytest_configure(config):\n    config.addinivalue_line('markers', 'flagship_model')\n",
        },
        lines=(
            "  test_bad_markers.py::test_a_number_for_a_name: neuron_stable needs the item name as a non-empty string, not 42",
            "  test_bad_markers.py::test_an_empty_name: neuron_stable needs the item name as a non-empty string, not ''",
            "  test_bad_markers.py::test_two_names: neuron_beta takes at most one positional argument (the item name), got 2",
            "  test_bad_markers.py::test_a_misspelt_keyword: neuron_stable got unknown keyword 'kindd'; it takes name, kind "
            "and framework, library, workload, package",
            "  test_bad_markers.py::test_an_unknown_kind: unknown kind in neuron_stable 'library'; use one of: api, "
            "package, feature, model",
            "  test_bad_markers.py::test_a_model_without_workload: model 'x' needs workload='training' or "
            "workload='inference'",
            "  test_bad_markers.py::test_an_unknown_workload: unknown workload in neuron_stable 'serving'; use one of: "
            "training, inference",
            "  test_bad_markers.py::test_an_alpha_model: a model class has no Alpha level; classify it neuron_beta or "
            "neuron_stable",
            "  test_bad_markers.py::test_a_workload_on_an_api: unknown keyword workload='training': an api item takes only "
            "package",
            "  test_bad_markers.py::test_a_package_coupled_to_a_package: unknown keyword package='y': a package item takes "
            "no coupling keywords",
            "  test_bad_markers.py::test_a_package_that_is_no_string: neuron_stable: package must be a non-empty string, "
            "not 3",
            "  test_bad_markers.py::test_a_name_like_a_model_id: the item name 'llama[framework=pt,workload=inference]' "
            "contains '[', ']', a control character or a lone surrogate; '[...]' is how a model's id spells its "
            "coupling, so such a name could collide with one: rename it",
            "  test_bad_markers.py::test_an_alias_with_an_unknown_workload: unknown workload in flagship_model (an alias "
            "of neuron_beta) 'serving'; use one of: training, inference",
            "neuron-classification: FAILED: 13 tests with invalid classification (see errors above)",
        ),
        config='[tool.neuron-classification.level-markers]\nbeta = ["flagship_model"]\n',
    ),
    "categories a hook gives a test": Case(
        files={
            "test_runtime.py": "import pytest\npytestmark = pytest.mark.neuron_stable('runtime')\n"
            "def test_unit(): pass\n",
            "conftest.py": "def pytest_neuron_test_categories(item, categories):\n    return ['speed']\n",
        },
        lines=(
            "  test_runtime.py::test_unit: pytest_neuron_test_categories returned ['speed']; use categories from "
            "functional, integration, performance, accuracy, compat",
        ),
    ),
    "neuron_metric calls that fail their test": Case(
        files={"test_metrics.py": module(TENSOR, BAD_METRICS, decorate=False)},
        lines=(
            "latency_p90 = 17.2 ms, above max 15 ms",
            "latency median = 17 ms, above max 15 ms",
            "throughput = 50 images/s, below min 100 images/s",
            "neuron_metric: the value of x must be a number, not 'fast'",
            "neuron_metric: the value of x must be a finite number, not nan",
            "neuron_metric: the value of x must be a number, not True",
            "neuron_metric: the metric name must be a non-empty string, not ''",
            "neuron_metric: min of x (5) is greater than its max (2)",
            "neuron_metric: max of x must be a finite number, not inf",
            "neuron_metric: the metric name 'a\\udcffb' contains a control character or a lone surrogate",
            "neuron_metric: the metric name 'thr\\nFAKE' contains a control character or a lone surrogate",
            "neuron_metric: the unit of x 'ms\\n| row |' contains a control character or a lone surrogate",
            "neuron_metric: the value of x must be a number a float can hold, not 1000000000000000000000000000000000000...",
            "neuron_metric: the value of throughput must be one number; float() of Tensor raised RuntimeError: a "
            "Tensor with 2 elements cannot be converted to Scalar",
            "neuron_metric: the metric name 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx... is 5000 characters long; keep it "
            "under 101",
            "neuron_metric: unknown better of top1 (higher or lower) 'up'; use one of: higher, lower",
            "neuron_metric: lat is recorded twice in this test; record its samples in one call: neuron_metric('lat', "
            "[v1, v2, ...], ...)",
        ),
    ),
}


@pytest.mark.parametrize("case", CATALOGUE.values(), ids=CATALOGUE.keys())
def test_the_plugin_says_it_in_these_words(project, case):
    catalogue.check(project, case)
