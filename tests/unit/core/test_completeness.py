"""core/completeness.py: what a merge knows it lacks, from its reports' placement alone."""

from __future__ import annotations

import pytest

from pytest_neuron_classification.core.completeness import completeness_of, shard_words
from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.core.placement import MAX_SHARDS, SHARD_SOURCES, Placement, Shard, parse_shard
from pytest_neuron_classification.core.test_record import TestRecord
from pytest_neuron_classification.core.vocabulary import ClassificationError


def report(source: str, shard: Shard | None = None, fp: str = "sha256:a", mode: str = "run", **outcomes: str):
    tests = tuple(TestRecord.of(f"t.py::{name}", outcome=o) for name, o in outcomes.items())  # type: ignore[arg-type]
    placement = Placement(fingerprint=fp, collected=len(tests), shard=shard)
    return Evidence(mode=mode, tests=tests, source=source, placement=placement)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("by", "words"),
    [
        ("pytest-split", "group 2 of 3"),
        ("pytest-test-groups", "test group 2 of 3"),
        ("pytest-shard", "shard id 1 of 3"),
        ("--neuron-shard", "shard 2 of 3"),
    ],
)
def test_each_splitter_is_named_in_its_own_words(by, words):
    assert by in SHARD_SOURCES
    assert shard_words(Shard(2, 3, by)) == words


def test_each_split_is_checked_on_its_own():
    unit = [report(f"u{k}", Shard(k, 3, "pytest-split")) for k in (1, 3)]
    gpu = [report(f"g{k}", Shard(k, 2, "--neuron-shard")) for k in (1, 2)]
    found = completeness_of([*unit, *gpu])
    assert found.incomplete == ("shard 2/3 missing: no report for group 2 of 3 (pytest-split)",)
    assert found.to_dict()["shards"] == [
        {"by": "pytest-split", "count": 3, "present": {"1": "u1", "3": "u3"}, "missing": [2]},
        {"by": "--neuron-shard", "count": 2, "present": {"1": "g1", "2": "g2"}, "missing": []},
    ]
    assert found.notes == ()


def test_an_identical_copy_counts_once_and_a_different_one_is_refused():
    one = report("a.json", Shard(1, 1, "--neuron-shard"), x="passed")
    same = report("b.json", Shard(1, 1, "--neuron-shard"), x="passed")
    found = completeness_of([one, same])
    assert [r.source for r in found.reports] == ["a.json"]
    assert found.notes == (
        "shard 1/1 (--neuron-shard) given twice, in a.json and b.json: the same tests and outcomes, counted once",
    )
    other = report("c.json", Shard(1, 1, "--neuron-shard"), x="failed")
    with pytest.raises(ClassificationError, match=r"in a\.json and c\.json \(t\.py::x: passed in the first, failed"):
        completeness_of([one, other])


def test_different_collections_are_one_line_and_narrowed_ones_are_not_compared():
    a = report("a.json", fp="sha256:a", x="passed")
    b = report("b.json", fp="sha256:b", x="passed", y="passed")
    assert completeness_of([a, b]).incomplete == (
        "reports of 2 collections: a.json (1 test); b.json (2 tests); 1 classified test only some of them have "
        "(t.py::y): merge the reports of one commit",
    )
    narrowed = Evidence(source="n.json", placement=Placement(fingerprint="sha256:n", narrowed="test ids given"))
    assert completeness_of([a, narrowed]).incomplete == ()


def test_completeness_is_unknown_without_shards_or_a_collection():
    plain = [report(f"r{k}.json") for k in range(4)]
    assert completeness_of(plain).notes == ("completeness unknown: 4 reports, no shard numbers and no collection",)
    assert completeness_of(plain[:1]).notes == ()  # one run is the whole run
    assert completeness_of([*plain, report("c.json", mode="collect")]).notes == ()


