"""The keys of ``[tool.neuron-classification]``: name, default, check and documentation, once.

The parser in :mod:`.settings` accepts exactly these keys and reads each through its
:class:`~.table.ConfigKey`; the documentation's reference is generated from the same table,
so an accepted key cannot go undocumented, nor a default differ from the documented one.
Keys come in the order they are parsed: a key whose check needs another (``items`` needs
``default-kind`` and ``release``) comes after it.
"""

from __future__ import annotations

from typing import Any, Mapping

from pytest_neuron_classification.config.entries import (
    category_tests,
    check_since,
    inventory_item,
    no_duplicates,
    parse_annotation_rules,
    parse_level_markers,
    parse_notice,
    parse_notice_windows,
    parse_since,
    parse_waiver,
    release_from,
)
from pytest_neuron_classification.config.table import (
    ConfigKey,
    array_of,
    boolean,
    choice,
    file_path,
    no_unknown_keys,
    string_list,
    strings,
    table_of,
)
from pytest_neuron_classification.core.vocabulary import (
    CATEGORIES,
    DEFAULT_KIND,
    DEFAULT_MEASURED,
    DEFAULT_STANDARD_SUITE,
    ENFORCE_MODES,
    KINDS,
    LEVELS,
    ClassificationError,
    Enforce,
    EnforceMode,
    Level,
    check_choice,
)
from pytest_neuron_classification.metrics.baselines import (
    BENCHMARK_STATISTICS,
    DEFAULT_METRICS_PATH,
    DEFAULT_NOISE,
    DEFAULT_SIGNIFICANCE,
    DEFAULT_STATISTIC,
    DEFAULT_TOLERANCE,
    Tolerances,
    make_tolerances,
)
from pytest_neuron_classification.metrics.gate import BASELINE_FROM
from pytest_neuron_classification.metrics.history import DEFAULT_HISTORY_RUNS, MIN_HISTORY_RUNS
from pytest_neuron_classification.metrics.noise import DEFAULT_WINDOW
from pytest_neuron_classification.storage.contracts_file import DEFAULT_CONTRACTS_PATH
from pytest_neuron_classification.storage.metric_baseline import MAX_WINDOW


def _enforce(value: Any, _parsed: Mapping[str, Any]) -> Enforce | None:
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


def _standard_suite(value: Any, _parsed: Mapping[str, Any]) -> tuple[str, ...]:
    suite = string_list(value, "standard-suite")
    if not suite:
        raise ClassificationError("standard-suite must name at least one category")
    return tuple(check_choice(c, CATEGORIES, "category in standard-suite") for c in suite)


def _categories(value: Any, _parsed: Mapping[str, Any]) -> dict[str, list[str]]:
    table = table_of(value, "categories")
    extra: dict[str, list[str]] = {}
    for category, names in table.items():
        category = check_choice(category, CATEGORIES[1:], "category in [categories]")
        extra[category] = string_list(names, f"categories.{category}")
    return extra


def _release(value: Any, _parsed: Mapping[str, Any]) -> str:
    return parse_since(value, "release")


def _release_from(value: Any, parsed: Mapping[str, Any]) -> str:
    if parsed.get("release") is not None:
        raise ClassificationError("release and release-from are both set; keep one")
    return release_from(value)


def _items(value: Any, parsed: Mapping[str, Any]) -> tuple[Any, ...]:
    inventory = tuple(
        inventory_item(entry, index, parsed["default_kind"], parsed["source"])
        for index, entry in enumerate(array_of(value, "items"))
    )
    no_duplicates(inventory)
    check_since(inventory, parsed["release"] or parsed["release_from"])
    return inventory


