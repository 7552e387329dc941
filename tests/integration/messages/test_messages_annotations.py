"""The catalogue of what the code's own annotations and the deeper contracts make a run say: each
line's exact wording, asserted here once.

An SDK marks maturity in its code (``@beta``, ``@PublicAPI(stability="beta")``, a module named
``experimental``), so a disagreement with the inventory or a marker is said in the one format of
``SUBJECT is FIRST but SECOND; FIX``. A contract read from the source records more than parameters,
and each new kind of breaking change has its words here. Other tests check statuses and report keys.
"""

from __future__ import annotations

import datetime
import json
from functools import partial
from typing import Any

import catalogue
import pytest

from pytest_neuron_classification.core.contracts import add_month

TODAY = datetime.date.today()
IMPORTABLE = '[tool.pytest.ini_options]\npythonpath = ["."]\n'
ITEM = "[[tool.neuron-classification.items]]\n"
TABLE = "ERROR: neuron-classification: pyproject.toml: [tool.neuron-classification] "
STABILITY = """
def beta(obj):
    return obj
def PublicAPI(*args, **kwargs):
    return args[0] if args and callable(args[0]) else (lambda obj: obj)
"""
#: An SDK whose import needs a device: everything the plugin knows of it is read from its source.
SDK = """
import enum
from sdk._stability import PublicAPI
from sdk._stability import beta as b
raise RuntimeError("no Neuron device")

LIMIT: int = 32

@PublicAPI(stability="stable")
async def compile(model: Model, *, level: str = 3) -> bytes: ...

@b
def fuse(a, b=None): ...

class Base:
    pass

class Model:
    def __init__(self, path, dtype="fp32"):
        self.path = path
    def run(self, x) -> dict: ...
    @property
    def dtype(self): ...

class Mode(enum.Enum):
    FAST = 1
    EAGER = 3
"""
ANNOTATIONS = (
    'api-modules = ["sdk"]\n'
    'annotations = { "sdk._stability.beta" = "beta", "sdk._stability.PublicAPI" = '
    '{ keyword = "stability", default = "stable" } }\n'
)
#: A module constant is an API when the inventory lists it.
LIMIT = f'{ITEM}name = "sdk.LIMIT"\nkind = "api"\ntarget = "sdk:LIMIT"\n'


def param(name: str, kind: str = "positional-or-keyword", annotation: str | None = None, default: str | None = None):
    return {
        "name": name,
        "kind": kind,
        "default": default is not None,
        "annotation": annotation,
        "default_value": default,
    }


def contracts(entries: dict[str, dict[str, Any]]) -> str:
    return json.dumps({"schema": "pytest-neuron-classification-contracts/1", "contracts": entries})


RECORDED = {
    "sdk.LIMIT": {"type": "constant", "target": "sdk:LIMIT", "value": "64", "annotation": "int"},
    "sdk.compile": {
        "type": "function",
        "target": "sdk:compile",
        "parameters": [param("model"), param("level", "keyword-only", "int", "2")],
        "returns": "str",
        "async": False,
    },
    "sdk.Model": {
        "type": "class",
        "target": "sdk:Model",
        "init": [param("path"), param("dtype", default="'fp32'")],
        "methods": {"run": [param("self"), param("x")]},
        "method_details": {"run": {"returns": "list", "async": True}},
        "bases": ["Base"],
        "attributes": ["kind", "path"],
        "properties": ["size"],
    },
    "sdk.Mode": {
        "type": "class",
        "target": "sdk:Mode",
        "init": None,
        "methods": {},
        "bases": ["Enum"],
        "members": ["FAST", "SAFE"],
    },
}
FILES = {
    "sdk/__init__.py": SDK,
    "sdk/_stability.py": STABILITY,
    "test_sdk.py": "import pytest\n@pytest.mark.neuron_stable('sdk.compile', kind='api')\ndef test_compile(): pass\n",
    "neuron-contracts.json": contracts(RECORDED),
}
NOTICE = (
    '[[tool.neuron-classification.notices]]\nitem = "sdk.compile"\nannounced = {announced}\neffective = {effective}\n'
)

Case = partial(catalogue.Case, ret=pytest.ExitCode.TESTS_FAILED)
Usage = partial(Case, stream="stderr", ret=pytest.ExitCode.USAGE_ERROR, base={"test_a.py": "def test_a(): pass\n"})


