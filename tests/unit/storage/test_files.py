"""How the storage layer writes files (storage/files.py): atomically, but never over a device, a
symlink or a read-only file, and a path refused before anything is written."""

from __future__ import annotations

import errno
import os
import socket
import stat
import sys
import threading
import time
from pathlib import Path

import pytest

from pytest_neuron_classification.core.vocabulary import ClassificationError
from pytest_neuron_classification.storage.files import WriteRefused, lock_file, lock_folder, locked, write_atomic
from pytest_neuron_classification.storage.outputs import Output, check_outputs

ROOT_ON_LINUX = sys.platform.startswith("linux") and hasattr(os, "geteuid") and os.geteuid() == 0
needs_root_on_linux = pytest.mark.skipif(not ROOT_ON_LINUX, reason="only root on Linux can replace /dev/null")
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")


def listing(folder: Path) -> list[str]:
    """The folder's entries: a leftover ``.name.*.tmp`` shows here."""
    return sorted(os.listdir(folder))


# write_atomic


@needs_root_on_linux
def test_a_character_device_is_written_in_place():
    before = listing(Path("/dev"))
    write_atomic(Path("/dev/null"), "{}\n")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert [name for name in listing(Path("/dev")) if name not in before] == []


@needs_fifo
def test_a_fifo_is_written_in_place_for_its_reader(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    text = "x" * 300_000 + "\n"  # more than a pipe holds: the writer must wait for the reader
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    deadline = time.monotonic() + 10
    while True:  # the reader thread may not have opened the FIFO yet
        try:
            write_atomic(fifo, text)
            break
        except OSError as exc:
            if exc.errno != errno.ENXIO or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
    reader.join(10)
    assert received == [text.encode()]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert listing(tmp_path) == ["pipe"]


@needs_fifo
def test_a_fifo_nobody_reads_fails_at_once(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="no process reads this FIFO; start its reader first") as info:
        write_atomic(fifo, "{}\n")
    assert info.value.errno == errno.ENXIO
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert listing(tmp_path) == ["pipe"]


def test_a_symlink_keeps_pointing_at_its_replaced_target(tmp_path):
    (tmp_path / "store").mkdir()
    target = tmp_path / "store" / "report.json"
    target.write_text("old")
    link = tmp_path / "report.json"
    link.symlink_to(Path("store") / "report.json")
    write_atomic(link, "new")
    assert link.is_symlink()
    assert os.readlink(link) == str(Path("store") / "report.json")
    assert target.read_text() == "new"
    assert listing(tmp_path) == ["report.json", "store"]
    assert listing(tmp_path / "store") == ["report.json"]


def test_a_dangling_symlink_gets_its_target_created(tmp_path):
    link = tmp_path / "report.json"
    link.symlink_to(tmp_path / "out" / "real.json")
    write_atomic(link, "new")
    assert link.is_symlink()
    assert (tmp_path / "out" / "real.json").read_text() == "new"


def test_a_read_only_file_is_refused_and_kept(tmp_path):
    # Root could replace it; the missing write bits still say "keep this".
    path = tmp_path / "out.json"
    path.write_text("precious")
    path.chmod(0o444)
    with pytest.raises(WriteRefused) as info:
        write_atomic(path, "new")
    assert info.value.strerror.startswith("out.json is read-only")
    assert isinstance(info.value, OSError)
    assert path.read_text() == "precious"
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert listing(tmp_path) == ["out.json"]


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets")
def test_a_socket_is_refused(tmp_path):
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(WriteRefused, match="s is not a regular file, character device or FIFO"):
            write_atomic(path, "new")
        assert stat.S_ISSOCK(os.stat(path).st_mode)
    assert listing(tmp_path) == ["s"]


def test_a_directory_is_refused(tmp_path):
    (tmp_path / "reports").mkdir()
    with pytest.raises(OSError, match="reports is a directory; give a file path"):
        write_atomic(tmp_path / "reports", "new")
    assert listing(tmp_path / "reports") == []


def test_a_replaced_file_keeps_its_mode(tmp_path):
    path = tmp_path / "out.json"
    path.write_text("old")
    path.chmod(0o640)
    write_atomic(path, "new")
    assert path.read_text() == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert listing(tmp_path) == ["out.json"]


def test_a_new_file_gets_the_mode_open_would_give(tmp_path):
    previous = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new" / "out.json", "new")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new" / "out.json").stat().st_mode) == 0o640
    assert listing(tmp_path / "new") == ["out.json"]


