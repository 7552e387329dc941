"""Tests a conftest or plugin drops from the collection without deselecting them.

pytest's own recipe for ``--runslow`` ends ``items[:] = [...]`` in a ``pytest_collection_modifyitems``
hook, and never calls ``pytest_deselected``: to the classifier those tests would simply not exist, so
their obligations would be ``missing`` ("add a test") although the tests are there. The
:class:`RemovalWatcher` wraps every other implementation of that hook: what the list held before and
no longer holds after, less what was reported deselected, was removed. Removed tests count as
deselected (``not-run``), and a note and the hints name the hook implementations that may have removed
them: pluggy runs them as one call, so pytest tells which implement the hook, not which one removed what.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Generator

import pytest

from pytest_neuron_classification.core.text import count, shortlist
from pytest_neuron_classification.session.classifier import Classifier

REMOVAL_WATCHER = "neuron_classification_removal_watcher"
#: The key of the removed tests in an xdist worker's ``workeroutput``.
REMOVED_KEY = "neuron_classification_removed"


class RemovalWatcher:
    """Counts the tests removed from the collection without ``pytest_deselected`` as deselected."""

    def __init__(self, classifier: Classifier) -> None:
        self.classifier = classifier
        #: The tests removed so far (a hook may run more than once, for pytest-xdist's looponfail).
        self.removed: list[pytest.Item] = []

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> Generator[None, None, None]:
        before = list(items)
        deselected = len(self.classifier.deselected)
        result = yield
        kept = {id(i) for i in (*items, *self.classifier.deselected[deselected:])}
        removed = [i for i in before if id(i) not in kept]
        if removed:
            self.removed += removed
            self.classifier.deselected.extend(removed)
        return result

    @pytest.hookimpl(wrapper=True)
    def pytest_collection_finish(self, session: pytest.Session) -> Generator[None, None, None]:
        result = yield
        # After the classifier's own (trylast) implementation: only classified tests matter.
        records = self.classifier.records
        removed = [i.nodeid for i in self.removed if i.nodeid in records]
        if removed:
            who = _who(session.config)
            self.classifier.removed_by.update(dict.fromkeys(removed, who))
            self.classifier.notes.append(
                f"{count(len(removed), 'classified test')} removed from the collection without being deselected "
                f"({shortlist(removed, 3)}) by pytest_collection_modifyitems in {who}: counted as "
                "deselected (not-run); run them to judge their obligations"
            )
        return result

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        # An xdist worker sends the controller who removed what (the hints name them there).
        output = getattr(session.config, "workeroutput", None)
        if output is not None and self.classifier.removed_by:
            output[REMOVED_KEY] = dict(self.classifier.removed_by)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any) -> None:
        removed = getattr(node, "workeroutput", {}).get(REMOVED_KEY)
        if isinstance(removed, dict):
            self.classifier.removed_by.update({str(k): str(v) for k, v in removed.items()})


def _who(config: pytest.Config) -> str:
    """Who implements ``pytest_collection_modifyitems`` besides pytest and this plugin: the conftests
    (where the ``--runslow`` recipe lives) if any, else the other plugins."""
    conftests, plugins = [], []
    for impl in config.pluginmanager.hook.pytest_collection_modifyitems.get_hookimpls():
        module = getattr(impl.plugin, "__name__", type(impl.plugin).__module__)
        file = getattr(impl.plugin, "__file__", None)
        if module.startswith(("_pytest.", "pytest_neuron_classification.")):
            continue
        if isinstance(file, str) and Path(file).name == "conftest.py":
            conftests.append(_relative(config, Path(file)))
        else:
            plugins.append(impl.plugin_name if not impl.plugin_name.isdigit() else module)
    names = list(dict.fromkeys(conftests or plugins))
    if not names:
        return "a hook"
    return names[0] if len(names) == 1 else "one of " + ", ".join(names)


def _relative(config: pytest.Config, path: Path) -> str:
    try:
        return path.resolve().relative_to(config.rootpath.resolve()).as_posix()
    except ValueError:
        return str(path)
