"""The array-of-tables entries of ``[tool.neuron-classification]``: items, notices, waivers.

Each entry is validated on its own and its errors name the entry (``items[3] (llama): ...``),
so that a release engineer finds the line to fix; :mod:`.settings` puts the prefix naming
the file in front. Each entry's defaults are its key table's.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import PureWindowsPath
from typing import Any, Iterable, Mapping

from packaging.version import InvalidVersion, Version

from pytest_neuron_classification.config.table import (
    TABLE,
    UNSET,
    ConfigKey,
    by_name,
    date_of,
    no_unknown_keys,
    string_list,
    table_of,
    text,
)
from pytest_neuron_classification.core.adoption import Waiver
from pytest_neuron_classification.core.contracts import (
    API_KINDS,
    Notice,
    NoticeWindow,
    parse_window,
)
from pytest_neuron_classification.core.globs import NODE_SEPARATOR, file_part
from pytest_neuron_classification.core.items import Item, make_item
from pytest_neuron_classification.core.text import shortlist, visible
from pytest_neuron_classification.core.vocabulary import (
    CATEGORIES,
    COUPLING_NAMES,
    DEFAULT_LEVEL,
    KINDS,
    LEVELS,
    ClassificationError,
    Level,
    check_choice,
)
from pytest_neuron_classification.surface.annotations import AnnotationRule, parse_annotations

#: ``[[tool.neuron-classification.items]]``: the inventory.
ITEM_TABLE = (
    ConfigKey("name", "string", UNSET, "the item's name (required)", 'name = "neuronx-distributed"'),
    ConfigKey(
        "kind", "string", UNSET, "api, package, feature or model; default: the default-kind key", 'kind = "package"'
    ),
    ConfigKey("level", "string", DEFAULT_LEVEL, "stable, beta or alpha; no level is Stable", 'level = "beta"'),
    ConfigKey("since", "string", UNSET, "the PEP 440 release where it reached this level", 'since = "2.19.0"'),
    ConfigKey(
        "target",
        "string",
        UNSET,
        "api items only: module:qualname (a function, class or parser), or env:NAME",
        'target = "torch_neuronx:trace"',
    ),
    ConfigKey(
        "tests",
        "array of strings",
        (),
        "globs of the test files that cover it (or of tests in them: file::test_*), relative to this "
        "pyproject.toml's folder",
        'tests = ["tests/runtime/**"]',
    ),
    ConfigKey(
        "framework",
        "string",
        UNSET,
        "model classes: the framework (identifies the item)",
        'framework = "pytorch-neuronx"',
    ),
    ConfigKey(
        "library",
        "string",
        UNSET,
        "model classes: the library (identifies the item)",
        'library = "neuronx-distributed"',
    ),
    ConfigKey("workload", "string", UNSET, "model classes (required): training or inference", 'workload = "inference"'),
    ConfigKey(
        "package",
        "string",
        UNSET,
        "APIs and features: the package it belongs to (describes it)",
        'package = "neuron-sdk"',
    ),
)
#: ``[[tool.neuron-classification.notices]]``: breaking changes, removals and demotions announced ahead.
NOTICE_TABLE = (
    ConfigKey("item", "string", UNSET, "the item's name (required)", 'item = "torch_neuronx.trace"'),
    ConfigKey("announced", "date", UNSET, "when the notice was published (required)", "announced = 2026-09-01"),
    ConfigKey("effective", "date", UNSET, "when the change takes effect (required)", "effective = 2026-10-15"),
    ConfigKey("change", "string", "", "what changes", 'change = "example_inputs becomes keyword-only"'),
)
#: ``[[tool.neuron-classification.waivers]]``: gaps accepted until a date.
WAIVER_TABLE = (
    ConfigKey("item", "string", UNSET, "an item name or id (required)", 'item = "neuron-runtime"'),
    ConfigKey("obligation", "string", UNSET, "the obligation waived (required)", 'obligation = "performance"'),
    ConfigKey("reason", "string", UNSET, "why (required)", 'reason = "no Trainium runner in CI until Q1"'),
    ConfigKey("owner", "string", UNSET, "who renews or closes it (required)", 'owner = "release-eng"'),
    ConfigKey("link", "string", "", "a tracker link", 'link = "https://tracker.example/NRT-1234"'),
    ConfigKey("expires", "date", UNSET, "the last day it applies (required)", "expires = 2027-03-31"),
)
ITEM_KEYS = tuple(key.name for key in ITEM_TABLE)
_NOTICE_KEYS = tuple(key.name for key in NOTICE_TABLE)
_WAIVER_KEYS = tuple(key.name for key in WAIVER_TABLE)
_ITEM, _NOTICE, _WAIVER = by_name(ITEM_TABLE), by_name(NOTICE_TABLE), by_name(WAIVER_TABLE)
_DEFAULT_LEVEL = _ITEM["level"].default


def inventory_item(entry: Any, index: int, default_kind: str, source: str) -> Item:
    # Called once per entry: a large organisation's inventory has tens of thousands.
    try:
        entry = table_of(entry, "an items entry")
        no_unknown_keys(entry, ITEM_KEYS, "")
        if "name" not in entry:
            raise ClassificationError('no name; add name = "..."')
        kind = entry.get("kind", default_kind)
        coupling = {k: entry[k] for k in COUPLING_NAMES if k in entry}
        target = entry.get("target")
        if target is not None:
            _check_target(target, kind)
        tests = entry.get("tests")
        return make_item(
            entry["name"],
            kind,
            entry.get("level", _DEFAULT_LEVEL),
            coupling,
            since=_since(entry.get("since")),
            target=target,
            tests=() if tests is None else tuple(map(_test_glob, string_list(tests, "tests"))),
            declared="inventory",
            origin=f"{source} items[{index}]",
        )
    except ClassificationError as exc:
        name = entry.get("name") if isinstance(entry, Mapping) else None
        label = f"items[{index}] ({visible(name)}): " if isinstance(name, str) else f"items[{index}]: "
        raise ClassificationError(f"{label}{exc}") from None


def _test_glob(pattern: str) -> str:
    """A ``tests`` glob must stay inside the pyproject.toml's folder: test paths are matched relative to it."""
    files = file_part(pattern)
    parts = files.replace("\\", "/").split("/")
    if not files.strip():
        raise ClassificationError(
            f"tests glob {pattern!r} names no file; write a path such as 'tests/' or 'tests/test_ops.py'"
        )
    if pattern.endswith(NODE_SEPARATOR):
        raise ClassificationError(
            f"tests glob {pattern!r} names no test after '::'; add one, such as {pattern}test_add*"
        )
    if pattern.startswith(("/", "\\")) or PureWindowsPath(pattern).drive:
        problem = "is an absolute path"
    elif ".." in parts:
        problem = "leaves the pyproject.toml's folder ('..')"
    else:
        return pattern
    raise ClassificationError(f"tests glob {pattern!r} {problem}; write it relative to the pyproject.toml's folder")


