"""The classification page for the documentation: every Alpha and Beta item, and what
each level means. Stable items are left out on purpose: unlisted means Stable."""

from __future__ import annotations

from typing import Sequence

from pytest_neuron_classification.core.items import Item
from pytest_neuron_classification.core.text import visible
from pytest_neuron_classification.core.verdict import ItemResult

LEVEL_MEANINGS = [
    (
        "Alpha",
        "Developer preview. Basic tests; major changes may happen, with no backward compatibility.",
        "Developer preview. Basic tests and basic functionality; performance not tested.",
        "(no Alpha level)",
    ),
    (
        "Beta",
        "Developer preview. Basic tests; minor changes may happen, with no backward compatibility.",
        "Developer preview. Basic tests; a minimum viable product; performance not tested.",
        "Developer preview. Accuracy or convergence validated; throughput and latency not tested.",
    ),
    (
        "Stable",
        "Basic and compatibility tests; incremental changes only, and a breaking change is announced "
        "at least one month before it takes effect.",
        "Standard product testing; performance tested; incremental additions in new releases.",
        "Accuracy or convergence validated; throughput and latency tested.",
    ),
]
_PREVIEW = "Alpha and Beta items are developer previews: not for production use; they are offered for early feedback."


def rows(items: Sequence[Item], results: dict[str, ItemResult] | None) -> list[list[str]]:
    """One row per Alpha or Beta item, sorted by level then kind then name."""
    header = ["Item", "Kind", "Level", "Coupling", "Since"] + (["Evidence (last audit)"] if results is not None else [])
    listed = sorted((i for i in items if i.level != "stable"), key=lambda i: (i.level, i.kind, i.id))
    body = []
    for item in listed:
        row = [item.name, item.kind, item.level.capitalize(), ", ".join(v for _, v in item.coupling), item.since or ""]
        if results is not None:
            result = results.get(item.id)
            row.append("; ".join(f"{o.name} {o.status}" for o in result.obligations) if result else "not in the audit")
        body.append([visible(cell) for cell in row])  # a name's format characters shown, not obeyed
    return [header, *body]


def render(items: Sequence[Item], results: dict[str, ItemResult] | None, fmt: str) -> str:
    table = rows(items, results)
    meanings = [["Level", "APIs", "Packages and features", "Model classes"], *map(list, LEVEL_MEANINGS)]
    intro = f"Items not listed here are Stable. {_PREVIEW}"
    if fmt == "rst":
        title = "Software classification"
        parts = [title, "=" * len(title), "", intro, "", _rst(table) if len(table) > 1 else "No Alpha or Beta items."]
        parts += ["", "What the levels mean", "-" * 20, "", _rst(meanings)]
    else:
        parts = [
            "## Software classification",
            "",
            intro,
            "",
            _md(table) if len(table) > 1 else "No Alpha or Beta items.",
        ]
        parts += ["", "### What the levels mean", "", _md(meanings)]
    return "\n".join(parts) + "\n"


def _md(table: list[list[str]]) -> str:
    lines = ["| " + " | ".join(table[0]) + " |", "|" + "---|" * len(table[0])]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in table[1:]]
    return "\n".join(lines)


def _rst(table: list[list[str]]) -> str:
    lines = [".. list-table::", "   :header-rows: 1", ""]
    for row in table:
        lines.append(f"   * - {row[0] or ' '}".rstrip())
        lines += [f"     - {c}".rstrip() for c in row[1:]]
    return "\n".join(lines)
