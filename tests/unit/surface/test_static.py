"""Reading an SDK from its source (surface/static.py, surface/static_contracts.py): no import, the same
parameters an import reads, and more; None whenever only an import can tell."""

from __future__ import annotations

import sys
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_neuron_classification.surface import static
from pytest_neuron_classification.surface.signatures import (
    TargetImportError,
    imported_snapshot,
    public_api,
    snapshot,
    stable_repr,
)
from pytest_neuron_classification.surface.static import public_names
from pytest_neuron_classification.surface.static_contracts import static_snapshot

CORE = """
import enum
import functools
from dataclasses import dataclass
from .base import Base

LIMIT: int = 64
_PRIVATE = 1
NAMES = ("a", "b")

def trace(fn, example_inputs, /, *args, optimize: bool = True, **options) -> "Traced": ...

async def fetch(url, timeout=3.5): ...

class Model(Base):
    kind = "graph"
    def __init__(self, path, *, dtype="fp32"):
        self.path = path
        self._cache = None
    @property
    def size(self) -> int: ...
    @functools.cached_property
    def graph(self): ...
    def predict(self, x: list[int]) -> dict: ...
    @classmethod
    def load(cls, path): ...
    @staticmethod
    def version(): ...
    def _hidden(self): ...

class Mode(str, enum.Enum):
    FAST = "fast"
    SAFE = "safe"

@dataclass
class Config:
    batch: int = 1

class Meta(metaclass=type):
    pass

class Hidden:
    def __init__(self, data): ...
    __signature__ = None

def _main(argv): ...

class Cli:
    main = staticmethod(_main)

from typing import overload

class Parser:
    @overload
    def parse(self, text: str) -> str: ...
    @overload
    def parse(self, text: bytes) -> bytes: ...
    def parse(self, text, strict=False): ...

@overload
def load(path: str) -> str: ...
def load(path, *, lazy=True): ...

def make(): ...

built = make()
"""
BASE = """
class Base:
    revision = 1
    def save(self, path): ...
"""
INIT = """
from .core import trace, fetch, Model, Mode, Config, LIMIT
raise RuntimeError("no Neuron device")
"""


@pytest.fixture
def sdk(tmp_path, monkeypatch):
    """A package ``statsdk`` whose import raises: what we read of it comes from its source."""
    package = tmp_path / "statsdk"
    package.mkdir()
    for name, text in {"__init__.py": INIT, "core.py": CORE, "base.py": BASE}.items():
        (package / name).write_text(textwrap.dedent(text))
    monkeypatch.syspath_prepend(str(tmp_path))
    static.forget_sources()
    yield "statsdk"
    static.forget_sources()
    assert "statsdk" not in sys.modules  # nothing was imported


def names(params):
    return [(p["name"], p["kind"], p["default"]) for p in params]


def test_a_function_with_annotations_and_default_values(sdk):
    found = static_snapshot("statsdk:trace")
    assert found is not None
    assert names(found["parameters"]) == [
        ("fn", "positional-only", False),
        ("example_inputs", "positional-only", False),
        ("args", "*args", False),
        ("optimize", "keyword-only", True),
        ("options", "**kwargs", False),
    ]
    optimize = found["parameters"][3]
    assert (optimize["annotation"], optimize["default_value"]) == ("bool", "True")
    assert (found["returns"], found["async"]) == ("Traced", False)  # written "Traced": the quotes are not the type
    assert static_snapshot("statsdk:fetch")["async"] is True


def test_a_class_its_bases_attributes_properties_and_methods(sdk):
    found = static_snapshot("statsdk:Model")
    assert names(found["init"]) == [("path", "positional-or-keyword", False), ("dtype", "keyword-only", True)]
    assert found["bases"] == ["Base"]
    assert found["attributes"] == ["kind", "path", "revision"]  # the base's too; _cache is private
    assert found["properties"] == ["graph", "size"]
    assert sorted(found["methods"]) == ["load", "predict", "save", "version"]
    assert names(found["methods"]["load"]) == [("path", "positional-or-keyword", False)]  # bound: no cls
    assert names(found["methods"]["predict"])[0] == ("self", "positional-or-keyword", False)
    assert found["method_details"]["predict"] == {"returns": "dict", "async": False}


def test_overload_stubs_are_not_the_definition(sdk):
    """What is bound at run time is the implementation after the ``@overload`` stubs."""
    method = static_snapshot("statsdk.core:Parser")["methods"]["parse"]
    assert names(method) == [
        ("self", "positional-or-keyword", False),
        ("text", "positional-or-keyword", False),
        ("strict", "positional-or-keyword", True),
    ]
    assert names(static_snapshot("statsdk.core:load")["parameters"])[-1] == ("lazy", "keyword-only", True)


