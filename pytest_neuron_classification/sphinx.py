"""A Sphinx extension: the classification in an SDK's own documentation, from its pyproject.toml.

``extensions = ["pytest_neuron_classification.sphinx"]`` in conf.py adds

* the role ``{neuron-level}`NAME``` (MyST) or ``:neuron-level:`NAME``` (reStructuredText): the
  item's level as a badge, with a class per level for theming and a text label for screen readers;
* the same role stating a level, ``{neuron-level}`NAME <beta>```: a level the inventory contradicts is
  a warning naming the page, the line, the item and both levels, so ``sphinx-build -W`` fails;
* the directive ``neuron-classification``: the classification table, by kind and level, and with
  ``:neuron-json: REPORT`` each item's statuses and measurements beside its level.

A page thus states no level that the tests do not hold the SDK to. No pytest runs at build time:
the inventory is read by the plugin's own parser (:mod:`.config.doc_inventory`), from the first
pyproject.toml at or above the folder of conf.py, or from ``neuron_classification_pyproject``.
Sphinx is an optional dependency (the ``sphinx`` extra): only this module imports it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Sequence

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole
from sphinx.writers.html5 import HTML5Translator

from pytest_neuron_classification import __version__
from pytest_neuron_classification.config.doc_inventory import (
    CONFIG_VALUE,
    DocInventory,
    Row,
    check_stated,
    find_item,
    load_inventory,
    parse_choices,
    table_rows,
)
from pytest_neuron_classification.core.text import visible
from pytest_neuron_classification.core.verdict import ItemResult
from pytest_neuron_classification.core.vocabulary import KINDS, LEVELS, ClassificationError, Kind, Level
from pytest_neuron_classification.merge import merge_reports
from pytest_neuron_classification.render.classification_page import LEVEL_MEANINGS
from pytest_neuron_classification.storage.report_file import load_report

LOGGER = logging.getLogger(__name__)
#: ``suppress_warnings = ["neuron-classification.unknown"]`` silences one kind of warning.
WARNING_TYPE = "neuron-classification"
CSS_FILE = "neuron-classification.css"
#: Where the build's inventory is kept, read once per build (the environment is pickled with it).
_ENV_ATTR = "neuron_classification_inventory"
#: ``NAME`` or ``NAME <level>``.
_ROLE_TEXT = re.compile(r"\s*(?P<name>.*?)\s*(?:<(?P<stated>[^<>]*)>)?\s*", re.S)

#: Fixed colours, whatever the theme (light or dark): white on each of them is above 7:1 (WCAG AAA).
CSS = """\
span.neuron-level {
  display: inline-block;
  padding: 0.05em 0.6em;
  border-radius: 0.75em;
  font-size: 0.8em;
  font-weight: 600;
  line-height: 1.5;
  letter-spacing: 0.02em;
  white-space: nowrap;
  vertical-align: baseline;
  color: #ffffff;
  background-color: #4d5761;
  text-decoration: none;
}
span.neuron-level-stable { background-color: #116329; }
span.neuron-level-beta { background-color: #7a4a00; }
span.neuron-level-alpha { background-color: #a40e26; }
span.neuron-level-label {
  position: absolute;
  width: 1px;
  height: 1px;
  margin: -1px;
  padding: 0;
  overflow: hidden;
  clip: rect(0, 0, 0, 0);
  white-space: nowrap;
  border: 0;
}
"""


class level_badge(nodes.inline):  # docutils names node classes in lower case
    """An item's level. Builders other than HTML render it as the inline text it holds (``Beta``)."""


def badge(level: str, item: str = "") -> level_badge:
    classes = ["neuron-level", f"neuron-level-{level}"]
    return level_badge("", level.capitalize(), classes=classes, item=item, level=level)


def _visit_badge(self: HTML5Translator, node: level_badge) -> None:
    level = node["level"].capitalize()
    title = f"{node['item']}: {level} (classification level)" if node["item"] else f"{level} (classification level)"
    self.body.append(self.starttag(node, "span", "", title=title))
    # Read before the word, by screen readers only: the colour is never the only label.
    self.body.append('<span class="neuron-level-label">classification level: </span>')


def _depart_badge(self: HTML5Translator, node: level_badge) -> None:
    self.body.append("</span>")


def _inventory(env: BuildEnvironment) -> DocInventory:
    inventory: DocInventory = getattr(env, _ENV_ATTR)
    env.note_dependency(str(inventory.path))  # a change of the inventory rebuilds the pages that show it
    return inventory


class LevelRole(SphinxRole):
    """``{neuron-level}`NAME``` or ``{neuron-level}`NAME <level>```: the item's level, as the inventory says."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        match = _ROLE_TEXT.fullmatch(self.text)
        name, stated = (match["name"], match["stated"]) if match else (self.text, None)
        inventory = _inventory(self.env)
        found = find_item(inventory, name)
        if found.item is None:
            if not inventory.unreadable:  # the build's one error already says why no item is known
                self._warn(found.problem, "unknown")
            return [nodes.literal(self.rawtext, name)], []
        if stated is not None:
            problem = check_stated(found.item, stated.strip(), inventory.label)
            if problem:
                self._warn(problem, "level")
        return [badge(found.item.level, found.item.name)], []

    def _warn(self, message: str, subtype: str) -> None:
        location = (self.env.docname, self.lineno)
        LOGGER.warning("neuron-level: %s", visible(message), location=location, type=WARNING_TYPE, subtype=subtype)


def _cell(value: str | nodes.Node) -> nodes.entry:
    entry = nodes.entry()
    paragraph = nodes.paragraph()
    paragraph += value if isinstance(value, nodes.Node) else nodes.Text(value)
    entry += paragraph
    return entry


def _plain(value: str | nodes.Node) -> str:
    return value.astext() if isinstance(value, nodes.Node) else value


def _table(headers: Sequence[str], rows: Sequence[Sequence[str | nodes.Node]], classes: list[str]) -> nodes.table:
    table = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(headers))
    table += group
    # Widths of the longest text of each column (HTML ignores them; the text builder wraps at them).
    for column, header in enumerate(headers):
        longest = max(len(header), *(len(_plain(row[column])) + 2 for row in rows))
        group += nodes.colspec(colwidth=min(longest, 40))
    head = nodes.thead()
    group += head
    head += nodes.row("", *(_cell(h) for h in headers))
    body = nodes.tbody()
    group += body
    for values in rows:
        body += nodes.row("", *(_cell(v) for v in values))
    return table


class ClassificationTable(SphinxDirective):
    """The classification table: the inventory's items (and a report's), filtered by kind and level."""

    has_content = False
    option_spec = {  # noqa: RUF012  (docutils reads it from the class)
        "kind": directives.unchanged_required,
        "level": directives.unchanged_required,
        "neuron-json": directives.path,
        "meanings": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        inventory = _inventory(self.env)
        try:
            kinds: Sequence[Kind] = self._choices("kind", KINDS)  # type: ignore[assignment]
            levels: Sequence[Level] = self._choices("level", LEVELS)  # type: ignore[assignment]
            audited = None
            if "neuron-json" in self.options:
                audited = self._audited(self.options["neuron-json"])
            rows = table_rows(inventory, kinds, levels, audited)
        except ClassificationError as exc:
            raise self.error(f"neuron-classification: {visible(str(exc))}") from None
        out: list[nodes.Node] = [self._items(rows, inventory, audited is not None)]
        if "meanings" in self.options:
            meanings: list[list[str | nodes.Node]] = [[badge(row[0].lower()), *row[1:]] for row in LEVEL_MEANINGS]
            headers = ["Level", "APIs", "Packages and features", "Model classes"]
            out.append(_table(headers, meanings, ["neuron-classification", "neuron-level-meanings"]))
        return out

    def _audited(self, given: str) -> tuple[ItemResult, ...]:
        """The items of the report's audit; a message names the report as the page gives it."""
        shown, path = self.env.relfn2path(given, self.env.docname)
        self.env.note_dependency(shown)
        try:
            return merge_reports([load_report(Path(path))], "off").items
        except ClassificationError as exc:
            raise ClassificationError(f":neuron-json: {str(exc).replace(str(path), given)}") from None

    def _choices(self, option: str, allowed: Sequence[str]) -> tuple[str, ...]:
        return parse_choices(self.options[option], allowed, option) if option in self.options else tuple(allowed)

    def _items(self, rows: list[Row], inventory: DocInventory, audited: bool) -> nodes.Node:
        if not rows and inventory.unreadable:  # the build's one error, at conf.py, says why and the fix
            return nodes.paragraph(text="No items: the inventory could not be read (see the error at conf.py).")
        if not rows:
            return nodes.paragraph(text=f"No items of these kinds and levels in {inventory.label}.")
        headers = ["Item", "Kind", "Level", "Coupling", "Since"]
        cells: list[list[str | nodes.Node]] = [
            [nodes.literal(text=r.item.name), r.item.kind, badge(r.item.level, r.item.name), r.coupling, r.since]
            for r in rows
        ]
        if audited:
            headers += ["Statuses", "Measurements"]
            for row, r in zip(cells, rows):
                row += [r.statuses, r.measurements]
        return _table(headers, cells, ["neuron-classification"])


def _load_inventory(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Read the inventory once per build, before any page.

    A pyproject.toml that is missing or cannot be read is one error line at conf.py, naming the fix,
    and the build goes on with no items: a raised ``ConfigError`` would bury that line in Sphinx's
    crash report (versions, a traceback section, "please open an issue"). ``-W`` fails the build on it.
    """
    confdir = Path(app.confdir or app.srcdir)
    given = str(getattr(app.config, CONFIG_VALUE) or "")
    try:
        inventory = load_inventory(confdir, given)
    except ClassificationError as exc:
        conf = confdir / "conf.py"
        location = f"{conf}:{_line_of(conf, CONFIG_VALUE if given else __name__)}"
        LOGGER.error(
            "neuron-classification: %s", visible(str(exc)), location=location, type=WARNING_TYPE, subtype="config"
        )
        inventory = DocInventory(conf, "conf.py", (), unreadable=True)
    setattr(env, _ENV_ATTR, inventory)


def _line_of(conf: Path, text: str) -> int:
    """The line of conf.py that names ``text`` (the setting, or this extension), else 1."""
    try:
        lines = conf.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((number for number, line in enumerate(lines, 1) if text in line), 1)


def _write_css(app: Sphinx, exception: BaseException | None) -> None:
    if exception is None and app.builder.format == "html":
        static = Path(app.outdir) / "_static"
        static.mkdir(parents=True, exist_ok=True)
        partial = static / f".{CSS_FILE}.partial"
        partial.write_text(CSS, encoding="utf-8")
        os.replace(partial, static / CSS_FILE)  # atomic: a page open in a browser never gets half a file


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value(CONFIG_VALUE, "", "env", types=[str])
    app.add_node(level_badge, html=(_visit_badge, _depart_badge))
    app.add_role("neuron-level", LevelRole())
    app.add_directive("neuron-classification", ClassificationTable)
    app.add_css_file(CSS_FILE)
    app.connect("env-before-read-docs", _load_inventory)
    app.connect("build-finished", _write_css)
    return {"version": __version__, "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
