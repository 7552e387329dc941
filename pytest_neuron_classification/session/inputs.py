"""What only the controller reads before any test: report paths to write, the gap baseline,
the metric baseline and history, and the ``--neuron-evidence`` files.

An xdist worker classifies and sends; it never judges, so it never reads these. Each is read
and checked in ``pytest_configure`` all the same (the controller is built there): a corrupt or
missing file stops the run with one line before an hour of tests, not after it. Nothing here
asks pytest for anything: the options were read by :mod:`.options`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from pytest_neuron_classification.core.evidence import Evidence, combine
from pytest_neuron_classification.core.items import Item
from pytest_neuron_classification.core.vocabulary import ClassificationError, Enforce
from pytest_neuron_classification.metrics.gate import MetricsSetup
from pytest_neuron_classification.metrics.history import environment_key, environment_pairs
from pytest_neuron_classification.session.configure import Run
from pytest_neuron_classification.session.options import Options
from pytest_neuron_classification.storage.contracts_file import CONTRACTS_FILE
from pytest_neuron_classification.storage.evidence_file import check_levels, evidence_paths, load_evidence
from pytest_neuron_classification.storage.gap_baseline import BASELINE_FILE, load_gap_baseline
from pytest_neuron_classification.storage.history_file import read_history
from pytest_neuron_classification.storage.metric_baseline import METRICS_FILE, load_metric_baseline
from pytest_neuron_classification.storage.outputs import Output, check_outputs, report_outputs


@dataclass(frozen=True)
class GapBaseline:
    """The ``--neuron-baseline`` file: the gaps it tolerates, or None when it is to be (re)written."""

    path: Path
    gaps: frozenset[str] | None
    update: bool = False


@dataclass(frozen=True)
class ControllerInputs:
    """Everything the controller reads or checks before the run, besides the configured :class:`Run`."""

    enforce: Enforce
    #: Report files to write, keyed by the option that asked for them.
    reports: dict[str, Path]
    gap_baseline: GapBaseline | None
    metrics: MetricsSetup
    #: The ``--neuron-evidence`` files, read and validated.
    outside: tuple[Evidence, ...]
    #: What reading them noticed without failing (an environment variable that is not set).
    notes: tuple[str, ...]


def controller_inputs(run: Run) -> ControllerInputs:
    """The controller's inputs, read and checked now; a :class:`ClassificationError` says what to fix."""
    options, settings = run.options, run.settings
    evidence = evidence_files(options)
    # Every file the run writes, checked in one go before anything is read or run: a writer
    # never replaces a file the run reads, another writer's file, or another plugin's output.
    paths = check_outputs(*run_outputs(run, evidence))
    outside = outside_evidence(evidence, run)
    metrics, notes = metrics_setup(options, run, paths.get("--neuron-history"))
    return ControllerInputs(
        enforce=options.enforce or settings.enforce or "error",
        reports={option: paths[option] for option in options.reports},
        gap_baseline=gap_baseline(options, paths.get("--neuron-baseline")),
        metrics=metrics,
        outside=outside,
        notes=tuple(notes),
    )


def run_outputs(run: Run, evidence: list[Path]) -> tuple[list[Output], dict[Path, str]]:
    """Every file the run will write, and every file it reads, for :func:`check_outputs`.

    A file kept from run to run (the contracts, the metric baseline, the gap baseline, the history)
    is read, or, when its update option is given, an output with a ``role``: either way no other
    writer may name it.
    """
    options = run.options
    if options.update_baseline and not options.baseline:
        raise ClassificationError("--neuron-update-baseline needs --neuron-baseline=PATH to know where to write")
    reads = {
        run.project.path: "the configuration this run reads",
        **({options.inipath: "pytest's configuration this run reads"} if options.inipath else {}),
        **{path: "an evidence file this run reads" for path in evidence},
    }
    outputs = report_outputs(options.reports)
    metrics = run.project.path.parent / run.settings.metrics
    kept = [
        (
            Output("contracts", _shown(run.contracts.path), "contracts file", schema=CONTRACTS_FILE.family),
            "the API contracts file",
            options.update_contracts,
        ),
        (
            Output("metrics", _shown(metrics), "metric baseline", schema=METRICS_FILE.family),
            "the metric baseline",
            options.update_metrics,
        ),
    ]
    if options.baseline:
        baseline = Output("--neuron-baseline", options.baseline, "gap baseline", schema=BASELINE_FILE.family)
        kept.append((baseline, "the gap baseline", options.update_baseline))
    if options.history is not None:
        # Whatever the history's reader accepts begins with "{": README.md is refused here, not as a bad line.
        example = "a file path such as metric-history.jsonl"
        kept.append(
            (Output("--neuron-history", options.history, "history", example, (b"{",)), "the metric history", True)
        )
    for output, what, written in kept:
        if written:
            outputs.append(replace(output, role=f"{what} this run reads"))
        else:
            reads[Path(output.value).expanduser().absolute()] = f"{what} this run reads"
    outputs += [Output(option, value, noun, foreign=True) for option, (value, noun) in options.foreign.items()]
    return outputs, reads


def _shown(path: Path) -> str:
    """A configured path as messages name it: relative to the working directory when under it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def evidence_files(options: Options) -> list[Path]:
    """The files the ``--neuron-evidence`` values match, each once; a value matching none stops the run."""
    paths: dict[Path, None] = {}
    for pattern in options.evidence:
        found = evidence_paths(options.invocation_dir, pattern)
        if not found:
            raise ClassificationError(
                f"--neuron-evidence={pattern} matches no file; give the path of a file written by "
                "python -m pytest_neuron_classification record"
            )
        paths.update(dict.fromkeys(found))
    return list(paths)


def outside_evidence(paths: list[Path], run: Run) -> tuple[Evidence, ...]:
    """The ``--neuron-evidence`` files, read now: a bad file, or one that classifies an inventory
    item differently, stops the run before any test runs rather than after it."""
    if not paths:
        return ()
    parts = load_evidence(paths, run.policy)
    known: list[Item] = run.catalog.items()
    check_levels(known, parts)
    combine(parts)  # two files that disagree with each other
    return tuple(parts)


def metrics_setup(options: Options, run: Run, history: Path | None) -> tuple[MetricsSetup, list[str]]:
    """The metric baseline and history, read and checked now: a corrupt file stops the run first."""
    settings = run.settings
    path = run.project.path.parent / settings.metrics
    pairs, notes = environment_pairs(list(options.env), settings.environment, os.environ)
    if options.workers and "workers" not in pairs:
        # A -n 2 run shares the machine with itself: never judge it against a serial baseline.
        pairs["workers"] = options.workers
    if history is None and settings.baseline_from == "history":
        raise ClassificationError('baseline-from = "history" needs --neuron-history=PATH: the history to judge by')
    runs = tuple(read_history(history)) if history is not None else ()
    setup = MetricsSetup(
        path,
        load_metric_baseline(path),
        options.update_metrics,
        environment_key(pairs),
        history,
        runs,
        settings.baseline_from,
        settings.baseline_runs,
        settings.metric_window,
    )
    return setup, notes


def gap_baseline(options: Options, checked: Path | None) -> GapBaseline | None:
    """The ``--neuron-baseline`` file: read now, or, with ``--neuron-update-baseline``, its checked path."""
    if not options.baseline:
        return None
    if options.update_baseline and checked is not None:
        return GapBaseline(checked, None, update=True)
    path = Path(options.baseline).expanduser().absolute()
    return GapBaseline(path, load_gap_baseline(path))
