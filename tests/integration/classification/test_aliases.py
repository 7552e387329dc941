"""A suite's own markers as levels and categories, model classes as ``pytest.param`` ids, and the
level marker on tests an inventory ``tests`` glob classifies."""

from __future__ import annotations

import pytest
from hypothesis import strategies as st
from sample_projects import LLAMA, MODEL_INVENTORY, REGISTER

ALIASES = """
[tool.neuron-classification.level-markers]
alpha = ["experimental"]
beta = ["flagship_model"]

[tool.neuron-classification.categories]
integration = ["key_config_test"]
"""

SUITE = """
import pytest
pytestmark = pytest.mark.experimental(reason="preview", owner="team")  # not ours: ignored

def test_plain(): pass

@pytest.mark.key_config_test("trn1-config", reason="one of the key configurations")
def test_config(): pass
"""


def test_alias_markers_classify_like_bare_level_markers(pytester, project):
    project.config(ALIASES)
    pytester.makeconftest(REGISTER)
    pytester.makepyfile(
        test_prefetch=SUITE,
        test_models="""
        import pytest
        @pytest.mark.flagship_model("resnet", kind="package", priority=1)  # kind= passes, priority= is ignored
        def test_positional(): pass
        @pytest.mark.flagship_model(name="bert", tier=2)
        def test_keyword(): pass
        @pytest.mark.flagship_model(3)
        def test_not_a_name(): pass
        """,
    )
    result, report = project.run()
    assert {i["id"]: (i["level"], i["kind"]) for i in report["items"]} == {
        "prefetch": ("alpha", "feature"),
        "resnet": ("beta", "package"),
        "bert": ("beta", "feature"),
        "models": ("beta", "feature"),
    }
    assert {t["nodeid"].split("::")[-1]: (t["items"], t["categories"]) for t in report["tests"]} == {
        "test_plain": (["prefetch"], ["functional"]),
        "test_config": (["prefetch"], ["integration"]),
        "test_positional": (["resnet"], ["functional"]),
        "test_keyword": (["bert"], ["functional"]),
        "test_not_a_name": (["models"], ["functional"]),
    }
    assert result.ret == 0


def test_minus_m_neuron_level_selects_alias_marked_tests(pytester, project):
    project.config(ALIASES)
    pytester.makeconftest(REGISTER)
    pytester.makepyfile(
        test_prefetch=SUITE,
        test_models="""
        import pytest
        class TestFlagship:
            pytestmark = pytest.mark.flagship_model("resnet")
            def test_a(self): pass
        @pytest.mark.parametrize("m", [pytest.param("bert", marks=pytest.mark.flagship_model("bert")), "plain"])
        def test_b(m): pass
        """,
    )
    full, full_report = project.run(report="full.json")
    assert full.ret == 0
    result, report = project.run("-m", "neuron_beta")
    result.assert_outcomes(passed=2, deselected=3)
    # The report lists the selected tests; the deselected classified ones are counted, still classified.
    assert {t["nodeid"].split("::")[-1]: t["outcome"] for t in report["tests"]} == {
        "test_a": "passed",
        "test_b[bert]": "passed",
    }
    assert report["placement"]["collection"]["classified"] == len(full_report["tests"]) == 4
    assert [(t["nodeid"], t["items"]) for t in report["tests"]] == [
        (t["nodeid"], t["items"])
        for t in full_report["tests"]
        if t["nodeid"].split("::")[-1] in ("test_a", "test_b[bert]")
    ]
    assert project.run("-m", "neuron_alpha")[0].parseoutcomes() == {"passed": 2, "deselected": 3}


def test_an_alias_and_a_level_marker_for_one_item_at_two_levels_is_an_error(pytester, project):
    project.config(ALIASES)
    pytester.makeconftest(REGISTER)
    pytester.makepyfile(
        test_x="""
        import pytest
        @pytest.mark.experimental("cache")
        @pytest.mark.neuron_beta("cache")
        def test_it(): pass
        """
    )
    result, _ = project.run()
    assert result.ret == 1
    # The alias is named as the test wrote it, with the level it stands for.
    result.stdout.fnmatch_lines(["  test_x.py::test_it: *'cache'*alpha by experimental (an alias of neuron_alpha)*"])


