"""Classified items and the catalog that resolves markers against the inventory.

An item is what carries a promise (an API, a package, a feature, a model class);
tests are only evidence for it. The catalog is the one place that decides which item
a marker names, so that a conflict is reported the same way in every process: it sees
the items in collection order, which every xdist worker shares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Mapping

from pytest_neuron_classification.core.glob_index import GlobIndex
from pytest_neuron_classification.core.globs import file_part, glob_regex, node_regex
from pytest_neuron_classification.core.text import a_or_an, one_spelling
from pytest_neuron_classification.core.vocabulary import (
    COUPLING_KEYS,
    DEFAULT_KIND,
    IDENTITY_KEYS,
    KINDS,
    LEVELS,
    WORKLOADS,
    ClassificationError,
    Kind,
    Level,
    check_alpha_model,
    check_choice,
)

#: Brackets delimit a model's coupling in its id; control characters break every report.
_FORBIDDEN = re.compile(r"[\[\]\x00-\x1f\x7f\ud800-\udfff]")


@dataclass(frozen=True)
class Item:
    """One classified item. ``origin`` says where it was declared, for error messages."""

    name: str
    kind: Kind
    level: Level
    coupling: tuple[tuple[str, str], ...] = ()
    since: str | None = None
    target: str | None = None
    declared: str = "marker"
    origin: str = ""
    tests: tuple[str, ...] = ()

    @cached_property
    def id(self) -> str:
        """Unique key: the name, plus a model's framework, library and workload (worked out once:
        a large run asks for it hundreds of thousands of times)."""
        identity = [f"{k}={v}" for k, v in self.coupling if k in IDENTITY_KEYS]
        return f"{self.name}[{','.join(identity)}]" if identity else self.name

    @property
    def label(self) -> str:
        """How people read the item: ``llama (pytorch-neuronx, neuronx-distributed, training)``."""
        if not self.coupling:
            return self.name
        coupling = dict(self.coupling)
        parts = [coupling[k] for k in IDENTITY_KEYS if k in coupling]
        return f"{self.name} ({', '.join(parts)})" if parts else self.name

    @property
    def subject(self) -> str:
        """How reports name the item with its promise: ``stable feature async_loading``."""
        return f"{self.level} {self.kind} {self.label}"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "level": self.level,
            "coupling": dict(self.coupling),
            "declared": self.declared,
            "origin": self.origin,
        }
        if self.since is not None:
            data["since"] = self.since
        if self.target is not None:
            data["target"] = self.target
        if self.tests:
            data["tests"] = list(self.tests)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Item:
        """The item a report or a worker recorded, validated like a marker or an inventory entry."""
        return make_item(
            data["name"],
            data["kind"],
            data["level"],
            dict(data.get("coupling", {})),
            since=_optional_str(data.get("since"), "since"),
            target=_optional_str(data.get("target"), "target"),
            declared=str(data.get("declared", "marker")),
            origin=str(data.get("origin", "")),
            tests=tuple(map(str, data.get("tests", ()))),
        )


def _optional_str(value: object, key: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise ClassificationError(f"{key} must be a string, not {value!r}")


def make_item(
    name: object,
    kind: object,
    level: object,
    coupling: Mapping[str, object],
    **extra: Any,
) -> Item:
    """Build a valid item or raise :class:`ClassificationError` saying what to fix.

    Markers and the inventory both come through here, so both obey the same rules.
    """
    if not isinstance(name, str) or not name.strip():
        raise ClassificationError(f"the item name must be a non-empty string, not {name!r}")
    if _FORBIDDEN.search(name):
        raise ClassificationError(
            f"the item name {name!r} contains '[', ']', a control character or a lone surrogate; '[...]' is how a model's id "
            "spells its coupling, so such a name could collide with one: rename it"
        )
    name = one_spelling(name)
    kind = check_choice(kind, KINDS, "kind")
    level = check_choice(level, LEVELS, "level")
    check_alpha_model(kind, level)
    allowed = COUPLING_KEYS[kind]
    for key, value in coupling.items():
        if key not in allowed:
            takes = f"takes only {', '.join(allowed)}" if allowed else "takes no coupling keywords"
            raise ClassificationError(f"unknown keyword {key}={value!r}: {a_or_an(kind)} item {takes}")
        if not isinstance(value, str) or not value:
            raise ClassificationError(f"{key} must be a non-empty string, not {value!r}")
    if kind == "model":
        if "workload" not in coupling:
            raise ClassificationError(f"model {name!r} needs workload='training' or workload='inference'")
        check_choice(coupling["workload"], WORKLOADS, "workload")
    if not coupling:  # most items
        return Item(name=name, kind=kind, level=level, **extra)
    pairs = tuple(sorted((k, str(v).lower() if k == "workload" else one_spelling(str(v))) for k, v in coupling.items()))
    return Item(name=name, kind=kind, level=level, coupling=pairs, **extra)


def classified_alike(item: Item, other: Item) -> bool:
    """Whether two sources give one item the same level and kind: one item, one promise."""
    return item.level == other.level and item.kind == other.kind


def two_levels(subject: str, first: str, second: str, fix: str) -> ClassificationError:
    """The one message for one item given two levels: ``SUBJECT is FIRST but SECOND; FIX``.

    One item carries one promise, so every source that classifies it must agree: two markers on
    one test, a marker and a ``tests`` glob, a marker and the inventory, two reports, two results
    of one evidence file, an evidence file and the run. ``first`` and ``second`` are each a level
    and where it comes from, with its preposition: ``beta in pyproject.toml items[0]``,
    ``stable by neuron_stable here``.
    """
    return ClassificationError(f"{subject} is {first} but {second}; {fix}")


def items_differ(item: Item, where: str, other: Item, other_where: str, fix: str) -> ClassificationError:
    """:func:`two_levels` for two sources' :class:`Item` records of one id, which may differ in kind too."""
    if item.kind == other.kind:
        return two_levels(f"{item.kind} {item.id!r}", f"{item.level} {where}", f"{other.level} {other_where}", fix)
    return two_levels(
        repr(item.id), f"{item.level} ({item.kind}) {where}", f"{other.level} ({other.kind}) {other_where}", fix
    )


