"""The contract of a target read from its source: what :func:`.signatures.snapshot` records, and more.

Besides each parameter's name, kind and whether it has a default (what an import reads too),
the source gives what a checker such as griffe compares: annotations and default values as
written, the return annotation, ``async``, a class's bases, public attributes, properties and
enum members, and the value of a module constant. A target whose meaning the source alone does
not settle (a class decorator such as ``@dataclass`` that writes ``__init__``, a metaclass, a
base the source cannot find, a method decorator we do not know) is None: it is imported instead.
"""

from __future__ import annotations

import ast
from typing import Any, Collection, Iterator

from pytest_neuron_classification.core.contract_depth import annotation_text
from pytest_neuron_classification.core.text import clip
from pytest_neuron_classification.surface.static import (
    Definition,
    Module,
    dotted,
    is_literal,
    is_overload,
    lookup,
    qualify,
)

#: Decorators that leave a function's signature as written (``functools.wraps`` wrappers included).
_PLAIN = {
    "staticmethod",
    "classmethod",
    "abc.abstractmethod",
    "functools.cache",
    "functools.lru_cache",
    "functools.wraps",
    "typing.final",
    "typing.overload",
    "typing.override",
    "typing_extensions.final",
    "typing_extensions.override",
    "typing_extensions.deprecated",
    "warnings.deprecated",
}
_PROPERTIES = {"property", "functools.cached_property"}
_ENUMS = {"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag"}
#: Bases that add no public method nor constructor parameter of their own.
_NEUTRAL = {"object", "abc.ABC", "typing.Generic"}
_MIXINS = {"str", "int"}  # only beside an enum base: class Color(str, Enum)


def static_snapshot(target: str, annotations: Collection[str] = ()) -> dict[str, Any] | None:
    """The contract of ``module:qualname`` from its source, or None when only an import can tell.

    ``annotations`` are the decorators ``[tool.neuron-classification.annotations]`` names: they mark
    a level and leave the object as it is.
    """
    module_name, _, qualname = target.partition(":")
    found = lookup(module_name, qualname)
    if found is None:
        return None
    node, module = found.node, found.module
    plain = {*_PLAIN, *annotations}
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        if not is_literal(node) or node.value is None:
            return None
        annotation = node.annotation if isinstance(node, ast.AnnAssign) else None
        return {"type": "constant", "value": ast.unparse(node.value), "annotation": _annotation(annotation)}
    if isinstance(node, ast.ClassDef):
        return _class(node, module, plain)
    decorators = _decorators(node, module)
    if not decorators <= plain:
        return None
    method = "." in found.qualname
    if method and "staticmethod" not in decorators:
        params = _parameters(node.args, drop_first="classmethod" in decorators)
    else:
        params = _parameters(node.args)
    return {"type": "function", "parameters": params, **_details(node)}


def unread_value(target: str) -> str:
    """Why the source did not settle ``target``, when it is a module constant whose value is an
    expression (``MAX_BATCH = 2 ** 6``): its value then needs the import, which a reader should know
    when the import fails. "" for any other target."""
    module_name, _, qualname = target.partition(":")
    found = lookup(module_name, qualname)
    node = found.node if found is not None else None
    if not isinstance(node, (ast.Assign, ast.AnnAssign)) or node.value is None or is_literal(node):
        return ""
    text = clip(ast.unparse(node.value), 40)
    return f"its value ({text}) is not a literal, so only the import can read it: write the value as a literal"


def _class(node: ast.ClassDef, module: Module, plain: set[str]) -> dict[str, Any] | None:
    chain = _mro(node, module, plain, set())
    if chain is None:
        return None
    classes, enum = chain
    init: list[dict[str, Any]] | None = []
    methods: dict[str, Any] = {}
    details: dict[str, Any] = {}
    attributes: set[str] = set()
    properties: set[str] = set()
    members: list[str] = []
    for index, (cls, owner) in enumerate(classes):
        if "__signature__" in {n for statement in cls.body for n in _assigned(statement)}:
            return None  # a signature set by hand is what inspect shows: only the import has it
        if any(_wraps_a_function(statement, owner) for statement in cls.body):
            return None  # ``main = staticmethod(main)``: a method the source binds by a call
        for statement in _own_definitions(cls):
            decorators = _decorators(statement, owner)
            if statement.name == "__new__":
                return None  # what __new__ takes is only certain once imported
            if statement.name == "__init__":
                if init == [] and not _has_init_before(classes, index):
                    init = _parameters(statement.args, drop_first=True)
                    attributes.update(_self_attributes(statement))
                continue
            if statement.name.startswith("_"):
                continue
            if decorators & _PROPERTIES or any(d.endswith((".setter", ".getter", ".deleter")) for d in decorators):
                properties.add(statement.name)
            elif not decorators <= plain:
                return None
            elif statement.name not in methods:
                bound = "classmethod" in decorators
                methods[statement.name] = _parameters(statement.args, drop_first=bound)
                details[statement.name] = _details(statement)
        for assignment in cls.body:
            for name in _assigned(assignment):
                if enum and index == 0 and not name.startswith("_"):
                    members.append(name)
                elif not name.startswith("_"):
                    attributes.add(name)
    if enum:
        init = None  # an enum's call signature is the enum machinery's: nothing of the SDK's to compare
    snapshot: dict[str, Any] = {
        "type": "class",
        "init": init,
        "methods": dict(sorted(methods.items())),
        "method_details": dict(sorted(details.items())),
        "bases": [cls.name for cls, _ in classes[1:]] + sorted(e.rpartition(".")[2] for e in enum),
        "attributes": sorted(attributes - properties - set(methods)),
        "properties": sorted(properties),
    }
    if enum:
        snapshot["members"] = members
    return snapshot


