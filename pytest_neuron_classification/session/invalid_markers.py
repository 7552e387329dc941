"""A test whose classification is invalid errors at setup, with the one-line reason.

Registered by the classifier only when some test's markers could not be understood, so that
other runs pay for no hook called on every test.
"""

from __future__ import annotations

import pytest

from pytest_neuron_classification.core.text import visible

#: Why a test's markers could not be understood, stashed on the test by the classifier.
INVALID = pytest.StashKey[str]()
#: The name the failer is registered under.
FAILER = "neuron_classification_invalid_markers"


class InvalidMarkerFailer:
    """Makes a test whose classification is invalid error at setup, with the one-line reason."""

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        error = item.stash.get(INVALID, None)
        if error is not None:
            pytest.fail(f"neuron-classification: {visible(error)}", pytrace=False)
