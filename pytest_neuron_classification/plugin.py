"""The pytest side: options, markers, and hooks that feed the pure core.

Each hook only translates: pytest items and reports become :class:`TestRecord`s,
pyproject.toml becomes :class:`Settings`, and the audit comes from :mod:`.audit`.
Under pytest-xdist the workers collect and classify; the controller receives their
records through ``workeroutput`` and the outcomes through the test reports.
"""

from __future__ import annotations

import argparse
import datetime
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping

import pytest

from .adoption import check_waivers, gap_key, unlisted_apis
from .adoption import dump_baseline as dump_gap_baseline
from .adoption import load_baseline as load_gap_baseline
from .audit import Audit, build_audit
from .config import Settings, load_settings
from .contracts import ContractResult, dump_contracts, evaluate, load_contracts, record_contracts
from .evidence import TestRecord, combine_outcomes, phase_outcome
from .items import Catalog, Claim, Item
from .markers import check_one_level_per_item, parse_marker
from .policy import (
    ENFORCE_MODES,
    LEVEL_MARKERS,
    OBLIGATIONS,
    ClassificationError,
    Policy,
    check_obligations,
    with_extra_categories,
)
from .report import count, terminal_lines, to_json, verdict, write_atomic, write_reports

_RECORD = pytest.StashKey[TestRecord]()
_WORKER_KEY = "neuron_classification"
_SESSION_PLUGIN = "neuron_classification_session"
#: Set on the reports of classified tests so that the controller, which never sees
#: the items under xdist, knows whose outcome to keep.
_REPORT_FLAG = "neuron_classified"

_ENFORCE_HELP = "error: fail the run on a broken promise; warn: report only; off: stay silent"
_MARKERS = {
    "neuron_alpha": "classify the test's item as Alpha (developer preview; not for models)",
    "neuron_beta": "classify the test's item as Beta (developer preview)",
    "neuron_stable": "classify the test's item as Stable",
}
_CATEGORY_MARKERS = {
    "neuron_integration": "the test is an integration test of its classified item",
    "neuron_performance": "the test checks performance or throughput/latency",
    "neuron_accuracy": "the test validates a model's accuracy",
    "neuron_convergence": "the test validates a model's training convergence (accuracy)",
    "neuron_compat": "the test checks backward compatibility of a Stable API",
}


def _enforce_arg(value: str) -> str:
    if value not in ENFORCE_MODES:
        raise argparse.ArgumentTypeError(f"{value!r} is not one of {', '.join(ENFORCE_MODES)}")
    return value


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    from . import hooks

    pluginmanager.add_hookspecs(hooks)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("neuron-classification", "software classification (Alpha/Beta/Stable)")
    group.addoption(
        "--neuron-enforce",
        type=_enforce_arg,
        default=None,
        metavar="error|warn|off",
        help=f"override the configured enforcement. {_ENFORCE_HELP}",
    )
    group.addoption(
        "--neuron-json",
        default=None,
        metavar="PATH",
        help="write the classification audit as JSON to PATH",
    )
    group.addoption(
        "--neuron-markdown",
        default=None,
        metavar="PATH",
        help="write the classification audit as Markdown to PATH (e.g. $GITHUB_STEP_SUMMARY)",
    )
    group.addoption(
        "--neuron-baseline",
        default=None,
        metavar="PATH",
        help="tolerate the gaps recorded in PATH; only new gaps fail the run",
    )
    group.addoption(
        "--neuron-update-baseline",
        action="store_true",
        default=False,
        help="record this run's failing gaps in the --neuron-baseline file",
    )
    group.addoption(
        "--neuron-graduation",
        action="store_true",
        default=False,
        help="also show what each Alpha and Beta item lacks to reach the next level",
    )
    group.addoption(
        "--neuron-update-contracts",
        action="store_true",
        default=False,
        help="record the current signatures of api items with a target as the new contract baseline",
    )
    parser.addini("neuron_enforce", f"classification enforcement. {_ENFORCE_HELP}", type="string", default="")


def pytest_configure(config: pytest.Config) -> None:
    for name, text in _MARKERS.items():
        config.addinivalue_line("markers", f"{name}(name=None, *, kind=None, **coupling): {text}")
    for name, text in _CATEGORY_MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {text}")
    try:
        session = _build_session(config)
    except ClassificationError as exc:
        raise pytest.UsageError(f"neuron-classification: {exc}") from None
    config.pluginmanager.register(session, _SESSION_PLUGIN)


