"""Levels an SDK writes in its own code: decorators such as ``@PublicAPI(stability="beta")``, and
modules named like ``sdk.experimental``.

``[tool.neuron-classification.annotations]`` maps each decorator (its absolute dotted name) or
module pattern (a glob with ``*``) to a level, or, for a decorator that takes the level as a
keyword argument, to ``{ keyword = "stability", default = "stable" }``. The ``api-modules`` are
read with :mod:`ast` (:mod:`.static`), never imported: a decorator is recognised however it was
imported (``from sdk._stability import beta as b``, ``import sdk._stability as st``) and whether
it is called with arguments or not. Each annotated function, class or method becomes an ``api``
item at that level, its target implied, so that the code is the one source of truth and the
inventory and the markers must agree with it.
"""

from __future__ import annotations

import ast
import fnmatch
from dataclasses import dataclass, replace
from typing import Any, Iterable, Iterator, Mapping, Sequence

from pytest_neuron_classification.core.items import Item, make_item, two_levels
from pytest_neuron_classification.core.vocabulary import LEVELS, ClassificationError, Level, check_choice
from pytest_neuron_classification.surface.static import Definition, Module, dotted, load, package_modules, qualify


@dataclass(frozen=True)
class AnnotationRule:
    """One entry of ``[tool.neuron-classification.annotations]``."""

    #: ``sdk._stability.beta`` (a decorator) or ``sdk.experimental.*`` (a module pattern).
    pattern: str
    #: The level it gives; for a decorator read by keyword, the level when the keyword is absent.
    level: Level
    #: The keyword argument that carries the level (``stability``); "" when the decorator is the level.
    keyword: str = ""

    @property
    def is_module_pattern(self) -> bool:
        return "*" in self.pattern

    def matches_module(self, module: str) -> bool:
        """``sdk.experimental.*`` matches ``sdk.experimental`` and every module under it."""
        return fnmatch.fnmatchcase(module, self.pattern) or (
            self.pattern.endswith(".*") and fnmatch.fnmatchcase(module, self.pattern[:-2])
        )


def parse_annotations(table: Mapping[str, Any]) -> tuple[AnnotationRule, ...]:
    """The checked rules; the caller names the file and table in front of any error."""
    rules = []
    for pattern, value in table.items():
        where = f"annotations.{pattern!r}" if "." in pattern else f"annotations.{pattern}"
        if not pattern or any(not part for part in pattern.split(".")):
            raise ClassificationError(
                f'{where}: name a decorator by its dotted path ("sdk._stability.beta") or a module pattern '
                '("sdk.experimental.*")'
            )
        if isinstance(value, Mapping):
            unknown = sorted(set(value) - {"keyword", "default"})
            keyword = value.get("keyword")
            if unknown or not isinstance(keyword, str) or not keyword.isidentifier():
                raise ClassificationError(
                    f'{where} must be a level or {{ keyword = "stability", default = "stable" }}, not {value!r}'
                )
            level = check_choice(value.get("default", "stable"), LEVELS, f"default of {where}")
            rules.append(AnnotationRule(pattern, level, keyword))
        else:
            rules.append(AnnotationRule(pattern, check_choice(value, LEVELS, f"level of {where}")))
    return tuple(rules)


@dataclass(frozen=True)
class Annotated:
    """An object whose level its code states."""

    #: ``sdk.compile``: how the item is named (through the api-module that makes it public).
    name: str
    target: str
    level: Level
    #: ``the code (@sdk._stability.beta at sdk/core.py:12)``, or
    #: ``the code (module sdk.experimental, matched by sdk.experimental.*)``.
    origin: str


def decorators(rules: Iterable[AnnotationRule]) -> list[str]:
    """The decorators the rules name: they leave the object as it is, so a contract reads through them."""
    return [r.pattern for r in rules if not r.is_module_pattern]


def annotated(modules: Sequence[str], rules: Sequence[AnnotationRule], exposed: Mapping[str, str]) -> list[Annotated]:
    """Every annotated function, class and method in the ``api-modules`` and the modules under them.

    ``exposed`` maps where an object is defined (``sdk.core:compile``) to the public target an
    api-module gives it (``sdk:compile``), so that it is named as users import it.
    """
    if not rules:
        return []
    found: dict[str, Annotated] = {}
    for top in modules:
        for module_name in package_modules(top):
            module = load(module_name)
            if module is None:
                continue
            for qualname, node, owner_level in _definitions(module):
                hit = _level(module, node, rules) or owner_level or _module_level(module_name, rules, qualname)
                if hit is None:
                    continue
                defined = f"{module_name}:{qualname}"
                target = exposed.get(defined) or _through_class(defined, exposed) or defined
                name = target.replace(":", ".")
                found.setdefault(target, Annotated(name, target, *hit))
    return sorted(found.values(), key=lambda a: a.name)


def _through_class(defined: str, exposed: Mapping[str, str]) -> str | None:
    """``sdk:Model.predict`` for a method of a class the api-module exposes as ``sdk:Model``."""
    owner, _, method = defined.rpartition(".")
    public = exposed.get(owner) if ":" in owner else None
    return f"{public}.{method}" if public and method else None


