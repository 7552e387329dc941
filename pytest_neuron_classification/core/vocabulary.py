"""The classification vocabulary and the default policy (docs/explanation/classification.md).

Plain Python on purpose: the rules are read by the pytest plugin, by ``merge`` and by
the tests alike, and none of them should need a pytest session to know what a Stable
package owes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Collection, Iterable, Literal, Mapping, TypeVar, Union, cast, get_args

#: The fixed vocabularies. The JSON files spell them as these plain strings; inside the
#: package the aliases let mypy catch a misspelt level or status.
Level = Literal["stable", "beta", "alpha"]
Kind = Literal["api", "package", "feature", "model"]
Workload = Literal["training", "inference"]
EnforceMode = Literal["error", "warn", "off"]
#: Every status an obligation can end in, best first. ``waived`` is given only by a waiver;
#: ``out-of-scope`` only under ``--neuron-scope=collected``, to an item no collected test covers.
Status = Literal["met", "waived", "not-run", "out-of-scope", "skipped", "unmeasured", "missing", "failing"]
#: What a run judges: every item (``all``, the default), or only those its collected tests cover.
Scope = Literal["all", "collected"]
#: The JSON report document, as the ``pytest_neuron_audit`` hook receives it and ``--neuron-json`` writes it.
AuditReport = Mapping[str, Any]

LEVELS: tuple[Level, ...] = get_args(Level)
KINDS: tuple[Kind, ...] = get_args(Kind)
WORKLOADS: tuple[Workload, ...] = get_args(Workload)
ENFORCE_MODES: tuple[EnforceMode, ...] = get_args(EnforceMode)
STATUSES: tuple[Status, ...] = get_args(Status)
SCOPES: tuple[Scope, ...] = get_args(Scope)
CATEGORIES = ("functional", "integration", "performance", "accuracy", "compat")
OBLIGATIONS = ("basic", "standard", "performance", "accuracy", "compat")

#: The statuses that break a promise, and so fail the run under ``enforce = "error"``.
FAILING_STATUSES: frozenset[Status] = frozenset({"failing", "skipped", "unmeasured", "missing"})

#: The coupling keywords a marker or inventory entry may carry, per kind. A model
#: class is identified by all three of its keys; the others only describe the item.
COUPLING_KEYS: Mapping[Kind, tuple[str, ...]] = {
    "api": ("package",),
    "package": (),
    "feature": ("package",),
    "model": ("framework", "library", "workload"),
}
IDENTITY_KEYS = COUPLING_KEYS["model"]
#: Every coupling keyword, model's first (the order messages list them in).
COUPLING_NAMES = tuple(dict.fromkeys(k for kind in ("model", *KINDS) for k in COUPLING_KEYS[kind]))
#: What an item is when nothing says otherwise: an unlisted item is Stable, and a marker or
#: inventory entry without a kind is a feature (pyproject.toml's ``default-kind`` changes that).
DEFAULT_LEVEL: Level = "stable"
DEFAULT_KIND: Kind = "feature"
#: The categories the ``standard`` obligation needs (pyproject.toml's ``standard-suite``).
DEFAULT_STANDARD_SUITE = ("functional", "integration")

LEVEL_MARKERS: Mapping[str, Level] = {"neuron_alpha": "alpha", "neuron_beta": "beta", "neuron_stable": "stable"}

#: How a test earns a category without any configuration.
DEFAULT_CATEGORY_NAMES: Mapping[str, tuple[str, ...]] = {
    "integration": ("neuron_integration",),
    "performance": ("neuron_performance", "benchmark"),
    "accuracy": ("neuron_accuracy", "neuron_convergence"),
    "compat": ("neuron_compat",),
}

ObligationTable = Mapping[tuple[Kind, Level], tuple[str, ...]]

#: A performance or accuracy promise is kept by a number that was measured, not by a pass.
DEFAULT_MEASURED = ("performance", "accuracy")

DEFAULT_OBLIGATIONS: ObligationTable = {
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


Word = TypeVar("Word", bound=str)


def check_choice(value: object, choices: Collection[Word], what: str) -> Word:
    """Normalise ``value`` (case-insensitively) to one of ``choices``, or say what is allowed."""
    if isinstance(value, str):
        if value in choices:  # as written, the common case (tens of thousands of items and markers)
            return cast(Word, value)
        if value.lower() in choices:
            return cast(Word, value.lower())
    raise ClassificationError(f"unknown {what} {value!r}; use one of: {', '.join(choices)}")


def check_alpha_model(kind: str, level: str) -> None:
    """Model classes start at Beta: there is no Alpha model class."""
    if kind == "model" and level == "alpha":
        raise ClassificationError("a model class has no Alpha level; classify it neuron_beta or neuron_stable")


@dataclass(frozen=True)
class Policy:
    """What each kind and level owes, and how tests earn categories and meet obligations.

    ``category_names`` maps each category (other than ``functional``) to the marker
    and fixture names that put a test in it: the defaults plus the project's own.
    """

    standard_suite: tuple[str, ...] = DEFAULT_STANDARD_SUITE
    category_names: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: {c: frozenset(n) for c, n in DEFAULT_CATEGORY_NAMES.items()}
    )
    obligation_table: ObligationTable = field(default_factory=lambda: DEFAULT_OBLIGATIONS)
    #: Categories whose obligations need a measurement, not just a passing test.
    measured: tuple[str, ...] = DEFAULT_MEASURED

    def obligations(self, kind: Kind, level: Level) -> tuple[str, ...]:
        check_alpha_model(kind, level)
        return self.obligation_table[(kind, level)]

    @property
    def categories(self) -> tuple[str, ...]:
        """Every category a test can have: ``functional`` and the named ones."""
        return ("functional", *self.category_names)

    def categorize(self, names: Iterable[str], given: Iterable[str] = ()) -> tuple[str, ...]:
        """The categories of a test whose markers and fixtures are ``names``, with those its path
        is ``given`` (``category-tests``)."""
        present, given = set(names), set(given)
        found = tuple(c for c, wanted in self.category_names.items() if wanted & present or c in given)
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

    def to_dict(self) -> dict[str, Any]:
        """The policy as the JSON report records it, so that ``merge`` judges by the same rules."""
        return {
            "standard-suite": list(self.standard_suite),
            "categories": {c: sorted(n) for c, n in self.category_names.items()},
            "obligations": [
                {"kind": kind, "level": level, "obligations": list(obs)}
                for (kind, level), obs in self.obligation_table.items()
            ],
            "measured": list(self.measured),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Policy:
        """The policy a report recorded; :class:`ClassificationError` if it is not one."""
        suite = tuple(check_choice(c, CATEGORIES, "category in standard-suite") for c in data["standard-suite"])
        categories = {str(c): frozenset(map(str, n)) for c, n in data["categories"].items()}
        table: dict[tuple[Kind, Level], tuple[str, ...]] = {}
        rows = data.get("obligations")
        if not isinstance(rows, list) or not rows:
            # Never the default policy in its place: the report would be judged by rules it was not run with.
            given = f"not {rows!r}" if "obligations" in data else "and is missing"
            raise ClassificationError(f"policy.obligations must list what each kind and level owes, {given}")
        for entry in rows:
            kind = check_choice(entry["kind"], KINDS, "kind in the policy")
            level = check_choice(entry["level"], LEVELS, "level in the policy")
            table[(kind, level)] = check_obligations(kind, level, entry["obligations"], ("functional", *categories))
        measured = data["measured"]
        if not isinstance(measured, list) or not all(
            isinstance(c, str) and c in ("functional", *categories) for c in measured
        ):
            raise ClassificationError(f"policy.measured must list known categories, not {measured!r}")
        measured = tuple(measured)
        return cls(suite, categories, table, measured)

    def same_rules(self, other: Policy) -> bool:
        """Whether evidence judged under ``other`` can be combined with evidence judged under this."""
        mine = (self.standard_suite, dict(self.obligation_table), self.measured)
        return mine == (other.standard_suite, dict(other.obligation_table), other.measured)


#: Enforcement as configured: one mode for every level, or a table per level.
Enforce = Union[EnforceMode, Mapping[Level, EnforceMode]]


def per_level(enforce: Enforce) -> dict[Level, EnforceMode]:
    """Enforcement for every level: one mode for all, or a table (missing levels: ``error``)."""
    if isinstance(enforce, str):
        return dict.fromkeys(LEVELS, enforce)
    return {level: enforce.get(level, "error") for level in LEVELS}


def enforce_label(levels: Mapping[Level, EnforceMode]) -> str:
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
