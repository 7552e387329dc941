"""Reading an SDK's source without importing it: where a module's file is, and what its names are bound to.

An SDK whose import needs a device, or takes seconds, must not cost that on every test run
just so that we can read its signatures. So the contracts and the annotations are read from
the source with :mod:`ast`, the standard library's parser, rather than griffe: what we need
(bindings, imports, decorators, signatures as text) is a few hundred lines on top of ``ast``,
and the runtime dependencies stay pytest, pluggy, packaging and tomli. This module finds and
parses modules and follows ``from ... import`` chains; :mod:`.static_contracts` turns what it
finds into contracts, :mod:`.annotations` into levels.

Whatever it cannot decide statically (a name bound by a loop or a call, ``__all__`` built at
run time, a module with no Python source such as a C extension) is answered ``None``, and the
caller reads that target by importing it, as before.
"""

from __future__ import annotations

import ast
import importlib
import importlib.machinery
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

Definition = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef]


@dataclass
class Module:
    """One parsed module: its top-level bindings, last one winning, as at run time."""

    name: str
    path: Path
    is_package: bool
    tree: ast.Module
    #: name -> the statement that binds it last (a def, a class, an assignment or an import alias).
    bindings: dict[str, ast.stmt] = field(default_factory=dict)
    #: name -> ``(module, attribute)`` for ``from module import attribute as name``; attribute "" for ``import x``.
    imports: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: Names bound more than once at the top level, or under ``if``/``try``: not decided statically.
    unsure: set[str] = field(default_factory=set)

    def absolute(self, module: str | None, level: int) -> str:
        """The absolute name of ``from .module import`` as written in this module."""
        if level == 0:
            return module or ""
        parts = self.name.split(".")
        base = parts if self.is_package else parts[:-1]
        base = base[: len(base) - (level - 1)] if level > 1 else base
        return ".".join([*base, module] if module else base)


_CACHE: dict[str, Module | None] = {}
_TOPS: dict[str, object] = {}
_FOUND: dict[str, Found | None] = {}


def forget_sources() -> None:
    """Parse afresh: a test may rewrite the SDK between two runs in one process."""
    importlib.invalidate_caches()  # the finders' listings of folders may predate the files
    _CACHE.clear()
    _TOPS.clear()
    _FOUND.clear()


def _top_spec(top: str) -> importlib.machinery.ModuleSpec | None:
    """``importlib.util.find_spec`` of a top-level name, once per run: it finds, never imports."""
    if top not in _TOPS:
        try:
            _TOPS[top] = importlib.util.find_spec(top)
        except (ImportError, ValueError):
            _TOPS[top] = None
    spec = _TOPS[top]
    return spec if isinstance(spec, importlib.machinery.ModuleSpec) else None


def find_source(module_name: str) -> tuple[Path, bool] | None:
    """The ``.py`` file of ``module_name`` and whether it is a package, found without importing anything.

    None for a namespace package (no file of its own), a C extension, or a module not found.
    """
    top, *rest = module_name.split(".")
    spec = _top_spec(top)
    if spec is None:
        return None
    if not rest:
        origin = spec.origin if spec.has_location else None
        if not origin or not origin.endswith(".py"):
            return None
        return Path(origin), spec.submodule_search_locations is not None
    directories = [Path(d) for d in spec.submodule_search_locations or ()]
    for index, part in enumerate(rest):
        last = index == len(rest) - 1
        portions = []
        for directory in directories:
            if (directory / part / "__init__.py").is_file():
                if last:
                    return directory / part / "__init__.py", True
                portions = [directory / part]
                break
            if (directory / f"{part}.py").is_file():
                return (directory / f"{part}.py", False) if last else None
            if (directory / part).is_dir():
                portions.append(directory / part)
        if last or not portions:
            return None
        directories = portions
    return None