def _definitions(module: Module) -> Iterator[tuple[str, Definition, None]]:
    """Top-level public functions and classes, and the public methods of those classes."""
    for name, statement in module.bindings.items():
        if name.startswith("_") or name in module.unsure:
            continue
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and statement.name == name:
            yield name, statement, None
            if isinstance(statement, ast.ClassDef):
                for inner in statement.body:
                    if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)) and not inner.name.startswith("_"):
                        yield f"{name}.{inner.name}", inner, None


def _module_level(module_name: str, rules: Sequence[AnnotationRule], qualname: str) -> tuple[Level, str] | None:
    if "." in qualname:
        return None  # a method is its class's business: the class is the item
    for rule in rules:
        if rule.is_module_pattern and rule.matches_module(module_name):
            return rule.level, f"the code (module {module_name}, matched by {rule.pattern})"
    return None


def _level(module: Module, node: Definition, rules: Sequence[AnnotationRule]) -> tuple[Level, str] | None:
    """The level the matching decorators of ``node`` give, and where it is written; two that
    disagree (``@PublicAPI(stability="stable")`` over ``@beta``) are one line, never the first one's."""
    by_name = {r.pattern: r for r in rules if not r.is_module_pattern}
    found: list[tuple[Level, str]] = []
    for decorator in node.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        written = dotted(call.func if call else decorator)
        rule = by_name.get(qualify(module, written)) if written else None
        if rule is not None and written:
            where = f"@{rule.pattern} at {_shown(module)}:{decorator.lineno}"
            found.append((_stated(module, decorator, written, rule, call), where))
    if len({level for level, _ in found}) > 1:
        (first, at), (other, there) = found[0], next(f for f in found if f[0] != found[0][0])
        raise ClassificationError(
            f"{_shown(module)}:{node.lineno}: {node.name} is {first} by {at} but {other} by {there}; keep one level"
        )
    return (found[0][0], f"the code ({found[0][1]})") if found else None


def _stated(module: Module, decorator: ast.expr, written: str, rule: AnnotationRule, call: ast.Call | None) -> Level:
    """The level one decorator states: its rule's, or its keyword argument's when it has one."""
    if not rule.keyword or call is None:
        return rule.level
    given = next((k.value for k in call.keywords if k.arg == rule.keyword), None)
    if given is None:
        # A level passed by position, or hidden in **options, is not read as the default.
        hidden = [ast.unparse(a) for a in call.args] + [
            f"**{ast.unparse(k.value)}" for k in call.keywords if k.arg is None
        ]
        if hidden:
            raise ClassificationError(
                f"{_shown(module)}:{decorator.lineno}: {written}({', '.join(hidden)}) gives no {rule.keyword}= the "
                f"source can read; write {rule.keyword}= as one of {', '.join(repr(level) for level in LEVELS)}"
            )
        return rule.level
    value = given.value if isinstance(given, ast.Constant) else None
    if not isinstance(value, str) or value.lower() not in LEVELS:
        raise ClassificationError(
            f"{_shown(module)}:{decorator.lineno}: {written}({rule.keyword}={ast.unparse(given)}) is not a level; "
            f"write {rule.keyword}= as one of {', '.join(repr(level) for level in LEVELS)}"
        )
    return check_choice(value.lower(), LEVELS, "level")


def _shown(module: Module) -> str:
    """``sdk/core.py``: the file from the package's root, as messages name files."""
    depth = module.name.count(".") + (1 if module.is_package else 0)
    parts = module.path.parts[-(depth + 1) :]
    return "/".join(parts)


def annotated_items(
    found: Sequence[Annotated], inventory: Sequence[Item], unlisted: Sequence[Item], source: str
) -> tuple[list[Item], list[Item]]:
    """The inventory checked against the code's levels, and the unlisted and annotated ``api`` items.

    An inventory entry the code annotates at another level is one usage error, in the one
    message two sources of a level give (:func:`.items.two_levels`); one at the same level keeps
    its entry and gains its target. Unlisted names the code annotates take the code's level.
    """
    by_name = {a.name: a for a in found}
    by_target = {a.target: a for a in found}
    inventory = list(inventory)
    for index, item in enumerate(inventory):
        code = by_name.get(item.name) or (by_target.get(item.target) if item.target else None)
        if code is None or item.kind != "api":
            continue
        if code.level != item.level:
            raise two_levels(
                f"api {item.name!r}",
                f"{code.level} in {code.origin}",
                f"{item.level} in {item.origin or source}",
                f"give it level {code.level!r} there, or change the annotation in the code",
            )
        if item.target is None:
            inventory[index] = _with_target(item, code.target)
    listed = {i.name for i in inventory} | {i.target for i in inventory if i.target}
    items = []
    for item in unlisted:
        code = by_target.get(item.target or "")
        items.append(_from_code(code) if code else item)
    known = {i.target for i in items} | listed
    items += [_from_code(a) for a in found if a.target not in known and a.name not in listed]
    return inventory, items


def _with_target(item: Item, target: str) -> Item:
    return replace(item, target=target)


def _from_code(code: Annotated) -> Item:
    return make_item(code.name, "api", code.level, {}, target=code.target, declared="annotation", origin=code.origin)
