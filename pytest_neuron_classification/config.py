"""Reading ``[tool.neuron-classification]`` from pyproject.toml into :class:`Settings`.

Every message names the file and the key, and says what to write instead: a release
engineer reading a red CI log should not need to open our source.
"""

from __future__ import annotations

import datetime
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from packaging.version import InvalidVersion, Version

from .adoption import Waiver
from .baselines import DEFAULT_METRICS_PATH, DEFAULT_TOLERANCE, Tolerances, make_tolerances
from .contracts import Notice
from .items import Item, make_item
from .policy import (
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

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib

TABLE = "tool.neuron-classification"
_TOP_KEYS = (
    "enforce",
    "default-kind",
    "standard-suite",
    "contracts",
    "categories",
    "items",
    "notices",
    "waivers",
    "api-modules",
    "measured",
    "cli-parsers",
    "env-modules",
    "metrics",
    "metrics-tolerance",
    "environment",
    "fail-on-improvement",
)
_ITEM_KEYS = ("name", "kind", "level", "since", "target", "tests", "framework", "library", "workload", "package")
_NOTICE_KEYS = ("item", "announced", "effective", "change")
_WAIVER_KEYS = ("item", "obligation", "reason", "owner", "link", "expires")


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


def parse_settings(table: Any, source: str) -> Settings:
    """Validate a parsed ``[tool.neuron-classification]`` table."""
    where = f"{source}: [{TABLE}]"
    try:
        return _parse(_table(table, ""), source)
    except ClassificationError as exc:
        raise ClassificationError(f"{where} {exc}") from None


def _parse(table: Mapping[str, Any], source: str) -> Settings:
    _no_unknown_keys(table, _TOP_KEYS, "")
    enforce = _enforce(table.get("enforce"))
    default_kind = check_choice(table.get("default-kind", "feature"), KINDS, "default-kind")
    suite = _string_list(table.get("standard-suite", ["functional", "integration"]), "standard-suite")
    if not suite:
        raise ClassificationError("standard-suite must name at least one category")
    suite = [check_choice(c, CATEGORIES, "category in standard-suite") for c in suite]
    extra = _categories(table.get("categories", {}))
    contracts = _path(table, "contracts", "neuron-contracts.json")
    inventory = tuple(
        _inventory_item(entry, index, default_kind, source)
        for index, entry in enumerate(_array(table.get("items", []), "items"))
    )
    _no_duplicates(inventory)
    notices = tuple(_notice(entry, index) for index, entry in enumerate(_array(table.get("notices", []), "notices")))
    return Settings(
        source=source,
        enforce=enforce,
        default_kind=default_kind,
        policy=Policy(
            standard_suite=tuple(suite),
            category_names=with_extra_categories(extra),
            measured=tuple(_string_list(table.get("measured", list(DEFAULT_MEASURED)), "measured")),
        ),
        contracts=contracts,
        inventory=inventory,
        notices=notices,
        waivers=tuple(_waiver(entry, index) for index, entry in enumerate(_array(table.get("waivers", []), "waivers"))),
        api_modules=tuple(_string_list(table.get("api-modules", []), "api-modules")),
        cli_parsers=tuple(_string_list(table.get("cli-parsers", []), "cli-parsers")),
        env_modules=tuple(_string_list(table.get("env-modules", []), "env-modules")),
        metrics=_path(table, "metrics", DEFAULT_METRICS_PATH),
        tolerances=_tolerances(table.get("metrics-tolerance", {})),
        environment=tuple(_string_list(table.get("environment", []), "environment")),
        fail_on_improvement=_bool(table, "fail-on-improvement"),
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
    """``{ default = 0.1, metrics = { latency_p90 = 0.2 }, items = { llama = 0.05 } }``."""
    table = _table(value, "metrics-tolerance")
    _no_unknown_keys(table, ("default", "metrics", "items"), "metrics-tolerance: ")
    return make_tolerances(
        table.get("default", DEFAULT_TOLERANCE),
        _table(table.get("metrics", {}), "metrics-tolerance.metrics"),
        _table(table.get("items", {}), "metrics-tolerance.items"),
        where="metrics-tolerance",
    )


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


def _waiver(entry: Any, index: int) -> Waiver:
    try:
        entry = _table(entry, "a waivers entry")
        _no_unknown_keys(entry, _WAIVER_KEYS, "")
        for key in ("item", "obligation", "reason", "owner"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise ClassificationError(
                    f'no {key}; add {key} = "..." (a waiver needs item, obligation, reason, owner)'
                )
        expires = _date(entry, "expires", "2027-03-31")
        link = entry.get("link", "")
        if not isinstance(link, str):
            raise ClassificationError(f"link must be a string, not {link!r}")
        return Waiver(entry["item"], entry["obligation"], entry["reason"], entry["owner"], expires, link)
    except ClassificationError as exc:
        raise ClassificationError(f"waivers[{index}]: {exc}") from None


def _table(value: Any, key: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ClassificationError(f"{key or 'the table'} must be a table, not {value!r}")
    return value


def _array(value: Any, key: str) -> list[Any]:
    if not isinstance(value, list):
        raise ClassificationError(f"{key} must be an array of tables ([[{TABLE}.{key}]])")
    return value


def _string_list(value: Any, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ClassificationError(f"{key} must be a list of strings, not {value!r}")
    return value


def _no_unknown_keys(table: Mapping[str, Any], known: tuple[str, ...], where: str) -> None:
    for key in table:
        if key not in known:
            raise ClassificationError(f"{where}unknown key {key!r}; known keys: {', '.join(known)}")


def _categories(value: Any) -> dict[str, list[str]]:
    table = _table(value, "categories")
    extra: dict[str, list[str]] = {}
    for category, names in table.items():
        category = check_choice(category, CATEGORIES[1:], "category in [categories]")
        extra[category] = _string_list(names, f"categories.{category}")
    return extra


def _inventory_item(entry: Any, index: int, default_kind: str, source: str) -> Item:
    where = f"items[{index}]: "
    try:
        entry = _table(entry, "an items entry")
        _no_unknown_keys(entry, _ITEM_KEYS, "")
        if "name" not in entry:
            raise ClassificationError('no name; add name = "..."')
        kind = entry.get("kind", default_kind)
        coupling = {k: entry[k] for k in ("framework", "library", "workload", "package") if k in entry}
        target = entry.get("target")
        if target is not None:
            _check_target(target, kind)
        return make_item(
            entry["name"],
            kind,
            entry.get("level", "stable"),
            coupling,
            since=_since(entry.get("since")),
            target=target,
            tests=tuple(_string_list(entry.get("tests", []), "tests")),
            declared="inventory",
            origin=f"{source} items[{index}]",
        )
    except ClassificationError as exc:
        name = entry.get("name") if isinstance(entry, Mapping) else None
        label = f"items[{index}] ({name}): " if isinstance(name, str) else where
        raise ClassificationError(f"{label}{exc}") from None


def _since(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        # TOML reads since = 2.10 as the float 2.1: the version is already lost.
        raise ClassificationError(f'since = {value!r} is not a string; quote the version, like since = "2.10.0"')
    try:
        return str(Version(str(value)))
    except InvalidVersion:
        raise ClassificationError(f'since = {value!r} is not a PEP 440 version; write it like "2.19.0"') from None


def _check_target(target: Any, kind: Any) -> None:
    if kind != "api":
        raise ClassificationError("target is only for api items")
    module, sep, qualname = target.partition(":") if isinstance(target, str) else ("", "", "")
    if not (module and sep and qualname):
        raise ClassificationError(
            f'target = {target!r} must look like "package.module:function" (or "env:NAME" for a variable)'
        )


def _no_duplicates(inventory: tuple[Item, ...]) -> None:
    seen: dict[str, Item] = {}
    for item in inventory:
        if item.id in seen:
            raise ClassificationError(
                f"item {item.id!r} is listed twice ({seen[item.id].origin} and {item.origin}); keep one entry"
            )
        seen[item.id] = item


def check_notices(settings: Settings, apis: Iterable[Item]) -> None:
    """A notice must name an API whose contract is checked, or it would silently cover nothing.

    Checked once the run knows every such API: the inventory's, and those ``api-modules``,
    ``cli-parsers``, ``env-modules`` and the contracts file add.
    """
    names = {i.name for i in apis if i.kind == "api" and i.target}
    for index, notice in enumerate(settings.notices):
        if notice.item not in names:
            shown = sorted(names)
            known = ", ".join(shown[:10]) + (f" (+{len(shown) - 10} more)" if len(shown) > 10 else "") or "none"
            raise ClassificationError(
                f"{settings.source}: [{TABLE}] notices[{index}]: item {notice.item!r} is not an api item with a "
                f"target in the inventory (those are: {known})"
            )


def _notice(entry: Any, index: int) -> Notice:
    try:
        entry = _table(entry, "a notices entry")
        _no_unknown_keys(entry, _NOTICE_KEYS, "")
        item = entry.get("item")
        if not isinstance(item, str) or not item:
            raise ClassificationError('no item; add item = "<api item name>"')
        dates = {}
        for key in ("announced", "effective"):
            dates[key] = _date(entry, key, "2026-09-01")
        change = entry.get("change", "")
        if not isinstance(change, str):
            raise ClassificationError(f"change must be a string, not {change!r}")
        if dates["effective"] < dates["announced"]:
            raise ClassificationError(
                f"effective ({dates['effective']}) is before announced ({dates['announced']}); swap them"
            )
        return Notice(item=item, change=change, **dates)
    except ClassificationError as exc:
        raise ClassificationError(f"notices[{index}]: {exc}") from None


def _date(entry: Mapping[str, Any], key: str, example: str) -> datetime.date:
    """A TOML date (a datetime is refused: notices and waivers are about days)."""
    value = entry.get(key)
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise ClassificationError(f"{key} must be a TOML date like {example}, not {value!r}")
    return value
