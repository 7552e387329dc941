"""A test's outcome: folded over the phases of one run, and over the runs that saw it.

The one place that decides what a test's reports add up to, whichever process logged
them (serially, the xdist controller, a merge of shards), so that every path gives one
test the same outcome.
"""

from __future__ import annotations

from typing import Literal, Sequence, get_args

#: Outcomes as the JSON report spells them. ``collected`` appears only in a static
#: (``--collect-only``) audit, for a test that was collected and selected.
Outcome = Literal["passed", "failed", "error", "skipped", "xfailed", "not-run", "collected"]
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
BROKEN = frozenset({"failed", "error"})
_EXECUTED = frozenset({"passed", "failed", "error"})
#: When runs disagree, the more informative outcome wins; executed outcomes that
#: disagree (passed here, failed there) are handled before this order applies.
_PREFERENCE: tuple[Outcome, ...] = ("failed", "error", "passed", "xfailed", "skipped", "collected", "not-run")


def phase_outcome(when: str, outcome: str, wasxfail: bool) -> Outcome | None:
    """The outcome one report phase (setup, call, teardown) contributes, if any."""
    if outcome == "failed":
        # Setup and teardown failures are errors; a call failure, and xdist's report for the test a
        # crashed worker was running (phase "???"), are failures, as pytest counts them.
        return "error" if when in ("setup", "teardown", "collect") else "failed"
    if outcome == "skipped":
        return "xfailed" if wasxfail else "skipped"
    return "passed" if when == "call" else None


#: Which phase outcome wins when a test's reports give several; a failure is never
#: washed out. Read in order (setup, call, teardown) this is what the last phase says
#: (a skip in teardown after a passing call is a skip), except that the first failure
#: stays (a failing call whose teardown also errors failed). As a ranking it needs no
#: order, so a test run twice (``--dist each``) gets one outcome whichever worker reports first.
#: Ranked from nothing (no outcome yet) up; a rank fits in a byte, so an xdist controller keeps
#: one byte per test (:mod:`.session.outcome_log`).
RANKED: tuple[Outcome | None, ...] = (None, "passed", "xfailed", "skipped", "error", "failed")
PHASE_RANK: dict[Outcome | None, int] = {outcome: rank for rank, outcome in enumerate(RANKED)}


def fold_phase(current: Outcome | None, new: Outcome | None) -> Outcome | None:
    """The test's outcome so far, refined by one more phase, in whatever order they come."""
    return new if PHASE_RANK[new] > PHASE_RANK[current] else current


def outcome_across_runs(outcomes: Sequence[Outcome]) -> Outcome:
    """One outcome for a test seen by several runs (xdist workers, CI shards).

    A test that executed with different results (passed in one, failed in another)
    is ``failed``: an inconsistent test keeps no promise. Otherwise the most
    informative outcome wins, so a test deselected in one shard counts as it ran
    in the other.
    """
    executed = {o for o in outcomes if o in _EXECUTED}
    if len(executed) > 1:
        return "failed"
    return min(outcomes, key=_PREFERENCE.index)
