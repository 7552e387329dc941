"""API signatures and the public names of modules, read from the source or, failing that, by import.

The source is read first (:mod:`.static`, :mod:`.static_contracts`): an SDK whose import needs a
device or takes seconds must not cost that on every run. What the source does not settle is read
by importing the project's own code (targets of ``api`` items and ``api-modules``), here and in
:mod:`.exposure`. Everything learnt becomes plain data (a snapshot, a list of targets) that
:mod:`.contracts` compares and the audit judges without importing anything.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import re
from dataclasses import replace
from typing import Any, Callable, Collection, Iterable, Sequence

from pytest_neuron_classification.core.contracts import (
    ONE_MONTH,
    PARAM_KINDS,
    ContractResult,
    Notice,
    NoticeWindow,
    Params,
    judge_signatures,
)
from pytest_neuron_classification.core.items import Item, make_item
from pytest_neuron_classification.core.text import a_or_an
from pytest_neuron_classification.core.vocabulary import ClassificationError, Level
from pytest_neuron_classification.surface.annotations import AnnotationRule, annotated, annotated_items
from pytest_neuron_classification.surface.static import lookup, public_names
from pytest_neuron_classification.surface.static_contracts import static_snapshot, unread_value


class TargetImportError(Exception):
    """The target could not be imported or found; the message is one line."""


class ImportFailed(TargetImportError):
    """The target's module raised while it was imported (not a target that imported and is wrong)."""


#: What user code may raise while we import or inspect it: anything. A module that raises
#: KeyboardInterrupt (or any BaseException) at import is reported in one line like any other failure;
#: a real Ctrl-C during that import stops the run with that line too.
USER_ERRORS = (BaseException,)
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def without_addresses(text: str) -> str:
    """``text`` without memory addresses (``<object at 0x7f...>``): they differ on every run."""
    return _ADDRESS.sub("", text)


def error_line(exc: BaseException) -> str:
    """``Type: message`` on one line, without memory addresses (they differ on every run)."""
    text = without_addresses(" ".join(str(exc).split()))
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def resolve(target: str) -> Any:
    """The object ``module:qualname`` names, or :class:`TargetImportError`."""
    module_name, _, qualname = target.partition(":")
    obj: Any = _import(module_name)
    for part in qualname.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise TargetImportError(f"{module_name} has no attribute {qualname}") from None
        except USER_ERRORS as exc:
            raise TargetImportError(f"looking up {target} raised {error_line(exc)}") from None
    return obj


def _import(module_name: str) -> Any:
    importlib.invalidate_caches()  # the module may have been written since the finders looked
    try:
        return importlib.import_module(module_name)
    except USER_ERRORS as exc:  # an import can fail in any way, sys.exit() included: report it
        raise ImportFailed(f"cannot import {module_name}: {error_line(exc)}") from None


def snapshot(target: str, annotations: Collection[str] = ()) -> dict[str, Any]:
    """The contract of ``target`` as plain, JSON-ready data: read from its source when the source
    settles it (:mod:`.static_contracts`, no import), else by importing it (a C extension, a class
    that ``@dataclass`` or a metaclass shapes)."""
    static = static_snapshot(target, annotations)
    if static is not None:
        return static
    try:
        return imported_snapshot(target)
    except ImportFailed as exc:
        why = unread_value(target)
        if not why:
            raise
        raise TargetImportError(f"{exc}; {why}, or make {target.partition(':')[0]} importable here") from None


def imported_snapshot(target: str) -> dict[str, Any]:
    """The contract of ``target`` read by importing it: parameters only."""
    obj = resolve(target)
    try:
        if inspect.isclass(obj):
            return {"type": "class", "init": _parameters(obj), "methods": _methods(obj)}
        if callable(obj):
            return {"type": "function", "parameters": _parameters(obj)}
    except USER_ERRORS as exc:  # a metaclass or descriptor of the user's raised
        raise TargetImportError(f"inspecting {target} raised {error_line(exc)}") from None
    if isinstance(obj, _CONSTANTS):  # a module constant the source could not settle (``2 ** 10``)
        return {"type": "constant", "value": stable_repr(obj)}
    raise TargetImportError(f"{target} is {a_or_an(type(obj).__name__)}, not a function or class")


#: The values a module constant recorded by import may hold: their ``repr`` is their source text.
_CONSTANTS = (bool, int, float, complex, str, bytes, tuple, list, dict, set, frozenset, type(None))


def stable_repr(value: object) -> str:
    """``repr(value)``, with every set's members in sorted order: a set of strings is ordered by the
    hash seed, which differs from run to run, and a contract must not change when the code did not."""
    kind = type(value)
    if kind in (set, frozenset):
        members = sorted(stable_repr(v) for v in value)  # type: ignore[attr-defined]
        if not members:
            return repr(value)
        inner = "{" + ", ".join(members) + "}"
        return inner if kind is set else f"frozenset({inner})"
    if kind in (tuple, list):
        items = [stable_repr(v) for v in value]  # type: ignore[attr-defined]
        if kind is list:
            return "[" + ", ".join(items) + "]"
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if kind is dict:
        return "{" + ", ".join(f"{stable_repr(k)}: {stable_repr(v)}" for k, v in value.items()) + "}"  # type: ignore[attr-defined]
    return repr(value)


