"""Where classification markers may sit, how items are named, and how categories are earned."""

from __future__ import annotations

import pytest


def test_bare_marker_names_the_item_after_its_module(pytester, project):
    pytester.makepyfile(test_persistent_cache="import pytest\npytestmark = pytest.mark.neuron_beta\ndef test_a(): pass")
    pytester.makepyfile(runtime_test="import pytest\npytestmark = pytest.mark.neuron_alpha\ndef test_b(): pass")
    pytester.makeini("[pytest]\npython_files = test_*.py *_test.py\n")
    _, report = project.run()
    assert report.statuses == {"persistent_cache": {"basic": "met"}, "runtime": {"basic": "met"}}
    assert {i["kind"] for i in report["items"]} == {"feature"}


def test_class_and_function_markers_are_honoured(pytester, project):
    pytester.makepyfile(
        test_mixed="""
        import pytest

        @pytest.mark.neuron_beta("runtime", kind="package")
        class TestRuntime:
            def test_one(self): pass
            def test_two(self): pass

        @pytest.mark.neuron_alpha(name="flag", kind="api")
        def test_flag(): pass

        def test_unclassified(): pass
        """
    )
    _, report = project.run()
    assert report.statuses == {"runtime": {"basic": "met"}, "flag": {"basic": "met"}}
    assert sorted(t["nodeid"] for t in report["tests"]) == [
        "test_mixed.py::TestRuntime::test_one",
        "test_mixed.py::TestRuntime::test_two",
        "test_mixed.py::test_flag",
    ]


def test_pytestmark_list_and_one_test_covering_two_items(pytester, project):
    pytester.makepyfile(
        test_both="""
        import pytest
        pytestmark = [pytest.mark.neuron_beta("cache"), pytest.mark.neuron_alpha("loader")]
        def test_a(): pass
        """
    )
    _, report = project.run()
    assert report.statuses == {"cache": {"basic": "met"}, "loader": {"basic": "met"}}
    assert report["tests"][0]["items"] == ["cache", "loader"]


def test_kind_falls_back_to_inventory_then_default_kind(pytester, project):
    project.config(
        'default-kind = "api"\n[[tool.neuron-classification.items]]\nname = "rt"\nkind = "package"\nlevel = "beta"\n',
    )
    pytester.makepyfile(
        test_a="import pytest\n@pytest.mark.neuron_beta('rt')\ndef test_rt(): pass\n"
        "@pytest.mark.neuron_beta('trace')\ndef test_trace(): pass"
    )
    _, report = project.run()
    assert {i["name"]: i["kind"] for i in report["items"]} == {"rt": "package", "trace": "api"}
    assert {i["name"]: i["declared"] for i in report["items"]} == {"rt": "inventory", "trace": "marker"}


def test_inventory_model_is_matched_by_its_coupling(pytester, project):
    project.config(
        '[[tool.neuron-classification.items]]\nname = "llama"\nkind = "model"\nlevel = "beta"\n'
        'framework = "pytorch-neuronx"\nlibrary = "nxd"\nworkload = "training"\n',
    )
    pytester.makepyfile(
        test_llama="""
        import pytest
        @pytest.mark.neuron_beta("llama", framework="pytorch-neuronx", library="nxd", workload="training")
        @pytest.mark.neuron_convergence
        def test_loss(neuron_metric): neuron_metric("final_loss", 0.1)
        """
    )
    result, report = project.run()
    assert report.statuses == {"llama[framework=pytorch-neuronx,library=nxd,workload=training]": {"accuracy": "met"}}
    assert result.ret == 0


def test_strict_markers_runs_clean(pytester):
    pytester.makepyfile(
        test_all="""
        import pytest
        pytestmark = pytest.mark.neuron_stable("rt", kind="package")
        def test_f(): pass
        @pytest.mark.neuron_integration
        def test_i(): pass
        @pytest.mark.neuron_performance
        def test_p(neuron_metric): neuron_metric("throughput", 1.0)
        @pytest.mark.neuron_accuracy
        @pytest.mark.neuron_convergence
        @pytest.mark.neuron_compat
        def test_other(): pass
        """
    )
    result = pytester.runpytest("--strict-markers")
    result.assert_outcomes(passed=4)
    assert result.ret == 0


