"""What an xdist worker sends the controller: the tests it classified, as shared shapes."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.session.classifier import Classifier
from pytest_neuron_classification.session.xdist_wire import to_payload

#: The key of this plugin's evidence in an xdist worker's ``workeroutput``.
WORKER_KEY = "neuron_classification"


class WorkerSender:
    """On an xdist worker: send what this worker classified to the controller."""

    def __init__(self, config: Any, classifier: Classifier) -> None:
        self.config = config
        self.classifier = classifier

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        # Straight from the shared shapes: a worker never builds a record per test.
        classifier = self.classifier
        evidence = Evidence(
            policy=classifier.policy, items=tuple(classifier.catalog.items()), notes=tuple(classifier.notes)
        )
        # The worker needs its records no more: the dict (MiBs on a large suite) is freed
        # before xdist serializes the output, so that its peaks do not add up.
        records, classifier.records = classifier.records, {}
        collection = [item.nodeid for item in session.items]  # as xdist sent it to the controller
        deselected = [n for n in (i.nodeid for i in classifier.deselected) if n in records]  # built on access
        self.config.workeroutput[WORKER_KEY] = to_payload(evidence, records, collection, deselected)
