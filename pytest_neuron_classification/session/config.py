"""Reading ``[tool.neuron-classification]`` from pyproject.toml into :class:`Settings`.

Every message names the file and the key, and says what to write instead: a release
engineer reading a red CI log should not need to open our source.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from pytest_neuron_classification.core.adoption import Waiver
from pytest_neuron_classification.core.contracts import Notice
from pytest_neuron_classification.core.items import Item
from pytest_neuron_classification.core.vocabulary import (
    CATEGORIES,
    DEFAULT_MEASURED,
    ENFORCE_MODES,
    KINDS,
    LEVELS,
    ClassificationError,
    Enforce,
    EnforceMode,
    Kind,
    Level,
    Policy,
    check_choice,
    with_extra_categories,
)
from pytest_neuron_classification.metrics.baselines import (
    BENCHMARK_STATISTICS,
    DEFAULT_METRICS_PATH,
    DEFAULT_NOISE,
    DEFAULT_SIGNIFICANCE,
    DEFAULT_STATISTIC,
    DEFAULT_TOLERANCE,
    BenchmarkStatistic,
    Tolerances,
    make_tolerances,
)
from pytest_neuron_classification.metrics.gate import BASELINE_FROM, BaselineFrom
from pytest_neuron_classification.metrics.history import DEFAULT_HISTORY_RUNS, MIN_HISTORY_RUNS
from pytest_neuron_classification.session.config_entries import (
    TABLE,
    array_of,
    check_since,
    inventory_item,
    no_duplicates,
    no_unknown_keys,
    parse_notice,
    parse_waiver,
    release_of,
    string_list,
    table_of,
)
from pytest_neuron_classification.session.config_keys import KEYS, TOLERANCE_KEYS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib

_TOP_KEYS = tuple(key.name for key in KEYS)


@dataclass(frozen=True)
class Settings:
    """``[tool.neuron-classification]``, validated; the defaults when it is absent."""

    source: str = "pyproject.toml"
    enforce: Enforce | None = None
    default_kind: Kind = "feature"
    policy: Policy = field(default_factory=Policy)
    contracts: str = "neuron-contracts.json"
    inventory: tuple[Item, ...] = ()
    notices: tuple[Notice, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    api_modules: tuple[str, ...] = ()
    #: Parsers (``module:qualname``) whose every flag is an API, and packages whose
    #: environment variables are.
    cli_parsers: tuple[str, ...] = ()
    env_modules: tuple[str, ...] = ()
    #: The metric baseline file, relative to the pyproject.toml, and how it is compared.
    metrics: str = DEFAULT_METRICS_PATH
    tolerances: Tolerances = field(default_factory=Tolerances)
    #: Environment variables whose values make the environment key of a measurement.
    environment: tuple[str, ...] = ()
    fail_on_improvement: bool = False
    #: The pytest-benchmark statistic judged against the baseline; the others are shown only.
    benchmark_statistic: BenchmarkStatistic = DEFAULT_STATISTIC
    #: What a run is judged against: the baseline file, or the last ``baseline_runs`` runs of the history.
    baseline_from: BaselineFrom = "file"
    baseline_runs: int = DEFAULT_HISTORY_RUNS
    #: The release this code becomes (``release``, or the installed version of ``release-from``):
    #: no ``since`` may be later, and a promotion should carry it as its ``since``.
    release: str | None = None
    #: The project's own markers that classify like a bare level marker (``experimental`` -> alpha).
    level_markers: Mapping[str, Level] = field(default_factory=dict)


def load_settings(path: Path, label: str | None = None) -> Settings:
    """Settings from ``path``; defaults when the file or the table is absent.

    ``label`` is how messages name the file (relative to the rootdir, say).
    """
    if not path.is_file():
        return Settings()
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ClassificationError(f"{label or path}: invalid TOML ({exc}); fix the syntax") from None
    except OSError as exc:
        raise ClassificationError(f"{label or path}: cannot read it ({exc.strerror})") from None
    tool = document.get("tool", {})
    if not isinstance(tool, Mapping):
        raise ClassificationError(f"{label or path}: 'tool' must be a table ([tool]), not {tool!r}")
    return parse_settings(tool.get("neuron-classification", {}), label or str(path))


def names_the_table(path: Path) -> bool:
    """Whether a pyproject.toml found above the rootdir is the project's to read.

    Such a file may belong to an unrelated project (a home folder, a monorepo's parent): it is
    read only when it holds ``[tool.neuron-classification]``, so that its syntax or its other
    tables never fail a run. A file whose text names the table but does not parse is still read,
    so that its TOML error is reported.
    """
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True  # load_settings says why it cannot be read
    if "neuron-classification" not in text:
        return False
    try:
        tool = tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError:
        return True
    return isinstance(tool, Mapping) and "neuron-classification" in tool


def parse_settings(table: Any, source: str) -> Settings:
    """Validate a parsed ``[tool.neuron-classification]`` table."""
    where = f"{source}: [{TABLE}]"
    try:
        return _settings_from(table_of(table, ""), source)
    except ClassificationError as exc:
        raise ClassificationError(f"{where} {exc}") from None


def _settings_from(table: Mapping[str, Any], source: str) -> Settings:
    no_unknown_keys(table, _TOP_KEYS, "")
    enforce = _enforce(table.get("enforce"))
    default_kind = check_choice(table.get("default-kind", "feature"), KINDS, "default-kind")
    suite = string_list(table.get("standard-suite", ["functional", "integration"]), "standard-suite")
    if not suite:
        raise ClassificationError("standard-suite must name at least one category")
    suite = [check_choice(c, CATEGORIES, "category in standard-suite") for c in suite]
    extra = _categories(table.get("categories", {}))
    contracts = _path(table, "contracts", "neuron-contracts.json")
    inventory = tuple(
        inventory_item(entry, index, default_kind, source)
        for index, entry in enumerate(array_of(table.get("items", []), "items"))
    )
    no_duplicates(inventory)
    release = release_of(table)
    check_since(inventory, release)
    notices = tuple(
        parse_notice(entry, index) for index, entry in enumerate(array_of(table.get("notices", []), "notices"))
    )
    return Settings(
        source=source,
        enforce=enforce,
        default_kind=default_kind,
        policy=Policy(
            standard_suite=tuple(suite),
            category_names=with_extra_categories(extra),
            measured=tuple(string_list(table.get("measured", list(DEFAULT_MEASURED)), "measured")),
        ),
        contracts=contracts,
        inventory=inventory,
        notices=notices,
        waivers=tuple(
            parse_waiver(entry, index) for index, entry in enumerate(array_of(table.get("waivers", []), "waivers"))
        ),
        api_modules=tuple(string_list(table.get("api-modules", []), "api-modules")),
        cli_parsers=tuple(string_list(table.get("cli-parsers", []), "cli-parsers")),
        env_modules=tuple(string_list(table.get("env-modules", []), "env-modules")),
        metrics=_path(table, "metrics", DEFAULT_METRICS_PATH),
        tolerances=_tolerances(table.get("metrics-tolerance", {})),
        environment=tuple(string_list(table.get("environment", []), "environment")),
        fail_on_improvement=_bool(table, "fail-on-improvement"),
        benchmark_statistic=check_choice(
            table.get("benchmark-statistic", DEFAULT_STATISTIC), BENCHMARK_STATISTICS, "benchmark-statistic"
        ),
        baseline_from=check_choice(table.get("baseline-from", "file"), BASELINE_FROM, "baseline-from"),
        baseline_runs=_runs(table.get("baseline-runs", DEFAULT_HISTORY_RUNS)),
        release=release,
        level_markers=_level_markers(table.get("level-markers", {})),
    )


def _path(table: Mapping[str, Any], key: str, default: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or not value:
        raise ClassificationError(f"{key} must be a file path string, not {value!r}")
    return value


def _bool(table: Mapping[str, Any], key: str) -> bool:
    value = table.get(key, False)
    if not isinstance(value, bool):
        raise ClassificationError(f"{key} must be true or false, not {value!r}")
    return value


def _tolerances(value: Any) -> Tolerances:
    """``{ default = 0.1, metrics = { latency_p90 = 0.2 }, items = { llama = 0.05 }, noise = 3, significance = 0.01 }``."""
    table = table_of(value, "metrics-tolerance")
    no_unknown_keys(table, tuple(key.name for key in TOLERANCE_KEYS), "metrics-tolerance: ")
    return make_tolerances(
        table.get("default", DEFAULT_TOLERANCE),
        table_of(table.get("metrics", {}), "metrics-tolerance.metrics"),
        table_of(table.get("items", {}), "metrics-tolerance.items"),
        where="metrics-tolerance",
        noise=table.get("noise", DEFAULT_NOISE),
        significance=table.get("significance", DEFAULT_SIGNIFICANCE),
    )


def _runs(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_HISTORY_RUNS <= value <= 10_000:
        raise ClassificationError(
            f"baseline-runs must be a whole number of runs from {MIN_HISTORY_RUNS} to 10000, not {value!r}"
        )
    return value


def _enforce(value: Any) -> Enforce | None:
    """``"error"``, or a table per level such as ``{ stable = "error", beta = "warn" }``."""
    if value is None or not isinstance(value, Mapping):
        return None if value is None else check_choice(value, ENFORCE_MODES, "value for enforce")
    levels: dict[Level, EnforceMode] = {}
    for key, mode in value.items():
        level = check_choice(key, LEVELS, "level in the enforce table")
        if level in levels:
            raise ClassificationError(f"enforce names {level} twice (levels are case-insensitive); keep one")
        levels[level] = check_choice(mode, ENFORCE_MODES, f"value for enforce.{level}")
    return levels


def _categories(value: Any) -> dict[str, list[str]]:
    table = table_of(value, "categories")
    extra: dict[str, list[str]] = {}
    for category, names in table.items():
        category = check_choice(category, CATEGORIES[1:], "category in [categories]")
        extra[category] = string_list(names, f"categories.{category}")
    return extra


def _level_markers(value: Any) -> dict[str, Level]:
    """``{ alpha = ["experimental"] }`` as ``{"experimental": "alpha"}``: one level per marker name.

    The plugin's own ``neuron_*`` markers are refused: an alias must not redefine one of them.
    """
    table = table_of(value, "level-markers")
    aliases: dict[str, Level] = {}
    levels: set[Level] = set()
    for key, names in table.items():
        level = check_choice(key, LEVELS, "level in level-markers")
        if level in levels:
            raise ClassificationError(f"level-markers names {level} twice (levels are case-insensitive); keep one")
        levels.add(level)
        for name in string_list(names, f"level-markers.{level}"):
            if not name.isidentifier():
                raise ClassificationError(
                    f"level-markers.{level}: {name!r} is not a marker name; a marker name is a non-empty "
                    "identifier such as 'experimental'"
                )
            if name.startswith("neuron_"):
                raise ClassificationError(
                    f"level-markers.{level}: {name!r} is not one of your own markers "
                    "(neuron_* markers are this plugin's); list marker names such as 'experimental'"
                )
            if aliases.get(name, level) != level:
                raise ClassificationError(
                    f"level-markers: marker {name!r} is listed under {aliases[name]} and {level}; keep one level"
                )
            aliases[name] = level
    return aliases
