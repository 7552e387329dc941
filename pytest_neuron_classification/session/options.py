"""The command line and ini options: declared, and read in one place.

:func:`read_options` is the one function that asks pytest's config for an option, so the rest
of configuration (:mod:`.configure`) and the controller's inputs (:mod:`.inputs`) take plain
:class:`Options`. A value that argparse can check (``choices``) is checked there; the rest is
checked by whoever uses it, still in ``pytest_configure``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from pytest_neuron_classification.core.placement import parse_shard
from pytest_neuron_classification.core.vocabulary import (
    ENFORCE_MODES,
    SCOPES,
    ClassificationError,
    EnforceMode,
    Scope,
    check_choice,
)
from pytest_neuron_classification.session.xdist_wire import is_worker

_ENFORCE_HELP = "error: fail the run on a broken promise; warn: report only; off: stay silent"
#: The report options, by the attribute pytest stores each under.
REPORT_OPTIONS = {
    "--neuron-json": "neuron_json",
    "--neuron-markdown": "neuron_markdown",
    "--neuron-html": "neuron_html",
}


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("neuron-classification", "software classification (Alpha/Beta/Stable)")
    group.addoption(
        "--neuron-enforce",
        type=str.lower,  # case-insensitive, like enforce in pyproject.toml and the ini option
        choices=ENFORCE_MODES,
        default=None,
        metavar="error|warn|off",
        help=f"override the configured enforcement. {_ENFORCE_HELP}",
    )
    group.addoption(
        "--neuron-scope",
        type=str.lower,
        choices=SCOPES,
        default=SCOPES[0],
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
    group.addoption(
        "--neuron-shard",
        default=None,
        metavar="K/N",
        help="this run is shard K (from 1) of N of a split made without a sharding plugin; "
        "the JSON report records it, and merge names a shard whose report is missing",
    )
    group.addoption(
        "--neuron-job",
        default=None,
        metavar="NAME",
        help="the CI job's name for this run, recorded in the JSON report (placement.job)",
    )
    parser.addini("neuron_enforce", f"classification enforcement. {_ENFORCE_HELP}", type="string", default="")


@dataclass(frozen=True)
class Options:
    """What the command line and the ini file ask of this run, and where it runs."""

    rootpath: Path
    #: pytest's config file (pytest.ini, pyproject.toml, ...), or None.
    inipath: Path | None
    #: Where pytest was started: relative paths on the command line are relative to it.
    invocation_dir: Path
    #: ``--neuron-enforce``, else the ``neuron_enforce`` ini option; None when neither is given.
    enforce: EnforceMode | None
    scope: Scope
    #: The report files asked for, by option (``--neuron-json``: its value as given).
    reports: dict[str, str]
    baseline: str | None
    update_baseline: bool
    graduation: bool
    update_metrics: bool
    env: tuple[str, ...]
    history: str | None
    update_contracts: bool
    evidence: tuple[str, ...]
    collect_only: bool
    #: An xdist worker: it classifies and sends, the controller judges.
    worker: bool
    #: The number of xdist workers (``-n 2``: ``"2"``), or "" for a serial run (``-n 0``, no xdist).
    workers: str
    #: Files other plugins will write, by option: value and what it is (``--junitxml``: the path,
    #: "JUnit XML report"). Checked with ours, so that no two outputs share a file.
    foreign: dict[str, tuple[str, str]]
    #: ``--neuron-shard=K/N`` as (K, N), or None.
    shard: tuple[int, int] | None = None
    #: ``--neuron-job=NAME``, or "".
    job: str = ""


def read_options(config: pytest.Config) -> Options:
    """The run's options; a bad ``neuron_enforce`` ini value is a :class:`ClassificationError`."""
    get = config.getoption
    count = getattr(config.option, "numprocesses", None)
    distributed = bool(count) and getattr(config.option, "dist", "no") != "no"
    return Options(
        rootpath=config.rootpath,
        inipath=config.inipath,
        invocation_dir=config.invocation_params.dir,
        enforce=get("neuron_enforce") or _ini_enforce(config),
        scope=get("neuron_scope"),
        reports={option: get(dest) for option, dest in REPORT_OPTIONS.items() if get(dest) is not None},
        baseline=get("neuron_baseline") or None,
        update_baseline=bool(get("neuron_update_baseline")),
        graduation=bool(get("neuron_graduation")),
        update_metrics=bool(get("neuron_update_metrics")),
        env=tuple(get("neuron_env")),
        history=get("neuron_history"),
        update_contracts=bool(get("neuron_update_contracts")),
        evidence=tuple(get("neuron_evidence")),
        collect_only=bool(config.option.collectonly),
        worker=is_worker(config),
        workers=str(count) if distributed else "",
        shard=None if get("neuron_shard") is None else parse_shard(get("neuron_shard")),
        job=_job(get("neuron_job")),
        foreign=foreign_outputs(config),
    )


def _job(name: str | None) -> str:
    """``--neuron-job``'s name: one line of text, so that a merge can name the job in one line."""
    if name is None:
        return ""
    if not name.strip():
        raise ClassificationError("--neuron-job= is empty; give the CI job's name, such as unit-linux")
    if not name.isprintable():
        raise ClassificationError(
            f"--neuron-job={name!r} is not one line of text; give the CI job's name, such as unit-linux"
        )
    return name


#: pytest-cov's report kinds that are one file (``html`` is a folder), and what each is.
_COVERAGE_FILES = ("xml", "lcov", "json", "markdown", "markdown-append")


def foreign_outputs(config: pytest.Config) -> dict[str, tuple[str, str]]:
    """The files pytest and the plugins we know will write: ``--junitxml``, pytest-reportlog's
    ``--report-log`` and pytest-cov's one-file ``--cov-report`` kinds given a path.

    Read from the attributes each stores its option under, where present, so that none of those
    plugins is needed; a coverage report without a path goes where coverage's own settings say.
    """
    option = config.option
    found = {}
    if getattr(option, "xmlpath", None):
        found["--junitxml"] = (str(option.xmlpath), "JUnit XML report")
    if getattr(option, "reportlog", None):
        found["--report-log"] = (str(option.reportlog), "report log")
    coverage = getattr(option, "cov_report", None)
    if isinstance(coverage, dict) and getattr(option, "cov_source", None) is not None:
        for kind in _COVERAGE_FILES:
            if isinstance(coverage.get(kind), str) and coverage[kind]:
                found[f"--cov-report={kind}"] = (coverage[kind], "coverage report")
    return found


def _ini_enforce(config: pytest.Config) -> EnforceMode | None:
    ini = str(config.getini("neuron_enforce") or "").strip()
    if not ini:
        return None
    if ini.lower() not in ENFORCE_MODES:
        raise ClassificationError(
            f"{config.inipath}: neuron_enforce = {ini!r} is not one of {', '.join(ENFORCE_MODES)}"
        )
    return check_choice(ini, ENFORCE_MODES, "neuron_enforce")
