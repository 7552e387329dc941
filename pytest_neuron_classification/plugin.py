"""The pytest entry point: registers options, markers and hooks, and one object per role.

* :mod:`.options` validates the options and pyproject.toml (in every process);
* :class:`~.classifier.Classifier` classifies collected tests (in every process);
* :class:`~.classifier.WorkerSender` sends a worker's evidence (on xdist workers only);
* :mod:`.fixtures` (its own entry point too) gives tests ``neuron_metric``;
* :class:`~.controller.Controller` judges and reports (serially, or on the xdist controller),
  from the outcomes its :class:`~.report_log.ReportLog` folds from each test report.

The roles share nothing but the options and the classifier's records, so each is read
and tested on its own, the way pytest-xdist keeps ``DSession`` apart from its options.
"""

from __future__ import annotations

import pytest

from pytest_neuron_classification import fixtures
from pytest_neuron_classification.session.benchmark import BENCHMARK_READER, BENCHMARK_STATISTIC
from pytest_neuron_classification.session.classifier import Classifier, WorkerSender
from pytest_neuron_classification.session.controller import Controller
from pytest_neuron_classification.session.outcome_log import REPORT_LOG
from pytest_neuron_classification.session.settings import add_options, config_label, run_options
from pytest_neuron_classification.session.xdist_wire import is_worker

#: Names under which the role objects are registered (and unregistered).
_ROLES = (
    "neuron_classification_classifier",
    "neuron_classification_worker",
    "neuron_classification_controller",
    "neuron_classification_invalid_markers",
    BENCHMARK_READER,
    REPORT_LOG,
)


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    from pytest_neuron_classification import hookspec

    pluginmanager.add_hookspecs(hookspec)


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


#: The name of the fixture's own entry point (``-p no:neuron_metric`` disables it).
FIXTURES = "neuron_metric"


def pytest_configure(config: pytest.Config) -> None:
    # The fixture and the markers have their own entry point, so that -p no:neuron_classification
    # keeps them (under --strict-markers an unregistered marker is an error); loaded without entry
    # points (-p pytest_neuron_classification.plugin), the plugin brings them.
    manager = config.pluginmanager
    if manager.is_blocked(FIXTURES):
        fixtures.pytest_configure(config)  # the markers, which that module registers
    elif not manager.is_registered(fixtures):
        manager.register(fixtures, FIXTURES)  # its pytest_configure runs now (a historic hook)
    options = run_options(config)
    config.stash[BENCHMARK_STATISTIC] = options.settings.benchmark_statistic
    classifier = Classifier(
        config,
        options.catalog,
        options.settings.policy,
        options.settings.level_markers,
        options.config_path.parent,
    )
    config.pluginmanager.register(classifier, _ROLES[0])
    if is_worker(config):
        config.pluginmanager.register(WorkerSender(config, classifier), _ROLES[1])
    else:
        controller = Controller(config, options, classifier)
        config.pluginmanager.register(controller, _ROLES[2])
        config.pluginmanager.register(controller.log, REPORT_LOG)


def pytest_report_header(config: pytest.Config) -> str | None:
    """Name the pyproject.toml read when it is not the rootdir's own, so nobody edits the wrong one."""
    controller = config.pluginmanager.get_plugin(_ROLES[2])
    if not isinstance(controller, Controller):
        return None
    path = controller.options.config_path
    if path.parent == config.rootpath or not path.is_file():
        return None
    return f"neuron-classification: config from {config_label(path, config.rootpath)}"


def pytest_unconfigure(config: pytest.Config) -> None:
    for name in _ROLES:
        role = config.pluginmanager.get_plugin(name)
        if role is not None:
            config.pluginmanager.unregister(role)
