"""Notice windows (core/contracts.py): the parser of ``"3 months"`` and the earliest day a window allows."""

from __future__ import annotations

import calendar
import datetime

from hypothesis import given
from hypothesis import strategies as st

from pytest_neuron_classification.core.contracts import ONE_MONTH, NoticeWindow, add_month, parse_window, window_for
from pytest_neuron_classification.core.vocabulary import ClassificationError

UNITS = st.sampled_from(["day", "week", "month", "year"])


@given(st.integers(1, 9999), UNITS, st.booleans())
def test_every_window_written_so_parses_or_is_too_long(count, unit, plural):
    text = f"{count} {unit}{'s' if plural else ''}"
    try:
        window = parse_window(text, "notice.flag")
    except ClassificationError as exc:
        # Past 100 years a window's end is no date Python has (year 10000): refused in one line.
        assert str(exc) == f'notice.flag = {text!r} is longer than 100 years; give a window such as "3 months"'
        assert {"day": count > 36525, "week": count * 7 > 36525, "month": count > 1200, "year": count > 100}[unit]
        return
    assert window.months * 31 + window.days > 0
    assert window.earliest(datetime.date(2026, 12, 6)) >= datetime.date(2027, 1, 6)


@given(st.dates(datetime.date(1990, 1, 1), datetime.date(2200, 1, 1)), st.integers(1, 30))
def test_a_window_shorter_than_some_month_is_under_a_month_and_never_ends_before_one(day, days):
    """``4 weeks`` or ``30 days`` is shorter than January: refused as a window, and never less than a month."""
    window = NoticeWindow(0, days, f"{days} days")
    assert window.under_a_month and not NoticeWindow(0, 31, "31 days").under_a_month
    assert window.earliest(day) == max(day + datetime.timedelta(days=days), add_month(day))


@given(st.text(max_size=20))
def test_anything_else_is_one_line_naming_the_key(text):
    try:
        parse_window(text, "notice.flag")
    except ClassificationError as exc:
        assert str(exc).startswith("notice.flag must be a notice window") and "\n" not in str(exc)


@given(st.dates(datetime.date(1990, 1, 1), datetime.date(2200, 1, 1)), st.integers(1, 60))
def test_months_are_calendar_months(day, months):
    """N months after Jan 30 is the 30th N months on, or that month's last day (Jan 30 + 1: Feb 28 or 29)."""
    later = add_month(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    last = calendar.monthrange(later.year, later.month)[1]
    assert later.day == min(day.day, last)
    assert NoticeWindow(months, 0, "").earliest(day) == later


def test_one_month_is_the_default_and_the_most_specific_key_wins():
    assert parse_window("1 month", "k") is ONE_MONTH and parse_window("4 weeks", "k").text == "4 weeks"
    three, six = parse_window("3 months", "k"), parse_window("6 months", "k")
    windows = {"stable": three, "flag": six}
    assert (window_for(windows, "api", "flag"), window_for(windows, "api", "python")) == (six, three)
    assert window_for({}, "api", "flag") is ONE_MONTH
