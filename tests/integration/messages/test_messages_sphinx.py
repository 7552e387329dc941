"""The catalogue of what the Sphinx extension says: each warning's and error's exact wording, asserted here once.

A page that states a level the inventory contradicts, or names an item it does not list, is a warning
at the page's line (``sphinx-build -W`` fails on it); a directive given a wrong option is an error at
its line; a pyproject.toml the extension cannot read is one error at conf.py (the build goes on with no
items, and ``-W`` fails it), never Sphinx's crash report. User text is escaped (``\\u202e``). Each
case builds a one-page site in this process (tests/sphinx_sites.py); its line must appear whole,
``{docs}`` standing for the site's docs folder. Sphinx may add the warning's type (``[neuron-classification.level]``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from sphinx_sites import build, write_site

ITEMS = """
[[tool.neuron-classification.items]]
name = "trace"
kind = "api"
level = "alpha"

[[tool.neuron-classification.items]]
name = "llama"
kind = "model"
level = "beta"
workload = "training"

[[tool.neuron-classification.items]]
name = "llama"
kind = "model"
level = "stable"
workload = "inference"
"""


@dataclass(frozen=True)
class Case:
    #: The page's line 3 (its line 1 is a title).
    line: str
    said: str
    pyproject: str = ITEMS
    conf: str = ""
    #: Whether it is an error at conf.py (the inventory cannot be read): the page's names are then
    #: not reported each, and a strict build (``-W``) fails.
    config: bool = False


CASES = {
    "wrong-level": Case(
        "{neuron-level}`trace <beta>`",
        "{docs}/index.md:3: WARNING: neuron-level: trace is stated beta on this page, but ../pyproject.toml "
        "classifies it alpha; fix the label (or the inventory)",
    ),
    "not-a-level": Case(
        "{neuron-level}`trace <gamma>`",
        "{docs}/index.md:3: WARNING: neuron-level: trace: unknown level 'gamma' stated; use one of stable, beta, alpha",
    ),
    "unknown-item-close": Case(
        "{neuron-level}`trcae`",
        "{docs}/index.md:3: WARNING: neuron-level: no item 'trcae' in the inventory of ../pyproject.toml; "
        "did you mean 'trace'?",
    ),
    "unknown-item-far": Case(
        "{neuron-level}`bert`",
        "{docs}/index.md:3: WARNING: neuron-level: no item 'bert' in the inventory of ../pyproject.toml; "
        "it lists 3 items; add this one to [[tool.neuron-classification.items]]",
    ),
    "no-pyproject": Case(
        "{neuron-level}`trace`",
        "{docs}/conf.py:1: ERROR: neuron-classification: no pyproject.toml in {docs} or above; "
        "name one with neuron_classification_pyproject in conf.py",
        pyproject="",
        config=True,
    ),
    "no-inventory": Case(
        "{neuron-level}`trace`",
        "{docs}/index.md:3: WARNING: neuron-level: no item 'trace' in the inventory of ../pyproject.toml; "
        "it lists no items; add them as [[tool.neuron-classification.items]]",
        pyproject="[project]\nname = 'sdk'\n",
    ),
    "ambiguous": Case(
        "{neuron-level}`llama`",
        "{docs}/index.md:3: WARNING: neuron-level: 'llama' names 2 items of different levels "
        "(llama[workload=training] beta, llama[workload=inference] stable); name one by its id",
    ),
    "directive-kind": Case(
        "```{neuron-classification}\n:kind: modle\n```",
        "{docs}/index.md:3: ERROR: neuron-classification: :kind: 'modle'; use one of api, package, feature, model",
    ),
    "directive-report": Case(
        "```{neuron-classification}\n:neuron-json: nope.json\n```",
        "{docs}/index.md:3: ERROR: neuron-classification: :neuron-json: nope.json: cannot read the report "
        "(No such file or directory); produce it with --neuron-json from this plugin version",
    ),
    "conf-file": Case(
        "{neuron-level}`trace`",
        "{docs}/conf.py:3: ERROR: neuron-classification: neuron_classification_pyproject = 'sdk.toml': no such file (sdk.toml); "
        "name the pyproject.toml",
        conf='neuron_classification_pyproject = "sdk.toml"',
        config=True,
    ),
    "bad-toml": Case(
        "{neuron-level}`trace`",
        "{docs}/conf.py:1: ERROR: neuron-classification: ../pyproject.toml: invalid TOML ({any}); fix the syntax",
        pyproject="[tool.neuron-classification\n",
        config=True,
    ),
    "bad-table": Case(
        "{neuron-level}`trace`",
        "{docs}/conf.py:1: ERROR: neuron-classification: ../pyproject.toml: [tool.neuron-classification] {any}",
        pyproject="[tool.neuron-classification]\nenforce = 'loud'\n",
        config=True,
    ),
    "bad-level": Case(
        "{neuron-level}`trace`",
        "{docs}/conf.py:1: ERROR: neuron-classification: ../pyproject.toml: {any}'gamma'{any}",
        pyproject='[[tool.neuron-classification.items]]\nname = "trace"\nkind = "api"\nlevel = "gamma"\n',
        config=True,
    ),
    "control-characters-item": Case(
        "{neuron-level}`tra\u202ece <beta>`",
        "{docs}/index.md:3: WARNING: neuron-level: tra\\u202ece is stated beta on this page, but ../pyproject.toml "
        "classifies it alpha; fix the label (or the inventory)",
        pyproject='[[tool.neuron-classification.items]]\nname = "tra\\u202ece"\nkind = "api"\nlevel = "alpha"\n',
    ),
    "control-characters": Case(
        "{neuron-level}`tra\u202ece <beta>`",
        "{docs}/index.md:3: WARNING: neuron-level: no item 'tra\\u202ece' in the inventory of ../pyproject.toml; "
        "did you mean 'trace'?",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_message(name: str, tmp_path) -> None:
    case = CASES[name]
    if case.pyproject:
        (tmp_path / "pyproject.toml").write_text(case.pyproject)
    docs = write_site(tmp_path, extra=case.conf, index=f"# Page\n\n{case.line}\n")
    (docs / "other.rst").unlink()
    done = build(docs, tmp_path / "html")
    assert done.status == 0  # Sphinx counts an error line as a warning: only -W makes it fail the build
    lines = done.warnings
    assert not any("\u202e" in line for line in lines)
    if case.config:
        assert len(lines) == 1, "\n".join(lines)  # one line, not one more per name the page gives
        assert build(docs, tmp_path / "strict", "-W").status != 0
    pattern = ".*".join(re.escape(part) for part in case.said.replace("{docs}", str(docs)).split("{any}"))
    assert any(re.fullmatch(pattern + r"( \[[\w.-]+\])?", line) for line in lines), "\n".join(lines)
