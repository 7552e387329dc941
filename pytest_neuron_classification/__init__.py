"""pytest-neuron-classification: check the promises of Alpha, Beta and Stable on every run.

The public Python API is what ``__all__`` names: the version, the type of the
``neuron_metric`` fixture, the metric it returns, the vocabulary's literal types and the
type of the report the ``pytest_neuron_audit`` hook receives. Every other module and name
is private: it may change in any release.

The names are loaded on first use (PEP 562), so that importing a pure layer of the
package (``merge`` runs without pytest) does not import the pytest side with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
