"""Maturity read from the SDK's own code, and contracts read from its source (docs/how-to/contracts.md).

Every run here uses an SDK whose import raises, as one that needs a Neuron device does on a CI
runner: annotations and contracts must still be read, from the source alone.
"""

from __future__ import annotations

import datetime
import json
import sys

import pytest

from pytest_neuron_classification.core.contracts import add_month

TODAY = datetime.date.today()
STABILITY = "def beta(obj):\n    return obj\ndef stable(obj):\n    return obj\n"
SDK = """
from sdk._stability import beta
__all__ = ["fuse", "compile", "Model"]
raise RuntimeError("no Neuron device")

@beta
def fuse(a, b=None): ...

def compile(model, *, level: int = 2) -> str: ...

class Model:
    def __init__(self, path):
        self.path = path
    @property
    def size(self) -> int: ...
"""
CONFIG = """
api-modules = ["sdk"]
annotations = {{ "sdk._stability.beta" = "beta", "sdk._stability.stable" = "stable" }}
{more}
[tool.pytest.ini_options]
pythonpath = ["."]
"""
TESTS = """
import pytest
@pytest.mark.neuron_stable("sdk.compile", kind="api")
def test_compile(): pass
@pytest.mark.neuron_stable("sdk.Model", kind="api")
def test_model(): pass
"""


@pytest.fixture
def sdk(project, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)

    def write(source: str = SDK, more: str = "", tests: str = TESTS) -> None:
        project.config(CONFIG.format(more=more))
        project.write({"sdk/__init__.py": source, "sdk/_stability.py": STABILITY, "test_sdk.py": tests})

    return write


def test_an_sdk_whose_import_raises_is_read_from_its_source(sdk, project):
    sdk()
    result, report = project.run("--neuron-update-contracts")
    items = {i["name"]: (i["level"], i["declared"]) for i in report["items"]}
    assert items == {
        "sdk.fuse": ("beta", "annotation"),
        "sdk.compile": ("stable", "unlisted"),
        "sdk.Model": ("stable", "unlisted"),
    }
    assert report.statuses["sdk.fuse"] == {"basic": "missing"}  # an annotated Beta API owes a Beta test
    recorded = json.loads((project.path / "neuron-contracts.json").read_text())
    assert recorded["contracts"]["sdk.compile"]["returns"] == "str"
    assert recorded["contracts"]["sdk.Model"]["properties"] == ["size"]
    assert recorded["items"]["sdk.fuse"]["declared"] == "annotation"
    assert "sdk" not in sys.modules
    result.stdout.no_fnmatch_line("*cannot*import*")


def test_a_deeper_break_fails_and_a_notice_in_the_window_covers_it(sdk, project):
    sdk()
    project.run("--neuron-update-contracts")
    changed = SDK.replace("level: int = 2", "level: int = 3")
    sdk(changed)
    result, report = project.run()
    assert report.statuses["sdk.compile"]["compat"] == "failing"
    assert result.ret == 1
    announced = add_month(TODAY, -2)
    notice = 'notice = { python = "3 months" }\n[[tool.neuron-classification.notices]]\nitem = "sdk.compile"\n'
    sdk(changed, notice + f"announced = {announced}\neffective = {TODAY}\n")
    result, report = project.run()
    contract = next(i["contract"] for i in report["items"] if i["name"] == "sdk.compile")
    assert (contract["state"], contract["window"]) == ("broken", "3 months")
    assert result.ret == 1
    sdk(changed, notice + f"announced = {add_month(TODAY, -3)}\neffective = {TODAY}\n")
    result, report = project.run()
    contract = next(i["contract"] for i in report["items"] if i["name"] == "sdk.compile")
    assert contract["state"] == "holds" and "at least 3 months later" in contract["notice"]
    assert report.statuses["sdk.compile"]["compat"] == "met"


def test_code_promoting_what_was_recorded_beta_is_reported_by_the_lifecycle(sdk, project):
    sdk(tests=TESTS + '@pytest.mark.neuron_beta("sdk.fuse", kind="api")\ndef test_fuse(): pass\n')
    project.run("--neuron-update-contracts")
    sdk(
        SDK.replace("@beta", "@stable").replace("import beta", "import beta, stable"),
        tests=TESTS + '@pytest.mark.neuron_stable("sdk.fuse", kind="api")\ndef test_fuse(): pass\n',
    )
    result, report = project.run()
    assert [(c["item"], c["change"]) for c in report["lifecycle"]] == [("sdk.fuse", "promoted")]
    result.stdout.fnmatch_lines(["  beta api sdk.fuse was promoted to stable*"])


def test_a_marker_that_disagrees_with_the_code_is_a_test_error(sdk, project):
    sdk(tests=TESTS + '@pytest.mark.neuron_stable("sdk.fuse", kind="api")\ndef test_fuse(): pass\n')
    result, _ = project.run()
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*test_fuse*sdk.fuse*beta in the code*stable by neuron_stable*"])


def test_an_old_contracts_file_still_loads_and_holds(sdk, project):
    """A contract recorded before the deeper fields existed compares what it has: no break."""
    sdk()
    old = {
        "sdk.compile": {
            "type": "function",
            "target": "sdk:compile",
            "parameters": [
                {"name": "model", "kind": "positional-or-keyword", "default": False},
                {"name": "level", "kind": "keyword-only", "default": True},
            ],
        }
    }
    (project.path / "neuron-contracts.json").write_text(
        json.dumps({"schema": "pytest-neuron-classification-contracts/1", "contracts": old})
    )
    _, report = project.run()
    contract = next(i["contract"] for i in report["items"] if i["name"] == "sdk.compile")
    assert (contract["state"], contract["changes"]) == ("holds", [])


def test_a_c_extension_target_is_read_by_import(project):
    project.config(project.API.format(name="floor", target="math:floor"))
    project.write({"test_floor.py": project.COMPAT.format(name="floor")})
    project.run("--neuron-update-contracts")
    recorded = json.loads((project.path / "neuron-contracts.json").read_text())["contracts"]["floor"]
    assert recorded["type"] == "function" and "returns" not in recorded  # what an import can read


def test_a_stable_api_exposing_an_annotated_beta_one_is_found_without_importing(sdk, project):
    exposing = SDK.replace("def compile(model, *,", "def compile(model: Optional[fuse_config], *,").replace(
        "@beta\ndef fuse", "from typing import Optional\n\n@beta\nclass fuse_config: ...\n\n@beta\ndef fuse"
    )
    sdk(exposing.replace('"fuse", "compile"', '"fuse", "fuse_config", "compile"'))
    result, report = project.run()
    assert [(c["item"], c["change"]) for c in report["lifecycle"]] == [("sdk.compile", "exposes")]
    result.stdout.fnmatch_lines(["  stable api sdk.compile exposes beta api sdk.fuse_config (parameter model) -> *"])
    assert "sdk" not in sys.modules
