"""The API contracts file: every field of every entry is checked when it is read.

An entry of the right schema but missing a key (hand-edited, or cut by a merge conflict) stops the
run in one line before any test, rather than as a ``KeyError`` traceback after the whole run
(each such line is in the catalogue, test_messages_files.py). What the plugin writes, it reads back.
"""

from __future__ import annotations

API = '[[tool.neuron-classification.items]]\nname = "{name}"\nkind = "api"\ntarget = "{target}"\n'


def test_a_recorded_file_passes_its_own_checks(project):
    """What --neuron-update-contracts writes for a function, a class and a flag is read back cleanly."""
    project.config(
        API.format(name="mylib.trace", target="json:dumps")
        + API.format(name="mylib.Decoder", target="json:JSONDecoder")
    )
    project.pytester.makepyfile(
        test_a="import pytest\n"
        "@pytest.mark.neuron_stable('mylib.trace', kind='api')\ndef test_a(): pass\n"
        "@pytest.mark.neuron_stable('mylib.Decoder', kind='api')\ndef test_b(): pass\n"
    )
    assert project.pytester.runpytest("--neuron-update-contracts", "--neuron-enforce=warn").ret == 0
    assert project.pytester.runpytest("--neuron-enforce=warn").ret == 0