def load(module_name: str) -> Module | None:
    """The parsed module, or None when it has no Python source we can parse."""
    if module_name in _CACHE:
        return _CACHE[module_name]
    found = find_source(module_name)
    module = None
    if found is not None:
        try:
            tree = ast.parse(found[0].read_bytes(), filename=str(found[0]))
        except (OSError, SyntaxError, ValueError):
            tree = None
        if tree is not None:
            module = Module(module_name, found[0], found[1], tree)
            _index(module)
    _CACHE[module_name] = module
    return module


def is_overload(node: ast.stmt) -> bool:
    """An ``@overload`` stub: the definition after it is the one bound at run time."""
    return isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
        (dotted(d) or "").rpartition(".")[2] == "overload" for d in node.decorator_list
    )


def _index(module: Module) -> None:
    for statement in module.tree.body:
        if is_overload(statement):
            continue
        for name in _bound(statement, module):
            if name in module.bindings:
                module.unsure.add(name)
            module.bindings[name] = statement
    for statement in module.tree.body:
        if isinstance(statement, ast.If) and dotted(statement.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            continue  # binds nothing at run time
        if isinstance(statement, (ast.If, ast.Try, ast.With, ast.For, ast.While)):
            for node in ast.walk(statement):
                if isinstance(node, ast.stmt) and node is not statement:
                    module.unsure.update(_bound(node, module, record=False))


def _bound(statement: ast.stmt, module: Module, record: bool = True) -> list[str]:
    """The names one top-level statement binds (and, for imports, where they come from)."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [statement.name]
    if isinstance(statement, ast.Assign):
        return [t.id for t in statement.targets if isinstance(t, ast.Name)]
    if isinstance(statement, (ast.AnnAssign, ast.AugAssign)) and isinstance(statement.target, ast.Name):
        return [statement.target.id]
    if isinstance(statement, ast.ImportFrom):
        source = module.absolute(statement.module, statement.level)
        names = []
        for alias in statement.names:
            if alias.name == "*":
                module.unsure.add("*")
                continue
            name = alias.asname or alias.name
            if record:
                module.imports[name] = (source, alias.name)
            names.append(name)
        return names
    if isinstance(statement, ast.Import):
        names = []
        for alias in statement.names:
            name = alias.asname or alias.name.split(".")[0]
            if record:
                module.imports[name] = (alias.name if alias.asname else name, "")
            names.append(name)
        return names
    return []


@dataclass(frozen=True)
class Found:
    """Where a name leads: a definition or a module-level assignment, in the module that holds it."""

    module: Module
    node: Definition | ast.Assign | ast.AnnAssign
    #: The qualified name in ``module`` (``Model.predict``).
    qualname: str


def lookup(module_name: str, qualname: str, depth: int = 0) -> Found | None:
    """What ``module:qualname`` is bound to, following ``from ... import`` chains; None when unsure."""
    key = f"{module_name}:{qualname}"
    if key not in _FOUND:
        _FOUND[key] = _lookup(module_name, qualname, depth)
    return _FOUND[key]


def _lookup(module_name: str, qualname: str, depth: int) -> Found | None:
    module = load(module_name)
    if module is None or depth > 20:
        return None
    first, _, rest = qualname.partition(".")
    if first in module.unsure or (first not in module.bindings and "*" in module.unsure):
        return None
    statement = module.bindings.get(first)
    if isinstance(statement, (ast.ImportFrom, ast.Import)):
        source, attribute = module.imports[first]
        if not attribute:  # import pkg.sub as name: the rest names something in that module
            return lookup(source, rest, depth + 1) if rest else None
        origin = load(source)
        if (origin is None or attribute not in origin.bindings) and load(f"{source}.{attribute}") is not None:
            return lookup(f"{source}.{attribute}", rest, depth + 1) if rest else None  # from pkg import submodule
        return lookup(source, f"{attribute}.{rest}" if rest else attribute, depth + 1)
    if statement is None and module.is_package and rest:
        return lookup(f"{module_name}.{first}", rest, depth + 1)
    if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Assign, ast.AnnAssign)):
        return None
    node: Definition | ast.Assign | ast.AnnAssign = statement
    path = [first]
    for part in rest.split(".") if rest else ():
        if not isinstance(node, ast.ClassDef):
            return None
        inner = member(node, part)
        if inner is None:
            return None
        node, path = inner, [*path, part]
    return Found(module, node, ".".join(path))


def member(cls: ast.ClassDef, name: str) -> Definition | None:
    """The last ``def`` or ``class`` of that name directly in a class body."""
    found = None
    for statement in cls.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and statement.name == name:
            if not is_overload(statement):
                found = statement
    return found


def dotted(node: ast.AST) -> str | None:
    """``a.b.c`` for a Name or an Attribute chain, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


def qualify(module: Module, name: str) -> str:
    """The absolute dotted name a dotted name written in ``module`` means: ``b`` after
    ``from sdk._stability import beta as b`` is ``sdk._stability.beta``."""
    first, _, rest = name.partition(".")
    if first in module.imports:
        source, attribute = module.imports[first]
        base = f"{source}.{attribute}" if attribute and source else (attribute or source)
    elif first in module.bindings:
        base = f"{module.name}.{first}"
    else:
        base = first  # a builtin, or a name we cannot see
    return f"{base}.{rest}" if rest else base


def public_names(module_name: str) -> list[str] | None:
    """The public function and class names of a module, as :func:`.signatures.public_api` sees them
    after importing it; None when the source alone cannot say (then the module is imported)."""
    module = load(module_name)
    if module is None or "*" in module.unsure or "__all__" in module.unsure:
        return None
    declared = module.bindings.get("__all__")
    if declared is not None:
        try:
            value = declared.value if isinstance(declared, (ast.Assign, ast.AnnAssign)) else None
            names = ast.literal_eval(value) if value is not None else None
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return None
        if not isinstance(names, (list, tuple)) or not all(isinstance(n, str) for n in names):
            return None
        bound = [(n, lookup(module_name, n)) for n in names]
        if any(f is None for _, f in bound):
            return None  # the import reports what is wrong with __all__
        if any(f is not None and is_assignment(f.node) and not is_literal(f.node) for _, f in bound):
            return None  # ``alias = function``: callable or not, only the import can tell
        return sorted(n for n, f in bound if f is not None and not is_assignment(f.node))
    package = module_name.split(".")[0]
    if any(not name.startswith("_") for name in module.unsure):
        return None  # a public name bound under if/try, or twice: the import says which
    names = []
    for name, statement in module.bindings.items():
        if name.startswith("_") or name in module.unsure:
            continue
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(name)
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)) and isinstance(
            statement.value, (ast.Name, ast.Attribute)
        ):
            return None  # ``Alias = Model``: a class of the package or not, only the import can tell
        elif isinstance(statement, ast.ImportFrom) and module.imports[name][0].split(".")[0] == package:
            found = lookup(module_name, name)
            if found is None or (is_assignment(found.node) and not is_literal(found.node)):
                return None
            if not is_assignment(found.node):
                names.append(name)
    return sorted(names)


def is_assignment(node: ast.AST) -> bool:
    return isinstance(node, (ast.Assign, ast.AnnAssign))


def is_literal(node: ast.AST) -> bool:
    """An assignment of a literal (``MAX_BATCH = 64``): a constant, never a function or class."""
    value = getattr(node, "value", None)
    if value is None:
        return False
    try:
        ast.literal_eval(value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def package_modules(module_name: str) -> list[str]:
    """``module_name`` and, for a package, every module under it: the modules annotations are read in."""
    found = find_source(module_name)
    if found is None or not found[1]:
        return [module_name] if found else []
    root = found[0].parent
    return [module_name, *_under(module_name, root)]


def _under(module_name: str, root: Path) -> list[str]:
    """The modules under a package's folder, namespace folders included (``sdk/experimental/ops.py``)."""
    names = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).with_suffix("").parts
        if relative[-1] == "__init__":
            relative = relative[:-1]
        if relative and all(part.isidentifier() for part in relative):
            names.append(".".join([module_name, *relative]))
    return names
