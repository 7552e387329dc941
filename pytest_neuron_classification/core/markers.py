"""Parsing of the level markers ``neuron_alpha``, ``neuron_beta`` and ``neuron_stable``.

The parser sees only the marker's arguments and the test module's name, so it is
tested (and fuzzed) without pytest; the plugin turns its errors into a per-test error.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from pytest_neuron_classification.core.items import Claim, two_levels
from pytest_neuron_classification.core.vocabulary import (
    COUPLING_NAMES,
    KINDS,
    WORKLOADS,
    ClassificationError,
    Kind,
    Level,
    check_alpha_model,
    check_choice,
)

#: Every coupling keyword some kind accepts (which kind takes which is checked in make_item).


def module_item_name(module_stem: str) -> str:
    """The item a bare marker names: ``test_persistent_cache`` gives ``persistent_cache``."""
    name = module_stem
    if name.startswith("test_"):
        name = name[len("test_") :]
    elif name.endswith("_test"):
        name = name[: -len("_test")]
    return name or module_stem


def parse_marker(level: Level, args: Sequence[Any], kwargs: Mapping[str, Any], module_stem: str) -> Claim:
    """Turn ``neuron_<level>(name=None, *, kind=None, **coupling)`` into a :class:`Claim`."""
    marker = f"neuron_{level}"
    if len(args) > 1:
        raise ClassificationError(f"{marker} takes at most one positional argument (the item name), got {len(args)}")
    kwargs = dict(kwargs)
    name = args[0] if args else kwargs.pop("name", None)
    if args and "name" in kwargs:
        raise ClassificationError(f"{marker} got the item name twice (positional and name=)")
    if name is None:
        name = module_item_name(module_stem)
    if not isinstance(name, str) or not name.strip():
        raise ClassificationError(f"{marker} needs the item name as a non-empty string, not {name!r}")
    kind = _kind(level, kwargs.pop("kind", None), marker)
    unknown = sorted(k for k in kwargs if k not in COUPLING_NAMES)
    if unknown:
        raise ClassificationError(
            f"{marker} got unknown keyword {unknown[0]!r}; it takes name, kind and {', '.join(COUPLING_NAMES)}"
        )
    return Claim(level, name, kind, _coupling(kwargs, marker) if kwargs else ())


def _kind(level: Level, raw_kind: Any, marker: str) -> Kind | None:
    kind = None if raw_kind is None else check_choice(raw_kind, KINDS, f"kind in {marker}")
    if kind is not None:
        check_alpha_model(kind, level)
    return kind


def _coupling(kwargs: Mapping[str, Any], marker: str) -> tuple[tuple[str, str], ...]:
    """The coupling keywords among ``kwargs`` (others are skipped), validated."""
    coupling = {k: v for k, v in kwargs.items() if k in COUPLING_NAMES}
    for key, value in coupling.items():
        if not isinstance(value, str) or not value:
            raise ClassificationError(f"{marker}: {key} must be a non-empty string, not {value!r}")
    if "workload" in coupling:
        coupling["workload"] = check_choice(coupling["workload"], WORKLOADS, f"workload in {marker}")
    return tuple(sorted(coupling.items()))


def check_one_level_per_item(claims: Iterable[Claim]) -> None:
    """One test may not give one item two levels: the promise would be ambiguous."""
    claims = list(claims)
    if len({c.name for c in claims}) == len(claims):  # most tests: each claim a different item
        return
    seen: dict[tuple[Any, ...], Claim] = {}
    for claim in claims:
        first = seen.setdefault(claim.identity, claim)
        if first.level == claim.level:
            continue
        marker, other = (first, claim) if claim.source else (claim, first)
        by = f"a tests glob of {other.source}" if other.source else other.written
        raise two_levels(
            f"item {claim.name!r}", f"{marker.level} by {marker.written}", f"{other.level} by {by}", "keep one level"
        )


def parse_alias(
    level: Level, args: Sequence[Any], kwargs: Mapping[str, Any], module_stem: str, marker: str = ""
) -> Claim:
    """A project's own marker (``marker``) listed in ``level-markers``: it classifies like a level marker.

    Its ``name=`` keyword, else its first positional argument, names the item when it is a
    non-empty string. The keywords a level marker understands (``kind`` and the coupling keys)
    pass through, so that an alias can classify a model; every other argument belongs to the
    project's marker and is ignored.
    """
    name = module_item_name(module_stem)
    for candidate in (kwargs.get("name"), args[0] if args else None):
        if isinstance(candidate, str) and candidate.strip():
            name = candidate
            break
    label = f"{marker} (an alias of neuron_{level})" if marker else f"neuron_{level}"
    return Claim(level, name, _kind(level, kwargs.get("kind"), label), _coupling(kwargs, label), marker=marker)
