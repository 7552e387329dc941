"""The inventory as the docs see it (pytest_neuron_classification.config.doc_inventory): which item a page's
name is, whether a stated level holds, the directive's choices and the table's rows, without Sphinx."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_neuron_classification.config.doc_inventory import (
    DocInventory,
    check_stated,
    find_item,
    load_inventory,
    parse_choices,
    table_rows,
)
from pytest_neuron_classification.core.items import Item
from pytest_neuron_classification.core.verdict import ItemResult, ObligationResult
from pytest_neuron_classification.core.vocabulary import KINDS, LEVELS, ClassificationError

TRACE = Item("trace", "api", "beta")
CAST = Item("--auto-cast", "api", "alpha")
RUNTIME = Item("runtime", "package", "stable", since="2.12")
LLAMA_T = Item("llama", "model", "beta", coupling=(("workload", "training"),))
LLAMA_I = Item("llama", "model", "stable", coupling=(("workload", "inference"),))
INVENTORY = DocInventory(Path("pyproject.toml"), "pyproject.toml", (TRACE, CAST, RUNTIME, LLAMA_T, LLAMA_I))


def test_an_item_is_found_by_name_or_id() -> None:
    assert find_item(INVENTORY, "trace").item == TRACE
    assert find_item(INVENTORY, "llama[workload=training]").item == LLAMA_T
    assert find_item(INVENTORY, "llama").item is None  # two levels: the id must say which
    same = DocInventory(Path("p"), "p", (LLAMA_T, Item("llama", "model", "beta", coupling=(("workload", "x"),))))
    assert find_item(same, "llama").item == LLAMA_T  # one level: either says it


def test_an_unknown_name_gets_the_closest_names() -> None:
    assert "'trace'" in find_item(INVENTORY, "trcae").problem
    assert "did you mean" not in find_item(INVENTORY, "bert").problem


def test_a_stated_level_holds_or_names_both_levels() -> None:
    assert check_stated(TRACE, "beta", "pyproject.toml") == ""
    problem = check_stated(TRACE, "stable", "pyproject.toml")
    assert "stable" in problem and "beta" in problem and "trace" in problem
    assert "gamma" in check_stated(TRACE, "gamma", "pyproject.toml")
    assert check_stated(TRACE, "Beta", "pyproject.toml") == check_stated(TRACE, "BETA", "pyproject.toml") == ""
    assert "is stated Stable on this page" in check_stated(TRACE, "Stable", "pyproject.toml")
    llama = Item("llama", "model", "beta", coupling=(("workload", "training"),))
    assert check_stated(llama, "stable", "pyproject.toml").startswith("llama[workload=training] is stated stable")


@given(st.lists(st.sampled_from(KINDS), min_size=1), st.sampled_from([",", ", ", " ,"]))
def test_choices_parse_back(kinds: list[str], separator: str) -> None:
    assert parse_choices(separator.join(kinds), KINDS, "kind") == tuple(kinds)


@given(st.text())
def test_choices_are_one_of_the_allowed_or_refused(text: str) -> None:
    try:
        chosen = parse_choices(text, LEVELS, "level")
    except ClassificationError as exc:
        assert str(exc).startswith(":level: ")
    else:
        assert chosen and set(chosen) <= set(LEVELS)


def test_rows_are_filtered_and_sorted_by_level_kind_name() -> None:
    assert [r.item for r in table_rows(INVENTORY)] == [RUNTIME, LLAMA_I, TRACE, LLAMA_T, CAST]
    assert [r.item for r in table_rows(INVENTORY, kinds=("api",), levels=("beta", "alpha"))] == [TRACE, CAST]
    assert table_rows(INVENTORY)[0].since == "2.12"


def test_rows_with_an_audit_show_statuses_and_items_found_by_markers() -> None:
    marker_only = Item("cache", "feature", "beta")
    audited = (
        ItemResult(TRACE, (ObligationResult("basic", "met"),)),
        ItemResult(marker_only, (ObligationResult("basic", "failing"),)),
    )
    rows = {r.item.name: r for r in table_rows(INVENTORY, audited=audited)}
    assert rows["trace"].statuses == "basic met"
    assert rows["cache"].statuses == "basic failing"
    assert rows["runtime"].statuses == "not in the report"


def test_the_first_pyproject_upwards_or_the_one_named(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[[tool.neuron-classification.items]]\nname = "a"\nkind = "api"\n')
    (tmp_path / "docs").mkdir()
    found = load_inventory(tmp_path / "docs")
    assert (found.label, [i.name for i in found.items]) == ("../pyproject.toml", ["a"])
    (tmp_path / "docs" / "sdk.toml").write_text("")
    assert load_inventory(tmp_path / "docs", "sdk.toml").items == ()
    with pytest.raises(ClassificationError, match="no such file"):
        load_inventory(tmp_path / "docs", "nope.toml")


def test_a_page_names_an_item_in_any_unicode_spelling() -> None:
    # The inventory reads café in its one spelling (NFC); a page may type the accent as a combining mark.
    inventory = DocInventory(Path("pyproject.toml"), "pyproject.toml", (Item("caf\u00e9", "feature", "beta"),))
    found = find_item(inventory, "cafe\u0301")
    assert found.item is not None and found.item.name == "caf\u00e9"
