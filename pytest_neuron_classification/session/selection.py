"""How much of the suite a run collected: what it may conclude from an item it did not see.

Two questions, two answers. ``--lf`` does not even collect the files without a previous
failure, so the audit must not call their obligations ``missing`` (:func:`lf_partial`).
And an item recorded with the classification but absent now is a removal only if the run
would have seen it: a run given narrower paths than the suite's cannot tell (:func:`narrowed`);
an obligation with no collected test is ``missing`` only if the run would have collected its tests
(:func:`unseen_tests`, and :func:`located` for where they are).
Deselection (``-k``, ``-m``, ``--deselect``, ``--sw``) is not narrowing: deselected tests are
still classified, so their items are known.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import re
import shlex
from pathlib import Path
from typing import Iterable, Sequence

import pytest

from pytest_neuron_classification.core.globs import file_part, glob_regex
from pytest_neuron_classification.core.items import Item
from pytest_neuron_classification.core.text import count
from pytest_neuron_classification.storage.test_files import files_matching


def lf_partial(config: pytest.Config) -> str:
    """Why this run did not collect the whole suite, when ``--lf`` skipped whole files.

    Asked at session start: ``--lf`` empties its list of failures as they pass.
    """
    lf = config.pluginmanager.get_plugin("lfplugin")
    if config.getoption("lf", False) and lf is not None and getattr(lf, "lastfailed", None):
        return "--lf collected only the files of previously failed tests"
    return ""


def narrowed(config: pytest.Config, lf: str) -> str:
    """Why this run's collection may have left out classified tests that exist, or ""."""
    if lf:
        return lf
    args = [str(a) for a in config.args]
    picked = [a for a in args if "::" in a]
    if picked:
        return f"test ids given on the command line ({picked[0]})"
    # --ignore in the configured addopts is how the suite is defined; on the command line (or in
    # PYTEST_ADDOPTS, which a CI job sets for one run) it narrows it.
    ignored = [a for a in (*map(str, config.invocation_params.args), *_env_addopts()) if a.startswith("--ignore")]
    if ignored:
        return f"{ignored[0]} on the command line"
    given = [_resolved(config, a) for a in args]
    roots = _suite_roots(config)
    outside = [r for r in roots if not any(r == g or g in r.parents for g in given)]
    if outside:
        shown = " ".join(_shown(config, g) for g in given)
        return f"{shown} given, narrower than the suite ({_shown(config, outside[0])})"
    return ""


def unseen_tests(config: pytest.Config, lf: str) -> str:
    """Why this run may not have collected tests of classified items, or "": then nothing is ``missing``
    for want of a test it did not collect (see :mod:`.core.partial`).

    Narrower than :func:`narrowed`, because here the safe side is the other one: a run taken for
    partial no longer fails on a missing test. Without ``testpaths`` the rootdir is the suite, yet
    most projects run ``pytest tests``: a folder given is the whole suite there when no test file
    pytest would collect lies outside it (``tests/unit`` beside ``tests/integ`` is a partial run).
    """
    why = narrowed(config, lf)
    if not why or lf or config.getini("testpaths"):
        return why
    args = [str(a) for a in config.args]
    if any("::" in a for a in args) or why.endswith("on the command line"):
        return why
    given = [_resolved(config, a) for a in args]
    return why if any(g.is_file() for g in given) or _test_file_outside(config, given) else ""


def _test_file_outside(config: pytest.Config, given: list[Path]) -> bool:
    """Whether a test file pytest would collect from the rootdir lies outside the folders ``given``.

    Walks the rootdir as pytest's collection does (``norecursedirs``, ``--ignore``, virtualenvs: its
    ``pytest_ignore_collect`` hook), skipping the folders given, and stops at the first test file.
    A file's name is matched first, as one regular expression: most files are no test file.
    """
    patterns = [str(p) for p in config.getini("python_files")]
    folded = re.IGNORECASE if os.path.normcase("A") == "a" else 0  # as fnmatch matches on Windows
    names = re.compile("|".join(fnmatch.translate(p) for p in patterns if "/" not in p) or "(?!)", folded)
    paths = any("/" in p for p in patterns)
    hook = config.hook.pytest_ignore_collect
    for folder, dirs, files in os.walk(config.rootpath):
        base = Path(folder)
        dirs[:] = [
            d
            for d in sorted(dirs)
            if (base / d).resolve() not in given and not hook(collection_path=base / d, config=config)
        ]
        for name in files:
            if name.endswith(".py") and (paths or names.match(name)):
                path = base / name
                if collectable(path, patterns) and not hook(collection_path=path, config=config):
                    return True
    return False


