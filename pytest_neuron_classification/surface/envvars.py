"""Environment variables as APIs: which ones a package reads, found without running it.

A variable such as ``NEURON_RT_VISIBLE_CORES`` is an API: deployments set it and expect it to
be honoured, so a Stable variable must go on being read. Whether it is read is a property of the
source, so this module finds the reads with :mod:`ast` (``os.environ["X"]``, ``os.getenv("X")``,
``"X" in os.environ`` and their aliases) and never imports the scanned package: importing could
run arbitrary code, and a read inside a function that no test calls still counts. Only names
written as string literals are seen; a name built at run time cannot be checked statically.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from pytest_neuron_classification.core.contracts import Change
from pytest_neuron_classification.core.text import a_or_an

_ENVIRON_METHODS = ("get", "setdefault", "pop")
_PARSE_ERRORS = (SyntaxError, UnicodeDecodeError, ValueError, OSError)


class EnvScanError(Exception):
    """A package to scan cannot be found; the message is one line."""


# --- finding the files -------------------------------------------------------------


def find_package_files(package: str) -> list[Path]:
    """The ``.py`` files of a package (all its subpackages) or module, found without importing it."""
    top, *rest = package.split(".")
    importlib.invalidate_caches()  # the package may have been written since the finders looked
    try:
        spec = importlib.util.find_spec(top)  # a top-level name: finds, never imports
    except (ImportError, ValueError):
        spec = None
    if spec is None or (rest and not spec.submodule_search_locations):
        raise _not_found(package)
    if not rest:
        if spec.submodule_search_locations is None:
            return [_source_file(package, spec.origin)]
        return _py_files(Path(d) for d in spec.submodule_search_locations)
    return _walk(package, [Path(d) for d in spec.submodule_search_locations or ()], rest)


def _not_found(package: str) -> EnvScanError:
    return EnvScanError(
        f"env-modules: {package!r} is not found as a package or module on sys.path; fix the name or install it"
    )


def _source_file(package: str, origin: str | None) -> Path:
    if origin is None or not origin.endswith(".py"):
        raise EnvScanError(f"env-modules: {package!r} has no Python source to scan ({origin}); list a Python package")
    return Path(origin)


def _walk(package: str, directories: list[Path], parts: list[str]) -> list[Path]:
    """Follow ``parts`` down from ``directories`` as the import system would, without importing."""
    for index, part in enumerate(parts):
        directories, module = _locate(directories, part)
        if module is not None and index == len(parts) - 1:
            return [module]
        if module is not None or not directories:
            raise _not_found(package)
    return _py_files(directories)


def _locate(directories: list[Path], part: str) -> tuple[list[Path], Path | None]:
    """A regular package or module of that name in the first directory having one, else namespace portions."""
    portions = []
    for directory in directories:
        if (directory / part / "__init__.py").is_file():
            return [directory / part], None
        if (directory / f"{part}.py").is_file():
            return [], directory / f"{part}.py"
        if (directory / part).is_dir():
            portions.append(directory / part)
    return portions, None


def _py_files(directories: Iterable[Path]) -> list[Path]:
    return sorted({path for directory in directories for path in directory.rglob("*.py") if path.is_file()})


# --- reading the files -------------------------------------------------------------


@dataclass
class _Aliases:
    """The names a file binds to ``os``, ``os.environ`` and ``os.getenv``."""

    os: set[str] = field(default_factory=set)
    environ: set[str] = field(default_factory=set)
    getenv: set[str] = field(default_factory=set)
    #: Module-level names bound once to a string (``NAME = "NEURON_CC_FLAGS"``): a read through one
    #: is a read of that variable.
    constants: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, tree: ast.AST) -> _Aliases:
        aliases = cls()
        aliases.constants = _constants(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == "os" or (alias.name.startswith("os.") and alias.asname is None):
                        aliases.os.add(alias.asname or "os")
            elif isinstance(node, ast.ImportFrom) and node.module == "os" and node.level == 0:
                for alias in node.names:
                    if alias.name in ("environ", "getenv"):
                        getattr(aliases, alias.name).add(alias.asname or alias.name)
        return aliases

    def is_environ(self, node: ast.AST) -> bool:
        """``os.environ`` or an alias of it, also as a branch of ``a if c else b`` or ``a or b``."""
        if isinstance(node, ast.IfExp):
            return self.is_environ(node.body) or self.is_environ(node.orelse)
        if isinstance(node, ast.BoolOp):
            return any(self.is_environ(value) for value in node.values)
        if isinstance(node, ast.Name):
            return node.id in self.environ
        return isinstance(node, ast.Attribute) and node.attr == "environ" and self._is_os(node.value)

    def is_getenv(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.getenv
        return isinstance(node, ast.Attribute) and node.attr == "getenv" and self._is_os(node.value)

    def _is_os(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Name) and node.id in self.os


def _constants(tree: ast.AST) -> dict[str, str]:
    """The module-level names assigned exactly once, to a string literal."""
    assigned: dict[str, list[str | None]] = {}
    for statement in getattr(tree, "body", ()):
        value: ast.expr | None
        if isinstance(statement, ast.Assign):
            targets, value = statement.targets, statement.value
        elif isinstance(statement, ast.AnnAssign):
            targets, value = [statement.target], statement.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                assigned.setdefault(target.id, []).append(_text(value))
    return {name: values[0] for name, values in assigned.items() if len(values) == 1 and values[0] is not None}


def _text(node: ast.AST | None) -> str | None:
    """A string literal, also written as an f-string without placeholders (``f"NEURON_X"``)."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        parts = [_text(value) for value in node.values]
        return "".join(p for p in parts if p is not None) if all(p is not None for p in parts) else None
    return None


