"""Environment variables as APIs (pytest_neuron_classification.surface.envvars): a static scan, never an import."""

from __future__ import annotations

import ast
import sys
import textwrap
import uuid
from fnmatch import fnmatch
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_neuron_classification.surface.envvars import (
    EnvScanError,
    _reads_in,
    compare_env,
    env_snapshot,
    find_package_files,
    scan_env_files,
)


def reads(source: str) -> list[tuple[str, int]]:
    return sorted(_reads_in(ast.parse(textwrap.dedent(source))))


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    """Write a uniquely named package on sys.path: ``package({"a.py": source, "sub/b.py": source})``."""
    monkeypatch.syspath_prepend(str(tmp_path))

    def write(files: dict[str, str | bytes], init: str = "") -> str:
        name = f"nc_env_{uuid.uuid4().hex[:12]}"
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text(init)
        for relative, source in files.items():
            path = tmp_path / name / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(source, bytes):
                path.write_bytes(source)
            else:
                path.write_text(textwrap.dedent(source))
        return name

    return write


# --- the read forms ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        'import os\nos.environ["X"]',
        'import os\nos.environ.get("X")',
        'import os\nos.environ.get("X", "default")',
        'import os\nos.getenv("X")',
        'import os\nos.getenv("X", "default")',
        'import os\nos.getenv(key="X")',
        'import os\nif "X" in os.environ: pass',
        'import os\nif "X" not in os.environ: pass',
        'import os\nos.environ.setdefault("X", "1")',
        'import os\nos.environ.pop("X", None)',
        'from os import environ\nenviron["X"]',
        'from os import environ\nenviron.get("X")',
        'from os import environ\n"X" in environ',
        'from os import getenv\ngetenv("X")',
        'from os import environ as env\nenv.get("X")',
        'from os import getenv as ge\nge("X")',
        'import os as _os\n_os.environ["X"]',
        'import os as _os\n_os.getenv("X")',
        'import os.path\nos.environ["X"]',
        'import os\ndef f(environ=None):\n    return (os.environ if environ is None else environ).get("X", "0")',
        'import os\ndef f(environ=None):\n    return (environ or os.environ)["X"]',
        'def f():\n    import os\n    return os.environ["X"]',
        'import os\nNAME = "X"\nos.environ.get(NAME)',  # a module-level string constant
        'import os\nNAME: str = "X"\nos.getenv(NAME)',
        'import os\nos.environ.get(f"X")',  # an f-string without placeholders
    ],
)
def test_every_read_form_is_found(source):
    assert [name for name, _ in reads(source)] == ["X"]


@pytest.mark.parametrize(
    "source",
    [
        'import os\nos.environ["X"] = "1"',  # a write, not a read
        'import os\ndel os.environ["X"]',
        'import os\nname = "X"\nname = "Y"\nos.environ.get(name)',  # a name bound twice: which one?
        'import os\ndef f(name="X"):\n    return os.environ.get(name)',  # not a module-level constant
        'import os\nos.environ.get(f"X{1}")',
        "import os\nos.environ.items()",
        'd = {}\nd.get("X")\n"X" in d',
        'import os\nconfig = object()\nconfig.environ["X"]',  # not os.environ
        'import sys as os2\nos2.environ["X"]',
        'import os.path as osp\nosp.environ["X"]',  # osp is os.path
        'from mylib import environ\nenviron["X"]',
        'from os.path import getenv\ngetenv("X")',
        'import os\nos.environ["X" + "Y"]',
        'import os\nif "X" == os.environ: pass',
    ],
)
def test_what_is_not_a_read(source):
    assert reads(source) == []


def test_lines_and_several_reads_on_one_line():
    source = """\
        import os

        A = os.environ["A"] + os.getenv("B", "")
        if "A" in os.environ and "C" not in os.environ:
            pass
        """
    assert reads(source) == [("A", 3), ("A", 4), ("B", 3), ("C", 4)]


