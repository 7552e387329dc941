"""``[tool.neuron-classification]`` parsed into :class:`Settings`: what pyproject.toml says, nothing more.

Every message names the file and the key, and says what to write instead: a release
engineer reading a red CI log should not need to open our source. The keys, their
defaults and their checks are :data:`.keys.KEYS`; this module only walks them. What a run
adds to the settings (the hooks' categories and obligations, the targets ``api-modules``
imply) is folded in by the session, into objects of its own: these stay the file's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Mapping

from pytest_neuron_classification.config.keys import KEYS, PARSE_ORDER
from pytest_neuron_classification.config.table import TABLE, no_unknown_keys, table_of
from pytest_neuron_classification.core.adoption import Waiver, check_waivers
from pytest_neuron_classification.core.contracts import Notice, NoticeWindow
from pytest_neuron_classification.core.items import Item
from pytest_neuron_classification.core.vocabulary import (
    OBLIGATIONS,
    ClassificationError,
    Enforce,
    Kind,
    Level,
    Policy,
    with_extra_categories,
)
from pytest_neuron_classification.metrics.baselines import BenchmarkStatistic, Tolerances
from pytest_neuron_classification.metrics.gate import BaselineFrom
from pytest_neuron_classification.storage.pyproject import read_project_file
from pytest_neuron_classification.surface.annotations import AnnotationRule

_TOP_KEYS = tuple(key.name for key in KEYS)


@dataclass(frozen=True)
class Settings:
    """``[tool.neuron-classification]``, validated; :func:`parse_settings` of ``{}`` is the defaults."""

    #: How messages name the file (``pyproject.toml``, ``../pyproject.toml``).
    source: str
    #: None: not set here (the ini option decides, else ``error``).
    enforce: Enforce | None
    default_kind: Kind
    standard_suite: tuple[str, ...]
    #: The contracts file, relative to the pyproject.toml.
    contracts: str
    categories: Mapping[str, list[str]]
    #: Test patterns per category (``category-tests``): the tests they name get the category.
    category_tests: Mapping[str, tuple[str, ...]]
    inventory: tuple[Item, ...]
    notices: tuple[Notice, ...]
    #: ``[notice]``: the notice window per kind (``stable``, ``flag``, ...); a month when not set.
    notice_windows: Mapping[str, NoticeWindow]
    waivers: tuple[Waiver, ...]
    api_modules: tuple[str, ...]
    #: ``[annotations]``: the decorators and module patterns that state a level in the code.
    annotations: tuple[AnnotationRule, ...]
    measured: tuple[str, ...]
    #: Parsers (``module:qualname``) whose every flag is an API, and packages whose
    #: environment variables are.
    cli_parsers: tuple[str, ...]
    env_modules: tuple[str, ...]
    #: The metric baseline file, relative to the pyproject.toml, and how it is compared.
    metrics: str
    tolerances: Tolerances
    #: Environment variables whose values make the environment key of a measurement.
    environment: tuple[str, ...]
    fail_on_improvement: bool
    #: The pytest-benchmark statistic judged against the baseline; the others are shown only.
    benchmark_statistic: BenchmarkStatistic
    #: What a run is judged against: the baseline file, or the last ``baseline_runs`` runs of the history.
    baseline_from: BaselineFrom
    baseline_runs: int
    #: How many of the last runs ``--neuron-update-metrics`` keeps per metric (``metric-window``).
    metric_window: int
    #: The release this code becomes (``release``, or the installed version of ``release-from``):
    #: no ``since`` may be later, and a promotion should carry it as its ``since``.
    release: str | None
    #: The project's own markers that classify like a bare level marker (``experimental`` -> alpha).
    level_markers: Mapping[str, Level]

    @cached_property
    def policy(self) -> Policy:
        """The policy this file configures (before ``pytest_neuron_categories``/``_obligations`` hooks)."""
        return Policy(
            standard_suite=self.standard_suite,
            category_names=with_extra_categories(self.categories),
            measured=self.measured,
        )


def parse_settings(table: Any, source: str) -> Settings:
    """Validate a parsed ``[tool.neuron-classification]`` table, key by key in :data:`.keys.PARSE_ORDER`."""
    try:
        table = table_of(table, "")
        no_unknown_keys(table, _TOP_KEYS, "")
        parsed: dict[str, Any] = {"source": source}
        for key in PARSE_ORDER:
            parsed[key.field] = key.parse(table, parsed)
    except ClassificationError as exc:
        raise ClassificationError(f"{source}: [{TABLE}] {exc}") from None
    # release-from is another way to give the release: the settings hold one.
    release_from = parsed.pop("release_from")
    parsed["release"] = parsed["release"] or release_from
    return Settings(**parsed)


def check_policy_names(settings: Settings, policy: Policy) -> None:
    """``measured`` and the waivers name categories and obligations of the run's policy (hooks' included),
    so they are checked once the hooks have added theirs."""
    for category in settings.measured:
        if category not in policy.categories:
            raise ClassificationError(
                f"{settings.source}: [{TABLE}] measured: unknown category {category!r}; "
                f"use one of {', '.join(policy.categories)}"
            )
    check_waivers(settings.waivers, {*OBLIGATIONS, *policy.categories}, settings.source)


def load_settings(path: Path, label: str | None = None) -> Settings:
    """The settings of the pyproject.toml at ``path`` (the command line's ``--config``); defaults without one."""
    project = read_project_file(path, label or str(path))
    return parse_settings(project.table, project.label)
