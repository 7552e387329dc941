"""The noise band of a metric baseline: how far a run may land from it with nothing changed.

One run's rounds show the noise within a run; hosts also differ between runs (hash seeds, memory
layout, CPU placement, load spikes), which only several runs show. So a baseline keeps a window of
runs (``metric-window``) and its band is the widest of three:

* within a run: ``noise`` times the uncertainty of a run's median, its IQR over the square root
  of its rounds (the median of the window's runs' IQRs; the standard error of a median is about
  0.93 IQR / sqrt(rounds), so 3 is about three standard errors). Not the IQR itself: under load a
  quarter of the rounds of a 1 ms benchmark were preempted (IQR 4 ms) while the medians of five
  runs stayed within 9% of each other; a band of 3 IQR hid a 4x slowdown;
* between runs: :data:`BETWEEN` times the distance of the window's farthest run from its median;
* while the window is young (fewer than :data:`MATURE_RUNS` runs) and the metric is a distribution
  (a timing: samples or benchmark rounds), a floor nobody measured yet: a change smaller than
  :func:`young_floor` of the baseline is not judged, since that many runs cannot tell it from a
  host that moved (identical reruns were seen to move whole runs by +58%, a bimodal process by
  1.5x). From one run that is +120% (a 4x slowdown is still caught), from four +48%.

Pure: no pytest, no I/O.
"""

from __future__ import annotations

import math
import sys
from typing import Literal, NamedTuple

from pytest_neuron_classification.core.metric import number, scale
from pytest_neuron_classification.core.metric_entry import Entry
from pytest_neuron_classification.core.stats import mann_whitney_p, median

UPDATE_HINT = "--neuron-update-metrics"
#: ``noise``: a change the baseline's band cannot tell from noise (beyond the tolerance, or a band wider than it).
State = Literal["ok", "noise", "regressed", "improved", "not-comparable", "no-direction", "new", "missing"]
#: Runs a window keeps by default (``metric-window``).
DEFAULT_WINDOW = 10
#: The band between runs, in distances of the window's farthest run from its median.
BETWEEN = 2.0
#: From this many runs the spread between them counts as known: no floor any more.
MATURE_RUNS = 5
#: What one run cannot tell from noise: a change of +120% (a factor 2.2 either way).
YOUNG_PRIOR = 1.2
#: Percentages beyond this are said as ``more than +1e6%``: a ratio of two floats may be infinite.
PERCENT_LIMIT = 1e6


def young_floor(runs: int) -> float:
    """The relative change a window of ``runs`` runs does not judge: ``YOUNG_PRIOR * 2 / (runs + 1)``.

    ``2 / (n + 1)`` is the chance that one more identical run lands outside the range of ``n``
    runs: the prior shrinks as the window shows more of the host. 0 from :data:`MATURE_RUNS` runs.
    """
    return YOUNG_PRIOR * 2 / (runs + 1) if runs < MATURE_RUNS else 0.0


class Band(NamedTuple):
    """The values a run may take with nothing changed, and what made the band that wide."""

    low: float
    high: float
    runs: int
    #: Absolute half-widths within a run (``noise`` x IQR / sqrt(rounds)) and between runs; the young floor, relative.
    within: float
    between: float
    young: float

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high

    @property
    def measured(self) -> float:
        """The half-width the runs themselves showed (no floor)."""
        return max(self.within, self.between)


def noise_band(old: Entry, now: Entry, noise: float) -> Band | None:
    """The band around ``old``, or None when nothing is known of its noise (or ``noise`` is 0).

    ``noise`` (``metrics-tolerance``) = 0 turns every band off: the tolerance alone decides.
    """
    runs = old.runs
    if not noise:
        return None
    middle = old.value
    spreads = [r.spread for r in runs if r.spread is not None]
    within = noise * median(spreads) / math.sqrt(old.rounds) if spreads and old.rounds >= 2 else 0.0
    between = BETWEEN * max(abs(r.value / 2 - middle / 2) * 2 for r in runs) if len(runs) >= 2 else 0.0
    # Values near the float limit (an edited file) must not make a band of inf: said, never overflowed.
    within, between = min(within, sys.float_info.max), min(between, sys.float_info.max)
    timing = old.rounds >= 2 or now.rounds >= 2
    young = young_floor(len(runs)) if timing else 0.0
    if not (within or between or young):
        return None
    size = abs(middle)
    measured = max(within, between)
    high = max(middle + measured, middle + young * size)
    low = min(middle - measured, middle - young / (1 + young) * size)
    return Band(low, high, len(runs), within, between, young)


def wider_than(band: Band, middle: float, value: float, tolerance: float) -> bool:
    """Whether the band, on the side of ``value``, is wider than the tolerance: the gate is blind there."""
    side = band.high - middle if value >= middle else middle - band.low
    return side > (tolerance * abs(middle) if middle else tolerance) * (1 + 1e-9)


def percent(change: float) -> str:
    """``+43%``, ``-1.5%``; ``more than +1e6%`` for a change no percentage holds (or an infinite one)."""
    value = change * 100
    if not math.isfinite(value) or abs(value) > PERCENT_LIMIT:
        return f"more than {'+' if value >= 0 else '-'}1e6%"
    rounded = float(round(value)) if abs(value) >= 10 else round(value, 1)
    return ("+" if value >= 0 else "-") + number(abs(rounded)) + "%"


def ratio(current: float, baseline: float) -> float | None:
    """``(current - baseline) / |baseline|``, finite (clamped); None for a baseline of 0."""
    if not baseline:
        return None
    change = current / abs(baseline) - baseline / abs(baseline)
    return change if math.isfinite(change) else math.copysign(1.7976931348623157e308, change)