def collectable(path: Path, patterns: Sequence[str]) -> bool:
    """Whether pytest would collect tests from ``path``: a ``.py`` file matching ``python_files``."""
    if path.suffix != ".py" or path.name == "__init__.py":
        return False
    posix = path.as_posix()
    return any(
        fnmatch.fnmatch(path.name if "/" not in p else posix, p if "/" not in p else f"*/{p.lstrip('/')}")
        for p in patterns
    )


def _env_addopts() -> list[str]:
    try:
        return shlex.split(os.environ.get("PYTEST_ADDOPTS", ""))
    except ValueError:  # unbalanced quotes: pytest itself reports them
        return []


def _suite_roots(config: pytest.Config) -> list[Path]:
    """What a run without arguments collects: ``testpaths`` (as pytest globs them), else the rootdir."""
    root = config.rootpath
    patterns = [str(p) for p in config.getini("testpaths") or ()]
    roots = [Path(p).resolve() for pattern in patterns for p in glob.glob(str(root / pattern), recursive=True)]
    return roots or [root.resolve()]


def _resolved(config: pytest.Config, arg: str) -> Path:
    path = Path(arg)
    if not path.is_absolute():
        path = config.invocation_params.dir / path
    return path.resolve()


def _shown(config: pytest.Config, path: Path) -> str:
    try:
        return path.relative_to(config.rootpath.resolve()).as_posix() or "."
    except ValueError:
        return str(path)


def located(config: pytest.Config, root: Path, inventory: Iterable[Item]) -> dict[str, tuple[str, ...]]:
    """Where the tests of each inventory item with ``tests`` globs are on disk (by item id; relative to ``root``).

    Asked only by a run that saw part of the suite: it names the files to run for an item it did
    not collect, and an item whose globs match no file at all stays ``missing`` (no run could see it).
    Only files pytest would collect count (``python_files``: a glob's ``__init__.py`` or helper module
    holds no test), the most relevant first: those this run did not collect, then those named after the item.
    """
    patterns = [str(p) for p in config.getini("python_files")]
    given = [_resolved(config, str(a)) for a in config.args]

    def relevance(item: Item, file: str) -> tuple[bool, bool]:
        path = (root / file).resolve()
        collected = any(g == path or g in path.parents for g in given)
        return collected, item.name.lower() not in Path(file).name.lower()

    found: dict[str, tuple[str, ...]] = {}
    for item in inventory:
        if item.tests:
            globs = [file_part(g) for g in item.tests]  # a node id pattern's tests are in its file
            files = [f for g in globs for f in files_matching(root, g, glob_regex(g))]
            tests = [f for f in dict.fromkeys(files) if collectable(root / f, patterns)]
            found[item.id] = tuple(sorted(tests, key=lambda f: relevance(item, f)))
    return found


def collect_failure(report: pytest.CollectReport) -> str:
    """What to tell of a file that failed to collect: ``tests/x.py failed to collect: fix the import error``.

    Its tests, and the obligations they meet, are unknown: the audit says this rather than "add a test".
    """
    text = str(report.longrepr)
    if "ImportError while importing" in text:
        fix = "the import error"
    elif "SyntaxError" in text:
        fix = "the syntax error"
    else:
        fix = "the collection error"
    return f"{report.nodeid or '.'} failed to collect: fix {fix}"


def failed_files(failures: Sequence[str]) -> tuple[str, str]:
    """Why a run with collection ``failures`` (see :func:`collect_failure`) is partial, and the hint of
    an obligation it saw no test for (the test may be in a file that failed); "" and "" without any."""
    if not failures:
        return "", ""
    more = f" (+{len(failures) - 1} more failed to collect)" if len(failures) > 1 else ""
    return count(len(failures), "collection error"), failures[0] + more
