"""What a run was a part of, read from pytest: the collection, the selection, the shard.

The collection is fingerprinted before any plugin deselects from it (a wrapper around every
``pytest_collection_modifyitems``): ``-k``, ``-m`` and the sharding plugins all deselect there,
so every job of one matrix reports the same fingerprint. Under pytest-xdist the controller collects
nothing: the first worker's fingerprint travels in its ``workeroutput``. The sharding plugins'
options are read with defaults, so none of them needs to be installed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Generator

import pytest

from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.core.placement import Placement, Shard, ShardSource, fingerprint

#: The name the watcher is registered under (in every process).
PLACEMENT = "neuron_classification_placement"
#: The ``workeroutput`` key of a worker's collection: [fingerprint, collected, selected].
WORKER_KEY = "neuron_placement"

#: Each sharding plugin's options (by the attribute pytest stores them under), and where it counts from.
SHARDING: tuple[tuple[ShardSource, str, str, int], ...] = (
    ("pytest-split", "group", "splits", 1),
    ("pytest-test-groups", "test-group", "test-group-count", 1),
    ("pytest-shard", "shard_id", "num_shards", 0),
)


class PlacementWatcher:
    """Watches collection on every process; the controller asks it for the run's :class:`Placement`."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.fingerprint = ""
        self.collected = 0
        self.selected = 0

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> Generator[None, None, None]:
        # Before every plugin's own implementation: nothing is deselected yet.
        self.fingerprint = fingerprint(item.nodeid for item in items)
        self.collected = len(items)
        return (yield)

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.selected = len(session.items)
        workeroutput = getattr(self.config, "workeroutput", None)
        if workeroutput is not None:  # an xdist worker: the controller collects nothing itself
            workeroutput[WORKER_KEY] = [self.fingerprint, self.collected, self.selected]

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        sent = getattr(node, "workeroutput", {}).get(WORKER_KEY)
        if sent and not self.fingerprint:
            self.fingerprint, self.collected, self.selected = str(sent[0]), int(sent[1]), int(sent[2])

    def placement(self, narrowed: str, shard: tuple[int, int] | None, job: str) -> Placement:
        """The run's placement; ``shard`` is ``--neuron-shard``'s, which a sharding plugin's does not override."""
        option = self.config.option
        return Placement(
            fingerprint=self.fingerprint,
            collected=self.collected,
            selected=self.selected,
            keyword=str(getattr(option, "keyword", "") or ""),
            markers=str(getattr(option, "markexpr", "") or ""),
            narrowed=narrowed,
            shard=Shard(shard[0], shard[1], "--neuron-shard") if shard else plugin_shard(option),
            job=job,
        )


def placement_of(config: pytest.Config, narrowed: str, shard: tuple[int, int] | None, job: str) -> Placement:
    """The run's placement, from the watcher this plugin registered (see :meth:`PlacementWatcher.placement`)."""
    watcher = config.pluginmanager.get_plugin(PLACEMENT)
    if isinstance(watcher, PlacementWatcher):
        return watcher.placement(narrowed, shard, job)
    return Placement(job=job)


def counted(placement: Placement, evidence: Evidence) -> Placement:
    """``placement`` with the collection's classified tests counted, and those of them serving a Stable item.

    The JSON report lists the run's own selection only: these counts let ``merge`` tell that
    classified tests exist which no report lists (deselected in every job, or a job missing).
    Results recorded outside pytest (``--neuron-evidence``) are no part of the collection.
    """
    if not placement.fingerprint:  # nothing was collected here (a controller whose workers sent nothing)
        return placement
    stable = {i.id for i in evidence.items if i.level == "stable"}
    tests = [t for t in evidence.tests if not t.source]
    return replace(
        placement,
        classified=len(tests),
        stable=sum(1 for t in tests if not stable.isdisjoint(t.item_ids)),
    )


def plugin_shard(option: Any) -> Shard | None:
    """The shard a sharding plugin runs, if one is installed and asked to split (N > 1, or K given)."""
    for source, index_dest, count_dest, base in SHARDING:
        count, index = getattr(option, count_dest, None), getattr(option, index_dest, None)
        if isinstance(count, int) and isinstance(index, int) and count >= 1 and 1 <= index + 1 - base <= count:
            if count > 1 or source != "pytest-shard":  # pytest-shard's defaults (0 of 1) mean "not sharded"
                return Shard(index + 1 - base, count, source)
    return None
