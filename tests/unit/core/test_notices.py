"""The notice rule as plain functions: a month is a calendar month, and a short or future notice says why."""

from __future__ import annotations

import datetime
from fnmatch import fnmatch

import pytest

from pytest_neuron_classification.core.contracts import add_month, notice_problem

D = datetime.date


@pytest.mark.parametrize(
    ("day", "later"),
    [
        (D(2026, 1, 31), D(2026, 2, 28)),
        (D(2024, 1, 31), D(2024, 2, 29)),
        (D(2026, 3, 31), D(2026, 4, 30)),
        (D(2026, 12, 15), D(2027, 1, 15)),
        (D(2026, 9, 1), D(2026, 10, 1)),
    ],
)
def test_add_month_clamps_to_month_end(day, later):
    assert add_month(day) == later


def test_notice_of_exactly_one_month_counts():
    assert notice_problem(D(2026, 1, 31), D(2026, 2, 28), today=D(2026, 3, 1)) == ""
    assert notice_problem(D(2026, 9, 1), D(2026, 10, 1), today=D(2026, 10, 1)) == ""


def test_short_and_future_notices_say_why():
    # A short notice names the earliest day it could take effect; a future one, today.
    short = notice_problem(D(2026, 1, 31), D(2026, 2, 27), today=D(2026, 3, 1))
    assert fnmatch(short, "*2026-01-31*2026-02-27*(*2026-02-28)")
    future = notice_problem(D(2026, 9, 1), D(2026, 12, 1), today=D(2026, 11, 25))
    assert fnmatch(future, "*2026-09-01*2026-12-01*(2026-11-25)")
