"""Report paths never name a file the run reads, nor one it did not write.

A ``--neuron-json`` or ``--neuron-markdown`` path that names the contracts, the metric baseline,
the gap baseline, an evidence file, the history or the configuration would destroy an input (the
next run stops on the wrong schema); one that names README.md would destroy documentation. Each
is refused in one line before any test runs (those lines are in the catalogue,
test_messages_files.py, which also checks that no file changed); a report of a previous run is
replaced as before.
"""

from __future__ import annotations

import json

import pytest

MODULE = "import pytest\npytestmark = pytest.mark.neuron_beta('x')\ndef test_a(): pass\n"


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(test_x=MODULE)
    return pytester


def test_a_previous_report_is_replaced_and_a_new_path_written(suite):
    assert suite.runpytest("--neuron-json=r.json", "--neuron-markdown=r.md").ret == 0
    first = (suite.path / "r.md").read_text()
    assert suite.runpytest("--neuron-json=r.json", "--neuron-markdown=r.md").ret == 0
    assert (suite.path / "r.md").read_text() == first
    (suite.path / "empty.md").write_text("")  # a job summary file starts empty
    assert suite.runpytest("--neuron-markdown=empty.md").ret == 0
    assert (suite.path / "empty.md").read_text().startswith("## Neuron software classification")


def test_update_baseline_on_a_path_narrowed_run_keeps_the_other_files_gaps(pytester, project):
    pytester.makepyfile(
        test_a="import pytest\npytestmark = pytest.mark.neuron_stable('a')\ndef test_a(): pass\n",
        test_b="import pytest\npytestmark = pytest.mark.neuron_stable('b')\ndef test_b(): pass\n",
    )
    assert pytester.runpytest("--neuron-baseline=gb.json", "--neuron-update-baseline").ret == 0
    recorded = json.loads((pytester.path / "gb.json").read_text())["gaps"]
    assert len(recorded) == 4  # standard and performance of a and b
    assert pytester.runpytest("test_a.py", "--neuron-baseline=gb.json", "--neuron-update-baseline").ret == 0
    assert json.loads((pytester.path / "gb.json").read_text())["gaps"] == recorded
    assert pytester.runpytest("--neuron-baseline=gb.json").ret == 0  # the full run still tolerates b's gaps
