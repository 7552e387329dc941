"""What the HTML page needs to be asked for: what it shows beside the audit.

Kept apart from :mod:`.html` so that a run imports the page's code (with its SVG charts and its
inline CSS and JavaScript) only when ``--neuron-html`` or ``merge --html`` asks for the page: every
run hands the page its context. How the page begins is :data:`~.report_file.HTML_START`, so that
every run recognises a page it may replace.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pytest_neuron_classification.core.metric_entry import Baseline, HistoryRun
from pytest_neuron_classification.metrics.baselines import Tolerances


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
