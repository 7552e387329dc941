"""Command-line and ini options, and the run's settings assembled from them and pyproject.toml.

Everything the user can get wrong is checked here, in ``pytest_configure``, before any
test runs, and reaches the user as one ``pytest.UsageError`` with one prefix: a
``UsageError`` raised later (during collection) would become an INTERNALERROR under
pytest-xdist, and one raised after an hour of tests wastes the hour.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

import pytest

from pytest_neuron_classification.core.adoption import check_waivers
from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.core.items import Catalog
from pytest_neuron_classification.core.vocabulary import (
    ENFORCE_MODES,
    OBLIGATIONS,
    SCOPES,
    ClassificationError,
    Enforce,
    EnforceMode,
    Policy,
    Scope,
    check_choice,
    check_obligations,
    with_extra_categories,
)
from pytest_neuron_classification.metrics.gate import MetricsSetup
from pytest_neuron_classification.render.outputs import check_not_inputs, check_report_paths
from pytest_neuron_classification.session.config import Settings, load_settings, names_the_table
from pytest_neuron_classification.session.inputs import (
    ContractBaseline,
    GapBaseline,
    contracts_file,
    gap_baseline,
    metrics_setup,
    outside_evidence,
    report_path,
)
from pytest_neuron_classification.session.xdist_wire import is_worker
from pytest_neuron_classification.storage.files import check_writable
from pytest_neuron_classification.surface.apis import (
    EnvScan,
    env_notes,
    removed,
    scan_environment,
    unlisted_flags,
    unlisted_variables,
)
from pytest_neuron_classification.surface.flags import forget_parsers
from pytest_neuron_classification.surface.signatures import unlisted_apis, with_implied_targets

PREFIX = "neuron-classification:"
_ENFORCE_HELP = "error: fail the run on a broken promise; warn: report only; off: stay silent"


def _enforce_arg(value: str) -> str:
    """Case-insensitive, like ``enforce`` in pyproject.toml and the ini option."""
    if value.lower() not in ENFORCE_MODES:
        raise argparse.ArgumentTypeError(f"{value!r} is not one of {', '.join(ENFORCE_MODES)}")
    return value.lower()


def _scope_arg(value: str) -> str:
    """Case-insensitive, like ``--neuron-enforce``."""
    if value.lower() not in SCOPES:
        raise argparse.ArgumentTypeError(f"{value!r} is not one of {', '.join(SCOPES)}")
    return value.lower()


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("neuron-classification", "software classification (Alpha/Beta/Stable)")
    group.addoption(
        "--neuron-enforce",
        type=_enforce_arg,
        default=None,
        metavar="error|warn|off",
        help=f"override the configured enforcement. {_ENFORCE_HELP}",
    )
    group.addoption(
        "--neuron-scope",
        type=_scope_arg,
        default="all",
        metavar="all|collected",
        help="all (default): every inventory item must be covered; collected: items no collected test "
        "covers are out-of-scope (for jobs that run part of the suite; merge their reports for the full audit)",
    )
    group.addoption(
        "--neuron-json", default=None, metavar="PATH", help="write the classification audit as JSON to PATH"
    )
    group.addoption(
        "--neuron-markdown",
        default=None,
        metavar="PATH",
        help="write the classification audit as Markdown to PATH (e.g. $GITHUB_STEP_SUMMARY)",
    )
    group.addoption(
        "--neuron-html",
        default=None,
        metavar="PATH",
        help="write the classification audit as one self-contained HTML page, with metric trend charts, to PATH",
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
        "--neuron-update-metrics",
        action="store_true",
        default=False,
        help="record this run's measurements as the metric baseline of its environment",
    )
    group.addoption(
        "--neuron-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="part of the environment key measurements are compared in (repeatable)",
    )
    group.addoption(
        "--neuron-history",
        default=None,
        metavar="PATH",
        help="append this run's measurements to PATH (JSON lines) and show each metric's trend",
    )
    group.addoption(
        "--neuron-update-contracts",
        action="store_true",
        default=False,
        help="record the current signatures of api items with a target as the new contract baseline",
    )
    group.addoption(
        "--neuron-evidence",
        action="append",
        default=[],
        metavar="PATH",
        help="fold the results recorded outside pytest in PATH (an evidence file; globs allowed) into the audit",
    )
    parser.addini("neuron_enforce", f"classification enforcement. {_ENFORCE_HELP}", type="string", default="")


@dataclass(frozen=True)
class RunOptions:
    """Everything the run was asked to do, validated."""

    settings: Settings
    #: The inventory and ``api-modules`` items; markers add theirs during collection.
    catalog: Catalog
    enforce: Enforce
    #: Report files to write, keyed by the option that asked for them.
    reports: dict[str, Path]
    contracts: ContractBaseline
    gap_baseline: GapBaseline | None
    graduation: bool
    collect_only: bool
    #: Where the ``env-modules`` read each environment variable.
    env: EnvScan = field(default_factory=lambda: EnvScan({}))
    #: What configuration noticed without failing (a variable the scan cannot see).
    notes: tuple[str, ...] = ()
    metrics: MetricsSetup | None = None
    #: The pyproject.toml read (it may not exist); relative paths in it are relative to its folder.
    config_path: Path = Path("pyproject.toml")
    scope: Scope = "all"
    #: The ``--neuron-evidence`` files, read and validated (on the controller only; workers have none).
    outside: tuple[Evidence, ...] = ()


def run_options(config: pytest.Config) -> RunOptions:
    """The run's options, or one ``UsageError`` that says what to fix."""
    try:
        return _build(config)
    except ClassificationError as exc:
        raise pytest.UsageError(f"{PREFIX} {exc}") from None


