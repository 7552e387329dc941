"""What a gap's hint says: the one clause that tells the reader what to do to close it.

Kept apart from the audit's rules (:mod:`.audit` decides the status; this names the tests and
the fix), so that every hint of every report is worded in one place.
"""

from __future__ import annotations

from pytest_neuron_classification.core.items import Item
from pytest_neuron_classification.core.outcomes import BROKEN
from pytest_neuron_classification.core.test_record import TestRecord
from pytest_neuron_classification.core.text import plus_more
from pytest_neuron_classification.core.vocabulary import Policy, Status

#: Outcomes of tests that exist but did not run here: in a run (or a merge with run reports), a test
#: only a ``--collect-only`` report collected is existence, never evidence.
UNRUN = frozenset({"not-run", "collected"})


def who(test: TestRecord) -> str:
    """How a hint names a test: its node id, or the script a result recorded outside pytest came from."""
    return f"{test.source} (recorded outside pytest)" if test.source else test.nodeid


#: What to tell a test author whose benchmark timed nothing, by the reason it did not.
UNTIMED_HINTS = {
    "xdist": "pytest-benchmark does not time under xdist: run performance tests with -p no:xdist or in their own job",
    "disabled": "pytest-benchmark was disabled (--benchmark-disable): run performance tests without it",
    "not-called": "the test asks for the benchmark fixture but never calls it",
    "skipped": "pytest-benchmark skipped it (--benchmark-skip): run performance tests without it",
}


def _why_failed(test: TestRecord) -> str:
    """``: tput = 5, below min 10`` for a result recorded outside pytest that a bound failed: the
    script's output is not in the run's log, so the hint is the only place that says why."""
    broken = next((m.bound_problem() for m in test.metrics if m.bound_problem()), "") if test.source else ""
    return f": {broken}" if broken else ""


def _unmeasured_hint(tests: list[TestRecord]) -> str:
    named = [t for t in tests if t.outcome == "passed"]
    more = plus_more(len(named) - 1)
    if named[0].source:
        return f"{who(named[0])}{more} passed but measured nothing: record it again with --metric NAME=VALUE"
    hint = (
        f"{named[0].nodeid}{more} passed but measured nothing: record it with "
        "neuron_metric(name, value, unit, min=..., max=...) or time it with the benchmark fixture"
    )
    untimed = next((t.untimed for t in named if t.untimed), "")
    return f"{hint}; {UNTIMED_HINTS.get(untimed, untimed)}" if untimed else hint


def gap_hint(
    item: Item, status: Status, tests: list[TestRecord], policy: Policy, category: str | None, obligation: str = ""
) -> str:
    """What to do to close the gap, in one clause."""
    if status == "met":
        return ""
    if status == "unmeasured":
        return _unmeasured_hint(tests)
    if status == "missing":
        if category is None:
            return f"add a test with {marker_for(item)}"
        return policy.category_hint(category)
    wanted = {"failing": BROKEN, "skipped": {"skipped", "xfailed"}, "not-run": UNRUN}[status]
    named = [who(t) + _why_failed(t) * (status == "failing") for t in tests if t.outcome in wanted]
    more = plus_more(len(named) - 1)
    untimed = next((t.untimed for t in tests if t.outcome == "not-run" and t.untimed in UNTIMED_HINTS), "")
    if status == "not-run" and untimed and untimed != "not-called":
        return f"{named[0]}{more} was not timed; {UNTIMED_HINTS[untimed]}"
    if status == "not-run" and all(t.outcome == "collected" for t in tests if t.outcome in wanted):
        # Merged with run reports, a --collect-only report's test shows that it exists, nothing more.
        return f"{named[0]}{more} was only collected (--collect-only), never run: run it to meet {obligation}"
    verb = {
        "failing": "fix the failing test",
        "skipped": "make the skipped test run",
        "not-run": "run the deselected or unreached test",
    }[status]
    return f"{verb} {named[0]}{more}"


def marker_for(item: Item) -> str:
    """The exact marker that classifies a test for ``item``."""
    args = [repr(item.name), f"kind={item.kind!r}"] + [f"{k}={v!r}" for k, v in item.coupling]
    return f"pytestmark = pytest.mark.neuron_{item.level}({', '.join(args)})"