def test_param_marks_classify_each_parameter(pytester, project):
    pytester.makepyfile(
        test_models="""
        import pytest
        C = dict(kind="model", framework="pytorch-neuronx", library="nxd")
        MODELS = [
            pytest.param("llama", marks=pytest.mark.neuron_stable("llama", workload="inference", **C)),
            pytest.param("mistral", marks=pytest.mark.neuron_beta("mistral", workload="training", **C)),
            pytest.param("gpt2", marks=pytest.mark.neuron_beta("gpt2", workload="inference", **C)),
        ]
        @pytest.mark.neuron_accuracy
        @pytest.mark.parametrize("model", MODELS)
        def test_accuracy(model, neuron_metric): neuron_metric("top1", 0.9)
        @pytest.mark.neuron_performance
        @pytest.mark.parametrize("model", MODELS[:1])
        def test_latency(model, neuron_metric): neuron_metric("p90", 12.0, "ms")
        """
    )
    result, report = project.run()
    ids = "[framework=pytorch-neuronx,library=nxd,workload={}]"
    assert report.statuses == {
        "llama" + ids.format("inference"): {"accuracy": "met", "performance": "met"},
        "gpt2" + ids.format("inference"): {"accuracy": "met"},
        "mistral" + ids.format("training"): {"accuracy": "met"},
    }
    assert {t["nodeid"].split("::")[-1]: t["items"] for t in report["tests"]} == {
        "test_accuracy[llama]": ["llama"],
        "test_accuracy[mistral]": ["mistral"],
        "test_accuracy[gpt2]": ["gpt2"],
        "test_latency[llama]": ["llama"],
    }
    assert result.ret == 0


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            'alpha = ["exp"]\nbeta = ["exp"]',
            "level-markers: marker 'exp' is listed under alpha and beta; keep one level",
        ),
    ],
)
def test_bad_level_markers_are_one_usage_error(project, table, message):
    project.config(f"[tool.neuron-classification.level-markers]\n{table}\n")
    project.module("rt")
    result = project.pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [f"ERROR: neuron-classification: pyproject.toml: [[]tool.neuron-classification] {project.literal(message)}*"]
    )


NAMES = st.text(st.characters(codec="ascii", categories=("Ll", "Nd")), min_size=1, max_size=6)


GLOB_INVENTORY = """
[[tool.neuron-classification.items]]
name = "neuron-runtime"
kind = "package"
level = "beta"
tests = ["runtime/**"]
"""


@pytest.fixture
def globbed(pytester, project):
    project.config(GLOB_INVENTORY)
    pytester.mkpydir("runtime")
    pytester.makepyfile(**{"runtime/test_rt": "def test_rt(): pass\n"})
    project.module("cache", level="alpha", kind="feature")


def test_minus_m_selects_the_tests_a_glob_classifies(project, globbed):
    full, full_report = project.run(report="full.json")
    assert full.ret == 0
    result, report = project.run("-m", "neuron_beta")
    result.assert_outcomes(passed=1, deselected=1)
    assert report.outcomes == {"test_rt": "passed"}  # the deselected test is not-run, and not listed
    assert report.statuses == {"neuron-runtime": {"basic": "met"}, "cache": {"basic": "not-run"}}
    # The marker added for -m is not a second claim: the audit is the one of the run without -m.
    assert full_report.statuses == {"neuron-runtime": {"basic": "met"}, "cache": {"basic": "met"}}
    listed = [t["items"] for t in full_report["tests"] if t["nodeid"].endswith("test_rt")]
    assert [t["items"] for t in report["tests"]] == listed
    assert project.run("-m", "not neuron_beta")[0].parseoutcomes() == {"passed": 1, "deselected": 1}


def test_glob_marker_carries_the_item(pytester, project, globbed):
    pytester.makeconftest(
        """
        def pytest_collection_modifyitems(items):
            for item in items:
                mark = item.get_closest_marker("neuron_beta")
                if mark is not None:
                    print("MARK", item.name, mark.args, sorted(mark.kwargs.items()))
        """
    )
    result, _ = project.run("-s")
    result.stdout.fnmatch_lines(["MARK test_rt ('neuron-runtime',) [[]('kind', 'package')]"])


