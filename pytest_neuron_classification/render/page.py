"""What the HTML page needs to be asked for: its first bytes, and what it shows beside the audit.

Kept apart from :mod:`.html` so that a run imports the page's code (with its SVG charts and its
inline CSS and JavaScript) only when ``--neuron-html`` or ``merge --html`` asks for the page: every
run recognises a page it may replace, and hands the page its context.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pytest_neuron_classification.metrics.baselines import Baseline, Tolerances
from pytest_neuron_classification.metrics.history import HistoryRun

#: How the page begins: the generator tag says, in its first bytes, that this plugin wrote it
#: (so that a run may replace its own page, and never another file).
HTML_START = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="generator" content="pytest-neuron-classification">'


@dataclass(frozen=True)
class PageContext:
    """What the page shows beyond the audit: where and when, and the metric history to chart."""

    #: Whether ``merge`` combined reports (the mode then says ``merged``).
    merged: bool = False
    #: The environment keys the measurements were taken in (none known: not shown as one).
    envs: tuple[str, ...] = ()
    history: tuple[HistoryRun, ...] = ()
    baseline: Baseline = field(default_factory=dict)
    tolerances: Tolerances = field(default_factory=Tolerances)
    #: When the page was made (ISO-8601, UTC); now when empty.
    generated: str = ""