def test_the_whole_collection_is_known_from_a_collect_only_report_or_every_shard():
    s1 = report("s1", Shard(1, 2, "pytest-split"), x="passed", y="not-run")
    s2 = report("s2", Shard(2, 2, "pytest-split"), x="not-run", y="passed", z="not-run")
    assert completeness_of([s1, s2]).collection == {"t.py::x", "t.py::y", "t.py::z"}
    assert completeness_of([s1]).collection == frozenset()  # a shard missing: the collection is not known
    collected = report("c", mode="collect", x="collected", w="collected")
    assert completeness_of([s1, collected]).collection == {"t.py::x", "t.py::w"}


def counted(source: str, shard: Shard | None, classified: int, stable: int, *names: str, keyword: str = "") -> Evidence:
    """A shard report of schema /3: its own tests, the collection's counts in its placement."""
    tests = tuple(TestRecord.of(f"t.py::{n}", outcome="passed") for n in names)
    placement = Placement(
        fingerprint="sha256:a", collected=10, selected=len(names), keyword=keyword, shard=shard,
        classified=classified, stable=stable,
    )  # fmt: skip
    return Evidence(tests=tests, source=source, placement=placement)


def test_classified_tests_no_report_lists_are_counted_from_the_placements():
    split = [counted(f"s{k}", Shard(k, 2, "pytest-split"), 4, 0, f"a{k}", keyword="not slow") for k in (1, 2)]
    found = completeness_of(split)
    assert (found.unlisted, found.unlisted_stable) == (2, 0)
    assert found.notes == (
        "selection is partial: 2 of 10 collected tests selected (-k 'not slow'); 2 classified tests of the collection "
        "are in no report (deselected in every job, or a job missing): their obligations are not-run, not missing; "
        "add a --collect-only report to name them",
    )
    assert found.to_dict()["unlisted"] == {"classified": 2, "stable": 0}


def test_every_classified_test_listed_says_nothing_and_completeness_is_known():
    found = completeness_of([counted("a", None, 2, 0, "x"), counted("b", None, 2, 0, "y")])
    assert (found.unlisted, found.notes) == (0, ())


def test_overlapping_selections_are_not_added_up():
    # Two jobs without shard numbers may select the same tests: only what no report lists is counted.
    found = completeness_of([counted("a", None, 3, 0, "x"), counted("b", None, 3, 0, "x")])
    assert found.unlisted == 2
    assert found.notes[0].startswith("selection is partial: 2 classified tests of the collection are in no report")


def test_a_missing_shard_explains_what_no_report_lists():
    found = completeness_of([counted("s1", Shard(1, 2, "--neuron-shard"), 2, 0, "x")])
    assert found.unlisted == 1
    assert found.incomplete == ("shard 2/2 missing: no report for shard 2 of 2 (--neuron-shard)",)
    assert found.notes == ()


def test_older_reports_count_nothing():
    older = report("old.json", x="passed")  # schema /2: no counts in its placement
    assert completeness_of([older]).unlisted == 0


def test_thousands_of_missing_shards_are_five_lines_and_one_count():
    found = completeness_of([report("s1.json", Shard(1, MAX_SHARDS, "--neuron-shard"), x="passed")])
    assert found.incomplete[:2] == (
        f"shard 2/{MAX_SHARDS} missing: no report for shard 2 of {MAX_SHARDS} (--neuron-shard)",
        f"shard 3/{MAX_SHARDS} missing: no report for shard 3 of {MAX_SHARDS} (--neuron-shard)",
    )
    assert found.incomplete[5:] == (f"{MAX_SHARDS - 6} more shards of {MAX_SHARDS} missing (--neuron-shard)",)


def test_a_shard_count_past_the_most_is_refused_from_the_option_and_from_a_report():
    with pytest.raises(ClassificationError, match=f"more than {MAX_SHARDS} shards"):
        parse_shard("1/1000000000000")
    with pytest.raises(ClassificationError, match="is not shard K of N"):
        Shard.from_dict({"index": 1, "count": MAX_SHARDS + 1, "by": "--neuron-shard"})
