"""The pluggy hooks under pytest-xdist."""

from __future__ import annotations

import pytest

SECURITY_CONFTEST = """
import pytest

def pytest_neuron_categories(config):
    return {"security": ["neuron_security", "fuzzer"]}

def pytest_neuron_obligations(kind, level, obligations, config):
    if kind == "package" and level == "stable":
        obligations.append("security")

def pytest_configure(config):
    config.addinivalue_line("markers", "neuron_security: a security test")
"""


#: A Stable package with every category the default policy asks of it.
EVERY_CATEGORY = ("functional", "integration", "performance")


def test_hooks_under_xdist(pytester, project):
    pytest.importorskip("xdist")
    pytester.makeconftest(
        SECURITY_CONFTEST
        + """
def pytest_neuron_test_categories(item, categories):
    if item.name == "test_unit":
        return ["functional", "security"]
"""
    )
    project.module(categories=EVERY_CATEGORY)
    result, report = project.run_subprocess("-n", "2")
    assert report.statuses == {"runtime": {"standard": "met", "performance": "met", "security": "met"}}
    assert result.ret == 0
