"""The pytest entry point: registers options, markers and hooks, and one object per role.

* :func:`~.configure.configure` reads the options and pyproject.toml and scans the user's
  surface into a :class:`~.configure.Run` (in every process);
* :class:`~.classifier.Classifier` classifies collected tests (in every process), and
  :class:`~.removal.RemovalWatcher` counts the tests a conftest drops as deselected;
* :class:`~.worker_sender.WorkerSender` sends a worker's evidence (on xdist workers only);
* :class:`~.placement.PlacementWatcher` fingerprints the collection and reads the shard (in every process);
* :mod:`.fixtures` (its own entry point too) gives tests ``neuron_metric``;
* :class:`~.controller.Controller` judges and reports (serially, or on the xdist controller),
  from :func:`~.inputs.controller_inputs` (baselines, history, evidence files, report paths:
  read there only) and the outcomes its :class:`~.outcome_log.ReportLog` folds from each test report.

The roles share nothing but the configured run and the classifier's records, so each is read
and tested on its own, the way pytest-xdist keeps ``DSession`` apart from its options.

PYTEST_DONT_REWRITE: the package imports its modules without assertion rewriting (see
:class:`pytest_neuron_classification._PlainImports`).
"""

from __future__ import annotations

import pytest

from pytest_neuron_classification import fixtures
from pytest_neuron_classification.session.benchmark import BENCHMARK_READER, BENCHMARK_STATISTIC
from pytest_neuron_classification.session.classifier import Classifier
from pytest_neuron_classification.session.configure import configure, usage_errors
from pytest_neuron_classification.session.options import add_options
from pytest_neuron_classification.session.outcome_log import REPORT_LOG
from pytest_neuron_classification.session.placement import PLACEMENT, PlacementWatcher
from pytest_neuron_classification.session.removal import REMOVAL_WATCHER, RemovalWatcher
from pytest_neuron_classification.session.worker_sender import WorkerSender

#: Names under which the role objects are registered (and unregistered).
_ROLES = (
    "neuron_classification_classifier",
    "neuron_classification_worker",
    "neuron_classification_controller",
    "neuron_classification_invalid_markers",
    BENCHMARK_READER,
    REPORT_LOG,
    PLACEMENT,
    REMOVAL_WATCHER,
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
    run = configure(config)
    config.stash[BENCHMARK_STATISTIC] = run.settings.benchmark_statistic
    settings = run.settings
    root = run.project.path.parent
    classifier = Classifier(config, run.catalog, run.policy, settings.level_markers, root, settings.category_tests)
    config.pluginmanager.register(classifier, _ROLES[0])
    config.pluginmanager.register(PlacementWatcher(config), PLACEMENT)
    config.pluginmanager.register(RemovalWatcher(classifier), REMOVAL_WATCHER)
    if run.options.worker:
        config.pluginmanager.register(WorkerSender(config, classifier), _ROLES[1])
    else:
        # Imported here: an xdist worker never judges, so it never loads the controller, its
        # inputs (baselines, history, evidence files) or the reports' code.
        from pytest_neuron_classification.session.controller import Controller
        from pytest_neuron_classification.session.inputs import controller_inputs

        with usage_errors():
            inputs = controller_inputs(run)
        controller = Controller(config, run, inputs, classifier)
        config.pluginmanager.register(controller, _ROLES[2])
        config.pluginmanager.register(controller.log, REPORT_LOG)


def pytest_report_header(config: pytest.Config) -> str | None:
    """Name the pyproject.toml read when it is not the rootdir's own, so nobody edits the wrong one."""
    controller = config.pluginmanager.get_plugin(_ROLES[2])
    if controller is None:  # an xdist worker, which never loaded the controller's module
        return None
    from pytest_neuron_classification.session.controller import Controller

    if not isinstance(controller, Controller):
        return None
    project = controller.run.project
    if project.path.parent == config.rootpath or not project.path.is_file():
        return None
    from pytest_neuron_classification.core.text import visible

    return f"neuron-classification: config from {visible(project.label)}"


def pytest_unconfigure(config: pytest.Config) -> None:
    for name in _ROLES:
        role = config.pluginmanager.get_plugin(name)
        if role is not None:
            config.pluginmanager.unregister(role)
            # pluggy keeps every plugin it registered to the end of the process (the history of the
            # historic pytest_plugin_registered hook holds it), so a role's data (a large inventory's
            # items, the collection's tests) would live on, walked by pytest's gc.collect() at
            # unconfigure and by the interpreter's at exit: the role lets go of it now.
            vars(role).clear()
