"""The ``record`` command's ``--metric NAME=VALUE[:higher|lower][:unit=U][:min=X][:max=X]`` argument."""

from __future__ import annotations

import math

from pytest_neuron_classification.core.metric import BETTER, Better, Metric, make_metric
from pytest_neuron_classification.core.vocabulary import ClassificationError, check_choice


def parse_metric_arg(text: str) -> Metric:
    """``loss=1.93:lower:max=2.5`` as a metric; :class:`ClassificationError` saying what to fix.

    The direction and the bounds mean what they mean to ``neuron_metric``; a unit may not
    contain ``:``.
    """
    usage = "use NAME=VALUE[:higher|lower][:unit=UNIT][:min=X][:max=X]"
    name, sep, rest = text.partition("=")
    if not sep:
        raise ClassificationError(f"--metric {text!r} has no '='; {usage}")
    value, *parts = rest.split(":")
    options: dict[str, str] = {}
    better: Better | None = None
    for part in parts:
        key, eq, given = part.partition("=")
        if not eq and part in BETTER and better is None:
            better = check_choice(part, BETTER, "direction")
        elif eq and key in ("unit", "min", "max") and key not in options:
            options[key] = given
        else:
            raise ClassificationError(f"--metric {text!r}: cannot read {part!r}; {usage}")
    try:
        if not math.isfinite(_float(value, "value")):
            raise ClassificationError(
                f"the value {value!r} cannot be compared with anything; to record a diverged run, "
                "give --outcome failed without this --metric"
            )
        bounds = {k: _float(options[k], k) for k in ("min", "max") if k in options}
        return make_metric(
            name, _float(value, "value"), options.get("unit", ""), bounds.get("min"), bounds.get("max"),
            source="record", better=better,
        )  # fmt: skip
    except ClassificationError as exc:
        raise ClassificationError(f"--metric {text!r}: {exc}") from None


def _float(text: str, what: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ClassificationError(f"the {what} {text!r} is not a number") from None