def _build_session(config: pytest.Config) -> ClassificationSession:
    path = _pyproject(config)
    settings = load_settings(path, _relative(path, config.rootpath))
    settings = replace(settings, policy=_policy_from_hooks(config, settings.policy))
    check_waivers(settings.waivers, {*OBLIGATIONS, *settings.policy.categories}, settings.source)
    unlisted = unlisted_apis(settings.api_modules, settings.inventory, settings.source)
    catalog = Catalog.from_inventory([*settings.inventory, *unlisted], settings.default_kind)
    update_contracts = bool(config.getoption("neuron_update_contracts"))
    contracts_path = path.parent / settings.contracts
    return ClassificationSession(
        config,
        settings=settings,
        catalog=catalog,
        enforce=_enforce(config, settings),
        reports={
            option: report
            for option, report in (
                ("--neuron-json", _report_path(config.getoption("neuron_json"), "--neuron-json")),
                ("--neuron-markdown", _report_path(config.getoption("neuron_markdown"), "--neuron-markdown")),
            )
            if report is not None
        },
        contracts=ContractBaseline(
            contracts_path, {} if update_contracts else load_contracts(contracts_path), update_contracts
        ),
        gap_baseline=_gap_baseline(config),
    )


def _gap_baseline(config: pytest.Config) -> GapBaseline | None:
    value = config.getoption("neuron_baseline")
    update = bool(config.getoption("neuron_update_baseline"))
    if not value:
        if update:
            raise ClassificationError("--neuron-update-baseline needs --neuron-baseline=PATH to know where to write")
        return None
    if update:
        path = _report_path(value, "--neuron-baseline")
        assert path is not None
        return GapBaseline(path, None, update=True)
    path = Path(value).expanduser().absolute()
    return GapBaseline(path, load_gap_baseline(path))


def pytest_unconfigure(config: pytest.Config) -> None:
    session = config.pluginmanager.get_plugin(_SESSION_PLUGIN)
    if session is not None:
        config.pluginmanager.unregister(session)


def _policy_from_hooks(config: pytest.Config, policy: Policy) -> Policy:
    """The configured policy, extended by ``pytest_neuron_categories`` and ``pytest_neuron_obligations``."""
    extra: dict[str, list[str]] = {}
    for answer in config.hook.pytest_neuron_categories(config=config):
        for category, names in (answer or {}).items():
            if not isinstance(category, str) or not isinstance(names, (list, tuple, set, frozenset)):
                raise ClassificationError(
                    f"pytest_neuron_categories returned {category!r}: {names!r}; return {{category: [names]}}"
                )
            extra.setdefault(category, []).extend(names)
    policy = replace(policy, category_names=with_extra_categories(extra, policy.category_names))
    table = {}
    for (kind, level), default in policy.obligation_table.items():
        obligations = list(default)
        config.hook.pytest_neuron_obligations(kind=kind, level=level, obligations=obligations, config=config)
        table[(kind, level)] = check_obligations(kind, level, obligations, policy.categories)
    return replace(policy, obligation_table=table)


def _pyproject(config: pytest.Config) -> Path:
    inipath = config.inipath
    if inipath is not None and inipath.name == "pyproject.toml":
        return inipath
    return config.rootpath / "pyproject.toml"


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _enforce(config: pytest.Config, settings: Settings) -> str | dict[str, str]:
    """Command line, then the ``neuron_enforce`` ini option, then pyproject, then ``error``."""
    option = config.getoption("neuron_enforce")
    if option:
        return option
    ini = str(config.getini("neuron_enforce") or "").strip()
    if ini:
        if ini.lower() not in ENFORCE_MODES:
            raise pytest.UsageError(
                f"neuron-classification: {config.inipath}: neuron_enforce = {ini!r} is not one "
                f"of {', '.join(ENFORCE_MODES)}"
            )
        return ini.lower()
    return settings.enforce or "error"


def _report_path(value: str | None, option: str) -> Path | None:
    """Refuse an unwritable report path now, not after an hour of tests."""
    if not value:
        return None
    path = Path(value).expanduser().absolute()
    if path.is_dir():
        raise pytest.UsageError(f"{option}={value} is a directory; give a file path such as {value}/neuron.json")
    parent = path.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise pytest.UsageError(f"{option}={value}: cannot create a file under {parent}; choose a writable path")
    return path


@dataclass(frozen=True)
class GapBaseline:
    """The ``--neuron-baseline`` file: the gaps it tolerates, or None when it is to be (re)written."""

    path: Path
    gaps: frozenset[str] | None
    update: bool = False


@dataclass(frozen=True)
class ContractBaseline:
    """The API contract file, what it held when the run started, and whether to rewrite it."""

    path: Path
    entries: Mapping[str, Mapping[str, Any]]
    update: bool = False


