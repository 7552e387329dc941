"""The one output check: every file a command writes is checked here, before the work starts.

Run reports, the history, the gap and metric baselines, the contracts file, ``merge``'s outputs
and ``record``'s evidence file all go through :func:`check_outputs`, so a path is refused by the
same rules, in the same words, whichever command was given it: an empty value, two outputs
naming one file (another plugin's too: ``--junitxml``), a source or configuration file (by its
name, even before it exists), a directory, a file we may not replace (read-only, a socket), a
folder we cannot create the file in, a file the command reads or another writer keeps, and an
existing file that is not one of ours. Each rule follows symlinks: a link to README.md is README.md.
The write itself is :func:`~.files.write_atomic`'s; the reports are written together by
:func:`write_outputs`, so one failure does not cost the others.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from pytest_neuron_classification.core.text import a_or_an
from pytest_neuron_classification.core.vocabulary import ClassificationError
from pytest_neuron_classification.storage.files import (
    file_status,
    is_stdio,
    is_stream,
    refusal,
    write_atomic,
    write_error,
    writes_through,
)
from pytest_neuron_classification.storage.report_file import REPORT_STARTS


@dataclass(frozen=True)
class Output:
    """One file a command will write, as the user gave it, and what the messages call it."""

    #: The option that named it (``--neuron-json``), or the setting (``metrics``).
    option: str
    #: The value as given: messages quote it, and ``--neuron-json=`` must stay empty, not ``.``.
    value: str
    #: What the file is, for the fix: "give the report a path of its own".
    noun: str = "report"
    #: What an empty value should have been: "a file path such as metric-history.jsonl".
    example: str = "a file path"
    #: How a file this plugin wrote begins (whitespace aside): any other existing, non-empty file
    #: is refused, so that a typo never replaces README.md. Empty: any file (a test's own outputs).
    starts: tuple[bytes, ...] = ()
    #: The schema family of the JSON file of ours this output replaces (its version aside): an
    #: existing, non-empty file is refused unless it begins with "{" and names that family (readable
    #: JSON by its ``schema``; a corrupt one, ours to rewrite, by the text ``"schema": "FAMILY/``).
    schema: str = ""
    #: Read back and rewritten (``record``'s evidence file): a regular file or absent, never a device.
    extended: bool = False
    #: What the command calls this file when another output names it ("the gap baseline this run
    #: reads"): set for a file that is kept from run to run, so no other writer may replace it.
    role: str = ""
    #: Written by another plugin (``--junitxml``): only checked against ours (one file for two
    #: outputs, a file the command reads); where it may write is that plugin's business.
    foreign: bool = False

    @property
    def label(self) -> str:
        return f"{self.option}={self.value}"


def report_outputs(given: Mapping[str, str | Path]) -> list[Output]:
    """The report options as outputs: each may replace only a report of this plugin."""
    return [Output(option, str(value), starts=REPORT_STARTS) for option, value in given.items()]


def check_outputs(outputs: Sequence[Output], reads: Mapping[Path, str] | None = None) -> dict[str, Path]:
    """Refuse, before the work starts, an output that would fail at the end or destroy something.

    ``reads`` maps each file the command reads to what it is ("the API contracts file this run
    reads"): no output replaces one, nor a file another output keeps (its ``role``). Every writer
    of one command is checked in one call, so that two of them never share a file. Returns each
    option's absolute path. Raises :class:`ClassificationError`: one line naming the option, the
    file and the fix.
    """
    for output in outputs:
        if not output.foreign and not output.value.strip():
            raise ClassificationError(f"{output.label} is empty; give {output.example}")
    outputs = [output for output in outputs if output.value.strip()]  # another plugin's empty value: its own
    kept: dict[str, tuple[str, Output | None]] = {}
    for output in outputs:
        if output.role and not writes_through(Path(output.value)):
            kept.setdefault(_real(output.value), (output.role, output))  # the first one keeps it
    # What the command reads wins over a role: --neuron-baseline=ev.json names the evidence file.
    kept.update({os.path.realpath(path): (what, None) for path, what in (reads or {}).items()})
    paths = {}
    for output in outputs:
        path = Path(output.value)
        if not output.foreign:
            _check_writable(output, path)
        _check_not_kept(output, path, kept)
        if not output.foreign:
            _check_ours(output)
        paths[output.option] = path.expanduser().absolute()
    _check_distinct(outputs)
    return paths


def write_outputs(texts: Mapping[str, tuple[Path, str]]) -> list[str]:
    """Write each output (option -> path and text); one line per output that could not be written.

    A failed write does not stop the others: with the JSON report on a full disk, the Markdown one
    for the job summary may still fit, and every failure is reported, not just the first.
    """
    problems = []
    for option, (path, text) in texts.items():
        try:
            write_atomic(path, text)
        except OSError as exc:
            problems.append(write_error(path, f"{option}=", exc))
    return problems


def is_source(path: Path) -> bool:
    """Whether ``path`` is, or links to, a file no output may replace: code or configuration.

    By its name, whether or not it exists yet: ``record --output setup.cfg`` is a typo too where
    there is no setup.cfg, and would leave a file that the tools reading that name then misread.
    """
    target = Path(_real(str(path)))
    return (path.suffix.lower() in _SOURCES or target.suffix.lower() in _SOURCES) and not target.is_dir()


#: Python sources, the files pytest and packaging read their configuration from, and CI configuration.
_SOURCES = frozenset({".py", ".pyi", ".pyw", ".pyx", ".pxd", ".pth", ".toml", ".cfg", ".ini", ".yml", ".yaml"})


def _real(value: str) -> str:
    return os.path.realpath(Path(value).expanduser().absolute())


def _check_writable(output: Output, path: Path) -> None:
    """The write at the end would succeed, and replace nothing it must not.

    A source or configuration file is never replaced: ``--neuron-json=tests/test_x.py`` is a typo
    that would otherwise destroy a test file.
    """
    value = f"{output.option}={path}"  # as a path: ``./out.json`` is quoted as ``out.json``
    target = Path(os.path.realpath(path.expanduser().absolute()))
    if is_source(path):
        verb = "overwrite" if target.exists() else "create"
        raise ClassificationError(
            f"{value}: refusing to {verb} {path}, a source or configuration file; choose {a_or_an(output.noun)} path"
        )
    if output.extended:
        try:
            mode = os.stat(target).st_mode
        except FileNotFoundError:
            mode = stat.S_IFREG
        except OSError as exc:
            raise ClassificationError(f"{value}: cannot read it ({exc.strerror}); choose another path") from None
        if not stat.S_ISREG(mode):
            raise ClassificationError(
                f"{value}: {path} is not a regular file; give the path of {a_or_an(output.noun)} (created if absent)"
            )
    if is_stdio(path):
        return  # written in place, like a device
    if target.is_dir():
        raise ClassificationError(f"{value} is a directory; give a file path such as {path}/neuron.json")
    try:
        status = file_status(target)
    except NotADirectoryError:
        status = None  # a parent is a file: said below, with the file's name
    except OSError as exc:  # a symlink loop, a folder we may not search
        raise ClassificationError(f"{value}: cannot use {path} ({exc.strerror or exc}); choose another path") from None
    if status is not None and is_stream(status):
        if not os.access(target, os.W_OK):
            raise ClassificationError(f"{value}: {path} is not writable; choose another path")
        return  # written in place: its folder (/dev) need not be writable
    why = refusal(target, status) if status is not None else None
    if why:
        raise ClassificationError(f"{value}: {path} {why}")
    parent = target.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise ClassificationError(f"{value}: cannot create a file under {parent}; choose a writable path")


def _check_not_kept(output: Output, path: Path, kept: Mapping[str, tuple[str, Output | None]]) -> None:
    """Not a file the command reads, nor one another output keeps (the gap baseline, the history)."""
    if writes_through(path):
        return
    what, owner = kept.get(_real(str(path)), ("", output))
    if owner is not output:
        raise ClassificationError(f"{output.label} names {what}; give the {output.noun} a path of its own")


def _check_ours(output: Output) -> None:
    """Not an existing file that is not one of ours: README.md or a file of another tool is
    documentation or data, not a file to overwrite; an empty file (a fresh ``$GITHUB_STEP_SUMMARY``)
    is written. Whitespace is ignored, so a file someone re-indented is still ours."""
    if not (output.starts or output.schema) or writes_through(Path(output.value)):
        return
    real = _real(output.value)
    try:
        with open(real, "rb") as handle:
            head = b"".join(handle.read(512).split())
    except OSError:
        return  # absent (the usual case), or unreadable: _check_writable said what it must
    if not head:
        return
    starts = output.starts or (b"{",)
    ours = any(head.startswith(b"".join(start.split())) for start in starts)
    if ours and output.schema:
        family = _schema_family(Path(real))
        ours = family == output.schema if family is not None else _names_family(Path(real), output.schema)
    if not ours:
        raise ClassificationError(
            f"{output.label}: {output.value} exists and is not {a_or_an(output.noun)} of this plugin; "
            f"give the {output.noun} a path of its own (or delete the file first)"
        )


def _names_family(path: Path, family: str) -> bool:
    """Whether a file that is not readable JSON still names the schema family: a torn or hand-broken
    file of ours does (its update is the cure); a JSON-with-comments file of another tool (a
    ``tsconfig.json``, which begins with ``{`` too) does not, and is never replaced."""
    try:
        text = path.read_bytes()
    except OSError:
        return False
    return re.search(rb'"schema"\s*:\s*"' + re.escape(family.encode()) + rb"/", text) is not None


def _schema_family(path: Path) -> str | None:
    """The family of the file's ``schema``; "" for a JSON document without one; None when it is
    not readable JSON (a torn or hand-broken file of ours, which its update rewrites)."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    schema = data.get("schema") if isinstance(data, dict) else None
    return schema.rsplit("/", 1)[0] if isinstance(schema, str) else ""


def _check_distinct(outputs: Sequence[Output]) -> None:
    """No two outputs name one file, ours or another plugin's: the last writer would win."""
    seen: dict[str, Output] = {}
    for output in outputs:
        target = _real(output.value)
        if writes_through(Path(target)):
            continue  # a device or FIFO (/dev/null) is written in place: two outputs may share it
        first = seen.setdefault(target, output)
        if first is not output:
            name = output.value if first.value == output.value else target
            raise ClassificationError(
                f"{first.option} and {output.option} name the same file {name}; give each its own path"
            )
