"""Evidence files (storage/evidence_file.py) at scale: a file of 200,000 results reads in seconds (each
check is one pass). A hand-edited file is refused in tests/integration/evidence/test_outside_evidence.py,
and each line that refuses one is in the catalogue (test_messages_files.py, test_messages_cli_record.py).
"""

from __future__ import annotations

import json

from evidence_projects import result

from pytest_neuron_classification.core.items import Item
from pytest_neuron_classification.storage.evidence_file import EVIDENCE_FILE, read_results

SCHEMA = EVIDENCE_FILE.schema


def test_reading_a_file_costs_a_few_item_ids_per_result(tmp_path, monkeypatch):
    """Linear, not quadratic: 4,000 results once cost 16 million ``Item.id`` calls."""
    path = tmp_path / "ev.json"
    path.write_text(json.dumps({"schema": SCHEMA, "results": [result(i) for i in range(4000)]}))
    calls = 0
    original = Item.id

    def counted(self: Item) -> str:
        nonlocal calls
        calls += 1
        return original.func(self)  # an Item's id is a cached_property: count the work, uncached

    monkeypatch.setattr(Item, "id", property(counted))
    assert len(read_results(path)) == 4000
    assert calls < 10 * 4000