def test_a_glob_and_a_marker_at_two_levels_still_name_the_glob(pytester, project, globbed):
    pytester.makepyfile(
        **{
            "runtime/test_more": "import pytest\npytestmark = pytest.mark.neuron_stable('neuron-runtime')\ndef test_m(): pass\n"
        }
    )
    result, _ = project.run()
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        ["  runtime/test_more.py::test_m: *'neuron-runtime'*stable*beta*tests glob*items[[]0]*"]
    )


VALUES = st.one_of(st.none(), st.integers(), st.text(max_size=5), st.lists(st.integers(), max_size=2))


def test_an_alias_passes_kind_and_coupling_through_to_classify_a_model(pytester, project):
    project.config(MODEL_INVENTORY.split("\n", 1)[1])
    pytester.makeconftest(REGISTER)
    pytester.makepyfile(
        test_models="""
        import pytest
        C = dict(framework="pytorch-neuronx", library="nxd", workload="training")

        @pytest.mark.flagship_model("llama", priority=1, **C)  # priority= is the user's: ignored
        def test_train(): pass

        @pytest.mark.neuron_accuracy
        @pytest.mark.parametrize("m", [pytest.param("llama", marks=pytest.mark.flagship_model("llama", **C)), "x"])
        def test_param(m, neuron_metric): neuron_metric("top1", 0.9)
        """
    )
    result, report = project.run()
    assert report.statuses == {LLAMA: {"accuracy": "met"}}
    assert {t["nodeid"].split("::")[-1]: t["items"] for t in report["tests"]} == {
        "test_train": ["llama"],
        "test_param[llama]": ["llama"],
    }
    assert [i["id"] for i in report["items"]] == [LLAMA]
    assert result.ret == 0
    # The mirrored neuron_beta carries the coupling, so -m selects the model's tests.
    assert project.run("-m", "neuron_beta")[0].parseoutcomes() == {"passed": 2, "deselected": 1}


def test_an_alias_with_a_bad_workload_is_a_per_test_error_naming_the_alias(pytester, project):
    project.config(MODEL_INVENTORY.split("\n", 1)[1])
    pytester.makeconftest(REGISTER)
    pytester.makepyfile(
        test_models="""
        import pytest
        @pytest.mark.flagship_model("llama", workload="serving")
        def test_it(): pass
        """
    )
    result, report = project.run()
    assert result.ret == 1
    assert report.outcomes == {"test_it": "error"}
    result.stdout.fnmatch_lines(["  test_models.py::test_it: *flagship_model*neuron_beta*'serving'*"])


def test_a_conflict_within_one_file_names_the_test_and_the_alias(pytester, project):
    project.config(ALIASES)
    pytester.makeconftest(REGISTER)
    pytester.makepyfile(
        test_fx="""
        import pytest
        @pytest.mark.parametrize("v", [
            pytest.param(1, marks=pytest.mark.neuron_beta("same")),
            pytest.param(2, marks=pytest.mark.experimental("same")),
        ])
        def test_it(v): pass
        """
    )
    result, _ = project.run()
    assert result.ret == 1
    # Within one file the first test to classify the item is named, with its parameter.
    result.stdout.fnmatch_lines(["  test_fx.py::test_it[[]2]: *'same'*beta in test_fx.py::test_it[[]1]*experimental*"])


def test_a_conflict_across_files_still_names_the_file(pytester, project):
    pytester.makepyfile(
        test_a="import pytest\n@pytest.mark.neuron_beta('same')\ndef test_a(): pass\n",
        test_b="import pytest\n@pytest.mark.neuron_alpha('same')\ndef test_b(): pass\n",
    )
    result, _ = project.run()
    result.stdout.fnmatch_lines(["  test_b.py::test_b: *'same'*beta in test_a.py*alpha*"])


COUPLING = st.fixed_dictionaries(
    {}, optional={"framework": st.sampled_from(["pt", ""]), "workload": st.sampled_from(["Training", "serving"])}
)
