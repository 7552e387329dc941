"""What the documentation shows is what its commands print today: each scenario runs the commands a page shows, in a copy of the bundled example (see tests/docs_pages.py), and the command line's subcommands and the JSON report's fields are in the reference."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from docs_pages import DOCS, ROOT, checked_blocks, data, matches
from docs_scenarios import SCENARIOS, run, scenario_report


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_shown_output_is_real_output(name: str, tmp_path: Path) -> None:
    shown = [b for b in checked_blocks() if b.note[1] == name]
    assert shown, f"scenario {name!r} is shown nowhere; delete it or show its output"
    output = SCENARIOS[name](tmp_path)
    for block in shown:
        missing = matches(block.text, output)
        assert not missing, (
            f"{block.where()}: these lines are not what `{name}` prints now:\n{missing}\n--- it prints:\n{output}"
        )


def test_every_subcommand_is_in_the_reference() -> None:
    helped = run(ROOT, "python", "-m", "pytest_neuron_classification", "--help")
    listed = re.findall(r"^    ([a-z]+)\s{2,}\S", helped, re.M)
    assert listed == list(data.subcommands())
    page = (DOCS / "reference" / "cli.md").read_text()
    assert re.findall(r"^<!-- generated: subcommand (\S+) -->$", page, re.M) == listed
    assert all(data.subcommand_help().values())


def test_every_report_field_is_in_the_reference(tmp_path: Path) -> None:
    report = json.loads(scenario_report(tmp_path))
    page = (DOCS / "reference" / "files.md").read_text()
    undocumented = [key for key in report if f"`{key}`" not in page]
    assert not undocumented, f"JSON report fields docs/reference/files.md does not name: {undocumented}"
