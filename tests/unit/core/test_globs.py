"""The inventory's ``tests`` globs (core/globs.py): the spellings people write, and the regular expression agreeing with fnmatch."""

from __future__ import annotations

from fnmatch import fnmatchcase

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pytest_neuron_classification.core.glob_index import GlobIndex
from pytest_neuron_classification.core.globs import TestPatterns, file_part, glob_regex, node_regex

PARTS = st.text(st.sampled_from("ab*?[]!-"), min_size=1, max_size=5)


PATH_PARTS = st.text(st.sampled_from("ab[]!-"), min_size=1, max_size=4)


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("tests/runtime/**", "tests/runtime/test_a.py", True),
        ("tests/runtime/**", "tests/runtime/deep/test_b.py", True),
        ("tests/runtime/**", "tests/runtimes/test_a.py", False),
        ("tests/test_rt.py", "tests/test_rt.py", True),
        ("tests/test_*.py", "tests/sub/test_a.py", False),
        ("tests/**/test_perf_*.py", "tests/test_perf_x.py", True),
        ("tests/**/test_perf_*.py", "tests/a/b/test_perf_x.py", True),
        ("tests/test_?.py", "tests/test_ab.py", False),
    ],
)
def test_glob_patterns(pattern, path, matches):
    assert bool(glob_regex(pattern).match(path)) is matches


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("./tests/test_a.py", "tests/test_a.py", True),
        ("tests", "tests/test_a.py", True),
        ("tests", "tests/deep/test_a.py", True),
        ("tests", "testsuite/test_a.py", False),
        ("tests/", "tests/deep/test_a.py", True),
        ("tests/test_[ab].py", "tests/test_a.py", True),
        ("tests/test_[ab].py", "tests/test_c.py", False),
        ("tests/test_[!ab].py", "tests/test_c.py", True),
        ("tests/test_[a-c].py", "tests/test_b.py", True),
        ("tests/*", "tests/deep/test_a.py", False),  # a wildcard part still stays within its folder
        ("tests/test_a.py", "tests/test_a.py/x", True),  # harmless: a file has nothing below it
        (".", "tests/deep/test_a.py", True),  # the pyproject.toml's folder: every file below it
        ("./", "test_a.py", True),
    ],
)
def test_glob_spellings_people_write(pattern, path, matches):
    assert bool(glob_regex(pattern).match(path)) is matches
    index = GlobIndex()
    index.add(pattern, glob_regex(pattern))
    assert index.matching(path) == ([0] if matches else [])  # filed where the path looks it up


@given(st.lists(PARTS, min_size=1, max_size=3), st.lists(PATH_PARTS, min_size=1, max_size=4))
def test_glob_regex_agrees_with_fnmatch_part_by_part(parts, path_parts):
    """Without ``**``, a glob matches a path when each part matches as fnmatch says; a last part
    without wildcards (a folder) also covers the paths below it."""
    assume(not any("**" in p for p in parts))
    pattern, path = "/".join(parts), "/".join(path_parts)
    folder = not any(c in parts[-1] for c in "*?[")
    same_depth = len(path_parts) == len(parts) or (folder and len(path_parts) > len(parts))
    expected = same_depth and all(fnmatchcase(name, part) for name, part in zip(path_parts, parts))
    assert bool(glob_regex(pattern).match(path)) is expected


NAME_CHARACTERS = st.sampled_from("ab-!^.\\]") | st.characters(blacklist_characters="/", blacklist_categories=("Cs",))


@given(st.text(st.sampled_from("*?[") | NAME_CHARACTERS, max_size=8), st.text(NAME_CHARACTERS, max_size=6))
def test_one_part_matches_a_name_as_fnmatch_says(part, name):
    """One part (no ``/``, no ``**``) matches a file name exactly as :func:`fnmatch.fnmatchcase` does."""
    assume("**" not in part)
    assert bool(glob_regex(part).match(name)) is fnmatchcase(name, part)


# Node id patterns: tests inside a file


@pytest.mark.parametrize(
    ("pattern", "rest", "matches"),
    [
        ("tests/test_ops.py::test_rearrange*", "test_rearrange_b[1]", True),
        ("tests/test_ops.py::test_rearrange*", "test_reduce", False),
        ("tests/test_ops.py::test_add[float*]", "test_add[float32]", True),  # brackets are themselves
        ("tests/test_ops.py::test_add[float*]", "test_add[int8]", False),
        ("tests/test_ops.py::test_add[f]", "test_add[f]", True),
        ("tests/test_ops.py::test_add[f]", "test_add[g]", False),
        ("tests/test_ops.py::test_add", "test_add[int8]", True),  # a function covers its parameters
        ("tests/test_ops.py::test_add", "test_add_more", False),
        ("tests/test_ops.py::TestOps", "TestOps::test_one", True),  # a class covers its tests
        ("tests/test_ops.py::TestOps::test_?", "TestOps::test_1", True),
        ("tests/test_ops.py::*::test_one", "TestOps::test_one", True),
        ("tests/test_ops.py::test_x[a/b]", "test_x[a/b]", True),  # a parameter may hold a slash
    ],
)
def test_node_id_patterns(pattern, rest, matches):
    regex = node_regex(pattern)
    assert regex is not None
    assert bool(regex.match(rest)) is matches


def test_a_pattern_without_node_part_names_whole_files():
    assert node_regex("tests/test_ops.py") is None
    assert file_part("tests/test_ops.py") == "tests/test_ops.py"
    assert file_part("tests/*.py::test_a::b") == "tests/*.py"


def test_test_patterns_give_a_file_its_values_and_its_tests_theirs():
    patterns = TestPatterns([("tests/test_e.py", "integration"), ("tests/test_*.py::test_big*", "performance")])
    assert patterns.of_file("tests/test_x.py")[0] == ()
    whole, nodes = patterns.of_file("tests/test_e.py")
    assert whole == ("integration",)
    assert TestPatterns.of_test(nodes, "test_big_one") == ("performance",)
    assert TestPatterns.of_test(nodes, "test_small") == ()
    assert patterns.of_file("other/test_e.py") == ((), ())
    assert not TestPatterns([])
