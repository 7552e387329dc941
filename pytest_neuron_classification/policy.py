"""The classification vocabulary and the default policy (SPEC sections 1 and 2).

Plain Python on purpose: the rules are read by the pytest plugin, by ``merge`` and by
the tests alike, and none of them should need a pytest session to know what a Stable
package owes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

LEVELS = ("stable", "beta", "alpha")
KINDS = ("api", "package", "feature", "model")
CATEGORIES = ("functional", "integration", "performance", "accuracy", "compat")
WORKLOADS = ("training", "inference")
ENFORCE_MODES = ("error", "warn", "off")
OBLIGATIONS = ("basic", "standard", "performance", "accuracy", "compat")

#: Every status an obligation can end in, best first. ``waived`` is given only by a waiver.
STATUSES = ("met", "waived", "not-run", "skipped", "missing", "failing")
#: The statuses that break a promise, and so fail the run under ``enforce = "error"``.
FAILING_STATUSES = frozenset({"failing", "skipped", "missing"})

#: The coupling keywords a marker or inventory entry may carry, per kind. A model
#: class is identified by all three of its keys; the others only describe the item.
COUPLING_KEYS: Mapping[str, tuple[str, ...]] = {
    "api": ("package",),
    "package": (),
    "feature": ("package",),
    "model": ("framework", "library", "workload"),
}
IDENTITY_KEYS = ("framework", "library", "workload")

LEVEL_MARKERS = {"neuron_alpha": "alpha", "neuron_beta": "beta", "neuron_stable": "stable"}

#: How a test earns a category without any configuration.
DEFAULT_CATEGORY_NAMES: Mapping[str, tuple[str, ...]] = {
    "integration": ("neuron_integration",),
    "performance": ("neuron_performance", "benchmark"),
    "accuracy": ("neuron_accuracy", "neuron_convergence"),
    "compat": ("neuron_compat",),
}

DEFAULT_OBLIGATIONS: Mapping[tuple[str, str], tuple[str, ...]] = {
    ("api", "alpha"): ("basic",),
    ("api", "beta"): ("basic",),
    ("api", "stable"): ("basic", "compat"),
    ("package", "alpha"): ("basic",),
    ("package", "beta"): ("basic",),
    ("package", "stable"): ("standard", "performance"),
    ("feature", "alpha"): ("basic",),
    ("feature", "beta"): ("basic",),
    ("feature", "stable"): ("standard", "performance"),
    ("model", "beta"): ("accuracy",),
    ("model", "stable"): ("accuracy", "performance"),
}


class ClassificationError(ValueError):
    """Bad input from the user: the message is complete and is shown as it is."""


def check_choice(value: object, choices: Iterable[str], what: str) -> str:
    """Normalise ``value`` (case-insensitively) to one of ``choices``, or say what is allowed."""
    allowed = tuple(choices)
    if isinstance(value, str) and value.lower() in allowed:
        return value.lower()
    raise ClassificationError(f"unknown {what} {value!r}; use one of: {', '.join(allowed)}")


def check_alpha_model(kind: str, level: str) -> None:
    """SPEC section 1: model classes start at Beta."""
    if kind == "model" and level == "alpha":
        raise ClassificationError("a model class has no Alpha level; classify it neuron_beta or neuron_stable")


@dataclass(frozen=True)
class Policy:
    """What each kind and level owes, and how tests earn categories.

    ``category_names`` maps each category (other than ``functional``) to the marker
    and fixture names that put a test in it: the defaults plus the project's own.
    """

    standard_suite: tuple[str, ...] = ("functional", "integration")
    category_names: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: {c: frozenset(n) for c, n in DEFAULT_CATEGORY_NAMES.items()}
    )
    obligation_table: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=lambda: DEFAULT_OBLIGATIONS)

    def obligations(self, kind: str, level: str) -> tuple[str, ...]:
        check_alpha_model(kind, level)
        return self.obligation_table[(kind, level)]

    @property
    def categories(self) -> tuple[str, ...]:
        """Every category a test can have: ``functional`` and the named ones."""
        return ("functional", *self.category_names)

    def categorize(self, names: Iterable[str]) -> tuple[str, ...]:
        """The categories of a test whose markers and fixtures are ``names``."""
        present = set(names)
        found = tuple(c for c, wanted in self.category_names.items() if wanted & present)
        return found or ("functional",)

    def category_hint(self, category: str) -> str:
        """What to add to get a test of ``category``, in the user's own vocabulary."""
        if category == "functional":
            return "add a plain test of the item (one without category markers)"
        names = sorted(self.category_names.get(category, ()))
        markers = [f"@pytest.mark.{n}" for n in names if n.startswith("neuron_")]
        others = [n for n in names if not n.startswith("neuron_")]
        if not markers:
            return f"add a passing test that uses or is marked {' or '.join(others)}"
        hint = "add a passing test marked " + " or ".join(markers)
        if others:
            hint += f" or one that uses {' or '.join(others)}"
        return hint


def per_level(enforce: str | Mapping[str, str]) -> dict[str, str]:
    """Enforcement for every level: one mode for all, or a table (missing levels: ``error``)."""
    if isinstance(enforce, str):
        return dict.fromkeys(LEVELS, enforce)
    return {level: enforce.get(level, "error") for level in LEVELS}


def enforce_label(levels: Mapping[str, str]) -> str:
    """``error`` when every level agrees, else ``stable=error, beta=warn, alpha=off``."""
    modes = set(levels.values())
    return modes.pop() if len(modes) == 1 else ", ".join(f"{lvl}={levels[lvl]}" for lvl in LEVELS)


def check_obligations(
    kind: str, level: str, obligations: Iterable[object], categories: Iterable[str]
) -> tuple[str, ...]:
    """Validate a (possibly hook-edited) list of obligations for ``kind`` at ``level``."""
    known = set(OBLIGATIONS) | set(categories)
    checked = []
    for name in obligations:
        if not isinstance(name, str) or name not in known:
            raise ClassificationError(
                f"unknown obligation {name!r} for {level} {kind}; use one of {', '.join(sorted(known))} "
                "(a new category must be declared with pytest_neuron_categories first)"
            )
        if name not in checked:
            checked.append(name)
    return tuple(checked)


def with_extra_categories(
    extra: Mapping[str, Iterable[str]], base: Mapping[str, Iterable[str]] = DEFAULT_CATEGORY_NAMES
) -> dict[str, frozenset[str]]:
    """``base`` category names (the defaults) extended by a project's or a hook's own."""
    merged = {c: set(n) for c, n in base.items()}
    for category, names in extra.items():
        merged.setdefault(category, set()).update(names)
    return {c: frozenset(n) for c, n in merged.items()}
