"""The message catalogue's one case type and one runner (tests/integration/messages/, tests/system/messages/).

Users read the plugin's lines in CI logs and act on them, so their words are part of the product.
Each catalogue file holds cases, :class:`Case`, by name; :func:`check` runs one (a real pytest run of
a small project, or the command line in a subprocess) and asserts that every expected line appears
whole, exactly as written, with the exit code. A run the plugin refuses must also have changed no
file, and no run may show a traceback.

A catalogue file states what its cases have in common once, as ``Case = partial(catalogue.Case, ...)``:
the stream its lines are printed on, the exit code, the files every case writes.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import pytest

#: Words of a crash: none of them may appear in a catalogued run's output.
CRASH = ("Traceback", "INTERNALERROR", "During handling")


@dataclass(frozen=True)
class Case:
    """One message: the project to write, how to run it, and the lines it must print."""

    #: The line, whole, as printed; several lines of one run as a tuple. ``{root}`` stands for the
    #: project's folder, ``{any}`` for text that is not the plugin's (the system's reason a write
    #: failed, a TOML or JSON parser's own message).
    lines: str | tuple[str, ...]
    #: The files to write, by path: test modules, and the inputs the run reads.
    files: Mapping[str, str] = field(default_factory=dict)
    #: The arguments of the pytest run (or of the command, with ``command``).
    args: tuple[str, ...] = ()
    #: The body of the pyproject.toml's ``[tool.neuron-classification]`` table, then any other table;
    #: None writes no pyproject.toml.
    config: str | None = ""
    #: Where the lines are printed.
    stream: str = "stdout"
    #: The exit code the run ends with.
    ret: int = pytest.ExitCode.OK
    #: A package the case needs (skipped without it).
    needs: str = ""
    #: Files every case of a catalogue writes, under ``files`` (which may replace them).
    base: Mapping[str, str] = field(default_factory=dict)
    #: Run ``python -m pytest_neuron_classification ARGS`` in a subprocess rather than pytest in-process.
    command: bool = False
    #: With ``command``: the arguments of a pytest run of the project first, whose report
    #: (neuron-report.json) the command reads.
    run: tuple[str, ...] | None = None
    #: With ``run``: an edit of that report before the command reads it.
    damage: Callable[[dict[str, Any]], object] | None = None
    #: With ``run``: copies of its report (after ``damage``) by path, each edited by its function
    #: (None: as it is), such as a second shard of the run, or the same shard run again.
    copies: Mapping[str, Callable[[dict[str, Any]], object] | None] = field(default_factory=dict)
    #: With ``command``: whether a refusal prints nothing on stdout (a merge that cannot write its
    #: output has printed the audit).
    quiet: bool = True
    #: Whether the case holds on Windows (record takes no lock file there).
    windows: bool = True


def said(line: str, lines: list[str], root: str) -> bool:
    """Whether ``line`` is one of ``lines``, ``{root}`` standing for ``root`` and ``{any}`` for any text."""
    pattern = ".*".join(re.escape(part) for part in line.replace("{root}", root).split("{any}"))
    return any(re.fullmatch(pattern, candidate) for candidate in lines)


def check(project: Any, case: Case) -> None:
    """Write ``case``'s project, run it, and assert that it says ``case.lines`` in these words."""
    if case.needs:
        pytest.importorskip(case.needs)
    if not case.windows and sys.platform == "win32":
        pytest.skip("no lock file without fcntl")
    if case.config is not None:
        project.config(case.config)
    project.write({**case.base, **case.files})
    if case.command:
        _command(project, case)
        return
    before = _files(project)
    result = project.pytester.runpytest(*case.args)
    lines = (result.stdout if case.stream == "stdout" else result.stderr).lines
    expected = (case.lines,) if isinstance(case.lines, str) else case.lines
    missing = [line for line in expected if not said(line, lines, str(project.path))]
    assert not missing, "\n".join(lines)
    assert result.ret == case.ret
    output = result.stdout.str() + result.stderr.str()
    assert not [word for word in CRASH if word in output], output
    if case.ret == pytest.ExitCode.USAGE_ERROR:  # stopped before any test ran, having changed no file
        assert "passed" not in result.stdout.str()
        assert _files(project) == before


def _command(project: Any, case: Case) -> None:
    if case.run is not None:
        project.pytester.runpytest("--neuron-json=neuron-report.json", "--neuron-enforce=warn", *case.run)
    if case.damage is not None:
        report = json.loads((project.path / "neuron-report.json").read_text())
        case.damage(report)
        (project.path / "neuron-report.json").write_text(json.dumps(report))
    for path, edit in case.copies.items():
        report = json.loads((project.path / "neuron-report.json").read_text())
        if edit is not None:
            edit(report)
        (project.path / path).write_text(json.dumps(report))
    before = _files(project)
    done = project.cli(*case.args)
    lines = (done.stdout if case.stream == "stdout" else done.stderr).splitlines()
    expected = (case.lines,) if isinstance(case.lines, str) else case.lines
    missing = [line for line in expected if not said(line, lines, str(project.path))]
    assert not missing, done.stdout + done.stderr
    assert done.returncode == case.ret
    assert not [word for word in CRASH if word in done.stdout + done.stderr], done.stdout + done.stderr
    if case.ret == 2:  # refused in one line, having written nothing
        assert len(done.stderr.splitlines()) == 1, done.stderr
        assert done.stdout == "" or not case.quiet, done.stdout
        # The files there are as they were, and there is no new one (record's lock file is not here).
        assert _files(project) == before


def _files(project: Any) -> dict[Any, bytes]:
    # Python's own bytecode cache (written when a case imports a user module, unless PYTHONDONTWRITEBYTECODE) is not ours.
    files = (path for path in project.path.rglob("*") if path.is_file() and "__pycache__" not in path.parts)
    return {path: path.read_bytes() for path in files}
