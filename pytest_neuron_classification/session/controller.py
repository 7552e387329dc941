"""The controller: gathers outcomes and worker evidence, audits it, writes and prints reports.

Registered only where the run is judged: in a serial run, or on the pytest-xdist
controller (never on a worker). Outcomes reach it on the test reports in both cases;
the classified tests come from the local :class:`~.classifier.Classifier` or, under
xdist, from each worker's ``workeroutput``.
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import pytest

from pytest_neuron_classification.config.entries import check_notices
from pytest_neuron_classification.core.adoption import gap_key
from pytest_neuron_classification.core.audit import audit_of, rebaselined
from pytest_neuron_classification.core.contracts import ContractResult
from pytest_neuron_classification.core.evidence import Evidence, Mode, combine
from pytest_neuron_classification.core.items import Item
from pytest_neuron_classification.core.lifecycle import (
    LifecycleChange,
    Unjudged,
    changes_since_record,
    rests_on_previews,
)
from pytest_neuron_classification.core.metric import Measured
from pytest_neuron_classification.core.outcomes import Outcome
from pytest_neuron_classification.core.text import count, visible
from pytest_neuron_classification.core.verdict import Audit
from pytest_neuron_classification.core.vocabulary import ClassificationError
from pytest_neuron_classification.metrics.gate import gate
from pytest_neuron_classification.render.json_report import to_json, with_vetoes
from pytest_neuron_classification.render.outputs import render_reports
from pytest_neuron_classification.render.page import PageContext
from pytest_neuron_classification.render.terminal import Section, terminal_section
from pytest_neuron_classification.session import selection
from pytest_neuron_classification.session.api_contracts import judge_contracts
from pytest_neuron_classification.session.classifier import Classifier
from pytest_neuron_classification.session.collector import collector_paused
from pytest_neuron_classification.session.configure import Run
from pytest_neuron_classification.session.inputs import ControllerInputs
from pytest_neuron_classification.session.judging import kept_gaps, vetoes_of
from pytest_neuron_classification.session.outcome_log import ReportLog, worker_id
from pytest_neuron_classification.session.placement import counted, placement_of
from pytest_neuron_classification.session.user_hooks import call_hook
from pytest_neuron_classification.session.worker_sender import WORKER_KEY
from pytest_neuron_classification.session.xdist_wire import Seen, from_payload, ranks_of
from pytest_neuron_classification.storage.files import write_atomic, write_error
from pytest_neuron_classification.storage.outputs import write_outputs
from pytest_neuron_classification.surface.exposure import exposures

if TYPE_CHECKING:
    from pytest_neuron_classification.core.metric_entry import HistoryRun


class Controller:
    """The run's judge; its methods are the hooks that gather the evidence it judges."""

    def __init__(self, config: pytest.Config, run: Run, inputs: ControllerInputs, classifier: Classifier) -> None:
        self.config = config
        #: The configured run, and what only the controller reads (baselines, reports, evidence files).
        self.run = run
        self.inputs = inputs
        self.classifier = classifier
        #: Whether pytest-xdist runs the tests elsewhere (this is its controller).
        self.distributed = getattr(config.option, "dist", "no") != "no"
        #: Each test's outcome and measurements. Serially only classified tests matter; an
        #: xdist controller learns which those are from the workers' evidence at the end.
        self.log = ReportLog(None if self.distributed else classifier.records)
        #: What each xdist worker sent (its id, its payload), parsed once every outcome is known.
        self.payloads: list[tuple[str, Any]] = []
        #: Each xdist worker's collection (node ids), as it sent it before the run: its payload
        #: refers to the tests by their place in it.
        self.collections: dict[str, Sequence[str]] = {}
        #: xdist workers that went down without sending evidence.
        self.silent_workers: list[str] = []
        #: Why the run stopped early (Ctrl-C, pytest.exit), or "".
        self.interrupted = ""
        #: Why the run collects only part of the suite (--lf, test ids, test files, --ignore), or "".
        self.partial = ""
        #: The scripts whose results this run folded in (``--neuron-evidence``): only their items are judged.
        self.outside_sources: frozenset[str] = frozenset()
        #: What to tell of each test file that failed to collect (an import error): the run did not see its tests.
        self.collect_errors: list[str] = []
        self.notes: list[str] = [*run.notes, *inputs.notes]
        #: The terminal section, worked out when the run is judged (the audit is not kept).
        self.section: Section | None = None
        self.judged = False
        #: Problems that fail the run: a report or baseline not written, unusable evidence.
        self.problems: list[str] = []

    def pytest_sessionstart(self) -> None:
        # Before the run: --lf empties its list of failures as they pass.
        self.partial = selection.unseen_tests(self.config, selection.lf_partial(self.config))

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        # A module that failed to import hides its tests: its items cannot be told from removed ones.
        if report.failed:
            self.collect_errors.append(selection.collect_failure(report))

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: Sequence[str]) -> None:
        self.collections[worker_id(node)] = ids

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        worker = worker_id(node)
        # Popped from every worker: xdist keeps its nodes (and their output) to the end.
        data = getattr(node, "workeroutput", {}).pop(WORKER_KEY, None)
        if data is None:
            # A crashed worker sends nothing: say so rather than guess its tests' fate.
            why = f" ({error})" if error else ""
            self.notes.append(f"{worker} sent no classification evidence{why}; its tests may show as not-run")
            self.silent_workers.append(f"{worker}{why}")
            return
        # Parsed at the end, with every outcome: each record is then built once. (A payload
        # is a few objects, one string for all node ids: keeping it costs little.)
        self.payloads.append((worker, data))

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        # Called for Ctrl-C and for pytest.exit(), whatever exit status the latter asks for.
        message = str(excinfo.value).strip()
        self.interrupted = f"{excinfo.typename}: {message}" if message else excinfo.typename

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        with collector_paused():
            self._judge(session)
        self.judged = True

    def _judge(self, session: pytest.Session) -> None:
        # A run that stopped early (-x, --maxfail, xdist giving up on crashed workers, an
        # internal error) did not verify what it did not reach: never call that "passed".
        stopped = session.shouldstop or session.shouldfail
        if not self.interrupted and stopped:
            self.interrupted = f"stopped early: {stopped}"
        elif not self.interrupted and session.exitstatus == pytest.ExitCode.INTERNAL_ERROR:
            self.interrupted = "internal error"
        try:
            evidence = self._evidence()
        except ClassificationError as exc:
            self.problems.append(str(exc))
            evidence = self.classifier.evidence()
        trends: tuple[str, ...] = ()
        metrics = self.inputs.metrics
        evidence = replace(evidence, environment=metrics.env_key)
        runs = metrics.history_runs
        if evidence.mode == "run":
            settings = self.run.settings
            full = not self._unseen() and not evidence.partial
            gated = gate(evidence, metrics, settings.tolerances, settings.fail_on_improvement, full=full)
            evidence, trends, runs = gated.evidence, gated.trends, gated.runs
            self.notes += gated.notes
            self.problems += gated.problems
        audit = replace(self._audit(evidence), trends=trends)
        if self.inputs.gap_baseline is not None and self.inputs.gap_baseline.update:
            audit = self._record_gaps(audit)
        # Every reason found so far to fail the run reaches the verdict and the reports; a report
        # that cannot be written can only be said on the terminal (and in the exit status).
        audit = replace(audit, problems=tuple(self.problems))
        hook = self.config.hook.pytest_neuron_audit
        # The JSON document is built once, and only when someone reads it (a large suite's
        # costs time): the hooks receive it, and the JSON report is that document.
        wanted = hook.get_hookimpls() or any(o in ("--neuron-json", "--json") for o in self.inputs.reports)
        document = to_json(audit) if wanted else None
        vetoes: list[object] = []
        if hook.get_hookimpls():
            ask = partial(hook, report=document, config=self.config)
            try:
                vetoes = call_hook("pytest_neuron_audit", ask, self.config.rootpath)
            except ClassificationError as exc:  # said, and the run fails; its reports are still written
                self.problems.append(str(exc))
                audit = replace(audit, problems=tuple(self.problems))
                document = to_json(audit) if document is not None else None
        audit = replace(audit, vetoes=tuple(vetoes_of(vetoes)))
        if document is not None and audit.vetoes:
            document = with_vetoes(document, audit)
        self.problems += write_outputs(render_reports(audit, self.inputs.reports, document, self._page(runs)))
        failed = audit.fails_run or self.problems
        if failed and session.exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        # The terminal section is worked out now, with the collector still paused, and the audit is not
        # kept: pluggy keeps every plugin it registered to the end of the process (in the history of a
        # historic hook), so what a role holds is walked by every full collection left, by pytest's
        # own at unconfigure, and by the interpreter's at exit.
        self.section = terminal_section(audit, verbose=self.config.get_verbosity() > 0)

    def _page(self, runs: tuple[HistoryRun, ...]) -> PageContext:
        """What the HTML report shows beside the audit: the environment, and the history to chart."""
        metrics, settings = self.inputs.metrics, self.run.settings
        return PageContext(
            envs=(metrics.env_key,), history=runs, baseline=metrics.baseline, tolerances=settings.tolerances
        )

    def _evidence(self) -> Evidence:
        """This process's and every worker's evidence, with the outcomes the reports gave."""
        outcomes, measured, ranks = self.log.take()
        if self.run.options.collect_only:
            # The classifier kept the classified tests left after deselection: only those matter.
            outcomes, ranks = dict.fromkeys(self.classifier.selected, "collected"), {}
        local = replace(self.classifier.evidence(outcomes, measured), source="the controller")
        workers = self._worker_evidence(outcomes, measured, ranks)
        if workers:
            # Every worker collects and classifies the whole suite, and every outcome arrives on the
            # reports: one payload is the whole evidence. A crashed worker then lost nothing of it.
            self.silent_workers = []
        evidence = combine([local, *workers])
        # The records hold every outcome and measurement now: the dicts (MiBs on a large
        # serial suite) are freed before the audit and the reports reach the run's peak.
        del outcomes, measured, ranks
        if self.inputs.outside:
            evidence = self._with_outside(evidence)
        self._check_notices(evidence.items)
        contracts = self._check_contracts(evidence)
        options = self.run.options
        mode: Mode = "collect" if options.collect_only else "run"
        lifecycle, unjudged = self._lifecycle(evidence.items)
        return replace(
            evidence,
            mode=mode,
            contracts=contracts,
            lifecycle=lifecycle,
            unjudged=unjudged,
            waivers=self.run.settings.waivers,
            lost=tuple(self.silent_workers),
            interrupted=self.interrupted,
            partial=self.partial or selection.failed_files(self.collect_errors)[0],
            scope=options.scope,
            # Narrowed as the run judged itself (unseen_tests): `pytest tests` holding every test is whole.
            placement=counted(placement_of(self.config, self.partial, options.shard, options.job), evidence),
        )

    def _check_notices(self, items: tuple[Item, ...]) -> None:
        """Every notice names an item the run classifies (markers included) or a recorded one.

        Known only after collection; a run that did not collect the whole suite cannot tell.
        """
        if self._unseen():
            return
        settings = self.run.settings
        try:
            check_notices(settings.notices, settings.source, items, self.run.contracts.record or {})
        except ClassificationError as exc:
            self.problems.append(str(exc))

    def _with_outside(self, evidence: Evidence) -> Evidence:
        """The run's evidence and the results recorded outside pytest (``--neuron-evidence``, read here only).

        A file that classifies an item unlike the run's markers is one problem (the run fails), and the
        audit is the run's own rather than one built on contradicting evidence.
        """
        from pytest_neuron_classification.storage.evidence_file import check_levels  # only with evidence files

        try:
            check_levels(evidence.items, self.inputs.outside)
            combined = combine([evidence, *self.inputs.outside])
        except ClassificationError as exc:
            self.problems.append(str(exc))
            return evidence
        self.outside_sources = frozenset(t.source for part in self.inputs.outside for t in part.tests)
        return combined

    def _worker_evidence(
        self, outcomes: Mapping[str, Outcome], measured: Mapping[str, Measured], ranks: Mapping[str, Sequence[int]]
    ) -> list[Evidence]:
        """The first usable worker payload, as records with what the controller saw.

        Every worker collects and classifies every test (xdist refuses runs where their
        collections differ): the first payload is the evidence, the others repeat it.
        """
        payloads, self.payloads = self.payloads, []  # freed as they are read
        collections, self.collections = self.collections, {}
        while payloads:
            worker, data = payloads.pop(0)
            by_place, by_id = ranks_of(worker, collections, ranks, outcomes)
            seen = Seen(collections.get(worker, ()), by_id, ranks=by_place, measured=measured)
            try:
                return [from_payload(data, worker, seen)]
            except ClassificationError as exc:
                self.notes.append(f"the evidence of {worker} was unusable ({exc}); its tests may show as not-run")
        return []

    def _audit(self, evidence: Evidence, recorded: frozenset[str] | None = None) -> Audit:
        baseline, run = self.inputs.gap_baseline, self.run
        seen_part = evidence.partial or evidence.scope == "collected"
        return audit_of(
            replace(evidence, notes=(*evidence.notes, *self.notes)),
            enforce=self.inputs.enforce,
            graduation=self.run.options.graduation,
            baseline=recorded if recorded is not None else (baseline.gaps if baseline else None),
            located=selection.located(self.config, run.project.path.parent, run.inventory) if seen_part else None,
            uncollected=selection.failed_files(self.collect_errors)[1],
            removed=self.classifier.removed_by,
        )

    def _check_contracts(self, evidence: Evidence) -> dict[str, ContractResult]:
        """Judge the API items' contracts (see :mod:`.api_contracts`), keeping its notes and problems."""
        judged = judge_contracts(
            self.run, evidence, unseen=self._unseen(), outside=self.outside_sources, rootpath=self.config.rootpath
        )
        self.notes += judged.notes
        self.problems += judged.problems
        return judged.results

    def _lifecycle(self, items: tuple[Item, ...]) -> tuple[tuple[LifecycleChange, ...], tuple[Unjudged, ...]]:
        """Changes since the recorded classification, what could not be judged, and promises on previews."""
        run = self.run
        changes: list[LifecycleChange] = []
        unjudged: list[Unjudged] = []
        record = run.contracts.record
        if record is not None and not run.contracts.update:
            changes, unjudged = changes_since_record(
                record,
                items,
                partial=self._unseen(),
                notices=run.settings.notices,
                today=datetime.date.today(),
                release=run.settings.release,
                sources=self.outside_sources,
                windows=run.settings.notice_windows,
            )
        elif record is None and run.contracts.path.exists() and not run.contracts.update:
            self.notes.append(
                f"{run.contracts.path.name} records no classification yet: record it with "
                "--neuron-update-contracts, so that a Stable item cannot be removed or demoted unnoticed"
            )
        exposed, notes = exposures(list(items), run.settings.api_modules)
        self.notes += notes
        return (*changes, *exposed, *rests_on_previews(items)), tuple(unjudged)

    def _unseen(self) -> str:
        """Why this run may not have seen every classified test that exists, or ""."""
        if self.collect_errors:
            return f"{count(len(self.collect_errors), 'collection error')}"
        if self.silent_workers:
            return f"no evidence from {', '.join(self.silent_workers)}"
        if self.interrupted:
            return f"interrupted: {self.interrupted}"
        return self.partial

    def _record_gaps(self, audit: Audit) -> Audit:
        """Write today's failing gaps as the new baseline; they are tolerated from now on."""
        from pytest_neuron_classification.storage.gap_baseline import dump_gap_baseline

        baseline = self.inputs.gap_baseline
        assert baseline is not None
        failing = frozenset(gap_key(g.item.id, g.obligation.name) for g in audit.failing_gaps)
        gaps = failing | kept_gaps(audit, baseline.path, bool(self._unseen()))
        try:
            write_atomic(baseline.path, dump_gap_baseline(gaps))
        except OSError as exc:
            self.problems.append(write_error(baseline.path, "--neuron-baseline=", exc))
            return audit
        return rebaselined(audit, gaps, f"recorded {count(len(gaps), 'gap')} in {baseline.path.name}")

    @pytest.hookimpl(trylast=True)
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        # Last: after other plugins' summaries (pytest-benchmark's table), the verdict ends the log.
        if not self.judged:
            return
        section = self.section
        if section is not None:
            terminalreporter.write_sep("=", "neuron classification")
            # One write: a 20,000-item inventory's section line by line cost 0.1 s of pytest's bookkeeping.
            if section.lines:
                terminalreporter.write_line("\n".join(section.lines))
            red = section.red
            terminalreporter.write_line(section.verdict, red=red, yellow=section.yellow, bold=red)
        for problem in self.problems:
            terminalreporter.write_line(f"ERROR: neuron-classification: {visible(problem)}", red=True)
