"""Reading and writing the plugin's versioned JSON files: reports, contracts, gap baselines.

Every file carries a ``schema`` string, so a reader refuses what it would misread, and
every problem is one line naming the file and the fix (:class:`ClassificationError`).
Every write is atomic: a reader sees the old file or the whole new one, never half; and a write
replaces only what it should (not a device, a symlink or a read-only file: see :func:`write_atomic`).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no fcntl, so concurrent writers are not serialised
    fcntl = None  # type: ignore[assignment]

from pytest_neuron_classification.core.vocabulary import ClassificationError


@dataclass(frozen=True)
class FileFormat:
    """One versioned JSON file format, and how its messages name it."""

    schema: str
    #: The file's role in messages: "the API contracts".
    what: str
    #: How to get a good file: "rewrite it with --neuron-update-contracts".
    fix: str
    #: Older schemas of this format that are still read (a reader copes with what they lack).
    older: tuple[str, ...] = ()

    def read(self, path: Path) -> dict[str, Any]:
        """The JSON object in ``path``, or :class:`ClassificationError` naming the file and the fix."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ClassificationError(f"{path}: cannot read {self.what} ({exc.strerror or exc}); {self.fix}") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ClassificationError(f"{path}: cannot read {self.what} (not valid JSON: {exc}); {self.fix}") from None
        found = data.get("schema") if isinstance(data, dict) else None
        if not isinstance(data, dict) or (found != self.schema and found not in self.older):
            raise ClassificationError(f"{path}: schema {found!r} is not {self.schema!r}; {self.fix}")
        return data

    @property
    def family(self) -> str:
        """The schema without its version: the output check (:func:`~.outputs.check_outputs`)
        replaces a file of this family, whatever its version, and no JSON file of another."""
        return self.schema.rsplit("/", 1)[0]

    def problem(self, path: Path, what: str) -> ClassificationError:
        """What is wrong inside a file of this format, as one line naming it and the fix."""
        return ClassificationError(f"{path}: {what}; {self.fix}")

    def dump(self, body: dict[str, Any], *, sort_keys: bool = False) -> str:
        """``body`` under the schema, indented so that a change is a small diff."""
        return json.dumps({"schema": self.schema, **body}, indent=2, sort_keys=sort_keys) + "\n"


