"""What a run did not collect for reasons of its own: a test file that fails to import, and tests a
conftest's ``pytest_collection_modifyitems`` drops. Neither is a missing test: never "add a test"."""

from __future__ import annotations

import pytest

PKG = '[[tool.neuron-classification.items]]\nname = "pkg"\nkind = "package"\n'
UNIT = "import pytest\npytestmark = pytest.mark.neuron_stable('pkg')\ndef test_u(): pass\n"
INTEG = (
    "import pytest\npytestmark = pytest.mark.neuron_stable('pkg')\n"
    "@pytest.mark.neuron_integration\ndef test_i(): pass\n"
    "@pytest.mark.neuron_performance\ndef test_p(neuron_metric): neuron_metric('tput', 5.0, 'x/s')\n"
)


@pytest.fixture
def broken(project):
    """A Stable package whose integration and performance tests are in a file that fails to import."""
    project.config(PKG)
    project.write({"tests/unit/test_u.py": UNIT, "tests/integ/test_i.py": "import no_such_module\n" + INTEG})
    return project


@pytest.mark.parametrize(
    ("args", "ret"),
    [((), pytest.ExitCode.INTERRUPTED), (("--continue-on-collection-errors",), pytest.ExitCode.TESTS_FAILED)],
)
def test_a_file_that_fails_to_collect_is_no_missing_test(broken, args, ret):
    result, report = broken.run(*args)
    assert result.ret == ret
    assert report.statuses == {"pkg": {"standard": "not-run", "performance": "not-run"}}
    assert report["partial"] == "1 collection error"
    (pkg,) = report["items"]
    hints = {ob["name"]: ob["hint"] for ob in pkg["obligations"]}
    assert hints["performance"].startswith("tests/integ/test_i.py failed to collect")
    if ret == pytest.ExitCode.TESTS_FAILED:  # test_u ran: the integration part is the one not seen
        assert hints["standard"].startswith("tests/integ/test_i.py failed to collect")
    result.stdout.no_fnmatch_line("*add a *")


def test_a_failed_collection_still_names_a_glob_that_matches_nothing(broken):
    broken.config(PKG + '[[tool.neuron-classification.items]]\nname = "ghost"\nlevel = "beta"\ntests = ["t/x.py"]\n')
    _, report = broken.run()
    assert report.statuses["ghost"] == {"basic": "missing"}


RUNSLOW = """
import pytest
def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true")
def pytest_collection_modifyitems(config, items):
    if not config.getoption("--runslow"):
        items[:] = [i for i in items if not i.get_closest_marker("slow")]
"""


@pytest.fixture
def runslow(project):
    """pytest's --runslow recipe: the conftest drops the slow tests, which hold pkg's integration test."""
    project.config(PKG)
    project.write(
        {
            "conftest.py": RUNSLOW,
            "tests/test_u.py": UNIT,
            "tests/test_i.py": INTEG.replace(
                "@pytest.mark.neuron_integration", "@pytest.mark.slow\n@pytest.mark.neuron_integration"
            ),
        }
    )
    return project


def test_tests_a_conftest_removes_count_as_deselected(runslow):
    result, report = runslow.run("-p", "no:cacheprovider")
    assert result.ret == 0
    assert report.statuses == {"pkg": {"standard": "not-run", "performance": "met"}}
    # Counted as deselected, so the report lists it no more than a -k deselection (its selection only).
    assert "test_i" not in report.outcomes and report["placement"]["collection"]["tests"] == 3
    result.stdout.no_fnmatch_line("*add a *")
    (note,) = [n for n in report["notes"] if "removed from the collection" in n]
    assert "tests/test_i.py::test_i" in note and "conftest.py" in note
    (standard,) = [ob for ob in report["items"][0]["obligations"] if ob["name"] == "standard"]
    assert "conftest.py" in standard["hint"]
    result, report = runslow.run("--runslow")
    assert result.ret == 0
    assert report.statuses == {"pkg": {"standard": "met", "performance": "met"}}
    assert not [n for n in report["notes"] if "removed from the collection" in n]


def test_tests_removed_and_reported_deselected_are_one_deselection(runslow):
    runslow.write(
        {
            "conftest.py": RUNSLOW.replace(
                "items[:] =",
                "config.hook.pytest_deselected(items=[i for i in items if i.get_closest_marker('slow')])\n        items[:] =",
            )
        }
    )
    result, report = runslow.run()
    assert report.statuses == {"pkg": {"standard": "not-run", "performance": "met"}}
    assert not [n for n in report["notes"] if "removed from the collection" in n]
    result.stdout.fnmatch_lines(["*2 passed, 1 deselected*"])