@dataclass(frozen=True)
class Claim:
    """What one level marker says, before it is resolved against the catalog."""

    level: Level
    name: str
    kind: Kind | None = None
    coupling: tuple[tuple[str, str], ...] = ()
    #: Where a claim made by an inventory ``tests`` glob comes from ("" for a marker).
    source: str = ""
    #: The project's own marker that made the claim through ``level-markers`` ("" for ours).
    marker: str = ""

    def __post_init__(self) -> None:
        # One spelling per name (see one_spelling), before the catalog looks the name up.
        if not self.name.isascii():
            object.__setattr__(self, "name", one_spelling(self.name))
        if not all(v.isascii() for _, v in self.coupling):
            object.__setattr__(self, "coupling", tuple((k, one_spelling(v)) for k, v in self.coupling))

    @property
    def written(self) -> str:
        """The marker as the user wrote it, for messages: ``experimental (an alias of neuron_alpha)``."""
        own = f"neuron_{self.level}"
        return f"{self.marker} (an alias of {own})" if self.marker else own

    @property
    def identity(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        return self.name, tuple(p for p in self.coupling if p[0] in IDENTITY_KEYS)


#: A file's node id patterns: each one's index in the catalog, its regex, and the claim it makes.
NodeGlobs = tuple[tuple[int, re.Pattern[str], Claim], ...]


@dataclass
class Catalog:
    """The items of this run: the inventory first, then those that markers declare."""

    default_kind: Kind = DEFAULT_KIND
    _by_id: dict[str, Item] = field(default_factory=dict)
    _kind_by_name: dict[str, Item] = field(default_factory=dict)
    #: Each ``tests`` pattern: its file glob's regex, the item, the pattern, and its node id
    #: pattern's regex (None for a pattern that names whole files).
    _globs: list[tuple[re.Pattern[str], Item, str, re.Pattern[str] | None]] = field(default_factory=list)
    #: The file globs, filed so that a path is matched against the few that can match it.
    _index: GlobIndex = field(default_factory=GlobIndex)
    #: Each file glob's regex, compiled once: the items of one module often name its file alike.
    _compiled: dict[str, re.Pattern[str]] = field(default_factory=dict)
    #: The patterns (by index in ``_globs``) that matched at least one collected test file (or test).
    _matched: set[int] = field(default_factory=set)
    _path_claims: dict[str, tuple[Claim, ...]] = field(default_factory=dict)
    #: Per test file: the node id patterns whose file glob matches it (most files: none).
    _node_globs: dict[str, NodeGlobs] = field(default_factory=dict)
    #: Whether any pattern names tests inside a file (``::``): else no test costs more than its file.
    has_node_globs: bool = False
    #: The test whose markers declared each item (by id), for conflicts within one file.
    _declared_by: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_inventory(cls, items: list[Item], default_kind: Kind = DEFAULT_KIND) -> Catalog:
        catalog = cls(default_kind=default_kind)
        for item in items:
            catalog._add(item)
        return catalog

    def items(self) -> list[Item]:
        return list(self._by_id.values())

    def get(self, item_id: str) -> Item | None:
        return self._by_id.get(item_id)

    def path_claims(self, path: str) -> tuple[Claim, ...]:
        """Claims for a test file that inventory ``tests`` globs cover, as if it carried markers."""
        claims = self._path_claims.get(path)
        if claims is None:
            matching = [i for i in self._index.matching(path) if self._globs[i][3] is None]
            self._matched.update(matching)
            claims = tuple(
                Claim(item.level, item.name, item.kind, item.coupling, source=item.origin)
                for item in (self._globs[i][1] for i in matching)
            )
            self._path_claims[path] = claims
        return claims

    def node_globs(self, path: str) -> NodeGlobs:
        """The node id patterns (``file::test*``) whose file glob covers the test file ``path``."""
        found = self._node_globs.get(path)
        if found is None:
            found = self._node_globs[path] = tuple(
                (i, node, Claim(item.level, item.name, item.kind, item.coupling, source=item.origin))
                for i in self._index.matching(path)
                for _, item, _, node in (self._globs[i],)
                if node is not None
            )
        return found

    def node_claims(self, globs: NodeGlobs, rest: str) -> tuple[Claim, ...]:
        """The claims of ``globs`` (one file's, from :meth:`node_globs`) for the test whose node id
        after its file's ``::`` is ``rest`` (``test_add[1]``, ``TestOps::test_one``)."""
        matching = [(i, claim) for i, regex, claim in globs if regex.match(rest)]
        self._matched.update(i for i, _ in matching)
        return tuple(claim for _, claim in matching)

    @property
    def has_globs(self) -> bool:
        return bool(self._globs)

    def unmatched_globs(self) -> list[tuple[Item, str, re.Pattern[str]]]:
        """The inventory ``tests`` patterns that no collected test file (or test) matched, with their
        file glob's regex: whether that file glob matches a file on disk is the caller's to ask."""
        return [(item, glob, regex) for i, (regex, item, glob, _) in enumerate(self._globs) if i not in self._matched]

    def _add(self, item: Item) -> None:
        # Duplicates in the inventory are rejected by the config parser.
        self._by_id[item.id] = item
        for pattern in item.tests:
            files, node = file_part(pattern), node_regex(pattern)
            regex = self._compiled.get(files) or self._compiled.setdefault(files, glob_regex(files))
            self._globs.append((regex, item, pattern, node))
            self._index.add(files, regex)
            self.has_node_globs = self.has_node_globs or node is not None
        self._kind_by_name.setdefault(item.name, item)

    def _inherited(self, name: str, kind: Kind, coupling: dict[str, str]) -> dict[str, str]:
        """``coupling`` completed from the one inventory model it can mean.

        ``neuron_beta("mixer_mlp")`` names the inventory's only ``mixer_mlp`` (or the only one with
        the keys the marker gives): its framework, library and workload need not be repeated.
        Several candidates leave the marker as it is, so that it must say which one it means.
        """
        if kind != "model" or all(k in coupling for k in IDENTITY_KEYS):
            return coupling
        candidates = [
            i
            for i in self._by_id.values()
            if i.name == name
            and i.kind == "model"
            and i.declared == "inventory"
            and all(dict(i.coupling).get(k) == v for k, v in coupling.items() if k in IDENTITY_KEYS)
        ]
        if len(candidates) != 1:
            return coupling
        return {**dict(candidates[0].coupling), **coupling}

    def resolve(self, claim: Claim, origin: str, nodeid: str = "") -> Item:
        """The item ``claim`` names, declaring it if it is new.

        Raises when the claim contradicts what is already known of that item. ``nodeid`` is the
        test that makes the claim: a conflict within one file names the test that declared it.
        """
        known = self._kind_by_name.get(claim.name)
        kind = claim.kind or (known.kind if known else self.default_kind)
        existing = self._by_id.get(claim.name)
        if (
            existing is not None
            and known is not None
            and not claim.coupling
            and existing.level == claim.level
            and kind == known.kind == existing.kind != "model"
        ):
            # The common case of a large inventory: a marker names an item by its name alone, as
            # the inventory classifies it; the item make_item would build to look it up equals it.
            return existing
        if known is not None and known.kind != kind:
            raise ClassificationError(
                f"{claim.name!r} is marked kind={kind!r} but {known.origin} classifies it as "
                f"{a_or_an(known.kind)}; use kind={known.kind!r} or drop kind="
            )
        coupling = self._inherited(claim.name, kind, dict(claim.coupling))
        item = make_item(claim.name, kind, claim.level, coupling, origin=origin)
        existing = self._by_id.get(item.id)
        if existing is None:
            self._add(item)
            self._declared_by[item.id] = nodeid
            return item
        if existing.level != item.level:
            where = existing.origin
            if where == origin and self._declared_by.get(item.id):
                where = self._declared_by[item.id]  # the same file: name the test (and its parameter)
            raise two_levels(
                f"{item.kind} {item.id!r}",
                f"{existing.level} in {where}",
                f"{item.level} by {claim.written} here",
                f"use neuron_{existing.level} or change {where}",
            )
        return existing