def _build(config: pytest.Config) -> RunOptions:
    forget_parsers()
    path = _pyproject(config)
    settings = load_settings(path, config_label(path, config.rootpath))
    settings = replace(settings, policy=_policy_from_hooks(config, settings.policy))
    _check_measured(settings)
    check_waivers(settings.waivers, {*OBLIGATIONS, *settings.policy.categories}, settings.source)
    update_contracts = bool(config.getoption("neuron_update_contracts"))
    contracts_path = path.parent / settings.contracts
    if update_contracts:
        check_writable(contracts_path, "contracts")
    contracts, record = contracts_file(contracts_path, update_contracts)
    env = scan_environment(settings.env_modules, config.rootpath, settings.source, contracts)
    inventory = with_implied_targets(settings.api_modules, settings.inventory, settings.source)
    settings = replace(settings, inventory=tuple(inventory))
    apis = [
        *settings.inventory,
        *unlisted_apis(settings.api_modules, settings.inventory, settings.source),
        *unlisted_flags(settings.cli_parsers, settings.inventory, settings.source),
        *unlisted_variables(env, settings.inventory),
    ]
    apis += removed(contracts, (i.name for i in apis), contracts_path.name)
    outside = () if is_worker(config) else outside_evidence(config, settings, apis)
    metrics, env_notes_ = metrics_setup(config, settings, path.parent)
    baseline = gap_baseline(config)
    reads = {
        contracts_path: "the API contracts file",
        metrics.path: "the metric baseline",
        **({metrics.history: "the metric history"} if metrics.history else {}),
        **({baseline.path: "the gap baseline"} if baseline else {}),
        **{Path(part.source): "an evidence file" for part in outside},
        path: "the configuration",
        **({config.inipath: "pytest's configuration"} if config.inipath else {}),
    }
    return RunOptions(
        settings=settings,
        catalog=Catalog.from_inventory(apis, settings.default_kind),
        env=env,
        notes=(*env_notes(env, settings.inventory), *env_notes_),
        metrics=metrics,
        enforce=_enforce(config, settings),
        reports=_reports(config, reads),
        contracts=ContractBaseline(contracts_path, contracts, update_contracts, record),
        gap_baseline=baseline,
        graduation=bool(config.getoption("neuron_graduation")),
        collect_only=bool(config.option.collectonly),
        config_path=path,
        scope=config.getoption("neuron_scope"),
        outside=outside,
    )


def _policy_from_hooks(config: pytest.Config, policy: Policy) -> Policy:
    """The configured policy, extended by ``pytest_neuron_categories`` and ``pytest_neuron_obligations``."""
    extra: dict[str, list[str]] = {}
    for answer in config.hook.pytest_neuron_categories(config=config):
        if answer is not None and not isinstance(answer, Mapping):
            raise ClassificationError(
                f"pytest_neuron_categories returned {_short(answer)}; return {{category: [names]}} or None"
            )
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


def _check_measured(settings: Settings) -> None:
    """``measured`` may name any category the policy knows, hooks' own included."""
    known = settings.policy.categories
    for category in settings.policy.measured:
        if category not in known:
            raise ClassificationError(
                f"{settings.source}: [tool.neuron-classification] measured: unknown category {category!r}; "
                f"use one of {', '.join(known)}"
            )


def _pyproject(config: pytest.Config) -> Path:
    """The pyproject.toml pytest uses as its config file, else the nearest at or above the rootdir.

    An ini file (``tests/pytest.ini``, even an empty one) wins over pyproject.toml in pytest,
    which then makes its folder the rootdir; the project's table is still in the repository's
    pyproject.toml. The walk stops at the first pyproject.toml, table or not, and never goes
    above a folder that holds ``.git``. One above the rootdir without the table is another
    project's: it is not read (the rootdir's missing one is, giving the defaults).
    """
    inipath = config.inipath
    if inipath is not None and inipath.name == "pyproject.toml":
        return inipath
    own = config.rootpath / "pyproject.toml"
    for folder in (config.rootpath, *config.rootpath.parents):
        path = folder / "pyproject.toml"
        if path.is_file():
            return path if folder == config.rootpath or names_the_table(path) else own
        if (folder / ".git").exists():
            break
    return own


def config_label(path: Path, root: Path) -> str:
    """``pyproject.toml`` or ``../pyproject.toml``: the file as seen from the rootdir."""
    try:
        return os.path.relpath(path, root)
    except ValueError:  # another drive on Windows
        return str(path)


def _enforce(config: pytest.Config, settings: Settings) -> Enforce:
    """Command line, then the ``neuron_enforce`` ini option, then pyproject, then ``error``."""
    option: EnforceMode | None = config.getoption("neuron_enforce")
    if option:
        return option
    ini = str(config.getini("neuron_enforce") or "").strip()
    if ini:
        if ini.lower() not in ENFORCE_MODES:
            raise ClassificationError(
                f"{config.inipath}: neuron_enforce = {ini!r} is not one of {', '.join(ENFORCE_MODES)}"
            )
        return check_choice(ini, ENFORCE_MODES, "neuron_enforce")
    return settings.enforce or "error"


def _reports(config: pytest.Config, reads: Mapping[Path, str]) -> dict[str, Path]:
    """The report files asked for, each checked now rather than after an hour of tests.

    ``reads`` are the files this run reads (by what they are): a report never replaces one of them.
    """
    given = {
        option: value
        for option, value in (
            ("--neuron-json", config.getoption("neuron_json")),
            ("--neuron-markdown", config.getoption("neuron_markdown")),
            ("--neuron-html", config.getoption("neuron_html")),
        )
        if value is not None
    }
    check_report_paths(given)
    reports = {option: report_path(config, value, option) for option, value in given.items()}
    check_not_inputs({option: (given[option], p) for option, p in reports.items()}, reads)
    return reports


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