def amount(value: float, unit: str, like: float, digits: int = 6) -> str:
    """``0.31 ms``: ``value`` in the scaled unit of ``like``, the value the reports show for the metric."""
    factor, shown = scale(abs(like), unit)
    rounded = float(f"{value / factor:.{digits}g}")
    if not math.isfinite(rounded):  # 1.79e308 rounds up past the largest float
        rounded = value / factor
    return f"{number(rounded)} {shown}".rstrip()


def grounds(band: Band, unit: str, like: float) -> str:
    """``6 runs, spread between runs ±0.31 ms``: the window and the band's widest measured part."""
    runs = f"{band.runs} run" + ("s" if band.runs != 1 else "")
    if not band.measured:
        return runs
    where = "between runs" if band.between >= band.within else "within a run"
    return f"{runs}, spread {where} ±{amount(band.measured, unit, like, 3)}"


def verdict(
    name: str,
    old: Entry,
    now: Entry,
    state: State,
    change: float | None,
    tolerance: float,
    noise: float,
    significance: float,
) -> tuple[State, str]:
    """The state and the line of a metric that has a baseline here, with its grounds.

    A change inside the band is ``noise`` when the band (or the tolerance) hides it, whatever
    the tolerance says; beyond the band the tolerance decides.
    """
    both, moved = pair(old.value, now.value, now.unit), change_text(old.value, now.value, change, now.unit)
    band = noise_band(old, now, noise)
    limit = f"tolerance {number(tolerance * 100)}%" if old.value else f"absolute tolerance {one(tolerance, now.unit)}"
    seen = f"{name} {one(now.value, now.unit)} vs {amount(old.value, now.unit, now.value)}"
    if (
        band is not None
        and band.contains(now.value)
        and (state != "ok" or wider_than(band, old.value, now.value, tolerance))
    ):
        why = _blind(band, old.value, now.value, tolerance, limit, now.unit)
        return "noise", f"{seen} ({moved}, {grounds(band, now.unit, now.value)}): within the noise{why}"
    quiet = not_significant(old, now, significance) if state != "ok" else ""
    if quiet:
        return "noise", f"{name} {both} ({moved}) is within the noise: {quiet}"
    runs = f"{len(old.runs)} run" + ("s" if len(old.runs) != 1 else "")
    basis = grounds(band, now.unit, now.value) if band else runs
    said = f", {basis}" if band or len(old.runs) > 1 else ""  # a single number recorded once: the tolerance alone
    if state == "ok":
        return "ok", f"{seen} ({moved}, {basis}): within {limit}"
    if state == "improved" and band is not None:
        text = f"{name} improved beyond the noise {both} ({moved}, {limit}{said})"
        return state, f"{text}: the baseline may have been recorded on a slow host; update it with {UPDATE_HINT}"
    if state == "improved":
        return state, f"{name} improved {both} ({moved}): refresh the baseline with {UPDATE_HINT}"
    return state, f"{name} {state} {both} ({moved}, {limit}{said})"


def _blind(band: Band, middle: float, value: float, tolerance: float, limit: str, unit: str) -> str:
    """What the band hides: a young window's floor, or a band wider than the tolerance; "" when neither."""
    up = value >= middle
    side = band.high - middle if up else middle - band.low
    if band.young and side > band.measured * (1 + 1e-9):  # the floor, not the runs, made the band this wide
        floor = band.young if up else -band.young / (1 + band.young)
        runs = f"{band.runs} run" + ("s" if band.runs != 1 else "")
        return (
            f"; baseline of {runs}: changes under {percent(floor)} are not judged yet;"
            f" record more runs with {UPDATE_HINT}"
        )
    if not wider_than(band, middle, value, tolerance):
        return ""
    width = (
        "±" + percent(band.measured / abs(middle)).lstrip("+")
        if middle
        else f"±{amount(band.measured, unit, value, 3)}"
    )
    return f"; baseline band {width} is wider than the {limit}: record it again on a quieter host, or keep more runs"


def not_significant(old: Entry, now: Entry, significance: float) -> str:
    """Why a change beyond the band is still noise: the Mann-Whitney U test finds the samples alike.

    When both sides have three samples or more, the test must find them different at its
    ``significance``; "" when it does, or when either side has fewer samples.
    """
    if len(old.samples) >= 3 and len(now.samples) >= 3:
        p = mann_whitney_p(old.samples, now.samples)
        if p >= significance:
            return f"not significant (Mann-Whitney p = {p:.2g}, {len(old.samples)} and {len(now.samples)} samples)"
    return ""


def one(value: float, unit: str) -> str:
    """``17.2 ms``: a value in its own scaled unit, to six significant digits."""
    factor, shown = scale(abs(value), unit)
    return f"{number(float(f'{value / factor:.6g}'))} {shown}".rstrip()


def pair(old: float, new: float, unit: str) -> str:
    """``12 -> 17.2 ms``: both in this run's unit (0.754 -> 1.2 us), the one every report shows it in."""
    factor, shown = scale(abs(new or old), unit)
    return f"{number(float(f'{old / factor:.6g}'))} -> {one(new / factor, shown)}"


def change_text(old: float, new: float, change: float | None, unit: str) -> str:
    """``+43%``; ``+3 ms`` when the baseline is 0 and no percentage exists; never infinite."""
    if change is None:
        return ("+" if new >= old else "-") + amount(abs(new / 2 - old / 2) * 2, unit, new)
    return percent(change)
