"""A collected test's categories: by its markers and fixtures, its path, and the project's hook.

Most tests of a module share their parents' markers, their fixtures and their path's categories,
so the answer is cached by those; a ``pytest_neuron_test_categories`` hook decides per test.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import pytest

from pytest_neuron_classification.core.vocabulary import ClassificationError, Policy
from pytest_neuron_classification.session.parent_info import ParentInfo
from pytest_neuron_classification.session.user_hooks import call_hook


class TestCategories:
    """The categories of each classified test, worked out once per distinct key."""

    __test__ = False  # not a pytest test class, despite the name

    def __init__(self, hook: Any, policy: Policy, rootpath: Path | None = None) -> None:
        self.policy = policy
        #: ``pytest_neuron_test_categories`` (its caller: the config object stays with the classifier).
        self._hook = hook
        #: What a raising implementation's location is said relative to.
        self._rootpath = rootpath
        #: Whether a project hook decides per test (asked once per classification: see :meth:`start`).
        self._per_test = False
        #: Categories by (the parents' marker names, the test's own, its fixtures, its path's).
        self.cached: dict[
            tuple[frozenset[str], tuple[str, ...], tuple[str, ...], tuple[str, ...]], tuple[str, ...]
        ] = {}

    def start(self) -> bool:
        """Before classifying: whether a hook decides per test (then no two tests share a shape)."""
        self._per_test = bool(self._hook.get_hookimpls())
        return self._per_test

    def of(self, test: pytest.Item, info: ParentInfo, given: tuple[str, ...]) -> tuple[str, ...]:
        """``test``'s categories; ``info`` is its parent's, ``given`` those its path (and node id) give it."""
        if self._per_test:
            return self._decided(test, given)
        key = (info[3], tuple(m.name for m in test.own_markers), tuple(getattr(test, "fixturenames", ())), given)
        categories = self.cached.get(key)
        if categories is None:
            categories = self.cached[key] = self.policy.categorize({*key[0], *key[1], *key[2]}, given)
        return categories

    def _decided(self, test: pytest.Item, given: tuple[str, ...]) -> tuple[str, ...]:
        names = {m.name for m in test.iter_markers()}
        names.update(getattr(test, "fixturenames", ()))
        categories = self.policy.categorize(names, given)
        ask = partial(self._hook, item=test, categories=categories)
        decided = call_hook("pytest_neuron_test_categories", ask, self._rootpath)
        if decided is None:
            return categories
        unknown = [c for c in decided if c not in self.policy.categories]
        if unknown or not decided:
            raise ClassificationError(
                f"pytest_neuron_test_categories returned {list(decided)!r}; use categories from "
                f"{', '.join(self.policy.categories)}"
            )
        return tuple(dict.fromkeys(decided))