def _literal(node: ast.AST | None, aliases: _Aliases) -> str | None:
    """The variable name ``node`` spells: a string literal, or a module-level string constant."""
    if isinstance(node, ast.Name):
        return aliases.constants.get(node.id)
    return _text(node)


def _key(call: ast.Call, aliases: _Aliases) -> str | None:
    """The variable name a call passes: its first argument, or ``key=``."""
    if call.args:
        return _literal(call.args[0], aliases)
    return next((_literal(k.value, aliases) for k in call.keywords if k.arg == "key"), None)


def _names_read(node: ast.AST, aliases: _Aliases) -> list[str]:
    """The variables ``node`` itself reads (not those of its children)."""
    if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and aliases.is_environ(node.value):
        name = _literal(node.slice, aliases)
        return [name] if name else []
    if isinstance(node, ast.Call):
        func = node.func
        method = isinstance(func, ast.Attribute) and func.attr in _ENVIRON_METHODS and aliases.is_environ(func.value)
        name = _key(node, aliases) if method or aliases.is_getenv(func) else None
        return [name] if name else []
    if isinstance(node, ast.Compare):  # "X" in os.environ, "X" not in os.environ
        pairs = zip([node.left, *node.comparators], node.ops, node.comparators)
        tested = [_literal(left, aliases) for left, op, right in pairs if _is_membership(op, right, aliases)]
        return [name for name in tested if name]
    return []


def _is_membership(op: ast.cmpop, right: ast.AST, aliases: _Aliases) -> bool:
    return isinstance(op, (ast.In, ast.NotIn)) and aliases.is_environ(right)


def _reads_in(tree: ast.AST) -> Iterator[tuple[str, int]]:
    """``(variable, line)`` for each read of an environment variable in a parsed file."""
    aliases = _Aliases.of(tree)
    for node in ast.walk(tree):
        for name in _names_read(node, aliases):
            yield name, getattr(node, "lineno", 0)


def _syntax_tree(path: Path) -> ast.AST:
    with warnings.catch_warnings():  # invalid escapes and the like are the package's business, not ours
        warnings.simplefilter("ignore")
        return ast.parse(path.read_bytes(), filename=str(path))


def _reason(exc: Exception) -> str:
    if isinstance(exc, SyntaxError):
        return f"SyntaxError: {exc.msg} at line {exc.lineno}"
    return f"{type(exc).__name__}: {exc}"


def _shown(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:  # outside root (an installed package): keep the path as found
            pass
    return path.as_posix()


def scan_env_files(
    packages: Iterable[str], root: Path | None = None
) -> tuple[dict[str, list[str]], list[str], frozenset[str]]:
    """``{variable: ["path.py:LINE", ...]}`` for the packages' reads, a note per file that cannot be parsed,
    and those files (as shown in ``path.py:LINE``).

    A file that cannot be parsed says nothing about the variables it reads: they are not "no longer read".
    Raises :class:`EnvScanError` for a package that cannot be found.
    """
    files = sorted({path for package in packages for path in find_package_files(package)})
    found: dict[str, set[tuple[str, int]]] = {}
    notes: list[str] = []
    unscanned: set[str] = set()
    for path in files:
        shown = _shown(path, root)
        try:
            tree = _syntax_tree(path)
        except _PARSE_ERRORS as exc:
            notes.append(f"env-modules: cannot parse {shown} ({_reason(exc)}); skipped")
            unscanned.add(shown)
            continue
        for name, line in _reads_in(tree):
            found.setdefault(name, set()).add((shown, line))
    reads = {name: [f"{p}:{line}" for p, line in sorted(found[name])] for name in sorted(found)}
    return reads, notes, frozenset(unscanned)


# --- contracts ---------------------------------------------------------------------


def env_snapshot(name: str, reads: Mapping[str, list[str]]) -> dict[str, Any]:
    """The contract of variable ``name``: where the scanned packages read it (empty: nowhere)."""
    return {"type": "env", "read_by": list(reads.get(name, []))}


def compare_env(name: str, package_label: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Breaking when ``name`` is no longer read at all; reads that moved are not changes."""
    if old.get("type") != new.get("type"):
        return [Change(True, f"`{name}` changed from {a_or_an(old.get('type'))} to {a_or_an(new.get('type'))}")]
    if old.get("read_by") and not new.get("read_by"):
        return [Change(True, f"{name} is no longer read by {package_label}")]
    return []
