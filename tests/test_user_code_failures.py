"""User code the plugin calls (parsers, api-modules, hooks, metric values) may fail in any way.

Each failure is one line naming the file or test, what failed and the fix: never an INTERNALERROR,
a bare traceback or a silent exit.
"""

from __future__ import annotations

import sys

import pytest


@pytest.fixture
def fresh_modules(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """Modules rewritten between two runs are read again; the project's folder is importable."""
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    pytester.syspathinsert()
    return pytester


LAZY_GROUP = """
import click

class Lazy(click.Group):
    def list_commands(self, ctx):
        return ["build"]
    def get_command(self, ctx, name):
        raise ImportError("cannot load the build plugin")

cli = Lazy(name="cc")
"""


def test_a_click_group_whose_lazy_command_raises_is_one_line(project, fresh_modules):
    pytest.importorskip("click")
    project.config('cli-parsers = ["cc:cli"]\n')
    fresh_modules.makepyfile(cc=LAZY_GROUP, test_a="def test_a(): pass")
    result = fresh_modules.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: neuron-classification: pyproject.toml: cli-parsers: cc:cli: reading its flags raised "
            "ImportError: cannot load the build plugin"
        ]
    )
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()


def test_a_lazy_command_that_breaks_after_recording_breaks_the_contract_in_one_line(project, fresh_modules):
    pytest.importorskip("click")
    good = LAZY_GROUP.replace(
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
    fresh_modules.makepyfile(cc=LAZY_GROUP)
    result = fresh_modules.runpytest()
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            "    breaking: flag `build --target` of `cc:cli` cannot be read any more (cc:cli: reading its flags "
            "raised ImportError: cannot load the build plugin)"
        ]
    )
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
    result = fresh_modules.runpytest("-s")
    assert "FACTORY CALLED" not in result.stdout.str()
    result.stdout.fnmatch_lines(["neuron-classification: all 2 obligations met"])


def test_an_api_module_raising_keyboard_interrupt_at_import_is_one_line(project, fresh_modules):
    project.config('api-modules = ["sdk"]\n')
    fresh_modules.makepyfile(sdk="raise KeyboardInterrupt", test_a="def test_a(): pass")
    result = fresh_modules.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: neuron-classification: pyproject.toml: api-modules: cannot import sdk: KeyboardInterrupt; "
            "fix the import or remove 'sdk' from api-modules"
        ]
    )


def test_an_all_entry_naming_nothing_is_one_line(project, fresh_modules):
    project.config('api-modules = ["sdk"]\n')
    fresh_modules.makepyfile(sdk="__all__ = ['trace', 'compile']\ndef trace(): pass", test_a="def test_a(): pass")
    result = fresh_modules.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: neuron-classification: pyproject.toml: api-modules: sdk.__all__ lists 'compile', which the "
            "module does not define; fix __all__; fix the import or remove 'sdk' from api-modules"
        ]
    )


@pytest.mark.parametrize("answer", ["['functional']", "('a', 'b')", "42"])
def test_a_categories_hook_returning_no_mapping_is_one_line(pytester, answer):
    pytester.makeconftest(f"def pytest_neuron_categories(config):\n    return {answer}\n")
    pytester.makepyfile(test_a="def test_a(): pass")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: neuron-classification: pytest_neuron_categories returned *; return {category: [[]names]} or None"]
    )
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
    result.stdout.fnmatch_lines(
        [
            "neuron_metric: the value of throughput must be one number; float() of Tensor raised "
            "RuntimeError: a Tensor with 2 elements cannot be converted to Scalar"
        ]
    )
    assert "metric.py" not in result.stdout.str()


def test_a_very_long_metric_name_is_refused_in_one_bounded_line(pytester, project):
    pytester.makepyfile(
        test_perf="""
        import pytest
        pytestmark = pytest.mark.neuron_stable("runtime", kind="package")
        @pytest.mark.neuron_performance
        def test_perf(neuron_metric):
            neuron_metric("x" * 5000, 1.0)
        """
    )
    result, _ = project.run()
    result.stdout.fnmatch_lines(
        [
            "neuron_metric: the metric name 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx... is 5000 characters long; keep it under 101"
        ]
    )
    assert max(len(line) for line in result.stdout.lines) < 1000
