"""What an audit concludes: per item and obligation a status, the gaps, and the run's verdict.

Plain frozen data, computed by :mod:`.audit` and rendered by the report modules; kept apart
so that renderers depend on the results, not on how they are computed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import Mapping

from pytest_neuron_classification.core.adoption import Waiver
from pytest_neuron_classification.core.completeness import Completeness
from pytest_neuron_classification.core.contracts import ContractResult
from pytest_neuron_classification.core.evidence import Evidence, Mode
from pytest_neuron_classification.core.items import Item
from pytest_neuron_classification.core.lifecycle import LifecycleChange, Unjudged, unjudged_notes
from pytest_neuron_classification.core.metric import Metric, MetricCheck
from pytest_neuron_classification.core.test_record import TestRecord
from pytest_neuron_classification.core.vocabulary import (
    FAILING_STATUSES,
    LEVELS,
    EnforceMode,
    Level,
    Policy,
    Scope,
    Status,
    enforce_label,
)


@dataclass(frozen=True)
class ObligationResult:
    name: str
    status: Status
    tests: tuple[str, ...] = ()
    hint: str = ""
    #: A failing gap recorded in the ``--neuron-baseline`` file: reported, tolerated.
    baselined: bool = False
    #: What the passing tests of the obligation measured.
    metrics: tuple[Metric, ...] = ()
    #: The scripts whose results, recorded outside pytest, are among its evidence.
    outside: tuple[str, ...] = ()

    @property
    def is_gap(self) -> bool:
        """Whether the obligation is listed under gaps: out-of-scope ones are listed once, by item."""
        return self.status not in ("met", "out-of-scope")

    @property
    def is_met(self) -> bool:
        return self.status == "met"

    @property
    def is_failing(self) -> bool:
        return self.status in FAILING_STATUSES and not self.baselined


@dataclass(frozen=True)
class ItemResult:
    item: Item
    obligations: tuple[ObligationResult, ...]
    contract: ContractResult | None = None


@dataclass(frozen=True)
class Gap:
    item: Item
    obligation: ObligationResult


@dataclass(frozen=True)
class Graduation:
    """An Alpha or Beta item judged, on this run's evidence, against the next level."""

    item: Item
    to_level: Level
    obligations: tuple[ObligationResult, ...]

    @property
    def lacking(self) -> list[ObligationResult]:
        return [o for o in self.obligations if o.is_gap]


NEXT_LEVEL: dict[Level, Level] = {"alpha": "beta", "beta": "stable"}