# check_outputs: one output


def test_check_writable_accepts_a_new_file_in_new_folders(tmp_path):
    check_outputs([Output("--neuron-json", str(tmp_path / "a" / "b" / "out.json"))])


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null")
def test_check_writable_accepts_dev_null():
    check_outputs([Output("--neuron-json", "/dev/null")])


@pytest.mark.parametrize(
    ("setup", "value", "message"),
    [
        (
            lambda d: (d / "reports").mkdir(),
            "reports",
            "--neuron-json=reports is a directory; give a file path such as reports/neuron.json",
        ),
        (
            lambda d: (d / "notes.txt").write_text("x"),
            "notes.txt/report.json",
            "--neuron-json=notes.txt/report.json: cannot create a file under {dir}/notes.txt; choose a writable path",
        ),
        (
            lambda d: ((d / "out.json").write_text("x"), (d / "out.json").chmod(0o444)),
            "out.json",
            "--neuron-json=out.json: out.json is read-only; make it writable or choose another path",
        ),
    ],
    ids=["directory", "under-a-file", "read-only"],
)
def test_check_writable_refuses(tmp_path, monkeypatch, setup, value, message):
    monkeypatch.chdir(tmp_path)
    setup(tmp_path)
    with pytest.raises(ClassificationError) as info:
        check_outputs([Output("--neuron-json", value)])
    assert str(info.value) == message.format(dir=tmp_path.resolve())


def test_check_writable_refuses_a_test_source_however_named(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tests").mkdir()
    source = tmp_path / "tests" / "test_x.py"
    source.write_text("def test(): pass\n")
    (tmp_path / "alias.py").symlink_to(source)
    for value in ("tests/test_x.py", "./tests/test_x.py", "alias.py"):
        with pytest.raises(ClassificationError) as info:
            check_outputs([Output("--neuron-json", value)])
        expected = f"--neuron-json={Path(value)}: refusing to overwrite {Path(value)}, a source or configuration file; choose a report path"
        assert str(info.value) == expected
    check_outputs([Output("--neuron-json", "tests/report.json")])
    assert source.read_text() == "def test(): pass\n"


@pytest.mark.skipif(ROOT_ON_LINUX or not hasattr(os, "geteuid"), reason="root may write any folder")
def test_check_writable_refuses_a_read_only_folder(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(ClassificationError, match=r"cannot create a file under .*locked; choose a writable path"):
            check_outputs([Output("--neuron-json", str(folder / "sub" / "out.json"))])
    finally:
        folder.chmod(0o755)


# locked: the lock files stay out of the work tree


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="no lock without fcntl")
def test_locked_leaves_no_lock_file_beside_the_file(tmp_path):
    target = tmp_path / "neuron-metrics.json"
    with locked(target):
        write_atomic(target, "{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["neuron-metrics.json"]
    assert (lock_folder() / lock_file(target)).is_file()  # in the user's folder under the temporary one
    assert stat.S_IMODE(lock_folder().stat().st_mode) & 0o077 == 0


def test_every_spelling_of_a_path_takes_one_lock(tmp_path, monkeypatch):
    (tmp_path / "real.json").write_text("{}")
    (tmp_path / "link.json").symlink_to(tmp_path / "real.json")
    monkeypatch.chdir(tmp_path)
    names = {lock_file(p) for p in (tmp_path / "real.json", Path("real.json"), tmp_path / "link.json")}
    assert len(names) == 1
    assert lock_file(tmp_path / "other.json") not in names


# check_outputs: several reports


# write_all_reports / write_reports


# End to end