def test_project_markers_and_fixtures_map_onto_categories(pytester, project):
    project.config('[tool.neuron-classification.categories]\nperformance = ["perf", "timer"]\nintegration = ["e2e"]\n')
    pytester.makeini("[pytest]\nmarkers =\n    perf: a performance test\n    e2e: end to end\n")
    pytester.makeconftest("import pytest\n@pytest.fixture\ndef timer(): return 0")
    pytester.makepyfile(
        test_rt="""
        import pytest
        pytestmark = pytest.mark.neuron_stable("rt", kind="package")
        def test_f(): pass
        @pytest.mark.e2e
        def test_i(): pass
        def test_p(timer, neuron_metric): neuron_metric("elapsed", timer)
        """
    )
    result, report = project.run("-c", "tox.ini", "--rootdir", str(pytester.path))
    assert report.statuses == {"rt": {"standard": "met", "performance": "met"}}
    assert report["policy"]["categories"]["performance"] == ["benchmark", "neuron_performance", "perf", "timer"]
    assert result.ret == 0


def test_gap_hint_names_project_category_names(pytester, project):
    project.config('[tool.neuron-classification.categories]\nperformance = ["perf"]\n')
    pytester.makepyfile(test_rt="import pytest\npytestmark = pytest.mark.neuron_stable('rt')\ndef test_f(): pass")
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(
        ["  stable feature rt: performance missing -> *@pytest.mark.neuron_performance*benchmark*perf"]
    )


@pytest.mark.parametrize("order", ["", "tryfirst=True", "trylast=True"])
def test_markers_added_by_a_conftest_count(project, order):
    project.pytester.makeconftest(
        f"""
        import pytest
        @pytest.hookimpl({order})
        def pytest_collection_modifyitems(items):
            for item in items:
                if "cache" in item.name:
                    item.add_marker(pytest.mark.neuron_beta("cache"))
        """
    )
    project.pytester.makepyfile(test_a="def test_cache(): pass\ndef test_other(): pass\n")
    result, report = project.run()
    assert report.statuses == {"cache": {"basic": "met"}}
    # -m neuron_beta selects the test, and the audit agrees with the selection.
    if order != "trylast=True":  # a marker added after -m selected is pytest's blind spot too
        result, report = project.run("-m", "neuron_beta")
        result.assert_outcomes(passed=1, deselected=1)
        assert report.statuses == {"cache": {"basic": "met"}}


def test_which_module_declares_an_item_does_not_depend_on_test_order(project):
    project.pytester.makepyfile(
        test_b="import pytest\npytestmark = pytest.mark.neuron_beta('cache')\ndef test_b(): pass\n",
        test_a="import pytest\npytestmark = pytest.mark.neuron_beta('cache')\ndef test_a(): pass\n",
    )
    _, forward = project.run(report="forward.json")
    project.pytester.makeconftest("def pytest_collection_modifyitems(items):\n    items.reverse()\n")
    _, backward = project.run(report="backward.json")
    assert forward["items"][0]["origin"] == backward["items"][0]["origin"] == "test_a.py"


def test_a_name_spelt_two_ways_in_unicode_is_one_item(project):
    # café composed (U+00E9) and decomposed (e + U+0301) look the same: they are one item, named
    # in the composed form (NFC), and a waiver or the inventory spelt either way names it too.
    project.config(
        '[[tool.neuron-classification.items]]\nname = "cafe\\u0301"\nkind = "package"\n'
        '[[tool.neuron-classification.waivers]]\nitem = "caf\\u00e9"\nobligation = "performance"\n'
        'reason = "r"\nowner = "o"\nexpires = 2999-01-01\n'
    )
    project.pytester.makepyfile(
        test_cafe="import pytest\n"
        "@pytest.mark.neuron_stable('caf\\u00e9')\ndef test_a(neuron_metric): neuron_metric('d\\u00e9bit', 1.0)\n"
        "@pytest.mark.neuron_stable('cafe\\u0301')\n@pytest.mark.neuron_integration\n"
        "def test_b(neuron_metric): neuron_metric('de\\u0301bit', 1.0)\n"
    )
    result, report = project.run()
    assert result.ret == 0
    assert [i["name"] for i in report["items"]] == ["caf\u00e9"]
    assert [m["name"] for t in report["tests"] for m in t["metrics"]] == ["d\u00e9bit", "d\u00e9bit"]
    assert report.statuses == {"caf\u00e9": {"standard": "met", "performance": "waived"}}
