"""The pluggy hooks under pytest-xdist."""

from __future__ import annotations

import pytest
from sample_projects import EVERY_CATEGORY, SECURITY_CONFTEST


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
