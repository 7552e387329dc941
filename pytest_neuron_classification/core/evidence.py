"""The evidence a run gathers, and the one way pieces of it are combined.

A serial run, each pytest-xdist worker and each CI shard's JSON report all hold the same
thing: the items they know, a record per classified test, and (on the controller) the
API contract results. :func:`combine` joins any number of them, refusing contradictions,
the way coverage.py's ``combine`` joins data files; the audit is then computed from the
combined evidence, never by adding up verdicts. Every field is plain data, so evidence
crosses process boundaries as JSON without losing anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Literal, Mapping, Sequence, get_args

from pytest_neuron_classification.core.adoption import Waiver
from pytest_neuron_classification.core.contracts import ContractResult
from pytest_neuron_classification.core.items import Item, classified_alike, items_differ
from pytest_neuron_classification.core.lifecycle import LifecycleChange, Unjudged, unjudged_from_json, unjudged_to_json
from pytest_neuron_classification.core.metric import MetricCheck, measured_of
from pytest_neuron_classification.core.outcomes import outcome_across_runs
from pytest_neuron_classification.core.placement import UNKNOWN, Placement
from pytest_neuron_classification.core.shared_json import shared_item
from pytest_neuron_classification.core.test_record import TestRecord, strings_of
from pytest_neuron_classification.core.text import short, unique
from pytest_neuron_classification.core.vocabulary import SCOPES, ClassificationError, Policy, Scope, check_choice

Mode = Literal["run", "collect"]
MODES: tuple[Mode, ...] = get_args(Mode)


# --- evidence of a whole run -------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """What one run (or one worker, or one shard) saw; the input of every audit."""

    #: ``run``, or ``collect`` for a static (``--collect-only``) audit.
    mode: Mode = "run"
    #: The rules the evidence is to be judged by (hooks included).
    policy: Policy = field(default_factory=Policy)
    #: Every item known: the inventory, ``api-modules`` and those markers declared.
    items: tuple[Item, ...] = ()
    #: One record per classified test, with its outcome.
    tests: tuple[TestRecord, ...] = ()
    #: API contract results by item id (only a controller computes them).
    contracts: Mapping[str, ContractResult] = field(default_factory=dict)
    #: The waivers in force, so that ``merge`` applies them again.
    waivers: tuple[Waiver, ...] = ()
    #: What the run could not see (a crashed worker, a merged shard).
    notes: tuple[str, ...] = ()
    #: Where this evidence came from, to name it in a conflict: a report path, a worker id.
    source: str = ""
    #: Processes whose evidence never arrived (a crashed xdist worker), with the reason.
    lost: tuple[str, ...] = ()
    #: Why the run stopped early (Ctrl-C, ``pytest.exit``), or "".
    interrupted: str = ""
    #: Why this run collected only part of the suite (``--lf``), or "": missing is not judged.
    partial: str = ""
    #: Measurements judged against the metric baseline, each in its run's environment.
    checks: tuple[MetricCheck, ...] = ()
    #: How the classification changed since it was recorded, and promises resting on previews.
    lifecycle: tuple[LifecycleChange, ...] = ()
    #: Recorded items this run neither saw nor could judge removed, and why (a partial run).
    unjudged: tuple[Unjudged, ...] = ()
    #: ``collected`` (``--neuron-scope``): items no collected test covers are out-of-scope (a merge: ``all``).
    scope: Scope = "all"
    #: Where the run sits in a CI matrix (collection, selection, shard); a merge has none of its own.
    placement: Placement = UNKNOWN
    #: The classified tests this run deselected (``-k``, ``-m``, a shard): ``not-run``, and not in its JSON report.
    deselected: frozenset[str] = frozenset()
    #: The run's environment key (``--neuron-env``), "" when unknown (a worker, an older report, a merge).
    environment: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The one codec: evidence as JSON, for the xdist payload and the JSON report (which adds its
        verdicts around it); :meth:`from_dict` gives back equal evidence, but for the ``deselected``
        tests, which are not written (see :meth:`selection`). A contract travels with its item."""
        contracts = self.contracts
        return {
            "mode": self.mode,
            "policy": self.policy.to_dict(),
            "items": [
                {**i.to_dict(), "contract": contracts[i.id].to_dict()} if i.id in contracts else i.to_dict()
                for i in self.items
            ],
            "tests": [t.to_dict() for t in self.selection()],
            "waivers": [w.to_dict() for w in self.waivers],
            "notes": list(self.notes),
            "lost": list(self.lost),
            "interrupted": self.interrupted,
            "partial": self.partial,
            "metric_checks": [c.to_dict() for c in self.checks],
            "lifecycle": [c.to_dict() for c in self.lifecycle],
            "unjudged": unjudged_to_json(self.unjudged),
            "scope": self.scope,
            "placement": self.placement.to_dict(),
            "environment": self.environment,
        }

    def selection(self) -> Iterable[TestRecord]:
        """The records of the tests this run selected: a deselected test that no part ran is left out."""
        deselected = self.deselected
        if not deselected:
            return self.tests
        return (t for t in self.tests if t.outcome != "not-run" or t.nodeid not in deselected)

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], source: str, shared: dict[Any, Any] | None = None, fix: str = ""
    ) -> Evidence:
        """Evidence from a JSON report (or a worker payload's header); one line naming ``source`` if malformed,
        ending with ``fix`` when the report's structure is broken (what to do: write the report again).

        Reports decoded with one ``shared`` dict share their equal records (see :meth:`TestRecord.from_dict`).
        """
        shared = {} if shared is None else shared
        try:
            policy = Policy.from_dict(data["policy"])
            items = _array(data, "items")
            evidence = cls(
                mode=check_choice(data.get("mode", "run"), MODES, "mode"),
                policy=policy,
                items=tuple(shared_item(i, shared) for i in items),
                tests=tuple(TestRecord.from_dict(t, shared) for t in _array(data, "tests")),
                contracts={i["id"]: ContractResult.from_dict(i["contract"]) for i in items if "contract" in i},
                waivers=tuple(Waiver.from_dict(w) for w in data.get("waivers", ())),
                notes=strings_of(data.get("notes", []), "notes"),
                source=source,
                lost=strings_of(data.get("lost", []), "lost"),
                interrupted=str(data.get("interrupted", "")),
                partial=str(data.get("partial", "")),
                checks=tuple(MetricCheck.from_dict(c) for c in data.get("metric_checks", ())),
                lifecycle=tuple(LifecycleChange.from_dict(c) for c in data.get("lifecycle", ())),
                unjudged=unjudged_from_json(data.get("unjudged", ())),
                scope=check_choice(data.get("scope", "all"), SCOPES, "scope"),
                placement=Placement.from_dict(data.get("placement")),
                environment=str(data.get("environment", "")),
            )
            for item in evidence.items:
                if (item.kind, item.level) not in policy.obligation_table:
                    raise ClassificationError(f"the policy has no obligations for {item.level} {item.kind}")
            return evidence
        except ClassificationError as exc:
            raise ClassificationError(f"{source}: {exc}") from None
        except (KeyError, IndexError, TypeError, AttributeError, ValueError) as exc:
            why = str(exc) if isinstance(exc, _Malformed) else f"({type(exc).__name__}: {exc})"
            raise ClassificationError(f"{source}: malformed report {why}{f'; {fix}' if fix else ''}") from None


