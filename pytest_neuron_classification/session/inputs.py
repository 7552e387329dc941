"""What only the controller reads before any test: report paths to write, the gap baseline,
the metric baseline and history, and the ``--neuron-evidence`` files.

An xdist worker classifies and sends; it never judges, so it never reads these. Each is read
and checked in ``pytest_configure`` all the same (the controller is built there): a corrupt or
missing file stops the run with one line before an hour of tests, not after it. Nothing here
asks pytest for anything: the options were read by :mod:`.options`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pytest_neuron_classification.core.evidence import Evidence, combine
from pytest_neuron_classification.core.items import Item
from pytest_neuron_classification.core.vocabulary import ClassificationError, Enforce
from pytest_neuron_classification.metrics.gate import MetricsSetup
from pytest_neuron_classification.metrics.history import environment_key, environment_pairs
from pytest_neuron_classification.session.configure import Run
from pytest_neuron_classification.session.options import Options
from pytest_neuron_classification.storage.history_file import read_history
from pytest_neuron_classification.storage.metric_baseline import load_metric_baseline
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
    if options.update_contracts:
        check_outputs([Output("contracts", str(run.contracts.path), "contracts file")])
    outside = outside_evidence(options, run)
    metrics, notes = metrics_setup(options, run)
    baseline = gap_baseline(options)
    reads = {
        run.contracts.path: "the API contracts file",
        metrics.path: "the metric baseline",
        **({metrics.history: "the metric history"} if metrics.history else {}),
        **({baseline.path: "the gap baseline"} if baseline else {}),
        **{Path(part.source): "an evidence file" for part in outside},
        run.project.path: "the configuration",
        **({options.inipath: "pytest's configuration"} if options.inipath else {}),
    }
    # Checked now rather than after an hour of tests; a report never replaces a file the run reads.
    reports = check_outputs(report_outputs(options.reports), {p: f"{what} this run reads" for p, what in reads.items()})
    return ControllerInputs(
        enforce=options.enforce or settings.enforce or "error",
        reports=reports,
        gap_baseline=baseline,
        metrics=metrics,
        outside=outside,
        notes=tuple(notes),
    )


def outside_evidence(options: Options, run: Run) -> tuple[Evidence, ...]:
    """The ``--neuron-evidence`` files, read now: a bad file, or one that classifies an inventory
    item differently, stops the run before any test runs rather than after it."""
    if not options.evidence:
        return ()
    # Imported here: only a run given --neuron-evidence reads evidence files.
    from pytest_neuron_classification.storage.evidence_file import check_levels, evidence_paths, load_evidence

    paths: dict[Path, None] = {}
    for pattern in options.evidence:
        found = evidence_paths(options.invocation_dir, pattern)
        if not found:
            raise ClassificationError(
                f"--neuron-evidence={pattern} matches no file; give the path of a file written by "
                "python -m pytest_neuron_classification record"
            )
        paths.update(dict.fromkeys(found))
    if not paths:
        return ()
    parts = load_evidence(list(paths), run.policy)
    known: list[Item] = run.catalog.items()
    check_levels(known, parts)
    combine(parts)  # two files that disagree with each other
    return tuple(parts)


def metrics_setup(options: Options, run: Run) -> tuple[MetricsSetup, list[str]]:
    """The metric baseline and history, read and checked now: a corrupt file stops the run first."""
    settings = run.settings
    path = run.project.path.parent / settings.metrics
    if options.update_metrics:
        check_outputs([Output("metrics", str(path), "metric baseline")])
    pairs, notes = environment_pairs(list(options.env), settings.environment, os.environ)
    if options.workers and "workers" not in pairs:
        # A -n 2 run shares the machine with itself: never judge it against a serial baseline.
        pairs["workers"] = options.workers
    value = options.history
    history = None
    if value is not None:
        output = Output("--neuron-history", value, "history", "a file path such as metric-history.jsonl")
        history = check_outputs([output], {path: f"the metric baseline ({settings.metrics})"})[output.option]
    elif settings.baseline_from == "history":
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
    )
    return setup, notes


def gap_baseline(options: Options) -> GapBaseline | None:
    value, update = options.baseline, options.update_baseline
    if not value:
        if update:
            raise ClassificationError("--neuron-update-baseline needs --neuron-baseline=PATH to know where to write")
        return None
    if update:
        output = Output("--neuron-baseline", value, "gap baseline")
        return GapBaseline(check_outputs([output])[output.option], None, update=True)
    from pytest_neuron_classification.storage.gap_baseline import load_gap_baseline  # only with --neuron-baseline

    path = Path(value).expanduser().absolute()
    return GapBaseline(path, load_gap_baseline(path))
