"""Fixtures for the pytester-based tests: they write a project, run pytest on it and read the report back.

Every test still runs a real pytest session on generated files. The helpers are fixtures rather than
an importable module because tests/ is not a package: importing from it works only while pytest
happens to put tests/ on sys.path.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import types
from pathlib import Path
from typing import Any, Mapping, Sequence

import pytest

pytest_plugins = ["pytester"]

#: The categories whose obligations need a measurement by default (docs/how-to/metrics.md).
MEASURED = ("performance", "accuracy")


#: Names a test function uses when it starts another process: pytest in a subprocess (xdist
#: needs real worker processes), ``python -m pytest_neuron_classification``, a benchmark script.
_STARTS_A_PROCESS = frozenset({"runpytest_subprocess", "run_subprocess", "cli", "subprocess", "spawn_pytest"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that starts a process ``slow``, so that ``pytest -m "not slow"`` is a quick loop.

    Read from the test function's own code, so a new subprocess test is marked without anyone
    remembering to: the in-process pytester runs stay in the quick loop.
    """
    for test in items:
        code = getattr(getattr(test, "function", None), "__code__", None)
        if code is not None and _STARTS_A_PROCESS.intersection(_names_used(code)):
            test.add_marker(pytest.mark.slow)


def _names_used(code: types.CodeType) -> set[str]:
    """The global and attribute names ``code`` uses, with those of the comprehensions, lambdas and
    functions nested in it (each has its own code object)."""
    names = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            names |= _names_used(constant)
    return names


#: Installed plugins an in-process run leaves out: each adds its options and fixtures to every
#: inner session (together a sixth of a small run's time), and most tests are not about them. A test
#: about one loads it with ``-p NAME`` (see :attr:`Project.BENCHMARK`); a run in a subprocess is a
#: user's run and loads them all. Asserts in the generated files stay plain for the same reason:
#: rewriting compiles each new file anew (a tenth of the time), and no test reads an explanation.
OTHER_PLUGINS = {
    "xdist": "xdist",
    "xdist.looponfail": "xdist",
    "benchmark": "pytest_benchmark",
    "rerunfailures": "pytest_rerunfailures",
}