def test_an_enum_records_its_members(sdk):
    found = static_snapshot("statsdk:Mode")
    assert (found["members"], found["init"], found["bases"]) == (["FAST", "SAFE"], None, ["Enum"])


QUOTED = """
MAX_BATCH: "int" = 8
LIMIT: int = 8
BROKEN: "list[int" = []

def quoted(level: "int" = 2, *, mode: "typing.Optional[ str ]" = None) -> "dict[str, int]": ...
def plain(level: int = 2, *, mode: typing.Optional[str] = None) -> dict[str, int]: ...
"""


def test_a_quoted_annotation_reads_as_the_annotation_it_quotes(tmp_path, monkeypatch):
    """``level: "int"`` and ``level: int`` are one contract: changing one to the other breaks no caller."""
    (tmp_path / "quotesdk.py").write_text(QUOTED)
    monkeypatch.syspath_prepend(str(tmp_path))
    static.forget_sources()
    assert static_snapshot("quotesdk:quoted") == static_snapshot("quotesdk:plain")
    assert static_snapshot("quotesdk:quoted")["parameters"][1]["annotation"] == "typing.Optional[str]"
    assert static_snapshot("quotesdk:MAX_BATCH")["annotation"] == static_snapshot("quotesdk:LIMIT")["annotation"]
    assert static_snapshot("quotesdk:BROKEN")["annotation"] == "'list[int'"  # not an expression: as written
    static.forget_sources()


def test_a_module_constant_records_its_value(sdk):
    assert static_snapshot("statsdk:LIMIT") == {"type": "constant", "value": "64", "annotation": "int"}
    assert static_snapshot("statsdk.core:NAMES")["value"] == "('a', 'b')"


@pytest.mark.parametrize(
    "target",
    [
        "statsdk:Config",  # @dataclass writes __init__
        "statsdk.core:Meta",  # a metaclass may change the call
        "statsdk.core:built",  # bound by a call
        "statsdk.core:Hidden",  # __signature__ set by hand
        "statsdk.core:Cli",  # a method bound by staticmethod(...)
        "statsdk:missing",  # not found: the import says why
    ],
)
def test_only_an_import_can_tell(sdk, target):
    assert static_snapshot(target) is None


def test_a_c_extension_is_read_by_import():
    assert static.find_source("_json") is None  # built in, no source
    assert snapshot("math:floor") == imported_snapshot("math:floor")


def test_static_reads_the_parameters_an_import_reads(tmp_path, monkeypatch):
    """Where both can read a target, the parameter names, kinds and defaults agree."""
    (tmp_path / "samesdk.py").write_text(textwrap.dedent(CORE.replace("from .base import Base", "class Base: pass")))
    monkeypatch.syspath_prepend(str(tmp_path))
    static.forget_sources()
    for target in ("samesdk:trace", "samesdk:fetch", "samesdk:Model"):
        read, imported = static_snapshot(target), imported_snapshot(target)
        keys = ["parameters"] if read["type"] == "function" else ["init", "methods"]
        for key in keys:
            strip = lambda ps: None if ps is None else [{k: p[k] for k in ("name", "kind", "default")} for p in ps]  # noqa: E731
            if key == "methods":
                assert {m: strip(p) for m, p in read[key].items()} == imported[key]
            else:
                assert strip(read[key]) == imported[key]
    static.forget_sources()


def test_public_names_without_importing(sdk):
    assert public_names("statsdk") == ["Config", "Mode", "Model", "fetch", "trace"]
    assert public_api("statsdk") == [f"statsdk:{n}" for n in ("Config", "Mode", "Model", "fetch", "trace")]


