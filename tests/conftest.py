"""The suite's rules and the fixtures of the pytester-based tests.

Layout (docs/development.md): tests/unit/<layer>/ tests a pure layer as plain functions, with no
pytester; tests/integration/<feature>/ runs real pytest sessions in-process (pytester); tests/system/
<feature>/ starts processes. Where a test is decides that it is ``slow`` (tests/system/ only), and
an in-process test that starts a process fails (an audit hook). ``network`` tests run only with
``--run-network``.

The pytester helpers are fixtures (:class:`Project`); the message catalogue's case type and runner
are in tests/catalogue.py (the command line's cases in tests/cli_cases.py), imported as top-level
modules (``pythonpath = ["tests"]``). So are the projects and helpers that a feature's unit,
integration and system files share: html_pages.py, metric_projects.py, evidence_projects.py,
sample_projects.py and table_strategies.py.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Mapping, Sequence

import pytest
from hypothesis import HealthCheck, settings

# A fresh checkout's first draw of a text strategy builds Hypothesis' Unicode tables (seconds on a
# shared 2-core runner), and a loaded runner is slow at random: neither says anything about the
# code under test, so timing is no failure here; every example is still drawn and checked.
settings.register_profile("suite", suppress_health_check=[HealthCheck.too_slow], deadline=None)
settings.load_profile("suite")

# Asserts in the shared helper modules fail with pytest's detail, like those in the test files.
pytest.register_assert_rewrite(
    "catalogue",
    "cli_cases",
    "docs_pages",
    "docs_scenarios",
    "html_pages",
    "sphinx_sites",
    "metric_projects",
    "evidence_projects",
    "sample_projects",
    "record_projects",
    "summary_projects",
    "table_strategies",
)

pytest_plugins = ["pytester"]

#: The categories whose obligations need a measurement by default (docs/how-to/metrics.md).
MEASURED = ("performance", "accuracy")


#: The tests that start processes (pytest under xdist, ``python -m pytest_neuron_classification``, a
#: script, a browser, a docs build): all of them and only they are under tests/system/, and they are
#: the ``slow`` ones, so that ``pytest -m "not slow"`` is the quick loop of tests/unit/ and
#: tests/integration/.
SYSTEM = Path(__file__).parent / "system"

#: The audit events of starting a process (https://docs.python.org/3/library/audit_events.html).
PROCESS_EVENTS = frozenset(
    {"subprocess.Popen", "os.posix_spawn", "os.spawn", "os.exec", "os.system", "os.fork", "os.forkpty", "pty.spawn"}
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-network",
        action="store_true",
        help="run the tests marked network (they download from the package index); without the network they fail",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/system/ ``slow``; skip the ``network`` tests unless ``--run-network``."""
    network = config.getoption("--run-network")
    for test in items:
        if _in_system(test):
            test.add_marker(pytest.mark.slow)
        if not network and test.get_closest_marker("network"):
            test.add_marker(pytest.mark.skip(reason="needs the network: run with --run-network"))


def _in_system(test: pytest.Item) -> bool:
    return SYSTEM in test.path.parents


#: While an in-process test runs (one outside tests/system/): its node id, and the processes it started.
_RUNNING: list[str] = []
_STARTED: list[str] = []


def _no_process_in_process(event: str, args: tuple[Any, ...]) -> None:
    """Refuse to start a process during an in-process test: raise where it is started, and record it
    so the test fails even if the code that started it swallows the error."""
    if _RUNNING and event in PROCESS_EVENTS:
        what = f"{event} {args[1] if event == 'subprocess.Popen' else args[:1]!r}"
        _STARTED.append(what)
        raise RuntimeError(f"{_RUNNING[0]} started a process ({what}); a test that does belongs in tests/system/")


sys.addaudithook(_no_process_in_process)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Any:
    if _in_system(item):
        return (yield)
    _RUNNING.append(item.nodeid)
    _STARTED.clear()
    try:
        return (yield)
    finally:
        _RUNNING.pop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    try:
        return (yield)
    finally:
        if _STARTED and _RUNNING:
            started = "; ".join(_STARTED)
            pytest.fail(f"started a process in-process ({started}): move the test to tests/system/", pytrace=False)


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
    # Its --splits/--group would also clash with the sharding conftests that mimic it.
    "pytest-split": "pytest_split",
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
    def audit(self) -> dict[str, Any]:
        """The report without ``environment``: the metric environment key names the xdist worker count
        (``workers=2``), as timings under xdist are judged apart, while the audit must be the same."""
        return {key: value for key, value in self.items() if key != "environment"}

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
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Project:
    """The ``pytester`` directory as a plugin user's project (see :class:`Project`).

    When this suite itself runs under ``-n``, its in-process runs are no xdist workers:
    pytest-benchmark reads ``PYTEST_XDIST_WORKER`` and would time nothing in them.
    """
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    return Project(pytester)
