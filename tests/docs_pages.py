"""The documentation's pages, output blocks and scenarios, shared by the tests that check them
(tests/integration/docs/test_docs.py, tests/system/docs/test_docs_output.py); the scenarios that
produce each page's output are in tests/docs_scenarios.py.

Shown output follows one convention, in ``docs/**/*.md`` and README.md: a fenced block right after a
comment ``% output: NAME`` (``<!-- output: NAME -->`` in README.md) is output of the scenario NAME
below, which runs the commands the page shows in a copy of the bundled example. The block may be an
excerpt: lines of ``...`` stand for any number of lines, every other run of lines must appear in the
output in that order. Timings and machine-dependent numbers are masked on both sides (:data:`MASKS`).
A block after ``% file: NAME PATH`` is a file the page asks the reader to write: scenario NAME writes
it before running. Every output block (bare, ``text``, ``console``, ``json``, ``markdown``) must be checked so or carry
``% not-checked: why``: numbers measured on one machine (the performance figures), and a shrinking
list of outputs of layouts other than the example (:data:`UNCHECKED_AT_MOST`).
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent  # the repository: tests/..


DOCS = ROOT / "docs"


EXAMPLE = ROOT / "examples" / "neuron-sdk"


sys.path.insert(0, str(DOCS / "_ext"))


data = importlib.import_module("neuron_data")


#: Timings and numbers that depend on the machine, masked in the docs and in the output alike.
MASKS = (
    (re.compile(r"\b\d+(\.\d+)?s\b"), "<T>s"),  # "in 1.23s"
    # a timing is shown in the unit of its value (179.2 us, 4.462 ms): the unit moves with the machine
    (re.compile(r"(load_time) [0-9.e+-]+ (?:s|ms|us|ns)\b"), r"\1 <N> s"),
    (re.compile(r"(throughput|load_time|hit_s|latency_p90) [0-9.e+-]+"), r"\1 <N>"),
    (re.compile(r'"recorded": "[^"]*"'), '"recorded": "<time>"'),
    (re.compile(r"^=+ (.*?) =+$"), r"== \1 =="),  # pytest centres its summary line: the width moves
    (re.compile(r"^(python -m pytest|__main__\.py): error:"), "pytest: error:"),  # pytest 8 says __main__.py
)


OUTPUT_LANGUAGES = ("", "text", "console", "json", "markdown")


#: Output blocks not yet checked by a scenario, outside the performance figures: may only go down.
UNCHECKED_AT_MOST = 0


def mask(line: str) -> str:
    line = line.rstrip()
    for pattern, replacement in MASKS:
        line = pattern.sub(replacement, line)
    return line


@dataclass(frozen=True)
class Block:
    page: Path
    line: int
    language: str
    text: str
    #: ("output", NAME), ("file", NAME, PATH), ("not-checked", WHY) or ().
    note: tuple[str, ...]

    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


_NOTE = re.compile(r"^(?:%|<!--)\s*(output|file|not-checked):\s*(.*?)\s*(?:-->)?$")


def blocks() -> list[Block]:
    """Every fenced block of the docs and README.md, with the comment right before it."""
    found = []
    for page in [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]:
        if "_build" in page.parts:
            continue
        lines = page.read_text(encoding="utf-8").splitlines()
        i = 0
        while i < len(lines):
            fence = re.match(r"^(\s*)(`{3,})(\S*)", lines[i])
            if not fence:
                i += 1
                continue
            indent, ticks = fence.group(1), fence.group(2)
            end = next(j for j in range(i + 1, len(lines)) if lines[j].strip().startswith(ticks))
            note = _NOTE.match(lines[i - 1].strip() if i else "")
            parsed: tuple[str, ...] = ()
            if note:
                kind, rest = note.group(1), note.group(2)
                parsed = (kind, rest) if kind == "not-checked" else (kind, *rest.split(maxsplit=1))
            body = [line[len(indent) :] if line.startswith(indent) else line for line in lines[i + 1 : end]]
            found.append(Block(page, i + 1, fence.group(3), "\n".join(body) + "\n", parsed))
            i = end + 1
    return found


def matches(excerpt: str, output: str) -> str:
    """'' when ``excerpt`` (with ``...`` gaps) is in ``output``, else what is not."""
    out = [mask(line) for line in output.splitlines()]
    segments: list[list[str]] = [[]]
    for line in excerpt.splitlines():
        if line.strip() == "...":
            segments.append([])
        else:
            segments[-1].append(mask(line))
    start = 0
    for segment in filter(None, segments):
        at = next((i for i in range(start, len(out) - len(segment) + 1) if out[i : i + len(segment)] == segment), None)
        if at is None:
            return "\n".join(segment)
        start = at + len(segment)
    return ""


def checked_blocks() -> list[Block]:
    return [b for b in blocks() if b.note[:1] == ("output",)]


def known_keys(table: dict[str, object]) -> list[str]:
    """The keys the parser accepts, from its own message for one it does not."""
    with pytest.raises(data.ClassificationError) as caught:
        data.parse_settings(table, "pyproject.toml")
    return str(caught.value).split("known keys: ")[1].split(", ")
