"""The catalogue of what the plugin says: each message's exact wording, asserted here once.

Users read these lines in CI logs and act on them, so their words are part of the product.
Each case is a real pytest run of a small project; the line must appear whole, exactly as
written below. Other tests check statuses and report keys, so a change of wording is
reviewed here, in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

INVENTORY = """
[[tool.neuron-classification.items]]
name = "runtime"
kind = "package"

[[tool.neuron-classification.items]]
name = "cache"
kind = "feature"
level = "beta"
tests = ["tests/test_cache.py"]
"""

RUNTIME = """
import pytest
pytestmark = pytest.mark.neuron_stable("runtime")
def test_unit(): pass
@pytest.mark.neuron_integration
def test_integration(): pass
@pytest.mark.neuron_performance
def test_perf(neuron_metric):
    neuron_metric("throughput", {throughput}, "images/s", min=100)
"""


@dataclass(frozen=True)
class Case:
    #: The test modules to write, by path.
    files: dict[str, str]
    args: tuple[str, ...]
    #: The line, whole, as the terminal shows it (stdout, or stderr for usage errors).
    line: str
    config: str = INVENTORY
    stream: str = "stdout"


def _files(throughput: str = "150", cache: str = "def test_cache(): pass\n") -> dict[str, str]:
    return {"tests/test_runtime.py": RUNTIME.format(throughput=throughput), "tests/test_cache.py": cache}


CATALOGUE = {
    "every obligation met": Case(_files(), (), "neuron-classification: all 3 obligations met"),
    "a level's summary": Case(_files(), (), "stable: 1 item, 2 of 2 obligations met"),
    "a failing test": Case(
        _files(cache="def test_cache(): assert False\n"),
        (),
        "  beta feature cache: basic failing -> fix the failing test tests/test_cache.py::test_cache",
    ),
    "the failing verdict": Case(
        _files(cache="def test_cache(): assert False\n"),
        (),
        "neuron-classification: FAILED under enforce=error: 1 gap breaks a promise (first: beta feature cache: basic failing)",
    ),
    "a missing test": Case(
        {"tests/test_runtime.py": RUNTIME.format(throughput="150")},
        (),
        "  beta feature cache: basic missing -> add a test with pytestmark = pytest.mark.neuron_beta('cache', kind='feature')",
    ),
    "a measurement out of its bounds": Case(
        _files(throughput="50"),
        (),
        "throughput = 50 images/s, below min 100 images/s",
    ),
    "a run stopped early": Case(
        _files(cache="def test_cache(): assert False\n"),
        ("-x", "-p", "no:randomly"),
        "neuron-classification: INTERRUPTED (stopped early: stopping after 1 failures): "
        "only what ran before is judged, so nothing is passed",
    ),
    "a bad enforce value": Case(
        _files(),
        ("--neuron-enforce=loud",),
        "pytest.main(): error: argument --neuron-enforce: 'loud' is not one of error, warn, off",
        stream="stderr",
    ),
    "a bad configuration value": Case(
        _files(),
        (),
        "ERROR: neuron-classification: pyproject.toml: [tool.neuron-classification] unknown default-kind "
        "'widget'; use one of: api, package, feature, model",
        config='default-kind = "widget"\n',
        stream="stderr",
    ),
    "a marker with two levels": Case(
        {
            "tests/test_two.py": (
                "import pytest\n@pytest.mark.neuron_beta('x')\n@pytest.mark.neuron_stable('x')\ndef test_two(): pass\n"
            )
        },
        (),
        "neuron-classification: FAILED: 1 test with invalid classification (see errors above)",
        config="",
    ),
}


@pytest.mark.parametrize("case", CATALOGUE.values(), ids=CATALOGUE.keys())
def test_the_plugin_says_it_in_these_words(pytester, project, case):
    if case.config:
        project.config(case.config)
    for path, source in case.files.items():
        target = pytester.path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source)
    result = pytester.runpytest(*case.args)
    lines = (result.stdout if case.stream == "stdout" else result.stderr).lines
    assert case.line in lines, "\n".join(lines)