@pytest.mark.parametrize(
    "source",
    [
        "__all__ = sorted(['f'])\ndef f(): ...\n",  # built at run time
        "from os.path import *\ndef f(): ...\n",  # a star import
        "try:\n    def f(): ...\nexcept ImportError:\n    f = None\n",  # bound under try
        "def g(): ...\nf = g\n",  # an alias
    ],
)
def test_public_names_the_source_cannot_settle(tmp_path, monkeypatch, source):
    (tmp_path / "unsure_mod.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    static.forget_sources()
    assert public_names("unsure_mod") is None
    static.forget_sources()


EXPOSING = """
from __future__ import annotations
import typing
from typing import Literal, Optional
from .config import BetaConfig
import expsdk.config as config

def run(cfg: Optional[BetaConfig] = None, mode: Literal["BetaConfig"] = "x") -> "config.Other": ...
def broken(x: NotDefinedAnywhere) -> None: ...
class Model(config.Other):
    def __init__(self, cfg: list[BetaConfig]): ...
    def export(self) -> typing.Annotated[int, BetaConfig]: ...
"""


def test_what_a_signature_names_read_from_the_source(tmp_path, monkeypatch):
    package = tmp_path / "expsdk"
    package.mkdir()
    (package / "__init__.py").write_text(EXPOSING)
    (package / "config.py").write_text("class BetaConfig: ...\nclass Other: ...\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    static.forget_sources()
    from pytest_neuron_classification.surface.static_exposure import definition, mentions

    notes: list[str] = []
    beta, other = ("expsdk.config", "BetaConfig"), ("expsdk.config", "Other")
    assert definition("expsdk:BetaConfig") == beta
    assert [(w, k) for w, k in mentions("expsdk:run", notes, "run") if k in (beta, other)] == [
        ("parameter cfg", beta),
        ("return", other),
    ]  # Literal's arguments are values
    assert [(w, k) for w, k in mentions("expsdk:Model", notes, "Model") if k in (beta, other)] == [
        ("base class", other),
        ("parameter cfg", beta),
    ]  # Annotated's metadata is not a type
    assert list(mentions("expsdk:broken", notes, "broken")) == []
    assert notes == ["'NotDefinedAnywhere' of broken (parameter x): NameError"]
    static.forget_sources()


def test_a_constant_the_source_cannot_settle_is_read_by_import(tmp_path, monkeypatch):
    (tmp_path / "constsdk.py").write_text("LIMIT = 2 ** 6\nNAMES = ('a', 'b')\nclass _Thing: ...\nTHING = _Thing()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    static.forget_sources()
    assert static_snapshot("constsdk:LIMIT") is None
    assert snapshot("constsdk:LIMIT") == {"type": "constant", "value": "64"}
    assert imported_snapshot("constsdk:NAMES")["value"] == static_snapshot("constsdk:NAMES")["value"]  # one text
    with pytest.raises(TargetImportError, match="is a _Thing, not a function or class"):
        snapshot("constsdk:THING")
    static.forget_sources()


def test_a_constant_that_only_an_import_can_read_says_so_when_the_import_fails(tmp_path, monkeypatch):
    # The SDK's import needs a device: its literal constants are read from the source, an expression is not,
    # and the reader is told why the import was needed, and the two ways out.
    package = tmp_path / "devsdk"
    package.mkdir()
    (package / "__init__.py").write_text("raise RuntimeError('no Neuron device')\n")
    (package / "core.py").write_text("LIMIT = 64\nMAX_BATCH = 2 ** 6\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    static.forget_sources()
    assert snapshot("devsdk.core:LIMIT") == {"type": "constant", "value": "64", "annotation": None}
    with pytest.raises(TargetImportError) as info:
        snapshot("devsdk.core:MAX_BATCH")
    assert str(info.value) == (
        "cannot import devsdk.core: RuntimeError: no Neuron device; its value (2 ** 6) is not a literal, so only "
        "the import can read it: write the value as a literal, or make devsdk.core importable here"
    )
    with pytest.raises(TargetImportError, match=r"^cannot import devsdk\.core: RuntimeError: no Neuron device$"):
        snapshot("devsdk.core:missing")  # not a constant: nothing to add
    static.forget_sources()


plain_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=10,
)


@given(plain_values)
def test_a_constant_without_sets_is_recorded_as_its_repr(value):
    assert stable_repr(value) == repr(value)


@given(st.sets(st.text(max_size=4)) | st.frozensets(st.text(max_size=4)), st.randoms())
def test_a_set_constant_is_recorded_in_one_order_whatever_the_hash_seed(members, random):
    # A set's iteration order follows the hash seed, which differs from run to run: a Stable
    # constant ``frozenset(['alpha', 'beta'])`` read by import broke its contract on an unchanged SDK.
    shuffled = list(members)
    random.shuffle(shuffled)
    again = type(members)(shuffled)
    assert stable_repr(members) == stable_repr(again)
    assert eval(stable_repr(members)) == members  # still the value's source text
    assert stable_repr((members,)) == f"({stable_repr(members)},)"


def test_a_constant_of_the_wrong_type_in_a_module_that_imports_is_not_told_to_make_it_importable(tmp_path, monkeypatch):
    (tmp_path / "objsdk.py").write_text("LIMIT = object()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    static.forget_sources()
    with pytest.raises(TargetImportError) as info:
        snapshot("objsdk:LIMIT")
    assert str(info.value) == "objsdk:LIMIT is an object, not a function or class"
    static.forget_sources()
