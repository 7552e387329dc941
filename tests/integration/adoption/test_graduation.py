"""--neuron-graduation: what each Alpha and Beta item lacks for the next level."""

from __future__ import annotations

from unittest.mock import ANY

SUITE = """
import pytest

@pytest.mark.neuron_beta("persistent_cache")
def test_cache(): pass

@pytest.mark.neuron_beta("persistent_cache")
@pytest.mark.neuron_integration
def test_cache_integration(): pass

@pytest.mark.neuron_alpha("prefetch")
def test_prefetch(): pass

@pytest.mark.neuron_beta("llama", kind="model", workload="training")
@pytest.mark.neuron_convergence
def test_loss(neuron_metric): neuron_metric("final_loss", 0.01, max=0.1)

@pytest.mark.neuron_beta("trace", kind="api")
@pytest.mark.neuron_compat
def test_trace(): pass

@pytest.mark.neuron_stable("runtime", kind="package")
def test_runtime(): pass
"""


def test_graduation_summary_and_json(pytester, project):
    pytester.makepyfile(test_all=SUITE)
    result, report = project.run("--neuron-graduation", "--neuron-enforce=warn")
    result.stdout.fnmatch_lines(
        [
            "graduation *",
            "  api trace (beta): * stable",
            "  feature persistent_cache (beta): * stable* performance missing",
            "  model llama (training) (beta): * stable* performance missing",
            "  feature prefetch (alpha): * beta",
        ]
    )
    by_id = {g["id"]: g for g in report["graduation"]}
    assert by_id["persistent_cache"] == {
        "id": "persistent_cache",
        "from": "beta",
        "to": "stable",
        "ready": False,
        "obligations": [
            {"name": "standard", "status": "met", "hint": ""},
            {
                "name": "performance",
                "status": "missing",
                "hint": ANY,
            },
        ],
    }
    assert by_id["trace"]["ready"] is True
    assert "runtime" not in by_id  # Stable items have nowhere to go
    assert result.ret == 0


def test_graduation_is_off_by_default(pytester, project):
    pytester.makepyfile(test_all=SUITE)
    result, report = project.run("--neuron-enforce=warn")
    assert "graduation" not in report
    assert report["items"]  # the audit ran, without graduation
    result.stdout.no_fnmatch_line("graduation*")
    assert result.ret == 0


def test_graduation_does_not_change_the_verdict(pytester):
    pytester.makepyfile(test_all="import pytest\npytestmark = pytest.mark.neuron_beta\ndef test_a(): pass")
    result = pytester.runpytest("--neuron-graduation")
    result.stdout.fnmatch_lines(["  feature all (beta): * stable* standard missing, performance missing"])
    assert result.ret == 0
