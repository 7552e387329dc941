"""Configuring a run, top to bottom: the pipeline ``pytest_configure`` runs in every process.

1. :func:`.options.read_options`: the command line and ini options, read in one place;
2. :func:`.storage.pyproject.find_project_file`: the project's pyproject.toml, read once;
3. :func:`.config.settings.parse_settings`: what it says, as pure :class:`Settings`;
4. :func:`_policy`: the policy with the ``pytest_neuron_categories``/``_obligations`` hooks' additions;
5. :func:`_surface`: the contracts file and the user's surface (``api-modules``, ``cli-parsers``,
   ``env-modules``), each module imported once, into the catalogue tests are classified against.

That is all an xdist worker needs. The controller's own inputs (report paths, baselines,
history, evidence files) are loaded by :func:`.inputs.controller_inputs`, on the controller only.
Everything the user can get wrong reaches them as one ``pytest.UsageError`` with one prefix,
raised here, before any test runs: a ``UsageError`` raised later (during collection) would
become an INTERNALERROR under pytest-xdist, and one raised after an hour of tests wastes the hour.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from typing import Iterator, Mapping

import pytest

from pytest_neuron_classification.config.settings import Settings, check_policy_names, parse_settings
from pytest_neuron_classification.core.items import Catalog, Item
from pytest_neuron_classification.core.text import short, visible
from pytest_neuron_classification.core.vocabulary import (
    ClassificationError,
    Policy,
    check_obligations,
    with_extra_categories,
)
from pytest_neuron_classification.session.collector import collector_paused
from pytest_neuron_classification.session.options import Options, read_options
from pytest_neuron_classification.session.user_hooks import call_hook
from pytest_neuron_classification.storage.contracts_file import ContractBaseline, load_contract_baseline
from pytest_neuron_classification.storage.pyproject import ProjectFile, find_project_file
from pytest_neuron_classification.surface.apis import (
    EnvScan,
    env_notes,
    removed,
    scan_environment,
    unlisted_flags,
    unlisted_variables,
)
from pytest_neuron_classification.surface.flags import forget_parsers
from pytest_neuron_classification.surface.signatures import scan_api_modules
from pytest_neuron_classification.surface.static import forget_sources

PREFIX = "neuron-classification:"


@contextmanager
def usage_errors() -> Iterator[None]:
    """Bad input, raised as one ``pytest.UsageError`` line (no traceback)."""
    try:
        yield
    except ClassificationError as exc:
        raise pytest.UsageError(f"{PREFIX} {visible(str(exc))}") from None


@dataclass(frozen=True)
class Run:
    """The configured run: what every process needs to classify its tests."""

    options: Options
    #: The pyproject.toml read (it may not exist); relative paths in it are relative to its folder.
    project: ProjectFile
    settings: Settings
    #: The settings' policy with the hooks' categories and obligations.
    policy: Policy
    #: The inventory with the targets ``api-modules`` imply.
    inventory: tuple[Item, ...]
    #: The inventory and surface items; markers add theirs during collection.
    catalog: Catalog
    contracts: ContractBaseline
    #: Where the ``env-modules`` read each environment variable.
    env: EnvScan
    #: What configuration noticed without failing (a variable the scan cannot see).
    notes: tuple[str, ...]


def configure(config: pytest.Config) -> Run:
    """The run's configuration, or one ``UsageError`` that says what to fix."""
    # Paused: a 20,000-item inventory parses into some 60,000 short-lived objects (see collector).
    with usage_errors(), collector_paused():
        options = read_options(config)
        project = find_project_file(options.rootpath, options.inipath)
        settings = parse_settings(project.table, project.label)
        policy = _policy(config, settings.policy)
        check_policy_names(settings, policy)
        return _surface(options, project, settings, policy)


def _policy(config: pytest.Config, policy: Policy) -> Policy:
    """The configured policy, extended by ``pytest_neuron_categories`` and ``pytest_neuron_obligations``."""
    extra: dict[str, list[str]] = {}
    root = config.rootpath
    answers = call_hook("pytest_neuron_categories", lambda: config.hook.pytest_neuron_categories(config=config), root)
    for answer in answers:
        if answer is not None and not isinstance(answer, Mapping):
            raise ClassificationError(
                f"pytest_neuron_categories returned {short(answer, 60)}; return {{category: [names]}} or None"
            )
        for category, names in (answer or {}).items():
            if not isinstance(category, str) or not isinstance(names, (list, tuple, set, frozenset)):
                raise ClassificationError(
                    f"pytest_neuron_categories returned {category!r}: {names!r}; return {{category: [names]}}"
                )
            extra.setdefault(category, []).extend(names)
    policy = replace(policy, category_names=with_extra_categories(extra, policy.category_names))
    table = {}
    for (kind, level), default in policy.obligation_table.items():
        obligations = list(default)
        ask = partial(
            config.hook.pytest_neuron_obligations, kind=kind, level=level, obligations=obligations, config=config
        )
        call_hook("pytest_neuron_obligations", ask, root)
        table[(kind, level)] = check_obligations(kind, level, obligations, policy.categories)
    return replace(policy, obligation_table=table)


def _surface(options: Options, project: ProjectFile, settings: Settings, policy: Policy) -> Run:
    """The contracts file and the user's code: every item the catalogue starts with."""
    forget_parsers()
    forget_sources()
    path = project.path.parent / settings.contracts
    contracts = load_contract_baseline(path, options.update_contracts)
    env = scan_environment(settings.env_modules, options.rootpath, settings.source, contracts.entries)
    inventory, unlisted = scan_api_modules(
        settings.api_modules, settings.inventory, settings.source, settings.annotations
    )
    apis = [
        *inventory,
        *unlisted,
        *unlisted_flags(settings.cli_parsers, inventory, settings.source),
        *unlisted_variables(env, inventory),
    ]
    apis += removed(contracts.entries, (i.name for i in apis), path.name)
    return Run(
        options=options,
        project=project,
        settings=settings,
        policy=policy,
        inventory=tuple(inventory),
        catalog=Catalog.from_inventory(apis, settings.default_kind),
        contracts=contracts,
        env=env,
        notes=tuple(env_notes(env, inventory)),
    )
