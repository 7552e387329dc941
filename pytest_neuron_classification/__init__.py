"""pytest-neuron-classification: check the promises of Alpha, Beta and Stable on every run.

The public Python API is what ``__all__`` names: the version, the type of the
``neuron_metric`` fixture, the metric it returns, the vocabulary's literal types and the
type of the report the ``pytest_neuron_audit`` hook receives. Every other module and name
is private: it may change in any release.

The names are loaded on first use (PEP 562), so that importing a pure layer of the
package (``merge`` runs without pytest) does not import the pytest side with it.
"""

from __future__ import annotations

import sys
from importlib.machinery import ModuleSpec, PathFinder
from typing import TYPE_CHECKING, Any, Sequence

__version__ = "0.1.0"

__all__ = [
    "AuditReport",
    "ClassificationError",
    "Kind",
    "Level",
    "Metric",
    "MetricRecorder",
    "Status",
    "__version__",
]

if TYPE_CHECKING:
    from pytest_neuron_classification.core.metric import Metric
    from pytest_neuron_classification.core.vocabulary import AuditReport, ClassificationError, Kind, Level, Status
    from pytest_neuron_classification.fixtures import MetricRecorder

_HOMES = {
    "AuditReport": "core.vocabulary",
    "ClassificationError": "core.vocabulary",
    "Kind": "core.vocabulary",
    "Level": "core.vocabulary",
    "Status": "core.vocabulary",
    "Metric": "core.metric",
    "MetricRecorder": "fixtures",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


class _PlainImports:
    """Finds this package's own modules the way Python does, ahead of pytest's assertion rewriting.

    pytest rewrites the asserts of every module of a plugin's distribution, and loads each from
    its cached copy with ``marshal.load`` on an open file, which reads every constant through a
    method call: about ten times the CPU of a plain import, some 35 ms for this package's modules
    on each run. The package asserts nothing a test relies on, so its modules are imported plainly
    (``PYTEST_DONT_REWRITE`` in the entry modules' docstrings tells pytest so).
    """

    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: object | None = None
    ) -> ModuleSpec | None:
        if not name.startswith(__name__ + "."):
            return None
        return PathFinder.find_spec(name, path)


if not any(type(finder).__name__ == _PlainImports.__name__ for finder in sys.meta_path):
    sys.meta_path.insert(0, _PlainImports())