@dataclass(frozen=True)
class Audit:
    """The outcome of checking every item, beside the :class:`~.evidence.Evidence` it judged.

    The evidence is held, not copied: what the run saw (mode, tests, policy, waivers, lost
    workers, metric checks, lifecycle findings) is read through it, so a report writes it
    with the one codec (:meth:`Evidence.to_dict`) and ``merge`` reads it back whole.
    """

    #: What was judged. Its tests are in node id order (the audit sorts them if they were not).
    evidence: Evidence
    #: The enforcement of each level.
    enforce: Mapping[Level, EnforceMode]
    #: Per item, in level order, each obligation's status.
    items: tuple[ItemResult, ...]
    #: Tests whose classification could not be understood (invalid markers).
    errors: tuple[str, ...] = ()
    #: What judging found worth saying (a partial run, a stale waiver), after the evidence's own notes.
    judged_notes: tuple[str, ...] = ()
    #: Reasons given by ``pytest_neuron_audit`` hooks to fail the run.
    vetoes: tuple[str, ...] = ()
    #: With ``--neuron-graduation``: what each Alpha and Beta item lacks for the next level.
    graduation: tuple[Graduation, ...] | None = None
    #: Gaps named in the baseline that are no longer gaps (the baseline can shrink).
    baseline_closed: tuple[str, ...] = ()
    #: The trend of each measurement over the history (``--neuron-history``).
    trends: tuple[str, ...] = ()
    #: The merged inputs that are static (``--collect-only``) reports: they ran nothing.
    static: tuple[str, ...] = ()
    #: Reasons outside the tests that fail the run: evidence that contradicts the run, a report or
    #: baseline not written, a metric file unusable. Each fails the run as a test error would.
    problems: tuple[str, ...] = ()
    #: A merge's: which shards its reports were, and what it knows it lacks (see :mod:`.completeness`).
    completeness: Completeness | None = None

    @property
    def incomplete(self) -> tuple[str, ...]:
        """What a merge knows it lacks (a missing shard, another collection): like a lost worker's evidence."""
        return self.completeness.incomplete if self.completeness is not None else ()

    @property
    def mode(self) -> Mode:
        """``run``, or ``collect`` for a static (``--collect-only``) audit."""
        return self.evidence.mode

    @property
    def tests(self) -> tuple[TestRecord, ...]:
        return self.evidence.tests

    @property
    def policy(self) -> Policy:
        return self.evidence.policy

    @property
    def waivers(self) -> tuple[Waiver, ...]:
        return self.evidence.waivers

    @property
    def notes(self) -> tuple[str, ...]:
        return (*self.evidence.notes, *self.judged_notes)

    @property
    def lost(self) -> tuple[str, ...]:
        return self.evidence.lost

    @property
    def interrupted(self) -> str:
        return self.evidence.interrupted

    @property
    def partial(self) -> str:
        return self.evidence.partial

    @property
    def checks(self) -> tuple[MetricCheck, ...]:
        return self.evidence.checks

    @property
    def lifecycle(self) -> tuple[LifecycleChange, ...]:
        return self.evidence.lifecycle

    @property
    def unjudged(self) -> tuple[Unjudged, ...]:
        return self.evidence.unjudged

    @property
    def scope(self) -> Scope:
        return self.evidence.scope

    def without_tests(self) -> Audit:
        """The same verdicts without the per-test records, which a summary no longer needs."""
        return replace(self, evidence=replace(self.evidence, tests=()))

    @property
    def out_of_scope(self) -> list[ItemResult]:
        """The items this run left wholly unjudged (``--neuron-scope=collected``): no collected test covers them."""
        return [
            r
            for r in self.items
            if r.obligations and all(o.status == "out-of-scope" and not o.tests for o in r.obligations)
        ]

    @cached_property
    def in_scope(self) -> list[ItemResult]:
        """The items shown per level: all but those whose every obligation is out-of-scope.

        Worked out once per audit (so are the gaps): the summary, the reports and the verdict each
        ask, and a 20,000-item inventory's lists take milliseconds each. An audit is never changed,
        only replaced, and a replaced one works them out anew."""
        return [r for r in self.items if not all(o.status == "out-of-scope" and not o.tests for o in r.obligations)]

    @cached_property
    def gaps(self) -> list[Gap]:
        return [Gap(r.item, o) for r in self.items for o in r.obligations if o.is_gap]

    @cached_property
    def failing_gaps(self) -> list[Gap]:
        return [g for g in self.gaps if g.obligation.is_failing]

    @property
    def enforced_gaps(self) -> list[Gap]:
        """The failing gaps of levels whose enforcement is ``error``."""
        return [g for g in self.failing_gaps if self.enforce[g.item.level] == "error"]

    @property
    def all_notes(self) -> tuple[str, ...]:
        """The notes, and one per reason for the recorded items this audit could not judge.

        Kept apart from ``notes`` so that a merge recomputes them from the structured ``unjudged``
        instead of repeating each report's.
        """
        return (*self.notes, *unjudged_notes(self.unjudged))

    @property
    def broken_changes(self) -> list[LifecycleChange]:
        """Lifecycle changes that break a promise (a Stable item removed without notice, say)."""
        return [c for c in self.lifecycle if c.breaks]

    @property
    def enforced_changes(self) -> list[LifecycleChange]:
        """The promise-breaking changes of levels whose enforcement is ``error``."""
        return [c for c in self.broken_changes if self.enforce[c.level] == "error"]

    @property
    def enforce_label(self) -> str:
        return enforce_label(self.enforce)

    @property
    def is_empty(self) -> bool:
        """No classified item and nothing wrong: the run is left untouched."""
        return not self.items and not self.errors and not self.problems and not self.lifecycle and self.trusted

    @property
    def trusted(self) -> bool:
        """Whether the audit saw all the evidence the run produced: no lost worker, no interruption."""
        return not self.lost and not self.interrupted and not self.incomplete

    @property
    def fails_run(self) -> bool:
        """Whether enforcement turns this audit into a failing exit status."""
        lost = bool(self.lost or self.incomplete) and "error" in self.enforce.values()
        failed = self.errors or self.problems or self.vetoes or self.enforced_gaps or self.enforced_changes
        return bool(failed or lost)

    @property
    def verified(self) -> bool:
        """Whether the run verified anything at all: at least one obligation met."""
        return any(o.status == "met" for r in self.items for o in r.obligations)

    @property
    def passed(self) -> bool:
        """What the JSON report claims: never "passed" for evidence the audit did not see."""
        promised = bool(self.items or self.lifecycle)  # a run that classifies nothing promises nothing
        return not self.fails_run and self.trusted and (self.verified or not promised)

    def by_level(self) -> list[tuple[Level, list[ItemResult]]]:
        """The items shown per level (out-of-scope ones are listed once, apart)."""
        grouped: dict[Level, list[ItemResult]] = {lvl: [] for lvl in LEVELS}
        for result in self.in_scope:
            grouped[result.item.level].append(result)
        return list(grouped.items())
