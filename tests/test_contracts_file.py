"""The API contracts file: every field of every entry is checked when it is read.

An entry of the right schema but missing a key (hand-edited, or cut by a merge conflict) stops the
run in one line before any test, rather than as a ``KeyError`` traceback after the whole run.
"""

from __future__ import annotations

import json

import pytest

API = '[[tool.neuron-classification.items]]\nname = "{name}"\nkind = "api"\ntarget = "{target}"\n'
FLAG = {"type": "flag", "options": ["--x"], "required": False, "arity": "1", "choices": None, "default": False}


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"type": "function"}, "a function entry needs 'parameters' (missing)"),
        ({"type": "class", "methods": {}}, "a class entry needs 'init' (missing)"),
        ({"type": "env"}, "an env entry needs 'read_by' (missing)"),
        ({k: v for k, v in FLAG.items() if k != "choices"}, "a flag entry needs 'choices' (missing)"),
        ({**FLAG, "options": []}, "'options' must be a non-empty list of option strings"),
        ({**FLAG, "required": "no"}, "'required' and 'default' must be true or false"),
        ({**FLAG, "choices": [1, 2]}, "'choices' must be null or a list of strings"),
        ({**FLAG, "arity": 1}, "'arity' must be a string"),
    ],
)
def test_an_entry_missing_a_field_is_one_line_before_any_test(project, entry, problem):
    project.config(API.format(name="mylib.trace", target="json:dumps"))
    body = {"schema": "pytest-neuron-classification-contracts/1", "contracts": {"mylib.trace": entry}}
    (project.path / "neuron-contracts.json").write_text(json.dumps(body))
    project.pytester.makepyfile(test_a="def test_a(): pass")
    result = project.pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            f"ERROR: neuron-classification: *neuron-contracts.json: contracts entry 'mylib.trace': {problem}; "
            "fix it, or rewrite it with --neuron-update-contracts"
        ]
    )
    result.stdout.no_fnmatch_line("*passed*")


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
