"""pyproject.toml: which one a run reads, and its ``[tool.neuron-classification]`` table, read once.

An ini file (``tests/pytest.ini``, even an empty one) wins over pyproject.toml in pytest,
which then makes its folder the rootdir; the project's table is still in the repository's
pyproject.toml. So the file is pytest's own config file when that is a pyproject.toml, else
the nearest at or above the rootdir. The walk stops at the first pyproject.toml, table or
not, and never goes above a folder that holds ``.git``. One above the rootdir may belong to
an unrelated project (a home folder, a monorepo's parent): it is read only when it holds the
table, so that its syntax or its other tables never fail a run; one whose text names the
table but does not parse is still read, so that its TOML error is reported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from pytest_neuron_classification.core.vocabulary import ClassificationError
from pytest_neuron_classification.storage import toml_items

TABLE_NAME = "neuron-classification"


@dataclass(frozen=True)
class ProjectFile:
    """The pyproject.toml a run reads (it may not exist) and its table (``{}`` when absent)."""

    path: Path
    #: How messages name the file: relative to the rootdir (``pyproject.toml``, ``../pyproject.toml``).
    label: str
    table: Mapping[str, Any]


def find_project_file(rootpath: Path, inipath: Path | None) -> ProjectFile:
    """The project's pyproject.toml and its table, each candidate read once (see the module's docstring)."""
    if inipath is not None and inipath.name == "pyproject.toml":
        return read_project_file(inipath, relative_label(inipath, rootpath))
    own = rootpath / "pyproject.toml"
    for folder in (rootpath, *rootpath.parents):
        path = folder / "pyproject.toml"
        if path.is_file():
            if folder == rootpath:
                return read_project_file(path, relative_label(path, rootpath))
            try:  # another project's file may not even be text: only one that names the table is ours to judge
                text = path.read_bytes().decode("utf-8", errors="replace")
            except OSError:
                text = _text(path, relative_label(path, rootpath))  # says why it cannot be read
            if TABLE_NAME in text:  # cheap: most such files never name it
                found = _parsed(text, path, relative_label(path, rootpath))
                if found is not None:
                    return found
            break
        if (folder / ".git").exists():
            break
    return ProjectFile(own, relative_label(own, rootpath), {})


def read_project_file(path: Path, label: str) -> ProjectFile:
    """The table of the pyproject.toml at ``path``; ``{}`` when the file or the table is absent."""
    if not path.is_file():
        return ProjectFile(path, label, {})
    return _parsed(_text(path, label), path, label) or ProjectFile(path, label, {})


def _text(path: Path, label: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8"
        raise ClassificationError(f"{label}: cannot read it ({why})") from None


def _parsed(text: str, path: Path, label: str) -> ProjectFile | None:
    """The file with its table, or None when it has no table."""
    try:
        document = toml_items.loads(text)
    except toml_items.TOMLDecodeError as exc:
        raise ClassificationError(f"{label}: invalid TOML ({exc}); fix the syntax") from None
    tool = document.get("tool", {})
    if not isinstance(tool, Mapping):
        raise ClassificationError(f"{label}: 'tool' must be a table ([tool]), not {tool!r}")
    if TABLE_NAME not in tool:
        return None
    return ProjectFile(path, label, tool[TABLE_NAME])


def relative_label(path: Path, root: Path) -> str:
    """``pyproject.toml`` or ``../pyproject.toml``: a file as seen from the rootdir."""
    try:
        return os.path.relpath(path, root)
    except ValueError:  # another drive on Windows
        return str(path)