@pytest.fixture
def pytester(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    # Hypothesis' pytest plugin re-imports (and assertion-rewrites) hypothesis in
    # every inner session, ~0.6 s each; no generated project uses it.
    left_out = " ".join(f"-p no:{name}" for name in OTHER_PLUGINS)
    # --import-mode=importlib imports this suite as modules of a ``tests`` namespace: hidden during the
    # test, so that a generated project's own tests/ package imports as itself in an in-process run.
    for name in [name for name in sys.modules if name == "tests" or name.startswith("tests.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setenv("PYTEST_ADDOPTS", f"-p no:hypothesispytest --assert=plain {left_out}")
    installed = [f"-p{name}" for name, module in OTHER_PLUGINS.items() if importlib.util.find_spec(module)]
    installed.append("--assert=rewrite")
    in_subprocess = pytester.runpytest_subprocess

    def runpytest_subprocess(*args: str | os.PathLike[str], timeout: float | None = None) -> pytest.RunResult:
        return in_subprocess(*installed, *args, timeout=timeout)

    monkeypatch.setattr(pytester, "runpytest_subprocess", runpytest_subprocess)
    return pytester


class Report(dict[str, Any]):
    """A JSON report as read back, plus the two views most assertions compare whole.

    Comparing ``{item id: {obligation: status}}`` in one ``==`` shows every unexpected status at
    once, where a chain of lookups stops at the first.
    """

    @property
    def statuses(self) -> dict[str, dict[str, str]]:
        """``{item id: {obligation: status}}``."""
        return {item["id"]: {ob["name"]: ob["status"] for ob in item["obligations"]} for item in self["items"]}

    @property
    def outcomes(self) -> dict[str, str]:
        """``{test name: outcome}`` (the last part of each node id)."""
        return {t["nodeid"].split("::")[-1]: t["outcome"] for t in self["tests"]}


class Project:
    """The pytester directory seen as a project that uses the plugin.

    It only adds what the plugin's tests repeat; anything else is done on ``pytester`` directly
    (``project.pytester`` is the same object as the ``pytester`` fixture).
    """

    #: An inventory entry of a Stable api item with a target: ``project.API.format(name=..., target="mod:attr")``.
    API = '[[tool.neuron-classification.items]]\nname = "{name}"\nkind = "api"\ntarget = "{target}"\n'
    #: Arguments that load pytest-benchmark (left out of in-process runs) and keep its timing short:
    #: the tests check what is recorded from its rounds, never how fast anything is.
    BENCHMARK = ("-p", "benchmark", "--benchmark-max-time=0.002", "--benchmark-warmup=off")
    #: A test module that classifies the api item ``name`` and gives it a compat test.
    COMPAT = """
    import pytest
    pytestmark = pytest.mark.neuron_stable("{name}", kind="api")
    def test_call(): pass
    @pytest.mark.neuron_compat
    def test_compat(): pass
    """

    def __init__(self, pytester: pytest.Pytester) -> None:
        self.pytester = pytester

    @property
    def path(self) -> Path:
        return self.pytester.path

    def config(self, body: str) -> Path:
        """Write a pyproject.toml whose ``[tool.neuron-classification]`` table is ``body``."""
        return self.pytester.makepyprojecttoml("[tool.neuron-classification]\n" + body)

    def write(self, files: Mapping[str, str]) -> None:
        """Write each file's text at its path in the project, making the folders it names."""
        for path, text in files.items():
            target = self.path / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)

    def module(
        self,
        item: str = "runtime",
        *,
        level: str = "stable",
        kind: str | None = "package",
        categories: Sequence[str] = ("functional",),
        extra: str = "",
        file: str | None = None,
        **coupling: str,
    ) -> Path:
        """Write ``test_<item>.py`` (or ``<file>.py``): a module-level ``neuron_<level>`` marker and one
        passing test per category, then ``extra`` source.

        The functional test is ``test_unit`` and carries no category marker (functional is what an
        unmarked test is); every other one is ``test_<category>`` marked ``neuron_<category>``. The
        performance and accuracy tests record a measurement, as those promises require.
        """
        arguments = [repr(item)] + ([f"kind={kind!r}"] if kind else []) + [f"{k}={v!r}" for k, v in coupling.items()]
        lines = ["import pytest", f"pytestmark = pytest.mark.neuron_{level}({', '.join(arguments)})"]
        for category in categories:
            if category == "functional":
                lines.append("def test_unit(): pass")
            elif category in MEASURED:
                lines += [f"@pytest.mark.neuron_{category}", f"def test_{category}(neuron_metric):"]
                lines.append(f"    neuron_metric({category + '_score'!r}, 1.0)")
            else:
                lines += [f"@pytest.mark.neuron_{category}", f"def test_{category}(): pass"]
        return self.pytester.makepyfile(**{file or f"test_{item}": "\n".join(lines) + "\n" + extra})

    def run(self, *args: str, report: str = "neuron-report.json") -> tuple[pytest.RunResult, Report]:
        """Run pytest in-process with ``--neuron-json=<report>``; return the result and the report."""
        return self.pytester.runpytest(f"--neuron-json={self.path / report}", *args), self.read(report)

    def run_subprocess(self, *args: str, report: str = "neuron-report.json") -> tuple[pytest.RunResult, Report]:
        """:meth:`run` in a child process: pytest-xdist starts real workers, which an in-process run
        cannot host."""
        return self.pytester.runpytest_subprocess(f"--neuron-json={self.path / report}", *args), self.read(report)

    def read(self, report: str) -> Report:
        """The JSON report at ``report`` (relative to the project)."""
        return Report(json.loads((self.path / report).read_text()))

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run ``python -m pytest_neuron_classification ARGS`` in the project, as a user would."""
        return subprocess.run(
            [sys.executable, "-m", "pytest_neuron_classification", *args],
            cwd=self.path,
            capture_output=True,
            text=True,
            check=False,
        )

    @staticmethod
    def literal(text: str) -> str:
        """``text`` as an fnmatch pattern that matches only itself: ``fnmatch_lines`` reads ``[...]``
        as a character class, and expected messages often contain brackets."""
        return text.replace("[", "[[]")


@pytest.fixture
def project(pytester: pytest.Pytester) -> Project:
    """The ``pytester`` directory as a plugin user's project (see :class:`Project`)."""
    return Project(pytester)
