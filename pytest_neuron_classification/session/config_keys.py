"""The keys of ``[tool.neuron-classification]``, as the reference documents them.

A table of data, kept apart from the parser in :mod:`.config` that accepts exactly these names:
the documentation's reference is generated from it, so an accepted key cannot go undocumented.
"""

from __future__ import annotations

from pytest_neuron_classification.session.config_entries import ConfigKey

#: Every key of ``[tool.neuron-classification]``; the parser accepts exactly these, and the
#: documentation's reference is generated from this table (with the entries' tables in :mod:`.config_entries`).
KEYS = (
    ConfigKey(
        "enforce",
        "string or table",
        '"error"',
        "error, warn or off; or a table per level, where a level left out is error",
        'enforce = { stable = "error", beta = "warn", alpha = "off" }',
    ),
    ConfigKey(
        "default-kind",
        "string",
        '"feature"',
        "the kind of an item whose marker and inventory give none",
        'default-kind = "package"',
    ),
    ConfigKey(
        "standard-suite",
        "array of strings",
        '["functional", "integration"]',
        "the categories the standard obligation needs, each with a passing test",
        'standard-suite = ["functional", "integration"]',
    ),
    ConfigKey(
        "contracts",
        "string (path)",
        '"neuron-contracts.json"',
        "the API contract baseline and recorded classification, relative to this pyproject.toml",
        'contracts = "ci/neuron-contracts.json"',
    ),
    ConfigKey(
        "categories",
        "table of arrays of strings",
        "{}",
        "extra marker or fixture names per category (integration, performance, accuracy, compat)",
        'categories = { performance = ["benchmark", "perf"] }',
    ),
    ConfigKey(
        "items",
        "array of tables",
        "[]",
        "the inventory: what must be covered (keys below)",
        "[[tool.neuron-classification.items]]",
    ),
    ConfigKey(
        "notices",
        "array of tables",
        "[]",
        "notices of breaking changes, removals and demotions of Stable items (keys below)",
        "[[tool.neuron-classification.notices]]",
    ),
    ConfigKey(
        "waivers",
        "array of tables",
        "[]",
        "gaps accepted until a date (keys below)",
        "[[tool.neuron-classification.waivers]]",
    ),
    ConfigKey(
        "api-modules",
        "array of strings",
        "[]",
        "modules whose public names are api items (Stable unless listed)",
        'api-modules = ["mysdk"]',
    ),
    ConfigKey(
        "measured",
        "array of strings",
        '["performance", "accuracy"]',
        "categories whose obligations need a recorded measurement",
        "measured = []",
    ),
    ConfigKey(
        "cli-parsers",
        "array of strings",
        "[]",
        "parsers (module:qualname) whose every flag is an api item (Stable unless listed)",
        'cli-parsers = ["mysdk.cli:build_parser"]',
    ),
    ConfigKey(
        "env-modules",
        "array of strings",
        "[]",
        "packages whose every environment variable read is an api item (Stable unless listed)",
        'env-modules = ["mysdk"]',
    ),
    ConfigKey(
        "metrics",
        "string (path)",
        '"neuron-metrics.json"',
        "the metric baseline file, relative to this pyproject.toml",
        'metrics = "ci/neuron-metrics.json"',
    ),
    ConfigKey(
        "metrics-tolerance",
        "table",
        "{ default = 0.1 }",
        "relative tolerances: default, metrics = { name = ... }, items = { name or id = ... }",
        "metrics-tolerance = { default = 0.1, metrics = { latency_p90 = 0.2 } }",
    ),
    ConfigKey(
        "environment",
        "array of strings",
        "[]",
        "environment variables whose values key a measurement's environment",
        'environment = ["NEURON_INSTANCE_TYPE"]',
    ),
    ConfigKey(
        "fail-on-improvement",
        "boolean",
        "false",
        "true: an improvement beyond the tolerance fails too (baselines kept exact)",
        "fail-on-improvement = true",
    ),
    ConfigKey(
        "benchmark-statistic",
        "string",
        '"median"',
        "the pytest-benchmark statistic judged against the baseline (median, mean or min); the others are shown only",
        'benchmark-statistic = "min"',
    ),
    ConfigKey(
        "baseline-from",
        "string",
        '"file"',
        "what a run's metrics are judged against: the metric baseline file, or the last runs of --neuron-history",
        'baseline-from = "history"',
    ),
    ConfigKey(
        "baseline-runs",
        "integer",
        "10",
        'with baseline-from = "history": how many of the environment\'s last runs make the baseline (3 to 10000)',
        "baseline-runs = 20",
    ),
    ConfigKey("release", "string", None, "the release this code becomes; no since may be later", 'release = "2.21.0"'),
    ConfigKey(
        "release-from",
        "string",
        None,
        "a distribution whose installed version is the release (instead of release)",
        'release-from = "neuron-sdk"',
    ),
    ConfigKey(
        "level-markers",
        "table of arrays of strings",
        "{}",
        "your own markers that classify like a bare level marker, per level",
        'level-markers = { alpha = ["experimental"] }',
    ),
)
#: ``metrics-tolerance``'s keys.
TOLERANCE_KEYS = (
    ConfigKey("default", "number", "0.1", "the relative tolerance of every metric", "default = 0.05"),
    ConfigKey("metrics", "table of numbers", "{}", "per metric name", "metrics = { latency_p90 = 0.2 }"),
    ConfigKey(
        "items", "table of numbers", "{}", "per item name or id; wins over a metric's", "items = { llama = 0.05 }"
    ),
    ConfigKey(
        "noise",
        "number",
        "3",
        "a change regresses only beyond this many IQRs of the baseline's samples (0: the tolerance alone)",
        "noise = 2",
    ),
    ConfigKey(
        "significance",
        "number",
        "0.05",
        "with samples on both sides, a Mann-Whitney U test must also find the runs different at this level",
        "significance = 0.01",
    ),
)
