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
