"""The few statistics a baseline needs: median, spread, and whether two samples differ.

A timing taken twice on a shared machine differs by more than a careless 10% tolerance, so a
baseline is a distribution (median, interquartile range, rounds) rather than one number, and
a change is a regression only when it is also beyond the noise. Pure Python on purpose: numpy
is optional for the plugin's users, and these are a few hundred numbers at most.

Why not the :mod:`statistics` module, which gives the same figures on ordinary samples
(``tests/unit/metrics/test_noise.py`` compares them): ``statistics.median([1e308, 1e308])`` is
``inf`` (it adds before halving) and ``statistics.quantiles`` gives ``[inf, inf, inf]`` for the
same pair, where a history may hold any finite number; ``quantiles`` refuses a single value
before Python 3.13 (``StatisticsError: must have at least two data points``) where a metric of
one sample has an IQR of 0; and it gives only n equal cuts, not the one quantile :func:`thin`
and the IQR ask for. The standard library has no Mann-Whitney U test.
"""

from __future__ import annotations

import math
from typing import Sequence

#: Samples kept per metric (on the report, in the baseline file): quantiles of the full set,
#: so that the shape survives and a 100,000-round benchmark does not make a 2 MB report.
MAX_SAMPLES = 200


def quantile(ordered: Sequence[float], q: float) -> float:
    """The ``q`` quantile of sorted ``ordered`` (linear interpolation, like numpy's default)."""
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    fraction = position - low
    # A weighted sum, not low + (high - low) * f: two huge floats must not overflow on the way.
    return ordered[low] * (1 - fraction) + ordered[high] * fraction if fraction else ordered[low]


def median(values: Sequence[float]) -> float:
    """The middle value; :func:`quantile`'s, so that two huge floats do not overflow (see above)."""
    return quantile(sorted(values), 0.5)


def iqr(values: Sequence[float]) -> float:
    """The interquartile range: the spread of the middle half, blind to a few outliers."""
    ordered = sorted(values)
    return quantile(ordered, 0.75) - quantile(ordered, 0.25)


def thin(values: Sequence[float], keep: int = MAX_SAMPLES) -> tuple[float, ...]:
    """At most ``keep`` values: evenly spaced quantiles of ``values`` (all of them when fewer)."""
    ordered = sorted(values)
    if len(ordered) <= keep:
        return tuple(ordered)
    return tuple(quantile(ordered, i / (keep - 1)) for i in range(keep))


def mann_whitney_p(first: Sequence[float], second: Sequence[float]) -> float:
    """Two-sided p-value of the Mann-Whitney U test that neither sample tends to be larger.

    The normal approximation with the tie correction and a continuity correction (as
    scipy's ``method="asymptotic"``); with fewer than three values on a side no test is
    possible and the answer is 1.0: "not significant".
    """
    n1, n2 = len(first), len(second)
    if n1 < 3 or n2 < 3:
        return 1.0
    pooled = sorted([(v, 0) for v in first] + [(v, 1) for v in second])
    ranks_first = 0.0
    ties = 0.0
    i = 0
    while i < len(pooled):
        j = i
        while j + 1 < len(pooled) and pooled[j + 1][0] == pooled[i][0]:
            j += 1
        rank = (i + j) / 2 + 1  # the mean rank of a run of ties
        count = j - i + 1
        ties += count**3 - count
        ranks_first += rank * sum(1 for k in range(i, j + 1) if pooled[k][1] == 0)
        i = j + 1
    u = ranks_first - n1 * (n1 + 1) / 2
    n = n1 + n2
    variance = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)))
    if variance <= 0:
        return 1.0  # every value the same on both sides
    z = (abs(u - n1 * n2 / 2) - 0.5) / math.sqrt(variance)
    return min(1.0, math.erfc(max(z, 0.0) / math.sqrt(2)))
