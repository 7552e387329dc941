"""The one output check: every file a command writes is checked here, before the work starts.

Run reports, the history, the gap and metric baselines, the contracts file, ``merge``'s outputs
and ``record``'s evidence file all go through :func:`check_outputs`, so a path is refused by the
same rules, in the same words, whichever command was given it: an empty value, two outputs
naming one file, a source or configuration file, a directory, a file we may not replace
(read-only, a socket), a folder we cannot create the file in, a file the command reads, and an
existing file that is not one of ours. The write itself is :func:`~.files.write_atomic`'s; the
reports are written together by :func:`write_outputs`, so one failure does not cost the others.
"""

from __future__ import annotations

import os
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
    #: How a file this plugin wrote begins: any other existing, non-empty file is refused. Empty
    #: for a file the command reads and validates first (a baseline, the history).
    starts: tuple[bytes, ...] = ()
    #: Read back and rewritten (``record``'s evidence file): a regular file or absent, never a device.
    extended: bool = False

    @property
    def label(self) -> str:
        return f"{self.option}={self.value}"


def report_outputs(given: Mapping[str, str | Path]) -> list[Output]:
    """The report options as outputs: each may replace only a report of this plugin."""
    return [Output(option, str(value), starts=REPORT_STARTS) for option, value in given.items()]


def check_outputs(outputs: Sequence[Output], reads: Mapping[Path, str] | None = None) -> dict[str, Path]:
    """Refuse, before the work starts, an output that would fail at the end or destroy something.

    ``reads`` maps each file the command reads to what it is ("the API contracts file this run
    reads"): an output never replaces one. Returns each option's absolute path. Raises
    :class:`ClassificationError`: one line naming the option, the file and the fix.
    """
    seen: dict[str, Output] = {}
    for output in outputs:
        if not output.value.strip():
            raise ClassificationError(f"{output.label} is empty; give {output.example}")
        target = os.path.realpath(Path(output.value).expanduser().absolute())
        if writes_through(Path(target)):
            continue  # a device or FIFO (/dev/null) is written in place: two outputs may share it
        first = seen.setdefault(target, output)
        if first is not output:
            name = output.value if first.value == output.value else target
            raise ClassificationError(
                f"{first.option} and {output.option} name the same file {name}; give each its own path"
            )
    inputs = {os.path.realpath(p): what for p, what in (reads or {}).items()}
    paths = {}
    for output in outputs:
        path = Path(output.value)
        _check_writable(output, path)
        _check_not_input(output, path, inputs)
        paths[output.option] = path.expanduser().absolute()
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
    """Whether ``path`` (after following symlinks) is a file no output may replace: code or configuration."""
    target = Path(os.path.realpath(path.expanduser().absolute()))
    return target.is_file() and target.suffix in _SOURCES


#: Python sources and the files pytest and packaging read their configuration from.
_SOURCES = frozenset({".py", ".pyi", ".toml", ".cfg", ".ini"})


def _check_writable(output: Output, path: Path) -> None:
    """The write at the end would succeed, and replace nothing it must not.

    A source or configuration file is never replaced: ``--neuron-json=tests/test_x.py`` is a typo
    that would otherwise destroy a test file.
    """
    value = f"{output.option}={path}"  # as a path: ``./out.json`` is quoted as ``out.json``
    target = Path(os.path.realpath(path.expanduser().absolute()))
    if is_source(path):
        raise ClassificationError(
            f"{value}: refusing to overwrite {path}, a source or configuration file; choose {a_or_an(output.noun)} path"
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


def _check_not_input(output: Output, path: Path, inputs: Mapping[str, str]) -> None:
    """Not a file the command reads, nor (for a report) an existing file that is not one of ours.

    README.md or a file of another tool is documentation or data, not a report to overwrite; an
    empty file (a fresh ``$GITHUB_STEP_SUMMARY``) is written.
    """
    if writes_through(path):
        return
    real = os.path.realpath(path)
    what = inputs.get(real)
    if what is not None:
        raise ClassificationError(f"{output.label} names {what}; give the {output.noun} a path of its own")
    if not output.starts:
        return
    try:
        with open(real, "rb") as handle:
            head = handle.read(256)
    except OSError:
        return  # absent (the usual case), or unreadable: _check_writable said what it must
    if head.strip() and not head.startswith(output.starts):
        raise ClassificationError(
            f"{output.label}: {output.value} exists and is not a report of this plugin; "
            f"give the {output.noun} a path of its own (or delete the file first)"
        )