def _methods(cls: type) -> dict[str, Params | None]:
    """Public methods: Python functions, and for a class implemented in C its routines too."""
    in_c = not cls.__flags__ & _HEAPTYPE
    methods = {}
    for name in sorted(dir(cls)):
        if name.startswith("_"):
            continue
        static = inspect.getattr_static(cls, name)
        function = static.__func__ if isinstance(static, (staticmethod, classmethod)) else static
        if inspect.isfunction(function) or (in_c and inspect.isroutine(function)):
            methods[name] = _parameters(getattr(cls, name))
    return methods


#: Py_TPFLAGS_HEAPTYPE: set on classes created by a class statement, not on static C types.
_HEAPTYPE = 1 << 9


def _parameters(obj: Callable[..., Any]) -> Params | None:
    """The parameters, or None when Python cannot tell (many functions written in C).

    None compares equal to anything: we never fail an API for our own blindness.
    """
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    return [
        {"name": p.name, "kind": PARAM_KINDS[p.kind], "default": p.default is not inspect.Parameter.empty}
        for p in signature.parameters.values()
    ]


def public_api(module_name: str) -> list[str]:
    """The targets (``module:name``) of a module's public functions and classes.

    Public means listed in ``__all__``, or, without one, named without a leading
    underscore and defined in the module's own package (not imported from elsewhere).
    """
    names = public_names(module_name)
    if names is not None:
        return [f"{module_name}:{n}" for n in names]
    module = _import(module_name)
    try:
        names = _public_names(module, module_name)
        return [f"{module_name}:{n}" for n in sorted(names) if callable(getattr(module, n, None))]
    except TargetImportError:
        raise
    except USER_ERRORS as exc:
        raise TargetImportError(f"listing the public names of {module_name} raised {error_line(exc)}") from None


def _public_names(module: Any, module_name: str) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is not None:
        bad = [n for n in names if not isinstance(n, str)]
        if bad:
            raise TargetImportError(f"{module_name}.__all__ has a non-string entry {bad[0]!r}; fix __all__")
        missing = [n for n in names if not hasattr(module, n)]
        if missing:
            raise TargetImportError(
                f"{module_name}.__all__ lists {missing[0]!r}, which the module does not define; fix __all__"
            )
        return list(names)
    package = module_name.split(".")[0]
    return [
        n
        for n, obj in vars(module).items()
        if not n.startswith("_")
        and (inspect.isfunction(obj) or inspect.isclass(obj))
        and (getattr(obj, "__module__", "") or "").split(".")[0] == package
    ]


def evaluate(
    target: str,
    level: Level,
    baseline: dict[str, Any] | None,
    notices: Sequence[Notice],
    today: datetime.date,
    window: NoticeWindow = ONE_MONTH,
    annotations: Collection[str] = (),
) -> ContractResult:
    """Snapshot the live ``target`` and judge it against ``baseline`` for an item at ``level``."""
    try:
        live: dict[str, Any] | str = snapshot(target, annotations)
    except TargetImportError as exc:
        live = str(exc)
    return judge_signatures(target, level, baseline, live, notices, today, window)


def scan_api_modules(
    modules: Iterable[str], inventory: Iterable[Item], source: str, rules: Sequence[AnnotationRule] = ()
) -> tuple[list[Item], list[Item]]:
    """The ``api-modules``, each read once (from its source, else imported): the inventory with the
    targets they imply, and the classification rule that unlisted means Stable applied to them.

    * An inventory ``api`` entry without a ``target`` named after a public name of such a module
      gets that name's target (``sdk.Beta2`` -> ``sdk:Beta2``): listing a name only to give it a
      level must not cost it its contract.
    * Every public name the inventory does not list becomes a Stable ``api`` item with its
      ``target`` set, so that it owes a test and a contract.
    * What the code annotates (``rules``, :mod:`.annotations`) takes the code's level; an inventory
      entry that disagrees is a usage error.
    """
    modules = list(modules)
    inventory = list(inventory)
    targets = []
    for module in modules:
        try:
            targets += [(module, t) for t in public_api(module)]
        except TargetImportError as exc:
            raise ClassificationError(
                f"{source}: api-modules: {exc}; fix the import or remove {module!r} from api-modules"
            ) from None
    loose = {i.name for i in inventory if i.kind == "api" and i.target is None}
    implied = {t.replace(":", "."): t for _, t in targets if t.replace(":", ".") in loose}
    listed_items = [
        replace(i, target=implied[i.name]) if i.kind == "api" and i.target is None and i.name in implied else i
        for i in inventory
    ]
    listed = {i.name for i in listed_items} | {i.target for i in listed_items if i.target}
    unlisted = [
        make_item(t.replace(":", "."), "api", "stable", {}, target=t, declared="unlisted", origin=f"api-modules {m}")
        for m, t in targets
        if t.replace(":", ".") not in listed and t not in listed
    ]
    if not rules:
        return listed_items, unlisted
    try:
        found = annotated(modules, rules, _exposed(t for _, t in targets))
    except ClassificationError as exc:
        raise ClassificationError(f"{source}: annotations: {exc}") from None
    return annotated_items(found, listed_items, unlisted, source)


def _exposed(targets: Iterable[str]) -> dict[str, str]:
    """Where each public target is defined (``sdk.core:compile``) -> the public target (``sdk:compile``)."""
    exposed: dict[str, str] = {}
    for target in targets:
        module, _, qualname = target.partition(":")
        found = lookup(module, qualname)
        if found is not None:
            exposed.setdefault(f"{found.module.name}:{found.qualname}", target)
    return exposed
