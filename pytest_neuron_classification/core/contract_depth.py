"""What a contract read from source adds to the parameter check, compared as a real API checker does.

:func:`.contracts.compare_signatures` compares each parameter's name, position, kind and whether
it has a default. A contract read from the source (:mod:`..surface.static_contracts`) records
more, and each of these is a change a caller notices:

* a default value or an annotation (of a parameter or the return) that changed;
* a function or method that became ``async``, or stopped being;
* a class that lost a base class, a public attribute, a property or an enum member;
* a module constant whose value or annotation changed.

An annotation written as a string (``level: "int"``) is the annotation it quotes (``level: int``):
:func:`annotation_text` spells both alike, when read and when compared, so a contract recorded with
the quotes compares equal to one without.

A key missing on either side was not recorded (a contract written before, or read by import):
nothing is compared, never a break. Each change is ``(breaking, text)``; the caller judges them.
"""

from __future__ import annotations

import ast
from typing import Any, Mapping

Found = list[tuple[bool, str]]


def deeper_param(where: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> Found:
    """A parameter's default value and annotation (both recorded, both present)."""
    name = old["name"]
    found: Found = []
    if _both(old, new, "default_value") and old["default"] and new["default"]:
        if old["default_value"] != new["default_value"]:
            found.append(
                (
                    True,
                    f"default of parameter `{name}` of {where} changed from `{old['default_value']}` to `{new['default_value']}`",
                )
            )
    found += _annotation(f"parameter `{name}` of {where}", old, new, "annotation")
    return found


def deeper_callable(where: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> Found:
    """The return annotation and ``async`` of a function or method."""
    found = _annotation(f"return of {where}", old, new, "returns")
    if _both(old, new, "async") and old["async"] != new["async"]:
        found.append((True, f"{where} became async" if new["async"] else f"{where} is no longer async"))
    return found


def deeper_class(target: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> Found:
    """Bases, public attributes, properties and enum members; the return and ``async`` of each method."""
    found: Found = []
    for key, what in (("bases", "base class"), ("attributes", "attribute"), ("properties", "property")):
        if _both(old, new, key):
            found += _names(what, f"`{target}`", old[key], new[key])
    if _both(old, new, "members"):
        found += _names("enum member", f"`{target}`", old["members"], new["members"])
    if _both(old, new, "method_details"):
        for method in sorted(set(old["method_details"]) & set(new["method_details"])):
            found += deeper_callable(
                f"`{target}.{method}`", old["method_details"][method], new["method_details"][method]
            )
    return found


def deeper_constant(target: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> Found:
    """A module constant: its value is what callers read."""
    found: Found = []
    if old.get("value") != new.get("value"):
        found.append((True, f"value of constant `{target}` changed from `{old.get('value')}` to `{new.get('value')}`"))
    return found + _annotation(f"constant `{target}`", old, new, "annotation")


def _names(what: str, where: str, old: list[str], new: list[str]) -> Found:
    gone = [(True, f"{what} `{n}` removed from {where}") for n in old if n not in new]
    return gone + [(False, f"{what} `{n}` added to {where}") for n in new if n not in old]


def annotation_text(text: str | None) -> str | None:
    """An annotation as written, a quoted one (``'int'``) as the expression it quotes (``int``).

    Text that is not an expression, or a string that does not parse as one, is kept as it is.
    """
    if text is None:
        return None
    try:
        node = ast.parse(text.strip(), mode="eval").body
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return ast.unparse(ast.parse(node.value.strip(), mode="eval"))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        pass  # not an expression: compared as written
    return text


def _annotation(where: str, old: Mapping[str, Any], new: Mapping[str, Any], key: str) -> Found:
    if not _both(old, new, key):
        return []
    before, after = annotation_text(old[key]), annotation_text(new[key])
    if before == after:
        return []
    if before is None:
        return [(False, f"annotation `{after}` added to {where}")]
    if after is None:
        return [(False, f"annotation `{before}` removed from {where}")]
    return [(True, f"annotation of {where} changed from `{before}` to `{after}`")]


def _both(old: Mapping[str, Any], new: Mapping[str, Any], key: str) -> bool:
    return key in old and key in new
