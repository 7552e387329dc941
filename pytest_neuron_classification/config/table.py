"""What a key of ``[tool.neuron-classification]`` is, and the small checks of TOML values.

A :class:`ConfigKey` holds the key's Python default and its check, so that the parser, the
settings' defaults and the generated reference cannot disagree: the reference's "default"
column is the Python value written as TOML.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from pytest_neuron_classification.core.vocabulary import ClassificationError, check_choice

TABLE = "tool.neuron-classification"


class _Unset:
    """The default of a key that has none (required, or simply unset), distinct from ``None``."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()
#: A key's check: the TOML value (its default when absent) and the keys parsed before it (by
#: field name, with ``source``: the file) -> the value the settings hold.
Check = Callable[[Any, Mapping[str, Any]], Any]


def _accept(value: Any, _parsed: Mapping[str, Any]) -> Any:
    return value


@dataclass(frozen=True)
class ConfigKey:
    """One key as users read it in the reference, and as the parser reads it."""

    name: str
    #: The TOML type, in words: "string", "array of strings", "table", ...
    type: str
    #: The Python default; :data:`UNSET` when the key has none (required, or unset).
    default: Any
    description: str
    #: One TOML line that sets it.
    example: str
    check: Check = _accept
    #: The reference's default when it is not the Python default written as TOML (``enforce``'s
    #: None means "the ini option, else error").
    shown: str | None = None
    #: The attribute of the parsed settings, when it is not the key's name (``items``: ``inventory``).
    attr: str = ""

    @property
    def field(self) -> str:
        """The attribute of the parsed settings: ``default-kind`` -> ``default_kind``."""
        return self.attr or self.name.replace("-", "_")

    @property
    def default_text(self) -> str | None:
        """The default as TOML writes it, for the reference; None when there is none."""
        if self.shown is not None:
            return self.shown
        return None if self.default is UNSET or self.default is None else toml_text(self.default)

    def parse(self, table: Mapping[str, Any], parsed: Mapping[str, Any]) -> Any:
        """This key's value in ``table`` (its default when absent), checked: a default of None or
        :data:`UNSET` stays as it is, any other goes through the same check as a value given."""
        if self.name not in table and (self.default is None or self.default is UNSET):
            return self.default
        return self.check(table.get(self.name, self.default), parsed)


def toml_text(value: Any) -> str:
    """A default as TOML writes it: ``"feature"``, ``["functional", "integration"]``, ``0.1``, ``{}``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_text(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {toml_text(v)}" for k, v in value.items()) + " }" if value else "{}"
    return repr(value)


def by_name(keys: tuple[ConfigKey, ...]) -> dict[str, ConfigKey]:
    return {key.name: key for key in keys}


def table_of(value: Any, key: str) -> Mapping[str, Any]:
    # A TOML table is a dict: checked first, as typing's Mapping costs 1 µs an inventory entry.
    if type(value) is not dict and not isinstance(value, Mapping):
        raise ClassificationError(f"{key or 'the table'} must be a table, not {value!r}")
    return value


def array_of(value: Any, key: str) -> list[Any]:
    if not isinstance(value, (list, tuple)):
        raise ClassificationError(f"{key} must be an array of tables ([[{TABLE}.{key}]])")
    return list(value)


def string_list(value: Any, key: str) -> list[str]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ClassificationError(f"{key} must be a list of strings, not {value!r}")
    return list(value)


def strings(key: str) -> Check:
    """The check of an array of strings, kept as a tuple."""
    return lambda value, _parsed: tuple(string_list(value, key))


def no_unknown_keys(table: Mapping[str, Any], known: tuple[str, ...], where: str) -> None:
    for key in table:
        if key not in known:
            raise ClassificationError(f"{where}unknown key {key!r}; known keys: {', '.join(known)}")


def file_path(key: str) -> Check:
    """The check of a path string (relative to the pyproject.toml's folder)."""

    def check(value: Any, _parsed: Mapping[str, Any]) -> str:
        if not isinstance(value, str) or not value:
            raise ClassificationError(f"{key} must be a file path string, not {value!r}")
        return value

    return check


def boolean(key: str) -> Check:
    def check(value: Any, _parsed: Mapping[str, Any]) -> bool:
        if not isinstance(value, bool):
            raise ClassificationError(f"{key} must be true or false, not {value!r}")
        return value

    return check


def choice(choices: tuple[str, ...], key: str) -> Check:
    """The check of one word of ``choices`` (case-insensitive, as :func:`check_choice` reads it)."""
    return lambda value, _parsed: check_choice(value, choices, key)


def text(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise ClassificationError(f"{key} must be a string, not {value!r}")
    return value


def date_of(entry: Mapping[str, Any], key: str, example: str) -> datetime.date:
    """A TOML date (a datetime is refused: notices and waivers are about days)."""
    value = entry.get(key)
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise ClassificationError(f"{key} must be a TOML date like {example}, not {value!r}")
    return value
