"""Hook specifications that conftest.py files and other plugins may implement.

Registered through ``pytest_addhooks``, as pytest-xdist does with its ``newhooks``.
Call sites pass keyword arguments only; implement any subset of the parameters.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import pytest

from pytest_neuron_classification.core.vocabulary import AuditReport


@pytest.hookspec()
def pytest_neuron_categories(config: pytest.Config) -> Mapping[str, Sequence[str]] | None:
    """Declare extra test categories, or extra names for the built-in ones.

    Return ``{category: [marker or fixture names]}``; a test carrying any of those
    markers or using any of those fixtures gets the category. A new category (say
    ``security``) can then be required by :func:`pytest_neuron_obligations`.
    Results of all implementations are combined.

    .. versionadded:: 0.1
    """


@pytest.hookspec()
def pytest_neuron_obligations(kind: str, level: str, obligations: list[str], config: pytest.Config) -> None:
    """Change what an item of ``kind`` at ``level`` owes, by editing ``obligations`` in place.

    ``obligations`` starts as the default policy (e.g. ``["standard", "performance"]``
    for a Stable package). Besides the built-in obligations (``basic``, ``standard``,
    ``performance``, ``accuracy``, ``compat``) an entry may name any category, built-in
    or declared by :func:`pytest_neuron_categories`: it is met by a passing test of
    that category. Called once per kind and level, at configuration time.

    .. versionadded:: 0.1
    """


@pytest.hookspec(firstresult=True)
def pytest_neuron_test_categories(item: pytest.Item, categories: tuple[str, ...]) -> Sequence[str] | None:
    """Decide the categories of a classified test.

    ``categories`` is what markers, fixtures and configuration gave. Return the
    categories the test should have instead (for example ``["performance"]`` for every
    test under ``perf/``), or ``None`` to keep them. The first non-``None`` answer wins.
    Runs where the test is collected (on xdist workers under ``-n``).

    .. versionadded:: 0.1
    """


@pytest.hookspec()
def pytest_neuron_audit(report: AuditReport, config: pytest.Config) -> str | None:
    """Receive the finished audit, as the JSON report document (``--neuron-json`` writes the same).

    Post it somewhere, or enforce a rule of your own: return a one-line reason to
    fail the run (it is shown in the summary, and the run exits 1 whatever the
    enforcement), or ``None``. Called on the controller only, after every test ran;
    ``merge`` runs outside pytest and calls no hooks.

    .. versionadded:: 0.1
    """