class _Malformed(ValueError):
    """A field of the wrong JSON type: said as it is, without an exception's name."""


def _array(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data[key]
    if not isinstance(value, list):
        raise _Malformed(f"({key} must be a list, not {short(value, 40)})")
    return value


def combine(parts: Sequence[Evidence]) -> Evidence:
    """All ``parts`` as one body of evidence.

    Raises :class:`ClassificationError`, naming both sources, when the parts were judged
    by different policies or classify one item at two levels or as two kinds.
    """
    if not parts:
        return Evidence()
    first = parts[0]
    for other in parts[1:]:
        if not other.policy.same_rules(first.policy):
            raise ClassificationError(
                f"{other.source}: its policy (standard-suite, obligations or measured) differs from the one in "
                f"{first.source}; "
                "merge reports made with one configuration"
            )
    contracts: dict[str, ContractResult] = {}
    for part in parts:
        for item_id, contract in part.contracts.items():
            contracts.setdefault(item_id, contract)
    return Evidence(
        mode="run" if any(p.mode == "run" for p in parts) else "collect",
        policy=first.policy,
        items=_union_items(parts),
        tests=_union_tests(parts),
        contracts=contracts,
        waivers=unique(w for p in parts for w in p.waivers),
        notes=unique(n for p in parts for n in p.notes),
        source=first.source,
        lost=unique(x for p in parts for x in p.lost),
        interrupted="; ".join(unique(p.interrupted for p in parts if p.interrupted)),
        partial="; ".join(unique(p.partial for p in parts if p.partial)),
        checks=_union_checks(parts),
        # Every shard compares the same record: one change, however many shards saw it.
        lifecycle=unique(c for p in parts for c in p.lifecycle),
        unjudged=_still_unjudged(parts),
        deselected=frozenset().union(*(p.deselected for p in parts)),
    )


def _union_items(parts: Sequence[Evidence]) -> tuple[Item, ...]:
    if len(parts) == 1 and len({i.id for i in parts[0].items}) == len(parts[0].items):
        return parts[0].items  # a serial run's: one object per id already
    items: dict[str, tuple[Item, str]] = {}
    # Shards decoded together share each item's one object (see _item): each is looked at once.
    taken: set[int] = set()
    for part in parts:
        for item in part.items:
            if id(item) in taken:
                continue
            taken.add(id(item))
            known = items.get(item.id)
            if known is None:
                items[item.id] = (item, part.source)
            elif not classified_alike(known[0], item):
                raise items_differ(
                    item, f"in {part.source}", known[0], f"in {known[1]}", "classify it the same way in every job"
                )
    return tuple(item for item, _ in items.values())


def _still_unjudged(parts: Sequence[Evidence]) -> tuple[Unjudged, ...]:
    """Recorded items no part could judge: an item another part saw (or judged removed) is settled."""
    settled = {i.id for p in parts for i in p.items} | {c.item_id for p in parts for c in p.lifecycle}
    unjudged: dict[str, str] = {}
    for part in parts:
        for item_id, why in part.unjudged:
            if item_id not in settled:
                unjudged.setdefault(item_id, why if len(parts) == 1 else "no merged report saw it")
    return tuple(unjudged.items())


def _union_checks(parts: Iterable[Evidence]) -> tuple[MetricCheck, ...]:
    """One judgement per measurement and environment: the first part's, like the first item."""
    checks: dict[tuple[str, str, str, str], MetricCheck] = {}
    for part in parts:
        for check in part.checks:
            checks.setdefault((check.item_id, check.nodeid, check.metric, check.env), check)
    return tuple(checks.values())


def _union_tests(parts: Sequence[Evidence]) -> tuple[TestRecord, ...]:
    with_tests = [p for p in parts if p.tests]
    if len(with_tests) <= 1:  # a serial run, or one xdist payload: nothing to combine
        return with_tests[0].tests if with_tests else ()
    # Each test once per distinct record: a record equal to one already kept adds nothing to
    # :func:`_one_test` (the first of each field and the set of outcomes decide), and merged shard
    # reports repeat the same (shared) record for most tests; a list of every copy would grow with
    # reports x tests. A second copy is kept, though: a test seen twice is folded, seen once it is not.
    seen: dict[str, list[TestRecord]] = {}
    for part in with_tests:
        for test in part.tests:
            records = seen.get(test.nodeid)
            if records is None:
                seen[test.nodeid] = [test]
            elif len(records) == 1 or test not in records:
                records.append(test)
    return tuple(_one_test(records) for records in seen.values())


def _one_test(records: list[TestRecord]) -> TestRecord:
    first = records[0]
    if len(records) == 1:
        return first
    error = next((t.error for t in records if t.error), None)
    # The measurements of the run that executed the test (a deselected run has none).
    metrics = next((t.metrics for t in records if t.metrics), ())
    untimed = next((t.untimed for t in records if t.untimed), "")
    outcome = outcome_across_runs([t.outcome for t in records])
    shape = first.shape if error == first.shape.error else first.shape._replace(error=error)
    return replace(first, shape=shape, outcome=outcome, measured=measured_of(metrics, untimed))