def _notices(value: Any, _parsed: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(parse_notice(entry, index) for index, entry in enumerate(array_of(value, "notices")))


def _waivers(value: Any, _parsed: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(parse_waiver(entry, index) for index, entry in enumerate(array_of(value, "waivers")))


def _tolerances(value: Any, _parsed: Mapping[str, Any]) -> Tolerances:
    """``{ default = 0.1, metrics = { latency_p90 = 0.2 }, items = { llama = 0.05 }, noise = 3, significance = 0.01 }``."""
    table = table_of(value, "metrics-tolerance")
    no_unknown_keys(table, tuple(key.name for key in TOLERANCE_KEYS), "metrics-tolerance: ")
    given = {key.field: table.get(key.name, key.default) for key in TOLERANCE_KEYS}
    return make_tolerances(
        given["default"],
        table_of(given["metrics"], "metrics-tolerance.metrics"),
        table_of(given["items"], "metrics-tolerance.items"),
        where="metrics-tolerance",
        noise=given["noise"],
        significance=given["significance"],
    )


def _runs(value: Any, _parsed: Mapping[str, Any], key: str = "baseline-runs", low: int = MIN_HISTORY_RUNS) -> int:
    high = 10_000 if key == "baseline-runs" else MAX_WINDOW
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ClassificationError(f"{key} must be a whole number of runs from {low} to {high}, not {value!r}")
    return value


#: ``metrics-tolerance``'s keys (read by :func:`_tolerances`, which checks them all at once).
TOLERANCE_KEYS = (
    ConfigKey("default", "number", DEFAULT_TOLERANCE, "the relative tolerance of every metric", "default = 0.05"),
    ConfigKey("metrics", "table of numbers", {}, "per metric name", "metrics = { latency_p90 = 0.2 }"),
    ConfigKey("items", "table of numbers", {}, "per item name or id; wins over a metric's", "items = { llama = 0.05 }"),
    ConfigKey(
        "noise",
        "number",
        DEFAULT_NOISE,
        "the band within a run, in IQR / sqrt(rounds) of the baseline's samples (0: no band, the tolerance alone)",
        "noise = 2",
    ),
    ConfigKey(
        "significance",
        "number",
        DEFAULT_SIGNIFICANCE,
        "with samples on both sides, a Mann-Whitney U test must also find the runs different at this level",
        "significance = 0.01",
    ),
)

#: Every key of ``[tool.neuron-classification]``, in the order the reference lists them.
KEYS = (
    ConfigKey(
        "enforce",
        "string or table",
        None,
        "error, warn or off; or a table per level, where a level left out is error",
        'enforce = { stable = "error", beta = "warn", alpha = "off" }',
        _enforce,
        shown='"error"',  # None: the ini option decides, else error
    ),
    ConfigKey(
        "default-kind",
        "string",
        DEFAULT_KIND,
        "the kind of an item whose marker and inventory give none",
        'default-kind = "package"',
        choice(KINDS, "default-kind"),
    ),
    ConfigKey(
        "standard-suite",
        "array of strings",
        DEFAULT_STANDARD_SUITE,
        "the categories the standard obligation needs, each with a passing test",
        'standard-suite = ["functional", "integration"]',
        _standard_suite,
    ),
    ConfigKey(
        "contracts",
        "string (path)",
        DEFAULT_CONTRACTS_PATH,
        "the API contract baseline and recorded classification, relative to this pyproject.toml",
        'contracts = "ci/neuron-contracts.json"',
        file_path("contracts"),
    ),
    ConfigKey(
        "categories",
        "table of arrays of strings",
        {},
        "extra marker or fixture names per category (integration, performance, accuracy, compat)",
        'categories = { performance = ["benchmark", "perf"] }',
        _categories,
    ),
    ConfigKey(
        "category-tests",
        "table of arrays of strings",
        {},
        "test patterns per category, relative to this pyproject.toml's folder: the tests they name get it",
        'category-tests = { integration = ["tests/test_examples.py", "tests/test_ops.py::test_big*"] }',
        category_tests,
    ),
    ConfigKey(
        "items",
        "array of tables",
        (),
        "the inventory: what must be covered (keys below)",
        "[[tool.neuron-classification.items]]",
        _items,
        attr="inventory",
    ),
    ConfigKey(
        "notices",
        "array of tables",
        (),
        "notices of breaking changes, removals and demotions of Stable items (keys below)",
        "[[tool.neuron-classification.notices]]",
        _notices,
    ),
    ConfigKey(
        "notice",
        "table of strings",
        {},
        "how long before it takes effect a notice must be announced, per kind: stable (every Stable item), "
        "python (a function, class or constant), flag, env, or an item kind; at least (and by default) one month",
        'notice = { stable = "1 month", flag = "3 months" }',
        parse_notice_windows,
        attr="notice_windows",
    ),
    ConfigKey(
        "waivers",
        "array of tables",
        (),
        "gaps accepted until a date (keys below)",
        "[[tool.neuron-classification.waivers]]",
        _waivers,
    ),
    ConfigKey(
        "api-modules",
        "array of strings",
        (),
        "modules whose public names are api items (Stable unless listed)",
        'api-modules = ["mysdk"]',
        strings("api-modules"),
    ),
    ConfigKey(
        "annotations",
        "table",
        {},
        "decorators (dotted path) and module patterns (with *) of the api-modules that state a level: "
        'a level, or { keyword = "stability", default = "stable" } for a decorator that takes it',
        'annotations = { "sdk._stability.beta" = "beta", "sdk.experimental.*" = "alpha" }',
        parse_annotation_rules,
    ),
    ConfigKey(
        "measured",
        "array of strings",
        DEFAULT_MEASURED,
        "categories whose obligations need a recorded measurement",
        "measured = []",
        strings("measured"),
    ),
    ConfigKey(
        "cli-parsers",
        "array of strings",
        (),
        "parsers (module:qualname) whose every flag is an api item (Stable unless listed)",
        'cli-parsers = ["mysdk.cli:build_parser"]',
        strings("cli-parsers"),
    ),
    ConfigKey(
        "env-modules",
        "array of strings",
        (),
        "packages whose every environment variable read is an api item (Stable unless listed)",
        'env-modules = ["mysdk"]',
        strings("env-modules"),
    ),
    ConfigKey(
        "metrics",
        "string (path)",
        DEFAULT_METRICS_PATH,
        "the metric baseline file, relative to this pyproject.toml",
        'metrics = "ci/neuron-metrics.json"',
        file_path("metrics"),
    ),
    ConfigKey(
        "metrics-tolerance",
        "table",
        {},
        "relative tolerances: default, metrics = { name = ... }, items = { name or id = ... }",
        "metrics-tolerance = { default = 0.1, metrics = { latency_p90 = 0.2 } }",
        _tolerances,
        shown=f"{{ default = {DEFAULT_TOLERANCE} }}",  # the table's own defaults, documented below it
        attr="tolerances",
    ),
    ConfigKey(
        "environment",
        "array of strings",
        (),
        "environment variables whose values key a measurement's environment",
        'environment = ["NEURON_INSTANCE_TYPE"]',
        strings("environment"),
    ),
    ConfigKey(
        "fail-on-improvement",
        "boolean",
        False,
        "true: an improvement beyond the tolerance fails too (baselines kept exact)",
        "fail-on-improvement = true",
        boolean("fail-on-improvement"),
    ),
    ConfigKey(
        "benchmark-statistic",
        "string",
        DEFAULT_STATISTIC,
        "the pytest-benchmark statistic judged against the baseline (median, mean or min); the others are shown only",
        'benchmark-statistic = "min"',
        choice(BENCHMARK_STATISTICS, "benchmark-statistic"),
    ),
    ConfigKey(
        "baseline-from",
        "string",
        BASELINE_FROM[0],
        "what a run's metrics are judged against: the metric baseline file, or the last runs of --neuron-history",
        'baseline-from = "history"',
        choice(BASELINE_FROM, "baseline-from"),
    ),
    ConfigKey(
        "baseline-runs",
        "integer",
        DEFAULT_HISTORY_RUNS,
        'with baseline-from = "history": how many of the environment\'s last runs make the baseline (3 to 10000)',
        "baseline-runs = 20",
        _runs,
    ),
    ConfigKey(
        "metric-window",
        "integer",
        DEFAULT_WINDOW,
        "how many of the last runs --neuron-update-metrics keeps per metric and environment (1 to 1000)",
        "metric-window = 20",
        lambda value, parsed: _runs(value, parsed, "metric-window", 1),
    ),
    ConfigKey(
        "release",
        "string",
        None,
        "the release this code becomes; no since may be later",
        'release = "2.21.0"',
        _release,
    ),
    ConfigKey(
        "release-from",
        "string",
        None,
        "a distribution whose installed version is the release (instead of release)",
        'release-from = "neuron-sdk"',
        _release_from,
    ),
    ConfigKey(
        "level-markers",
        "table of arrays of strings",
        {},
        "your own markers that classify like a bare level marker, per level",
        'level-markers = { alpha = ["experimental"] }',
        parse_level_markers,
    ),
)
#: The order keys are parsed in: each after the keys its check reads.
PARSE_ORDER = sorted(KEYS, key=lambda key: key.name in ("items",))
