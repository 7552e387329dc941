"""User code the plugin calls (parsers, api-modules, hooks, metric values) may fail in any way.

Each failure is one line naming the file or test, what failed and the fix: never an INTERNALERROR,
a bare traceback or a silent exit.
"""

from __future__ import annotations

import sys

import pytest
from record_projects import LAZY


@pytest.fixture
def fresh_modules(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """Modules rewritten between two runs are read again; the project's folder is importable."""
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    pytester.syspathinsert()
    return pytester


def test_a_lazy_command_that_breaks_after_recording_breaks_the_contract_in_one_line(project, fresh_modules):
    pytest.importorskip("click")
    good = LAZY.replace(
        'raise ImportError("cannot load the build plugin")',
        'return click.Command("build", params=[click.Option(["--target"])])',
    )
    project.config("")
    fresh_modules.makepyprojecttoml(
        '[[tool.neuron-classification.items]]\nname = "build --target"\nkind = "api"\ntarget = "cc:cli"\n'
    )
    fresh_modules.makepyfile(
        cc=good,
        test_a="import pytest\npytestmark = pytest.mark.neuron_stable('build --target', kind='api')\n"
        "def test_a(): pass\n@pytest.mark.neuron_compat\ndef test_c(): pass",
    )
    assert fresh_modules.runpytest("--neuron-update-contracts").ret == 0
    fresh_modules.makepyfile(cc=LAZY)
    result, report = project.run()
    assert result.ret == 1
    assert report.statuses == {"build --target": {"basic": "met", "compat": "failing"}}
    (change,) = report["items"][0]["contract"]["changes"]
    assert change["breaking"] and "ImportError: cannot load the build plugin" in change["change"]
    result.stdout.fnmatch_lines(["    breaking: flag `build --target` of `cc:cli` *ImportError*"])
    assert "Traceback" not in result.stdout.str()


def test_a_parser_factory_is_called_once_and_its_prints_stay_off_the_progress_line(project, fresh_modules):
    project.config('cli-parsers = ["cc:build_parser"]\n')
    fresh_modules.makepyfile(
        cc="import argparse\ndef build_parser():\n    print('FACTORY CALLED')\n"
        "    p = argparse.ArgumentParser()\n    p.add_argument('--fast')\n    return p\n",
        test_a="import pytest\npytestmark = pytest.mark.neuron_stable('--fast', kind='api')\n"
        "def test_a(): pass\n@pytest.mark.neuron_compat\ndef test_c(): pass",
    )
    assert fresh_modules.runpytest("--neuron-update-contracts").ret == 0
    result, report = project.run("-s")
    assert "FACTORY CALLED" not in result.stdout.str()
    assert report.statuses == {"--fast": {"basic": "met", "compat": "met"}}
    assert result.ret == 0


@pytest.mark.parametrize("answer", ["('a', 'b')", "42"])  # a list is in the catalogue
def test_a_categories_hook_returning_no_mapping_is_one_line(pytester, answer):
    pytester.makeconftest(f"def pytest_neuron_categories(config):\n    return {answer}\n")
    pytester.makepyfile(test_a="def test_a(): pass")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: neuron-classification: pytest_neuron_categories *{answer}*"])
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()


def test_a_metric_value_whose_float_raises_fails_its_test_in_one_line(pytester, project):
    pytester.makepyfile(
        test_perf="""
        import pytest
        pytestmark = pytest.mark.neuron_stable("runtime", kind="package")
        class Tensor:
            def __float__(self):
                raise RuntimeError("a Tensor with 2 elements cannot be converted to Scalar")
        @pytest.mark.neuron_performance
        def test_perf(neuron_metric):
            neuron_metric("throughput", Tensor())
        """
    )
    result, report = project.run()
    assert report.outcomes["test_perf"] == "failed"
    result.stdout.fnmatch_lines(["neuron_metric: *throughput*Tensor*RuntimeError*"])
    # One line: no frame of the plugin's own code.
    assert "metric.py" not in result.stdout.str()
