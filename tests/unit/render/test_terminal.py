"""The terminal summary of a large inventory (render/terminal.py): without -v, the items with
something to say are listed and the others counted, as pytest prints a dot for a passing test."""

from __future__ import annotations

from pytest_neuron_classification.core.audit import audit_of
from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.core.items import make_item
from pytest_neuron_classification.core.metric import make_metric
from pytest_neuron_classification.core.test_record import TestRecord
from pytest_neuron_classification.core.vocabulary import Policy
from pytest_neuron_classification.render.terminal import LIST_ALL_UP_TO, terminal_lines


def audit(items: int):
    """``items`` Beta features with a passing test each, one Stable API in 100 lacking its compatibility
    tests, and one feature whose test measured something."""
    made, tests = [], []
    for k in range(items):
        gap = k % 100 == 99
        item = make_item(f"item_{k}", "api" if gap else "feature", "stable" if gap else "beta", {})
        made.append(item)
        metrics = (make_metric("latency", 1.5, "ms"),) if k == 7 else ()
        tests.append(
            TestRecord.of(f"t.py::test_{k}", (item.id,), (item.name,), ("functional",), "passed", metrics=metrics)
        )
    return audit_of(Evidence(policy=Policy(), items=tuple(made), tests=tuple(tests), source="t"))


def test_past_500_items_the_quiet_ones_are_counted_not_listed():
    lines = terminal_lines(audit(1000), verbose=False)
    assert "beta: 990 items, 990 of 990 obligations met" in lines
    assert "  +989 items with every obligation met (-v lists them)" in lines
    listed = [line for line in lines if line.startswith("  feature ")]
    assert [line.split()[1] for line in listed] == ["item_7"]  # it measured something: said
    assert len([line for line in lines if line.startswith("  api ")]) == 10  # every gap's item
    assert len(lines) < 50


def test_with_v_or_up_to_500_items_every_item_is_listed():
    assert not any("-v lists them" in line for line in terminal_lines(audit(1000), verbose=True))
    small = terminal_lines(audit(LIST_ALL_UP_TO), verbose=False)
    assert not any("-v lists them" in line for line in small)
    assert len([line for line in small if line.startswith(("  feature ", "  api "))]) == LIST_ALL_UP_TO
