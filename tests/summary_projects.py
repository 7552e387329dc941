"""The small projects the message catalogue of a run's summary runs (test_messages.py and
test_messages_partial.py): a Stable package and a Beta feature, their tests, and a result
recorded outside pytest.
"""

from __future__ import annotations

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

#: A Stable package whose standard suite is complete and whose performance test measures nothing.
PRINTED = """
import pytest
pytestmark = pytest.mark.neuron_stable("runtime", kind="package")
def test_unit(): pass
@pytest.mark.neuron_integration
def test_integration(): pass
@pytest.mark.neuron_performance
def test_perf(): print("1520 images/s")
"""

ITEM = "[[tool.neuron-classification.items]]\n"  #: A Stable package's unit tests and its integration and performance tests, in two folders.
SPLIT = {
    "tests/unit/test_u.py": "import pytest\npytestmark = pytest.mark.neuron_stable('pkg')\ndef test_u(): pass\n",
    "tests/integ/test_i.py": "import pytest\npytestmark = pytest.mark.neuron_stable('pkg')\n"
    "@pytest.mark.neuron_integration\ndef test_i(): pass\n"
    "@pytest.mark.neuron_performance\ndef test_p(neuron_metric): neuron_metric('tput', 5.0, 'x/s')\n",
}

WAIVER = "[[tool.neuron-classification.waivers]]\n"
SCRIPT = "scripts/run_convergence.sh"


def project_files(throughput: str = "150", cache: str = "def test_cache(): pass\n") -> dict[str, str]:
    return {"tests/test_runtime.py": RUNTIME.format(throughput=throughput), "tests/test_cache.py": cache}


def outside(item: str, outcome: str, *metrics: dict[str, object]) -> dict[str, object]:
    """A result of a model class's convergence run as ``record`` writes it."""
    return {
        "item": item,
        "kind": "model",
        "level": "beta",
        "coupling": {"workload": "training"},
        "category": "convergence",
        "outcome": outcome,
        "source": SCRIPT,
        "metrics": [{"unit": "", "min": None, "better": "lower", **m} for m in metrics],
    }