def _wraps_a_function(statement: ast.stmt, module: Module) -> bool:
    value = statement.value if isinstance(statement, (ast.Assign, ast.AnnAssign)) else None
    if not isinstance(value, ast.Call):
        return False
    written = dotted(value.func)
    return written is not None and qualify(module, written) in ("staticmethod", "classmethod", "property")


def _own_definitions(cls: ast.ClassDef) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The functions a class body binds, the last of each name (``@overload`` stubs are not bound)."""
    own: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    for statement in cls.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and not is_overload(statement):
            own[statement.name] = statement
    return list(own.values())


def _has_init_before(classes: list[tuple[ast.ClassDef, Module]], index: int) -> bool:
    return any(
        isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == "__init__"
        for cls, _ in classes[:index]
        for s in cls.body
    )


def _mro(
    node: ast.ClassDef, module: Module, plain: set[str], seen: set[int]
) -> tuple[list[tuple[ast.ClassDef, Module]], set[str]] | None:
    """The class and the classes it derives from (depth first, as the source names them), and the enum
    bases among them; None when a base, decorator or metaclass leaves the class to the import."""
    if id(node) in seen or node.keywords or not _decorators(node, module) <= plain:
        return None
    seen.add(id(node))
    classes = [(node, module)]
    enum: set[str] = set()
    mixins = []
    for base in node.bases:
        written = dotted(base.value if isinstance(base, ast.Subscript) else base)
        if written is None:
            return None
        full = qualify(module, written)
        if full in _NEUTRAL:
            continue
        if full in _ENUMS:
            enum.add(full)
            continue
        if full in _MIXINS:
            mixins.append(full)
            continue
        found = lookup(module.name, written)
        if found is None or not isinstance(found.node, ast.ClassDef):
            return None
        inner = _mro(found.node, found.module, plain, seen)
        if inner is None:
            return None
        classes += [c for c in inner[0] if all(c[0] is not k for k, _ in classes)]
        enum |= inner[1]
    if mixins and not enum:
        return None
    return classes, enum


def _decorators(node: Definition, module: Module) -> set[str]:
    """Each decorator as an absolute dotted name (called or not); ``?`` for one we cannot name."""
    names = set()
    for decorator in node.decorator_list:
        written = dotted(decorator.func if isinstance(decorator, ast.Call) else decorator)
        names.add(qualify(module, written) if written else "?")
    return names


def _assigned(statement: ast.stmt) -> Iterator[str]:
    if isinstance(statement, ast.Assign):
        yield from (t.id for t in statement.targets if isinstance(t, ast.Name))
    elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        yield statement.target.id


def _self_attributes(init: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """``self.name = ...`` in ``__init__``: the public attributes every instance has."""
    if not init.args.args:
        return set()
    me = init.args.args[0].arg
    found = set()
    for node in ast.walk(init):
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        for target in targets:
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == me:
                if not target.attr.startswith("_"):
                    found.add(target.attr)
    return found


def _details(node: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, Any]:
    return {"returns": _annotation(node.returns), "async": isinstance(node, ast.AsyncFunctionDef)}


def _text(node: ast.AST | None) -> str | None:
    return None if node is None else ast.unparse(node)


def _annotation(node: ast.AST | None) -> str | None:
    """An annotation as written; a quoted one (``"int"``) as what it quotes, so both compare alike."""
    return annotation_text(_text(node))


def _parameters(args: ast.arguments, drop_first: bool = False) -> list[dict[str, Any]]:
    """Each parameter as :func:`.signatures.snapshot` records it, with its annotation and default as written."""
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    rows = [
        _param(a, "positional-only" if i < len(args.posonlyargs) else "positional-or-keyword", d)
        for i, (a, d) in enumerate(zip(positional, defaults))
    ]
    if args.vararg:
        rows.append(_param(args.vararg, "*args", None))
    rows += [_param(a, "keyword-only", d) for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    if args.kwarg:
        rows.append(_param(args.kwarg, "**kwargs", None))
    return rows[1:] if drop_first and positional else rows


def _param(arg: ast.arg, kind: str, default: ast.expr | None) -> dict[str, Any]:
    return {
        "name": arg.arg,
        "kind": kind,
        "default": default is not None,
        "annotation": _annotation(arg.annotation),
        "default_value": _text(default),
    }