CATALOGUE = {
    "deeper contract changes": Case(
        files=FILES,
        config=ANNOTATIONS + LIMIT + IMPORTABLE,
        lines=(
            "  stable api sdk.LIMIT (sdk:LIMIT): contract broken",
            "    breaking: value of constant `sdk:LIMIT` changed from `64` to `32`",
            "    breaking: default of parameter `level` of `sdk:compile` changed from `2` to `3`",
            "    breaking: annotation of parameter `level` of `sdk:compile` changed from `int` to `str`",
            "    breaking: annotation of return of `sdk:compile` changed from `str` to `bytes`",
            "    breaking: `sdk:compile` became async",
            "    breaking: base class `Base` removed from `sdk:Model`",
            "    breaking: attribute `kind` removed from `sdk:Model`",
            "    breaking: property `size` removed from `sdk:Model`",
            "    additive: annotation `Model` added to parameter `model` of `sdk:compile`",
            "    additive: property `dtype` added to `sdk:Model`",
            "    breaking: annotation of return of `sdk:Model.run` changed from `list` to `dict`",
            "    breaking: `sdk:Model.run` is no longer async",
            "    breaking: enum member `SAFE` removed from `sdk:Mode`",
            "    additive: enum member `EAGER` added to `sdk:Mode`",
        ),
    ),
    "a notice shorter than the window of its kind": Case(
        files=FILES,
        config=ANNOTATIONS
        + 'notice = { stable = "1 month", python = "3 months" }\n'
        + NOTICE.format(announced=TODAY - datetime.timedelta(days=70), effective=TODAY)
        + IMPORTABLE,
        lines=(
            f"    notice: the notice announced {TODAY - datetime.timedelta(days=70)} takes effect {TODAY}, less than "
            f"3 months later (the earliest allowed is {add_month(TODAY - datetime.timedelta(days=70), 3)})",
        ),
    ),
    "an annotation and the inventory": Usage(
        files={"sdk/__init__.py": SDK, "sdk/_stability.py": STABILITY},
        config=ANNOTATIONS + f'{ITEM}name = "sdk.fuse"\nkind = "api"\nlevel = "stable"\n' + IMPORTABLE,
        lines="ERROR: neuron-classification: api 'sdk.fuse' is beta in the code (@sdk._stability.beta at "
        "sdk/__init__.py:12) but stable in pyproject.toml items[0]; give it level 'beta' there, or change the "
        "annotation in the code",
    ),
    "an annotation and a marker": Case(
        files={
            "sdk/__init__.py": SDK,
            "sdk/_stability.py": STABILITY,
            "test_a.py": "import pytest\n@pytest.mark.neuron_stable('sdk.fuse', kind='api')\ndef test_it(): pass\n",
        },
        config=ANNOTATIONS + IMPORTABLE,
        lines="  test_a.py::test_it: api 'sdk.fuse' is beta in the code (@sdk._stability.beta at sdk/__init__.py:12) "
        "but stable by neuron_stable here; use neuron_beta or change the code (@sdk._stability.beta at "
        "sdk/__init__.py:12)",
    ),
    "an annotation's level that is no level": Usage(
        files={
            "sdk/__init__.py": SDK.replace('stability="stable"', 'stability="gamma"'),
            "sdk/_stability.py": STABILITY,
        },
        config=ANNOTATIONS + IMPORTABLE,
        lines="ERROR: neuron-classification: pyproject.toml: annotations: sdk/__init__.py:9: "
        "PublicAPI(stability='gamma') is not a level; write stability= as one of 'stable', 'beta', 'alpha'",
    ),
    "an annotation's level passed by position": Usage(
        files={
            "sdk/__init__.py": SDK.replace('PublicAPI(stability="stable")', 'PublicAPI("alpha")'),
            "sdk/_stability.py": STABILITY,
        },
        config=ANNOTATIONS + IMPORTABLE,
        lines="ERROR: neuron-classification: pyproject.toml: annotations: sdk/__init__.py:9: "
        "PublicAPI('alpha') gives no stability= the source can read; write stability= as one of 'stable', 'beta', "
        "'alpha'",
    ),
    "two annotations that disagree": Usage(
        files={
            "sdk/__init__.py": SDK.replace("@b\n", '@PublicAPI(stability="stable")\n@b\n'),
            "sdk/_stability.py": STABILITY,
        },
        config=ANNOTATIONS + IMPORTABLE,
        lines="ERROR: neuron-classification: pyproject.toml: annotations: sdk/__init__.py:14: fuse is stable by "
        "@sdk._stability.PublicAPI at sdk/__init__.py:12 but beta by @sdk._stability.beta at sdk/__init__.py:13; "
        "keep one level",
    ),
    "an annotation that is neither a level nor a keyword table": Usage(
        config='annotations = { "sdk.beta" = { key = "stability" } }\n',
        lines=TABLE + 'annotations.\'sdk.beta\' must be a level or { keyword = "stability", default = "stable" }, '
        "not {'key': 'stability'}",
    ),
    "a notice window that is not a duration": Usage(
        config='notice = { flag = "a quarter" }\n',
        lines=TABLE
        + 'notice.flag must be a notice window such as "1 month", "3 months", "6 weeks" or "90 days", not \'a quarter\'',
    ),
    "a notice window shorter than a month": Usage(
        config='notice = { flag = "2 weeks" }\n',
        lines=TABLE
        + "notice.flag = '2 weeks' is shorter than the one month every Stable API is owed; give 1 month or more",
    ),
    "a notice window of four weeks (shorter than some months)": Usage(
        config='notice = { stable = "4 weeks" }\n',
        lines=TABLE
        + "notice.stable = '4 weeks' is shorter than the one month every Stable API is owed; give 1 month or more",
    ),
    "a notice window of thousands of years": Usage(
        config='notice = { python = "9000 years" }\n',
        lines=TABLE + "notice.python = '9000 years' is longer than 100 years; give a window such as \"3 months\"",
    ),
}


@pytest.mark.parametrize("case", CATALOGUE.values(), ids=CATALOGUE.keys())
def test_the_plugin_says_it_in_these_words(project, case):
    catalogue.check(project, case)
