"""The API contracts file: every Stable API's recorded signature, and the recorded classification.

Each entry is validated when the file is read, so a hand-edited file fails before any
test runs, in one line naming the entry; the comparison itself is in :mod:`.core.contracts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from pytest_neuron_classification.core.contracts import PARAM_KINDS
from pytest_neuron_classification.core.items import Item
from pytest_neuron_classification.core.lifecycle import load_record
from pytest_neuron_classification.core.text import a_or_an
from pytest_neuron_classification.core.vocabulary import ClassificationError
from pytest_neuron_classification.storage.files import FileFormat

#: Where the contracts are kept unless pyproject.toml's ``contracts`` says otherwise.
DEFAULT_CONTRACTS_PATH = "neuron-contracts.json"
CONTRACTS_FILE = FileFormat(
    "pytest-neuron-classification-contracts/1",
    "the API contracts",
    "fix it, or delete it and record it again with --neuron-update-contracts",
)


@dataclass(frozen=True)
class ContractBaseline:
    """The API contract file, what it held when the run started, and whether to rewrite it."""

    path: Path
    entries: Mapping[str, Mapping[str, Any]]
    update: bool = False
    #: The classification recorded with the contracts (None when never recorded); when
    #: updating, the previous one, so that a partial run keeps what it did not see.
    record: Mapping[str, Item] | None = None


def load_contract_baseline(path: Path, update: bool) -> ContractBaseline:
    """The recorded contracts and classification; when they are to be rewritten, only the classification.

    A file about to be rewritten may be corrupt (that is often why): then nothing is kept.
    """
    try:
        contracts, items = read_contracts_file(path)
        record = None if items is None else _recorded(items, path)
    except ClassificationError:
        if update:
            return ContractBaseline(path, {}, update)
        raise
    return ContractBaseline(path, {} if update else contracts, update, record)


def _recorded(items: dict[str, Any], path: Path) -> dict[str, Item]:
    try:
        return load_record(items, path.name)
    except ClassificationError as exc:
        raise ClassificationError(f"{path}: {exc}") from None


def read_contracts_file(path: Path) -> tuple[dict[str, dict[str, Any]], dict[str, Any] | None]:
    """The contracts, and the recorded classification (``items``; None when never recorded)."""
    if not path.exists():
        return {}, None
    data = CONTRACTS_FILE.read(path)
    items = data.get("items")
    if "items" in data and not isinstance(items, dict):
        raise CONTRACTS_FILE.problem(path, "'items' must be an object")
    return _checked_contracts(path, data), items


def _checked_contracts(path: Path, data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    contracts = data.get("contracts")
    if not isinstance(contracts, dict):
        raise CONTRACTS_FILE.problem(path, "'contracts' must be an object")
    for name, entry in contracts.items():
        problem = _entry_problem(entry)
        if problem:
            raise CONTRACTS_FILE.problem(path, f"contracts entry {name!r}: {problem}")
    return contracts


def _entry_problem(entry: object) -> str:
    """What is wrong with one recorded contract, or "": checked when read, not after the run."""
    if not isinstance(entry, dict):
        return f"must be an object, not {entry!r}"
    kind = entry.get("type")
    if kind not in _REQUIRED:
        return f"'type' must be 'function', 'class', 'constant', 'flag' or 'env', not {kind!r}"
    missing = [key for key in _REQUIRED[kind] if key not in entry]
    if missing:
        return f"{a_or_an(kind)} entry needs {', '.join(repr(k) for k in missing)} (missing)"
    deeper = _deeper_problem(entry)
    if deeper:
        return deeper
    if kind == "function":
        return _params_problem(entry.get("parameters"), "parameters")
    if kind == "constant":
        return "" if isinstance(entry.get("value"), str) else "'value' must be the constant's source text"
    if kind == "flag":
        return _flag_problem(entry)
    if kind == "env":
        return "" if isinstance(entry.get("read_by"), list) else "'read_by' must be a list"
    if kind == "class":
        methods = entry.get("methods")
        if not isinstance(methods, dict):
            return "'methods' must be an object"
        problems = [_params_problem(entry.get("init"), "init")]
        problems += [_params_problem(p, f"methods.{m}") for m, p in methods.items()]
        return next((p for p in problems if p), "")
    return ""


#: The keys each type of entry is compared by: every one must be there (``parameters`` may be null).
_REQUIRED: dict[str, tuple[str, ...]] = {
    "function": ("parameters",),
    "class": ("init", "methods"),
    "flag": ("options", "required", "arity", "choices", "default"),
    "env": ("read_by",),
    "constant": ("value",),
}
#: What a contract read from the source adds: optional (a contract recorded before, or read by
#: import, has none of them, and then they are not compared), but of the right type when present.
_TEXT_OR_NULL = ("returns", "annotation")
_NAME_LISTS = ("bases", "attributes", "properties", "members")


def _deeper_problem(entry: Mapping[str, Any]) -> str:
    for key in _TEXT_OR_NULL:
        if key in entry and entry[key] is not None and not isinstance(entry[key], str):
            return f"{key!r} must be text or null"
    if "async" in entry and not isinstance(entry["async"], bool):
        return "'async' must be true or false"
    for key in _NAME_LISTS:
        if key in entry and not (isinstance(entry[key], list) and all(isinstance(n, str) for n in entry[key])):
            return f"{key!r} must be a list of names"
    details = entry.get("method_details", {})
    if not isinstance(details, dict) or not all(isinstance(d, dict) for d in details.values()):
        return "'method_details' must be an object of {returns, async} objects"
    return next((p for d in details.values() if (p := _deeper_problem(d))), "")


def _flag_problem(entry: Mapping[str, Any]) -> str:
    options, choices = entry["options"], entry["choices"]
    if not isinstance(options, list) or not options or not all(isinstance(o, str) for o in options):
        return "'options' must be a non-empty list of option strings"
    if not isinstance(entry["arity"], str):
        return "'arity' must be a string"
    if not isinstance(entry["required"], bool) or not isinstance(entry["default"], bool):
        return "'required' and 'default' must be true or false"
    if choices is not None and not (isinstance(choices, list) and all(isinstance(c, str) for c in choices)):
        return "'choices' must be null or a list of strings"
    aliases = entry.get("command_aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        return "'command_aliases' must be a list of strings"
    return ""


#: A parameter's annotation and default as written: text, or null (none); absent when not recorded.
_PARAM_TEXT = ("annotation", "default_value")


def _params_problem(params: object, key: str) -> str:
    if params is None:
        return ""  # recorded without a signature (a C function): nothing to compare
    if not isinstance(params, list):
        return f"{key!r} must be a list of parameters"
    for param in params:
        if (
            not isinstance(param, dict)
            or not isinstance(param.get("name"), str)
            or param.get("kind") not in PARAM_KINDS
            or not isinstance(param.get("default"), bool)
            or any(param.get(k) is not None and not isinstance(param.get(k), str) for k in _PARAM_TEXT)
        ):
            return f"{key!r} has a parameter that is not {{name, kind, default}}: {param!r}"
    return ""


def dump_contracts(
    contracts: Mapping[str, Mapping[str, Any]], items: Mapping[str, Mapping[str, Any]] | None = None
) -> str:
    """Sorted, indented JSON, so that a changed contract or level is a small, readable diff."""
    data: dict[str, Any] = {"contracts": dict(contracts)}
    if items is not None:
        data["items"] = dict(items)
    return CONTRACTS_FILE.dump(data, sort_keys=True)
