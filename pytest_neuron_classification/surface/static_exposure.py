"""What a Stable API's signature names, read from the source: :mod:`.exposure` without the import.

:func:`.exposure.exposures` compares the objects a Stable API's annotations name with the other API
items' objects. When every API target is found in the source, the same comparison is made on
definitions instead of objects (the module and qualified name that define each), so that a run
need not import the SDK. An annotation name is followed through ``from ... import`` chains as the
contracts are; a name bound nowhere in its module (nor a builtin) is what evaluating it would
raise ``NameError`` for, and is noted the same way.
"""

from __future__ import annotations

import ast
import builtins
from typing import Iterator

from pytest_neuron_classification.surface.static import Module, dotted, lookup, qualify

#: A definition: the module and qualified name that define it.
Key = tuple[str, str]
_BUILTINS = frozenset(dir(builtins))


def definition(target: str) -> Key | None:
    """Where ``module:qualname`` is defined, or None when the source alone cannot say."""
    module, _, qualname = target.partition(":")
    found = lookup(module, qualname)
    if found is None or not isinstance(found.node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return None
    return found.module.name, found.qualname


def mentions(target: str, notes: list[str], name: str) -> Iterator[tuple[str, Key]]:
    """Every definition the signature of ``target`` names, with where: ``parameter cfg``, ``return``."""
    module_name, _, qualname = target.partition(":")
    found = lookup(module_name, qualname)
    if found is None:
        return
    node, module = found.node, found.module
    if isinstance(node, ast.ClassDef):
        for base in node.bases:
            yield from _keys(base, module, notes, f"{name} (base class)", "base class")
        init = _own(node, "__init__")
        if init is not None:
            yield from _signature(init, module, "", notes, name, skip_first=True)
        for method in sorted(s.name for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))):
            definition_ = _own(node, method)
            if method.startswith("_") or definition_ is None or _is_property(definition_, module):
                continue
            yield from _signature(definition_, module, f" of method {method}", notes, name)
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        yield from _signature(node, module, "", notes, name)


def _own(cls: ast.ClassDef, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    found = None
    for statement in cls.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and statement.name == name:
            found = statement
    return found


def _is_property(node: ast.FunctionDef | ast.AsyncFunctionDef, module: Module) -> bool:
    written = [dotted(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list]
    return any(
        w and (qualify(module, w) in ("property", "functools.cached_property") or w.endswith((".setter", ".deleter")))
        for w in written
    )


def _signature(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    module: Module,
    of: str,
    notes: list[str],
    name: str,
    skip_first: bool = False,
) -> Iterator[tuple[str, Key]]:
    args = node.args
    every = [*args.posonlyargs, *args.args, *([args.vararg] if args.vararg else []), *args.kwonlyargs]
    every += [args.kwarg] if args.kwarg else []
    if skip_first and (args.posonlyargs or args.args):
        every = every[1:]
    annotated = [(f"parameter {a.arg}{of}", a.annotation) for a in every]
    annotated.append((f"return{of}", node.returns))
    for where, annotation in annotated:
        if annotation is not None:
            yield from _keys(annotation, module, notes, f"{name} ({where})", where)


def _keys(expr: ast.expr, module: Module, notes: list[str], where: str, label: str) -> Iterator[tuple[str, Key]]:
    names = list(_names(expr))
    unbound = [n for n in names if _unbound(n, module)]
    if unbound:
        text = expr.value if isinstance(expr, ast.Constant) and isinstance(expr.value, str) else ast.unparse(expr)
        notes.append(f"{text!r} of {where}: NameError")
        return
    for written in names:
        found = lookup(module.name, written)
        if found is not None:
            yield label, (found.module.name, found.qualname)


def _unbound(written: str, module: Module) -> bool:
    first = written.partition(".")[0]
    return not (first in module.bindings or first in module.unsure or first in _BUILTINS or "*" in module.unsure)


def _names(expr: ast.expr, depth: int = 0) -> Iterator[str]:
    """The dotted names an annotation is made of, through ``Optional[...]``, ``X | Y`` and strings."""
    if depth > 50:
        return
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        try:
            inner = ast.parse(expr.value, mode="eval").body
        except SyntaxError:
            return
        yield from _names(inner, depth + 1)
        return
    written = dotted(expr)
    if written is not None:
        yield written
        return
    if isinstance(expr, ast.Subscript):
        yield from _names(expr.value, depth + 1)
        head = dotted(expr.value) or ""
        if head.rpartition(".")[2] == "Literal":
            return  # its arguments are values, not types
        items = expr.slice.elts if isinstance(expr.slice, ast.Tuple) else [expr.slice]
        if head.rpartition(".")[2] == "Annotated":
            items = items[:1]  # the rest is metadata
        for item in items:
            yield from _names(item, depth + 1)
    elif isinstance(expr, ast.BinOp):
        yield from _names(expr.left, depth + 1)
        yield from _names(expr.right, depth + 1)
    elif isinstance(expr, (ast.Tuple, ast.List)):
        for item in expr.elts:
            yield from _names(item, depth + 1)