def category_tests(value: Any, _parsed: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """``category-tests``: per category, the test patterns (as ``tests`` takes them) whose tests get it."""
    table = table_of(value, "category-tests")
    given: dict[str, tuple[str, ...]] = {}
    for category, patterns in table.items():
        category = check_choice(category, CATEGORIES[1:], "category in category-tests")
        try:
            given[category] = tuple(map(_test_glob, string_list(patterns, "the value")))
        except ClassificationError as exc:
            raise ClassificationError(f"category-tests.{category}: {exc}") from None
    return given


def _since(value: Any) -> str | None:
    return None if value is None else parse_since(value, "since")


def parse_since(value: Any, key: str) -> str:
    """A PEP 440 version, normalised (``2.21`` and ``2.21.0`` compare equal, and print as written)."""
    if not isinstance(value, str):
        # TOML reads since = 2.10 as the float 2.1: the version is already lost.
        raise ClassificationError(f'{key} = {value!r} is not a string; quote the version, like {key} = "2.10.0"')
    try:
        return str(Version(str(value)))
    except InvalidVersion:
        raise ClassificationError(f'{key} = {value!r} is not a PEP 440 version; write it like "2.19.0"') from None


def _check_target(target: Any, kind: Any) -> None:
    if kind != "api":
        raise ClassificationError("target is only for api items")
    module, sep, qualname = target.partition(":") if isinstance(target, str) else ("", "", "")
    if not (module and sep and qualname):
        raise ClassificationError(
            f'target = {target!r} must look like "package.module:function" (or "env:NAME" for a variable)'
        )


def no_duplicates(inventory: tuple[Item, ...]) -> None:
    seen: dict[str, Item] = {}
    for item in inventory:
        if item.id in seen:
            raise ClassificationError(
                f"item {item.id!r} is listed twice ({seen[item.id].origin} and {item.origin}); keep one entry"
            )
        seen[item.id] = item


def parse_notice(entry: Any, index: int) -> Notice:
    try:
        entry = table_of(entry, "a notices entry")
        no_unknown_keys(entry, _NOTICE_KEYS, "")
        item = entry.get("item")
        if not isinstance(item, str) or not item:
            raise ClassificationError('no item; add item = "<api item name>"')
        dates = {}
        for key in ("announced", "effective"):
            dates[key] = date_of(entry, key, "2026-09-01")
        change = text(entry.get("change", _NOTICE["change"].default), "change")
        if dates["effective"] < dates["announced"]:
            raise ClassificationError(
                f"effective ({dates['effective']}) is before announced ({dates['announced']}); swap them"
            )
        return Notice(item=item, change=change, **dates)
    except ClassificationError as exc:
        raise ClassificationError(f"notices[{index}]: {exc}") from None


def check_notices(notices: Iterable[Notice], source: str, items: Iterable[Item], recorded: Mapping[str, Item]) -> None:
    """A notice must name something it can cover, or it would silently cover nothing.

    That is any item the run classifies (the inventory's, those ``api-modules``, ``cli-parsers``,
    ``env-modules`` and the contracts file add, and those markers classify: so this is checked
    after collection), or an item whose classification is recorded (its removal or demotion needs
    a notice too).
    """
    names = {i.name for i in items} | {i.name for i in recorded.values()}
    for index, notice in enumerate(notices):
        if notice.item not in names:
            known = shortlist(sorted(names), 10) or "none"
            raise ClassificationError(
                f"{source}: [{TABLE}] notices[{index}]: item {notice.item!r} is not an item this run classifies, "
                f"nor one recorded with --neuron-update-contracts (those are: {known}); fix the name or delete the notice"
            )


def parse_waiver(entry: Any, index: int) -> Waiver:
    try:
        entry = table_of(entry, "a waivers entry")
        no_unknown_keys(entry, _WAIVER_KEYS, "")
        for key in ("item", "obligation", "reason", "owner"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise ClassificationError(
                    f'no {key}; add {key} = "..." (a waiver needs item, obligation, reason, owner)'
                )
        expires = date_of(entry, "expires", "2027-03-31")
        link = text(entry.get("link", _WAIVER["link"].default), "link")
        return Waiver(entry["item"], entry["obligation"], entry["reason"], entry["owner"], expires, link)
    except ClassificationError as exc:
        raise ClassificationError(f"waivers[{index}]: {exc}") from None


def release_from(name: Any) -> str:
    """``release-from = "neuron-sdk"``: that distribution's installed version is the release."""
    if not isinstance(name, str) or not name:
        raise ClassificationError(f"release-from must be a distribution name, not {name!r}")
    try:
        version = metadata.version(name)
    except metadata.PackageNotFoundError:
        raise ClassificationError(
            f"release-from = {name!r}: no installed distribution has that name; install it "
            'or write the version, like release = "2.21.0"'
        ) from None
    return parse_since(version, "release-from")


def check_since(inventory: Iterable[Item], release: str | None) -> None:
    """No item can have been available since a release later than the one being made."""
    if release is None:
        return
    for item in inventory:
        if item.since is not None and Version(item.since) > Version(release):
            raise ClassificationError(
                f"{item.origin.rpartition(' ')[2]} ({item.name}): since = {item.since!r} is later than the release "
                f'{release}; a release cannot ship an item from a later one: set since = "{release}" or earlier'
            )


def parse_level_markers(value: Any, _parsed: Mapping[str, Any]) -> dict[str, Level]:
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


def parse_annotation_rules(value: Any, _parsed: Mapping[str, Any]) -> tuple[AnnotationRule, ...]:
    """``{ "sdk._stability.beta" = "beta", "sdk.experimental.*" = "alpha" }``: levels the code states."""
    return parse_annotations(table_of(value, "annotations"))


#: What ``[tool.neuron-classification.notice]`` sets a window for: every Stable API, a kind of API, a kind of item.
NOTICE_KINDS = ("stable", *API_KINDS, *KINDS)


def parse_notice_windows(value: Any, _parsed: Mapping[str, Any]) -> dict[str, NoticeWindow]:
    """``{ stable = "1 month", flag = "3 months" }``: the notice each kind of Stable item needs, at least a month."""
    windows = {}
    for key, written in table_of(value, "notice").items():
        kind = check_choice(key, NOTICE_KINDS, "key of notice")
        window = parse_window(written, f"notice.{kind}")
        if window.under_a_month:
            raise ClassificationError(
                f"notice.{kind} = {written!r} is shorter than the one month every Stable API is owed; give 1 month or more"
            )
        windows[kind] = window
    return windows