class ClassificationSession:
    """The run's evidence and audit; its methods are the hooks that gather them."""

    def __init__(
        self,
        config: pytest.Config,
        *,
        settings: Settings,
        catalog: Catalog,
        enforce: str | dict[str, str],
        reports: dict[str, Path],
        contracts: ContractBaseline,
        gap_baseline: GapBaseline | None = None,
    ) -> None:
        self.config = config
        self.settings = settings
        self.catalog = catalog
        self.enforce = enforce
        self.reports = reports
        self.contracts = contracts
        self.gap_baseline = gap_baseline
        self.records: dict[str, TestRecord] = {}
        self.outcomes: dict[str, str | None] = {}
        self.worker_items: dict[str, Item] = {}
        self.selected: set[str] = set()
        self._resolved: dict[tuple[Any, ...], tuple[list[pytest.Mark], dict[str, Item] | str]] = {}
        self.notes: list[str] = []
        self.audit: Audit | None = None
        self.write_error: str | None = None

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        # tryfirst: see every collected test before -k, -m or --deselect drop some, so
        # that deselected tests count as not-run instead of missing.
        for item in items:
            record = self._classify(item)
            if record is not None:
                self.records[item.nodeid] = record
                item.stash[_RECORD] = record
                item.user_properties.extend(self._properties(record))

    def _classify(self, item: pytest.Item) -> TestRecord | None:
        names: set[str] = set()
        claims = []
        for mark in item.iter_markers():
            names.add(mark.name)
            if mark.name in LEVEL_MARKERS:
                claims.append(mark)
        origin = item.nodeid.split("::")[0]
        path_claims = self.catalog.path_claims(origin)
        if not claims and not path_claims:
            return None
        names.update(getattr(item, "fixturenames", ()))
        resolved = self._resolve(claims, path_claims, item, origin)
        if isinstance(resolved, str):
            return TestRecord(item.nodeid, error=resolved)
        try:
            categories = self._categories(item, names)
        except ClassificationError as exc:
            return TestRecord(item.nodeid, error=str(exc))
        return TestRecord(
            item.nodeid,
            item_ids=tuple(resolved),
            item_names=tuple(i.name for i in resolved.values()),
            categories=categories,
        )

    def _categories(self, item: pytest.Item, names: set[str]) -> tuple[str, ...]:
        policy = self.settings.policy
        categories = policy.categorize(names)
        decided = self.config.hook.pytest_neuron_test_categories(item=item, categories=categories)
        if decided is None:
            return categories
        unknown = [c for c in decided if c not in policy.categories]
        if unknown or not decided:
            raise ClassificationError(
                f"pytest_neuron_test_categories returned {list(decided)!r}; use categories from "
                f"{', '.join(policy.categories)}"
            )
        return tuple(dict.fromkeys(decided))

    def _resolve(
        self, claims: list[pytest.Mark], path_claims: tuple[Claim, ...], item: pytest.Item, origin: str
    ) -> dict[str, Item] | str:
        """The items the markers name, or the error message; cached per set of markers.

        All tests of a module share its ``pytestmark`` objects, so on a large suite this
        parses each module's marker once instead of once per test.
        """
        key = (item.path, *map(id, claims))
        cached = self._resolved.get(key)
        if cached is not None:
            return cached[1]
        try:
            parsed = [parse_marker(LEVEL_MARKERS[m.name], m.args, m.kwargs, item.path.stem) for m in claims]
            parsed += path_claims
            check_one_level_per_item(parsed)
            result: dict[str, Item] | str = {i.id: i for i in (self.catalog.resolve(c, origin) for c in parsed)}
        except ClassificationError as exc:
            result = str(exc)
        # Keep the marks referenced so their ids cannot be reused by other objects.
        self._resolved[key] = (claims, result)
        return result

    def _properties(self, record: TestRecord) -> list[tuple[str, str]]:
        """JUnit XML properties, so that tools reading JUnit can group tests by level."""
        props = []
        for item in filter(None, map(self.catalog.get, record.item_ids)):
            props += [("neuron_item", item.id), ("neuron_level", item.level), ("neuron_kind", item.kind)]
        return [*props, ("neuron_categories", ",".join(record.categories))] if props else []

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        if self.config.option.collectonly:
            self.selected = {i.nodeid for i in session.items}

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        record = item.stash.get(_RECORD, None)
        if record is not None and record.error:
            pytest.fail(f"neuron-classification: {record.error}", pytrace=False)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item) -> Any:
        report = yield
        if _RECORD in item.stash:
            setattr(report, _REPORT_FLAG, True)
        return report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        # Failed reports are kept even unflagged: xdist makes its own, flagless report
        # for a test whose worker crashed.
        if getattr(report, _REPORT_FLAG, False) or report.failed:
            outcome = phase_outcome(report.when, report.outcome, hasattr(report, "wasxfail"))
            self.outcomes[report.nodeid] = combine_outcomes(self.outcomes.get(report.nodeid), outcome)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        data = getattr(node, "workeroutput", {}).get(_WORKER_KEY)
        if data is None:
            # A crashed worker sends nothing: say so rather than guess its tests' fate.
            worker = getattr(getattr(node, "gateway", None), "id", "a worker")
            why = f" ({error})" if error else ""
            self.notes.append(f"{worker} sent no classification evidence{why}; its tests may show as not-run")
            return
        for item in data["items"]:
            self.worker_items.setdefault(item["id"], Item.from_dict(item))
        for record in data["records"]:
            self.records.setdefault(record["nodeid"], TestRecord.from_dict(record))

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if hasattr(self.config, "workeroutput"):
            self.config.workeroutput[_WORKER_KEY] = {
                "items": [i.to_dict() for i in self.catalog.items()],
                "records": [r.to_dict() for r in self.records.values()],
            }
            return
        contracts = self._check_contracts()
        audit = self._build_audit(contracts)
        if self.gap_baseline is not None and self.gap_baseline.update:
            audit = self._build_audit(contracts, self._record_gaps(audit))
        vetoes = self.config.hook.pytest_neuron_audit(report=to_json(audit), config=self.config)
        self.audit = replace(audit, vetoes=tuple(str(v) for v in vetoes if v))
        self.write_error = self.write_error or write_reports(self.audit, self.reports)
        failed = self.audit.fails_run or self.write_error
        if failed and session.exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def _check_contracts(self) -> dict[str, ContractResult]:
        """Judge every api item with a target against the baseline (recording it first if asked)."""
        apis = [(i, i.target) for i in self.catalog.items() if i.kind == "api" and i.target]
        baseline = self.contracts
        if baseline.update and apis:
            recorded, _ = record_contracts((i.name, target) for i, target in apis)
            try:
                write_atomic(baseline.path, dump_contracts(recorded))
                self.notes.append(f"recorded {count(len(recorded), 'API contract')} in {baseline.path.name}")
            except OSError as exc:
                self.write_error = f"cannot write {baseline.path}: {exc.strerror or exc}"
            baseline = ContractBaseline(baseline.path, recorded, update=True)
        today = datetime.date.today()
        return {
            i.id: evaluate(
                target,
                i.level,
                baseline.entries.get(i.name),
                [n for n in self.settings.notices if n.item == i.name],
                today,
            )
            for i, target in apis
        }

    def _record_gaps(self, audit: Audit) -> frozenset[str]:
        """Write today's failing gaps as the new baseline; they are tolerated from now on."""
        assert self.gap_baseline is not None
        gaps = frozenset(gap_key(g.item.id, g.obligation.name) for g in audit.failing_gaps)
        try:
            write_atomic(self.gap_baseline.path, dump_gap_baseline(gaps))
            self.notes.append(f"recorded {count(len(gaps), 'gap')} in {self.gap_baseline.path.name}")
        except OSError as exc:
            self.write_error = f"cannot write --neuron-baseline={self.gap_baseline.path}: {exc.strerror or exc}"
        return gaps

    def _build_audit(self, contracts: dict[str, ContractResult], recorded: frozenset[str] | None = None) -> Audit:
        collect = bool(self.config.option.collectonly)
        records = [r.with_outcome(self._outcome(r.nodeid, collect) or "not-run") for r in self.records.values()]
        items = {i.id: i for i in self.catalog.items()}
        for item_id, item in self.worker_items.items():
            items.setdefault(item_id, item)
        return build_audit(
            items.values(),
            records,
            self.settings.policy,
            mode="collect" if collect else "run",
            enforce=self.enforce,
            notes=self.notes,
            contracts=contracts,
            graduation=bool(self.config.getoption("neuron_graduation")),
            waivers=self.settings.waivers,
            baseline=recorded if recorded is not None else (self.gap_baseline and self.gap_baseline.gaps),
        )

    def _outcome(self, nodeid: str, collect: bool) -> str | None:
        if collect:
            return "collected" if nodeid in self.selected else None
        return self.outcomes.get(nodeid)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        audit = self.audit
        if audit is None:
            return
        if set(audit.enforce.values()) != {"off"} and not audit.is_empty:
            terminalreporter.write_sep("=", "neuron classification")
            for line in terminal_lines(audit):
                terminalreporter.write_line(line)
            red = audit.fails_run
            yellow = bool(audit.failing_gaps) and not red
            terminalreporter.write_line(f"neuron-classification: {verdict(audit)}", red=red, yellow=yellow, bold=red)
        if self.write_error:
            terminalreporter.write_line(f"ERROR: neuron-classification: {self.write_error}", red=True)
