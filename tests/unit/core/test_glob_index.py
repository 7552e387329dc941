"""The glob index (core/glob_index.py) finds exactly the globs that trying each in turn finds, in order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pytest_neuron_classification.core.glob_index import GlobIndex
from pytest_neuron_classification.core.globs import glob_regex

#: Parts people write (folders, files, wildcards, ``**``, ``.``) and a few that no one should.
PART = st.sampled_from(["a", "b", "t.py", "*", "*.py", "**", "a**", "?", "[ab]", ".", ""])
PATTERN = st.builds(
    lambda lead, parts, slash: lead + "/".join(parts) + slash,
    st.sampled_from(["", "./", "././"]),
    st.lists(PART, min_size=1, max_size=4),
    st.sampled_from(["", "/"]),
)
PATH = st.lists(st.sampled_from(["a", "b", "t.py", "x.py", ".", ""]), min_size=1, max_size=5).map("/".join)


def brute_force(patterns: list[str], path: str) -> list[int]:
    return [i for i, p in enumerate(patterns) if glob_regex(p).match(path)]


@given(st.lists(PATTERN, max_size=8), st.lists(PATH, min_size=1, max_size=5))
def test_the_index_matches_what_every_glob_in_turn_matches(patterns, paths):
    index = GlobIndex()
    for pattern in patterns:
        index.add(pattern, glob_regex(pattern))
    for path in paths:
        assert index.matching(path) == brute_force(patterns, path)


def test_a_path_tries_only_the_globs_filed_under_its_folders():
    index = GlobIndex()
    patterns = [f"tests/group_{g}/test_mod_{m}.py" for g in range(20) for m in range(50)]
    patterns += ["tests/group_3/", "tests/**/test_mod_7.py", "other/*.py"]
    for pattern in patterns:
        index.add(pattern, glob_regex(pattern))
    assert index.matching("tests/group_3/test_mod_7.py") == [157, 1000, 1001]
    # Filed by name: the file's own glob, its folder's, and the one glob that starts below "tests".
    assert len(index._exact["tests/group_3/test_mod_7.py"]) == 1 and index._below.keys() == {
        "tests/group_3",
        "tests",
        "other",
    }
