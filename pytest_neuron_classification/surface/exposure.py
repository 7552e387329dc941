"""Stable APIs whose signatures name Beta or Alpha APIs.

A caller of a Stable function must build its arguments and use its result; when one of
their types is a Beta class, the Stable promise silently rests on a preview that may
change without notice. So each Stable ``api`` item with a target is inspected: its
parameter and return annotations (for a class: its base classes, and the parameters and
returns of its constructor and public methods), resolved to objects, and compared with
the objects that the other ``api`` items' targets name. Annotations written as strings
are evaluated in the target's module; what cannot be resolved is skipped with a note.

When every API target is found in the source, the check reads the source instead
(:mod:`.static_exposure`) and imports nothing; otherwise it imports user code, through
:func:`.signatures.resolve`.
"""

from __future__ import annotations

import inspect
import sys
import typing
from typing import Any, Iterator, Sequence

from pytest_neuron_classification.core.items import Item
from pytest_neuron_classification.core.lifecycle import LifecycleChange
from pytest_neuron_classification.core.text import plus_more
from pytest_neuron_classification.surface.apis import api_kind
from pytest_neuron_classification.surface.signatures import USER_ERRORS, TargetImportError, resolve
from pytest_neuron_classification.surface.static_exposure import definition, mentions


def exposures(items: list[Item], api_modules: Sequence[str] = ()) -> tuple[list[LifecycleChange], list[str]]:
    """``stable api mysdk.compile exposes beta api mysdk.BetaConfig (parameter cfg)``, and notes.

    An inventory item without a ``target`` but named after a public name of an ``api-modules``
    module (``sdk.Beta2``) stands for that object.
    """
    apis = [i for i in items if i.kind == "api" and i.declared != "removed"]
    targets = {i.id: t for i in apis if (t := i.target or _implied(i.name, api_modules))}
    apis = [i for i in apis if i.id in targets and api_kind(i.name, targets[i.id]) == "callable"]
    static = _from_source(apis, targets)
    if static is not None:
        return static
    by_object: dict[int, Item] = {}
    objects: dict[str, Any] = {}
    for item in apis:
        try:
            objects[item.id] = obj = resolve(targets[item.id])
        except TargetImportError:
            continue  # its contract check already says why
        by_object.setdefault(id(obj), item)
    changes: list[LifecycleChange] = []
    notes: list[str] = []
    for item in apis:
        if item.level != "stable" or item.id not in objects:
            continue
        for where, mentioned in _mentions(objects[item.id], notes, item.name):
            other = by_object.get(id(mentioned))
            if other is not None and other.level != "stable":
                changes.append(_exposes(item, other, where))
    return list({c.text: c for c in changes}.values()), _one_note(notes)


def _exposes(item: Item, other: Item, where: str) -> LifecycleChange:
    text = f"stable api {item.name} exposes {other.level} api {other.name} ({where})"
    fix = f"promote {other.name} to stable, or keep it out of the signature of {item.name}"
    return LifecycleChange(item.id, "exposes", text, "stable", breaks=True, detail=fix)


def _from_source(apis: list[Item], targets: dict[str, str]) -> tuple[list[LifecycleChange], list[str]] | None:
    """The same check on definitions read from the source, when every target is found there; else None
    (then the targets are imported, as objects are what an import gives)."""
    keys = {i.id: definition(targets[i.id]) for i in apis}
    if any(key is None for key in keys.values()):
        return None
    by_key: dict[object, Item] = {}
    for item in apis:
        by_key.setdefault(keys[item.id], item)
    changes: list[LifecycleChange] = []
    notes: list[str] = []
    for item in apis:
        if item.level != "stable":
            continue
        for where, key in mentions(targets[item.id], notes, item.name):
            other = by_key.get(key)
            if other is not None and other.level != "stable":
                changes.append(_exposes(item, other, where))
    return list({c.text: c for c in changes}.values()), _one_note(notes)


def _implied(name: str, modules: Sequence[str]) -> str | None:
    """``sdk:Beta2`` for the item ``sdk.Beta2`` when ``sdk`` is one of the ``api-modules``."""
    module, _, attribute = name.rpartition(".")
    return f"{module}:{attribute}" if module in modules and attribute else None


def _one_note(unresolved: list[str]) -> list[str]:
    """One note however many annotations were skipped (``TYPE_CHECKING`` imports make many)."""
    if not unresolved:
        return []
    more = plus_more(len(unresolved) - 1)
    return [f"cannot resolve the annotation {unresolved[0]}{more}; not checked for Beta or Alpha APIs"]


def _mentions(obj: Any, notes: list[str], name: str) -> Iterator[tuple[str, Any]]:
    """Every object the signature of ``obj`` names, with where: ``parameter cfg``, ``return``."""
    if inspect.isclass(obj):
        for base in obj.__bases__:
            yield "base class", base
        yield from _signature(obj, "", notes, name)
        for method in sorted(vars(obj)):
            if not method.startswith("_"):
                yield from _signature(getattr(obj, method, None), f" of method {method}", notes, name)
    elif callable(obj):
        yield from _signature(obj, "", notes, name)


def _signature(obj: Any, of: str, notes: list[str], name: str) -> Iterator[tuple[str, Any]]:
    if not callable(obj):
        return
    try:
        signature = inspect.signature(obj)
    except USER_ERRORS:
        return  # written in C, or a descriptor of the user's that raised: nothing to read
    module = sys.modules.get(getattr(obj, "__module__", "") or "")
    scope = dict(vars(module)) if module is not None else {}
    annotated = [(f"parameter {p.name}{of}", p.annotation) for p in signature.parameters.values()]
    annotated.append((f"return{of}", signature.return_annotation))
    for where, annotation in annotated:
        if annotation is inspect.Parameter.empty:
            continue
        for mentioned in _objects(annotation, scope, notes, f"{name} ({where})"):
            yield where, mentioned


def _objects(annotation: Any, scope: dict[str, Any], notes: list[str], where: str) -> Iterator[Any]:
    """The objects an annotation names, through ``Optional[...]``, ``list[...]``, ``X | Y`` and strings."""
    try:
        yield from _walk(annotation, scope, notes, where, set())
    except RecursionError:  # a pathological annotation; recursive aliases are handled by ``seen``
        notes.append(f"{where}: nested too deeply")


def _walk(annotation: Any, scope: dict[str, Any], notes: list[str], where: str, seen: set[int]) -> Iterator[Any]:
    if isinstance(annotation, typing.ForwardRef):
        annotation = annotation.__forward_arg__
    for _ in range(2):  # under `from __future__ import annotations`, "'X'" is a string of a string
        if not isinstance(annotation, str):
            break
        try:
            annotation = eval(annotation, scope)  # the user's own annotation, in its own module
        except USER_ERRORS as exc:
            notes.append(f"{annotation!r} of {where}: {type(exc).__name__}")
            return
    if id(annotation) in seen:  # Rec = list["Rec"]
        return
    seen.add(id(annotation))
    yield annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return  # its arguments are values, not types
    arguments = typing.get_args(annotation)
    if origin is typing.Annotated:
        arguments = arguments[:1]  # the rest is metadata
    for argument in arguments:
        for inner in argument if isinstance(argument, (list, tuple)) else (argument,):  # Callable[[A, B], C]
            yield from _walk(inner, scope, notes, where, seen)