class WriteRefused(OSError):
    """A write :func:`write_atomic` will not do because it would destroy something; nothing was touched."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(errno.EPERM, why, str(path))


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader sees the old content or the whole new one, never half.

    A regular file is written through a temporary file beside it, then renamed into place, keeping
    the old file's mode (new files get ``0666`` less the umask, as ``open()`` would give, not
    mkstemp's 0600, which would hide CI artifacts). A symlink keeps pointing at the file it names:
    its target is what gets replaced. A character device or FIFO (``/dev/null``, ``/dev/stdout``, a
    pipe) is written in place: renaming over it would put a regular file where the device was, which
    as root breaks ``/dev/null`` for the whole machine. A read-only file is refused, even to root,
    because read-only is how a user says "do not replace this"; so is a socket or block device.

    Raises :class:`OSError` (:class:`WriteRefused` for a refusal) for the caller to turn into one
    clear message (:func:`write_error`); whether it should be tried at all is :func:`~.outputs.check_outputs`'s; nothing has changed on disk when it does.
    """
    if is_stdio(path):
        # /dev/stdout is this process's own output: resolving the link would name the pipe
        # (gone from /proc) or the file the shell redirected to (and then replace the CI log).
        for stream in (sys.stdout, sys.stderr):
            stream.flush()  # what was printed before comes before the report
        # The same open file as the process's own output (a dup, not a reopen): a shell
        # redirect's offset is shared, so neither overwrites the other.
        with os.fdopen(os.dup(_stdio_fd(path)), "w", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(text)
        return
    target = Path(os.path.realpath(path))
    status = file_status(target)
    if status is not None and is_stream(status):
        _write_through(target, text, status)
        return
    why = refusal(target, status) if status is not None else None
    if why:
        raise WriteRefused(target, f"{target.name} {why}")
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = stat.S_IMODE(status.st_mode) if status is not None else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # backslashreplace: a lone surrogate in a name must not cost the whole report.
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as handle:
            os.chmod(tmp, mode)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def locked(path: Path, fix: str = "write to another path") -> Iterator[None]:
    """Hold an exclusive lock for ``path`` while it is read and rewritten.

    Two writers of one file (``record`` calls in background jobs of one CI step, two runs
    updating one metric baseline) would otherwise each read the old file and the last rename
    would drop the other's part. The lock file is not beside ``path`` but in a folder of this
    user's under the temporary folder (:func:`lock_file`), named by a digest of ``path``'s real
    path: a lock file in the work tree is one ``git add .`` away from being committed. It is left
    in place (removing it would let a third writer lock a file the second one no longer sees),
    where the temporary folder's cleaning removes it. So writers take turns when they share that
    temporary folder: processes of one machine (or one container), not of two. Without ``fcntl``
    (Windows) there is no lock, and concurrent writers of one file may lose each other's work:
    each write is still atomic, so the file is whole, but the last rename wins.

    Why ``fcntl.flock`` by hand rather than ``filelock``: the plugin's runtime dependencies are
    pytest, pluggy, packaging and tomli only, and this is one call each way; taking and
    releasing the lock costs 19 us per call (best of 5 x 2,000 on Linux), once per file written.
    """
    if fcntl is None:  # pragma: no cover
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = lock_folder()
    try:
        handle = open(_private(folder) / lock_file(path), "a", encoding="utf-8")
    except OSError as exc:
        raise ClassificationError(
            f"cannot open a lock file in {folder} ({exc.strerror or exc}); make it a folder only you can "
            f"write, or {fix}"
        ) from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def lock_folder() -> Path:
    """Where :func:`locked` keeps its lock files: one folder per user under the temporary folder."""
    return Path(tempfile.gettempdir()) / f"neuron-classification-locks-{os.getuid()}"


def lock_file(path: Path) -> str:
    """The name of ``path``'s lock file: a digest of its real path, so every spelling of it (a
    relative path, a symlink) takes the same lock."""
    real = os.path.realpath(path).encode("utf-8", "surrogateescape")
    return hashlib.sha256(real).hexdigest()[:32] + ".lock"


def _private(folder: Path) -> Path:
    """``folder``, created if absent, once it is a folder of this user's that nobody else may write:
    in a shared temporary folder, another user's folder (or link) could hand us their files."""
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        pass
    status = os.lstat(folder)
    if not stat.S_ISDIR(status.st_mode) or status.st_uid != os.getuid() or status.st_mode & 0o022:
        raise OSError(errno.EPERM, "it is not a folder only this user can write")
    return folder


def writes_through(path: Path) -> bool:
    """Whether :func:`write_atomic` writes ``path`` in place: it is (or links to) a character device or FIFO.

    Two reports may share such a path (``/dev/null``): neither replaces the other.
    """
    try:
        status = file_status(Path(os.path.realpath(path)))
    except OSError:
        return False  # a parent is a file, a loop: the write says why, in one line
    return status is not None and is_stream(status)


def write_error(path: Path, label: str, exc: OSError) -> str:
    """The one line that says a write failed: ``cannot write --neuron-json=out.json: No space left``."""
    return f"cannot write {label}{path}: {exc.strerror or exc}"


def file_status(target: Path) -> os.stat_result | None:
    """``target``'s status, or None when nothing is there yet."""
    try:
        return os.stat(target)
    except FileNotFoundError:
        return None


def is_stream(status: os.stat_result) -> bool:
    return stat.S_ISCHR(status.st_mode) or stat.S_ISFIFO(status.st_mode)


def refusal(target: Path, status: os.stat_result) -> str | None:
    """Why the existing ``target`` must not be replaced, worded to follow its name; None when it may be."""
    if stat.S_ISDIR(status.st_mode):
        return "is a directory; give a file path"
    if not stat.S_ISREG(status.st_mode):
        return "is not a regular file, character device or FIFO; choose a file path"
    # Root may write anything, so os.access alone would let root replace a file marked read-only.
    if stat.S_IMODE(status.st_mode) & 0o222 == 0 or not os.access(target, os.W_OK):
        return "is read-only; make it writable or choose another path"
    return None


def _write_through(target: Path, text: str, status: os.stat_result) -> None:
    """Write a device or FIFO in place. A FIFO nobody reads fails at once instead of hanging the run."""
    fifo = stat.S_ISFIFO(status.st_mode)
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | (os.O_NONBLOCK if fifo else 0)
    try:
        fd = os.open(target, flags)
    except OSError as exc:
        if fifo and exc.errno == errno.ENXIO:
            raise OSError(errno.ENXIO, "no process reads this FIFO; start its reader first", str(target)) from None
        raise
    with open(fd, "w", encoding="utf-8", errors="backslashreplace") as handle:
        if stat.S_IFMT(os.fstat(fd).st_mode) != stat.S_IFMT(status.st_mode):
            raise OSError(errno.EAGAIN, "changed while being opened; try again", str(target))
        os.set_blocking(fd, True)  # a large report may fill the pipe: wait for the reader
        handle.write(text)


_STDIO = re.compile(r"/dev/(stdout|stderr|fd/\d+)|/proc/self/fd/\d+")


def is_stdio(path: Path) -> bool:
    return bool(_STDIO.fullmatch(str(path.expanduser().absolute())))


def _stdio_fd(path: Path) -> int:
    name = str(path.expanduser().absolute()).rsplit("/", 1)[-1]
    return {"stdout": 1, "stderr": 2}.get(name) or int(name)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
