"""Configuring a run reads top to bottom: the pytest config object reaches few modules, all on the pytest side.

Followed from ``pytest_configure`` to the first test: every function of the plugin that is handed the
config object (as an argument, or as ``self.config``) is recorded, in call order. The pure layers never
get it (import-linter forbids them pytest), and within the pytest side it stays in the pipeline's own
modules rather than travelling through every module that reads a file.
"""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

import pytest

#: Where the config object may go: the entry modules and the session's pipeline and role objects.
ALLOWED = {
    "pytest_neuron_classification.fixtures",
    "pytest_neuron_classification.plugin",
    "pytest_neuron_classification.session.configure",
    "pytest_neuron_classification.session.options",
    "pytest_neuron_classification.session.xdist_wire",
    "pytest_neuron_classification.session.classifier",
    "pytest_neuron_classification.session.controller",
    "pytest_neuron_classification.session.placement",  # the role that reads the collection and the shard
}


class Tracer:
    """Records the plugin's functions handed the config object until the session starts."""

    def __init__(self) -> None:
        self.modules: list[str] = []

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionstart(self) -> None:
        sys.setprofile(None)

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_cmdline_main(self, config: pytest.Config) -> Any:
        def profile(frame: FrameType, event: str, arg: object) -> None:
            module = frame.f_globals.get("__name__", "")
            if event != "call" or not module.startswith("pytest_neuron_classification"):
                return
            code = frame.f_code
            names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
            args = [frame.f_locals.get(name) for name in names]
            handed = any(a is config for a in args) or getattr(args[0] if args else None, "config", None) is config
            if handed and (not self.modules or self.modules[-1] != module):
                self.modules.append(module)

        sys.setprofile(profile)
        try:
            return (yield)
        finally:
            sys.setprofile(None)


def test_the_config_object_stays_in_the_configure_pipeline(project):
    project.config(
        """
        api-modules = []
        [[tool.neuron-classification.items]]
        name = "rt"
        kind = "package"
        tests = ["test_rt.py"]
        """
    )
    project.write({"test_rt.py": "def test_rt(): pass\n"})
    tracer = Tracer()
    result = project.pytester.runpytest("--neuron-json=r.json", plugins=[tracer])
    assert result.ret == pytest.ExitCode.TESTS_FAILED  # a Stable package without its standard suite
    modules = tracer.modules
    assert "pytest_neuron_classification.session.configure" in modules
    assert set(modules) <= ALLOWED, set(modules) - ALLOWED
    assert len(set(modules)) <= 8
