"""How the plugin writes files: atomically, but never over a device, a symlink or a read-only file,
every report even when one fails, and report paths refused before any test runs."""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
import sys
import threading
import time
from fnmatch import fnmatch
from pathlib import Path

import pytest

from pytest_neuron_classification.core.audit import audit_of
from pytest_neuron_classification.core.evidence import Evidence, TestRecord
from pytest_neuron_classification.core.items import make_item
from pytest_neuron_classification.core.vocabulary import ClassificationError, Policy
from pytest_neuron_classification.render.outputs import render_reports
from pytest_neuron_classification.storage.files import WriteRefused, write_atomic
from pytest_neuron_classification.storage.outputs import Output, check_outputs, report_outputs, write_outputs

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


# check_outputs: several reports


def test_check_report_paths_accepts_distinct_paths(tmp_path):
    check_outputs(report_outputs({"--neuron-json": tmp_path / "a.json", "--neuron-markdown": tmp_path / "a.md"}))


def test_check_report_paths_refuses_one_file_twice(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ClassificationError) as info:
        check_outputs(report_outputs({"--neuron-json": "out.json", "--neuron-markdown": "out.json"}))
    assert fnmatch(str(info.value), "--neuron-json and --neuron-markdown *out.json*")


def test_check_report_paths_sees_through_symlinks_and_spellings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "real.json").write_text("")
    (tmp_path / "link.json").symlink_to("real.json")
    for other in ("link.json", "./real.json", str(tmp_path / "real.json")):
        with pytest.raises(ClassificationError) as info:
            check_outputs(report_outputs({"--json": "real.json", "--markdown": other}))
        assert fnmatch(str(info.value), f"--json and --markdown *{tmp_path.resolve() / 'real.json'};*")


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null")
def test_check_report_paths_lets_two_reports_share_dev_null():
    check_outputs(report_outputs({"--neuron-json": "/dev/null", "--neuron-markdown": Path("/dev/null")}))


def test_check_report_paths_refuses_an_empty_value(tmp_path):
    with pytest.raises(ClassificationError) as info:
        check_outputs(report_outputs({"--neuron-markdown": tmp_path / "a.md", "--neuron-json": ""}))
    assert str(info.value).startswith("--neuron-json= ")


# write_outputs


def an_audit():
    cache = make_item("cache", "feature", "beta", {})
    record = TestRecord.of("t.py::a", ("cache",), ("cache",), ("functional",), "passed")
    return audit_of(Evidence(policy=Policy(), items=(cache,), tests=(record,), source="t"))


def test_a_failed_report_does_not_stop_the_next(tmp_path):
    (tmp_path / "reports").mkdir()
    paths = {"--neuron-json": tmp_path / "reports", "--neuron-markdown": tmp_path / "neuron.md"}
    problems = write_outputs(render_reports(an_audit(), paths))
    (problem,) = problems
    assert fnmatch(problem, f"* --neuron-json={tmp_path / 'reports'}: reports *")
    assert (tmp_path / "neuron.md").read_text().startswith("## Neuron software classification")
    assert listing(tmp_path) == ["neuron.md", "reports"]


def test_every_failure_is_one_line(tmp_path):
    (tmp_path / "ro.json").write_text("keep")
    (tmp_path / "ro.json").chmod(0o444)
    (tmp_path / "file").write_text("")
    paths = {"--json": tmp_path / "ro.json", "--markdown": tmp_path / "file" / "out.md"}
    problems = write_outputs(render_reports(an_audit(), paths))
    assert len(problems) == 2
    assert fnmatch(problems[0], f"* --json={tmp_path / 'ro.json'}: ro.json is read-only*")
    assert fnmatch(problems[1], f"* --markdown={tmp_path / 'file' / 'out.md'}: *")
    assert (tmp_path / "ro.json").read_text() == "keep"
    assert write_outputs(render_reports(an_audit(), {"--json": tmp_path / "ok.json"})) == []


# End to end


@needs_root_on_linux
def test_a_run_reporting_to_dev_null_keeps_the_device(pytester):
    pytester.makepyfile(test_plain="def test_a(): pass")
    result = pytester.runpytest("--neuron-json=/dev/null", "--neuron-markdown=/dev/null")
    assert result.ret == 0
    assert "ERROR" not in result.stdout.str() + result.stderr.str()
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_run_writes_through_a_symlinked_markdown_path(project):
    project.module("cache", level="beta", kind="feature")
    store = project.path / "store"
    store.mkdir()
    (store / "neuron.md").write_text("## Neuron software classification\n\nyesterday's summary\n")
    link = project.path / "summary.md"
    link.symlink_to(store / "neuron.md")
    result, report = project.run(f"--neuron-markdown={link}")
    assert result.ret == 0
    assert report["items"][0]["name"] == "cache"
    assert link.is_symlink() and os.readlink(link) == str(store / "neuron.md")
    assert (store / "neuron.md").read_text().startswith("## Neuron software classification")
    assert listing(store) == ["neuron.md"]


def test_a_run_writes_the_markdown_when_the_json_write_fails(pytester):
    # The report folder is fine when the run starts and becomes a file before it ends.
    pytester.makepyfile(
        test_plain="""
        import os, shutil
        def test_a():
            shutil.rmtree("reports")
            open("reports", "w").close()
        """
    )
    pytester.mkdir("reports")
    result = pytester.runpytest("--neuron-json=reports/neuron.json", "--neuron-markdown=neuron.md")
    result.stdout.fnmatch_lines(["ERROR: neuron-classification: *--neuron-json=*reports/neuron.json*"])
    assert result.ret == 1
    assert (pytester.path / "neuron.md").read_text().startswith("## Neuron software classification")
    assert "Traceback" not in result.stdout.str()


@pytest.mark.parametrize("target", ["pyproject.toml", "link.json"])
def test_reports_never_replace_sources_or_config_even_through_a_link(project, target):
    project.config("")
    project.module()
    (project.path / "link.json").symlink_to(project.path / "test_runtime.py")
    before = (project.path / "test_runtime.py").read_text(), (project.path / "pyproject.toml").read_text()
    result = project.pytester.runpytest(f"--neuron-json={target}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: neuron-classification: --neuron-json={target}*"])
    assert ((project.path / "test_runtime.py").read_text(), (project.path / "pyproject.toml").read_text()) == before


def test_the_contracts_file_never_replaces_a_source(project):
    # merge's refusal of a source as its output is in the catalogue, which checks that no file changed.
    project.module()
    project.config('contracts = "test_runtime.py"\n')
    result = project.pytester.runpytest("--neuron-update-contracts")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "pytestmark" in (project.path / "test_runtime.py").read_text()


def test_the_json_report_can_go_to_stdout(project):
    project.module()
    result = project.pytester.runpytest_subprocess("--neuron-json=/dev/stdout", "-p", "no:randomly", "-q")
    assert result.ret == 1  # the module's performance gap
    text = result.stdout.str()
    assert json.loads(text[text.index("{") : text.rindex("}") + 1])["schema"] == "pytest-neuron-classification/2"
    assert "ERROR" not in result.stdout.str()
