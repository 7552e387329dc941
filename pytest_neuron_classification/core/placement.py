"""Where one report sits in a CI matrix: the collection it came from, the selection it ran, its shard.

``merge`` judges the union of its reports as a whole run, so it can only be as complete as the set
of reports it is given. Each report therefore says what it was a part of: the fingerprint of the
collection before any deselection (two jobs of one matrix collect the same suite, so they agree),
how many of those tests it selected, and which shard of how many it was, as the sharding plugin
(pytest-split, pytest-test-groups, pytest-shard) or ``--neuron-shard=K/N`` said. A report written
before this existed has none of it: :data:`UNKNOWN`, which claims nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Iterable, Literal, Mapping, Optional, get_args

from pytest_neuron_classification.core.vocabulary import ClassificationError, check_choice

#: Who split the suite into shards: a sharding plugin, or the run's own ``--neuron-shard``.
ShardSource = Literal["pytest-split", "pytest-test-groups", "pytest-shard", "--neuron-shard"]
SHARD_SOURCES: tuple[ShardSource, ...] = get_args(ShardSource)


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` (from 1, whatever the plugin counts from) of ``count``."""

    index: int
    count: int
    by: ShardSource

    @property
    def label(self) -> str:
        return f"{self.index}/{self.count}"

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "count": self.count, "by": self.by}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Shard:
        index, count = data["index"], data["count"]
        if not (type(index) is int and type(count) is int and 1 <= index <= count <= MAX_SHARDS):
            raise ClassificationError(
                f"placement.shard: {index!r}/{count!r} is not shard K of N with 1 <= K <= N <= {MAX_SHARDS}"
            )
        return cls(index, count, check_choice(data.get("by", "--neuron-shard"), SHARD_SOURCES, "placement.shard.by"))


@dataclass(frozen=True)
class Placement:
    """What a run was a part of; the empty placement (:data:`UNKNOWN`) is an older report's."""

    #: ``sha256:`` and the digest of the sorted node ids collected before deselection, or "".
    fingerprint: str = ""
    #: How many tests were collected before deselection (``-k``, ``-m``, a sharding plugin).
    collected: int = 0
    #: How many of them this run selected (ran, or listed under ``--collect-only``).
    selected: int = 0
    #: The ``-k`` and ``-m`` expressions, as given ("" when none).
    keyword: str = ""
    markers: str = ""
    #: Why the collection itself was narrower than the suite (test ids, paths, ``--ignore``, ``--lf``), or "".
    narrowed: str = ""
    shard: Optional[Shard] = None
    #: ``--neuron-job=NAME``: the CI job's own name for this run, or "".
    job: str = ""
    #: How many of the collected tests are classified, and how many of those serve a Stable item; None in a
    #: report written before a shard's report carried its own selection only (it listed them all).
    classified: Optional[int] = None
    stable: Optional[int] = None

    @property
    def known(self) -> bool:
        """Whether the report says anything about its place (an older report says nothing)."""
        return bool(self.fingerprint) or self.shard is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "collection": {
                "fingerprint": self.fingerprint,
                "tests": self.collected,
                **({} if self.classified is None else {"classified": self.classified}),
                **({} if self.stable is None else {"stable": self.stable}),
            },
            "selection": {
                "tests": self.selected,
                "deselected": max(self.collected - self.selected, 0),
                "keyword": self.keyword,
                "markers": self.markers,
                "narrowed": self.narrowed,
            },
            "shard": None if self.shard is None else self.shard.to_dict(),
            "job": self.job,
        }

    @classmethod
    def from_dict(cls, data: object) -> Placement:
        """A report's ``placement``; an older report has none, and claims nothing."""
        if data is None:
            return UNKNOWN
        if not isinstance(data, Mapping):
            raise ClassificationError(f"placement must be an object, not {data!r}")
        collection, selection = data.get("collection", {}), data.get("selection", {})
        for part, value in (("collection", collection), ("selection", selection)):
            if not isinstance(value, Mapping):
                raise ClassificationError(f"placement.{part} must be an object, not {value!r}")
        shard = data.get("shard")
        return cls(
            fingerprint=_text(collection, "fingerprint", "collection"),
            collected=_count(collection.get("tests", 0)) or 0,
            classified=_count(collection.get("classified")),
            stable=_count(collection.get("stable")),
            selected=_count(selection.get("tests", 0), "selection") or 0,
            keyword=_text(selection, "keyword", "selection"),
            markers=_text(selection, "markers", "selection"),
            narrowed=_text(selection, "narrowed", "selection"),
            shard=None if shard is None else Shard.from_dict(shard),
            job=_text(data, "job", ""),
        )


UNKNOWN = Placement()


#: More tests than any suite holds: a count past it is an edited report, not a collection.
_MOST_TESTS = 10**9


def _count(value: object, part: str = "collection") -> int | None:
    """A count of the collection's (or selection's) tests, or None when the report does not give it."""
    if value is None:
        return None
    if type(value) is not int or not 0 <= value <= _MOST_TESTS:
        raise ClassificationError(f"placement.{part}: {value!r} is not a count of tests")
    return value


def _text(data: Mapping[str, Any], key: str, part: str) -> str:
    """A text field of the placement ("" when absent); anything else is an edited report, named."""
    value = data.get(key, "")
    if not isinstance(value, str):
        where = f"placement.{part}.{key}" if part else f"placement.{key}"
        raise ClassificationError(f"{where} must be text, not {value!r}")
    return value


def fingerprint(nodeids: Iterable[str]) -> str:
    """One digest for a collection, whatever its order (pytest-randomly) or the process that collected it."""
    ordered = sorted(nodeids)
    # Each node id and a line end, hashed in one call (one per node id cost 20 ms at 20,000 tests).
    text = "\n".join(ordered) + "\n" if ordered else ""
    return f"sha256:{hashlib.sha256(text.encode('utf-8', 'surrogateescape')).hexdigest()}"


#: The most shards a split may have: a merge lists each missing one, so a count of 10**12 (a typo,
#: or an edited report) would exhaust memory rather than say anything useful.
MAX_SHARDS = 10_000


def parse_shard(value: str, option: str = "--neuron-shard") -> tuple[int, int]:
    """``K/N`` as (K, N), 1 <= K <= N; one line naming the option and the fix otherwise."""
    fix = "give K/N, this job's shard K (from 1) of N, such as 2/3"
    parts = value.split("/")
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts):
        raise ClassificationError(f"{option}={value}: not K/N; {fix}")
    index, count = int(parts[0]), int(parts[1])
    if not 1 <= index <= count:
        raise ClassificationError(f"{option}={value}: shard {index} of {count} does not exist; {fix}")
    if count > MAX_SHARDS:
        raise ClassificationError(f"{option}={value}: more than {MAX_SHARDS} shards; {fix}")
    return index, count