_FORMS = [
    "import os\nos.environ[{n}]",
    "import os\nos.environ.get({n}, None)",
    "import os\nos.getenv({n})",
    "import os\n{n} in os.environ",
    "import os\n{n} not in os.environ",
    "import os\nos.environ.setdefault({n}, '')",
    "import os\nos.environ.pop({n}, None)",
    "from os import environ as e, getenv as g\ne[{n}]",
    "from os import environ as e, getenv as g\ng({n})",
]


@given(name=st.text(min_size=1, max_size=40), form=st.sampled_from(_FORMS))
def test_any_literal_name_is_found_in_each_form(name, form):
    assert reads(form.format(n=repr(name))) == [(name, 2)]


# --- scanning packages ---------------------------------------------------------------------


def test_scan_a_package_with_paths_relative_to_root(package, tmp_path):
    name = package(
        {
            "runtime.py": """\
                import os

                CORES = os.environ.get("NEURON_RT_VISIBLE_CORES", "0")
                """,
            "sub/cache.py": """\
                from os import environ as env

                def url():
                    return env["NEURON_CACHE_URL"] if "NEURON_CACHE_URL" in env else None
                """,
        },
        init='import os\nLOG = os.getenv("NEURON_RT_LOG_LEVEL")\n',
    )
    found, notes, _ = scan_env_files([name], root=tmp_path)
    assert (found, notes) == (
        {
            "NEURON_CACHE_URL": [f"{name}/sub/cache.py:4"],
            "NEURON_RT_LOG_LEVEL": [f"{name}/__init__.py:2"],
            "NEURON_RT_VISIBLE_CORES": [f"{name}/runtime.py:3"],
        },
        [],
    )
    assert list(found) == sorted(found)


def test_without_root_paths_are_as_found(package, tmp_path):
    name = package({"a.py": 'import os\nos.environ["A"]\n'})
    found, _, _ = scan_env_files([name])
    assert found == {"A": [f"{(tmp_path / name / 'a.py').as_posix()}:2"]}


def test_reads_are_sorted_by_file_then_line(package, tmp_path):
    lines = "import os\n" + "\n" * 8 + 'os.environ["A"]\nos.environ["A"]\n'  # lines 10 and 11
    name = package({"b.py": lines, "a.py": "import os\n" + "\n" * 7 + 'os.getenv("A")\n'})
    found, _, _ = scan_env_files([name], root=tmp_path)
    assert found == {"A": [f"{name}/a.py:9", f"{name}/b.py:10", f"{name}/b.py:11"]}


def test_unparsable_files_are_noted_and_skipped(package, tmp_path):
    name = package(
        {
            "broken.py": "import os\ndef f(:\n",
            "latin.py": b"# no coding line\nNAME = '\xe9t\xe9'\n",
            "fine.py": 'import os\nos.environ["A"]\n',
        }
    )
    found, notes, _ = scan_env_files([name], root=tmp_path)
    assert found == {"A": [f"{name}/fine.py:2"]}
    assert fnmatch(notes[0], f"env-modules: *{name}/broken.py (SyntaxError: *line 2)*")
    assert fnmatch(notes[1], f"env-modules: *{name}/latin.py (SyntaxError: *)*")
    assert len(notes) == 2


def test_warnings_of_the_scanned_source_are_not_raised(package, tmp_path):
    # pytest runs with filterwarnings=error: an invalid escape would fail the scan if it leaked out
    name = package({"regex.py": 'import os\nPATTERN = "\\d+"\nos.environ["A"]\n'})
    assert scan_env_files([name], root=tmp_path)[:2] == ({"A": [f"{name}/regex.py:3"]}, [])


def test_scanning_never_imports_the_package(package, tmp_path):
    name = package({"a.py": 'raise RuntimeError("imported!")\nimport os\nos.getenv("A")\n'}, init="raise SystemExit(3)")
    assert scan_env_files([f"{name}.a", name], root=tmp_path)[:2] == ({"A": [f"{name}/a.py:3"]}, [])
    assert name not in sys.modules


# --- finding packages -----------------------------------------------------------------------


def test_find_a_module_a_subpackage_and_a_package(package, tmp_path):
    name = package({"a.py": "", "sub/__init__.py": "", "sub/b.py": "", "sub/deep/c.py": ""})
    root = tmp_path / name
    assert find_package_files(f"{name}.a") == [root / "a.py"]
    assert find_package_files(f"{name}.sub") == [root / "sub/__init__.py", root / "sub/b.py", root / "sub/deep/c.py"]
    assert find_package_files(f"{name}.sub.deep") == [root / "sub/deep/c.py"]  # a namespace package
    assert len(find_package_files(name)) == 5


def test_find_a_top_level_module(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    name = f"nc_env_{uuid.uuid4().hex[:12]}"
    (tmp_path / f"{name}.py").write_text('import os\nos.environ["A"]\n')
    assert find_package_files(name) == [tmp_path / f"{name}.py"]


@pytest.mark.parametrize("suffix", ["", ".nope", ".a.deeper", ".a.__init__"])
def test_missing_package_is_one_line(package, suffix):
    missing = f"nc_env_missing_{uuid.uuid4().hex[:8]}" if suffix == "" else package({"a.py": ""}) + suffix
    with pytest.raises(EnvScanError) as info:
        scan_env_files([missing])
    assert str(info.value).startswith(f"env-modules: {missing!r} ")


def test_a_module_without_source_is_refused():
    with pytest.raises(EnvScanError, match=r"'sys' has no Python source to scan \(built-in\); list a Python package"):
        find_package_files("sys")


# --- contracts ---------------------------------------------------------------------------------

READS = {"NEURON_RT_VISIBLE_CORES": ["neuron_sdk/flags.py:27"]}


def test_env_snapshot():
    assert env_snapshot("NEURON_RT_VISIBLE_CORES", READS) == {"type": "env", "read_by": ["neuron_sdk/flags.py:27"]}
    assert env_snapshot("UNREAD", READS) == {"type": "env", "read_by": []}


def test_a_variable_no_longer_read_is_breaking():
    old = env_snapshot("NEURON_RT_VISIBLE_CORES", READS)
    new = env_snapshot("NEURON_RT_VISIBLE_CORES", {})
    (change,) = compare_env("NEURON_RT_VISIBLE_CORES", "neuron_sdk", old, new)
    assert change.breaking and fnmatch(change.text, "NEURON_RT_VISIBLE_CORES *neuron_sdk")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (["neuron_sdk/flags.py:27"], ["neuron_sdk/runtime.py:3"]),  # moved
        (["neuron_sdk/flags.py:27"], ["neuron_sdk/flags.py:27", "neuron_sdk/cli.py:9"]),  # read in one more place
        ([], ["neuron_sdk/flags.py:27"]),  # read at last
        ([], []),  # never read
    ],
)
def test_moved_reads_are_not_changes(old, new):
    assert compare_env("V", "neuron_sdk", {"type": "env", "read_by": old}, {"type": "env", "read_by": new}) == []


def test_a_contract_of_another_type_is_breaking():
    old = {"type": "function", "parameters": []}
    (change,) = compare_env("V", "pkg", old, env_snapshot("V", READS))
    assert change.breaking and fnmatch(change.text, "`V` *function*env")


def test_a_name_assigned_twice_or_built_at_run_time_is_not_guessed(tmp_path, monkeypatch):
    (tmp_path / "mod2.py").write_text(
        "import os\nNAME = 'A'\nNAME = 'B'\nx = 1\nos.getenv(NAME)\nos.getenv(f'X_{x}')\nos.getenv(f'C{\"D\"}')\n"
    )
    monkeypatch.syspath_prepend(tmp_path)
    reads, _, _ = scan_env_files(["mod2"], tmp_path)
    assert reads == {}
