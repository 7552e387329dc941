"""A Sphinx extension that renders the reference from the plugin's own code (through :mod:`neuron_data`).

Each directive builds its table from what the code declares (pytest's parser given the plugin's
options, the configuration key tables, the hook specifications, the command-line parser, the file
formats), so the reference changes when the code does. Where a table needs words the code does
not hold (what a status means), a name without words, or words without a name, stops the build.
"""

from __future__ import annotations

import argparse
from typing import Any, Sequence

import neuron_data as data
from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective


def _cell(value: Any) -> nodes.entry:
    entry = nodes.entry()
    if isinstance(value, nodes.Node):
        entry += value
    else:
        entry += nodes.paragraph(text=str(value))
    return entry


def code(text: str) -> nodes.Node:
    para = nodes.paragraph()
    if text:
        para += nodes.literal(text=text)
    return para


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[int] | None = None) -> nodes.table:
    """A plain docutils table: no reStructuredText is generated, so no text needs escaping."""
    tbl = nodes.table(classes=["neuron-reference"])
    group = nodes.tgroup(cols=len(headers))
    tbl += group
    for width in widths or [1] * len(headers):
        group += nodes.colspec(colwidth=width * 10)  # relative in HTML; characters in the text builder
    head = nodes.thead()
    row = nodes.row()
    for header in headers:
        row += _cell(header)
    head += row
    group += head
    body = nodes.tbody()
    for values in rows:
        row = nodes.row()
        for value in values:
            row += _cell(value)
        body += row
    group += body
    return tbl


def guide(name: str) -> nodes.Node:
    """A link to the page that shows ``name`` at work, resolved (or refused, under -W) like any other."""
    target = data.OPTION_GUIDES.get(name)
    if target is None:
        raise ExtensionError(f"{name} has no page in OPTION_GUIDES (docs/_ext/neuron_data.py)")
    para = nodes.paragraph()
    ref = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget=target, refexplicit=False)
    ref += nodes.inline("", "")
    para += ref
    return para


class Options(SphinxDirective):
    """Every command-line option and ini option, from pytest's parser given the plugin's ``pytest_addoption``."""

    def run(self) -> list[nodes.Node]:
        rows = []
        for option in data.options():
            usage = " ".join(option.names) + (f"={option.metavar}" if option.metavar else "")
            notes = []
            if option.repeatable:
                notes.append("repeatable")
            if not option.switch and option.default not in (None, [], ""):
                notes.append(f"default: {option.default}")
            rows.append([code(usage), option.help, "; ".join(notes), guide(option.names[0])])
        ini_rows = [[code(ini.name), ini.type, ini.help, guide(ini.name)] for ini in data.ini_options()]
        return [
            table(["option", "meaning", "notes", "see"], rows, [3, 6, 2, 2]),
            nodes.paragraph(text="ini options (pytest.ini, tox.ini, setup.cfg or [tool.pytest.ini_options]):"),
            table(["ini option", "type", "meaning", "see"], ini_rows, [2, 1, 6, 2]),
        ]


class ConfigKeys(SphinxDirective):
    """Every key of ``[tool.neuron-classification]`` and its sub-tables, from the tables the parser accepts."""

    def run(self) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for header, keys in data.CONFIG_TABLES:
            out.append(nodes.rubric(text=header))
            rows = [
                [
                    code(k.name),
                    k.type,
                    code(k.default_text) if k.default_text is not None else "(none)",
                    k.description,
                    code(k.example),
                ]
                for k in keys
            ]
            out.append(table(["key", "type", "default", "meaning", "example"], rows, [2, 2, 2, 5, 4]))
        return out


class Markers(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        rows = [[code(signature), text] for signature, text in data.markers()]
        return [table(["marker", "meaning"], rows, [4, 5])]


class MetricSignature(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        block = nodes.literal_block(text=data.metric_signature(), language="python")
        return [block, nodes.paragraph(text=data.metric_doc().replace("``", ""))]


class Statuses(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        statuses = set(data.STATUSES)
        if statuses != set(data.STATUS_MEANINGS):
            raise ExtensionError(
                f"statuses without words in docs/_ext/neuron_data.py: {sorted(statuses - set(data.STATUS_MEANINGS))}; "
                f"words for statuses the code does not have: {sorted(set(data.STATUS_MEANINGS) - statuses)}"
            )
        rows = [
            [code(s), data.STATUS_MEANINGS[s], "yes" if s in data.FAILING_STATUSES else "no (reported)"]
            for s in data.STATUSES
        ]
        return [table(["status", "meaning", "fails under error"], rows, [2, 7, 2])]


class Hooks(SphinxDirective):
    """``autofunction`` of every hook specification the plugin registers, in source order."""

    def run(self) -> list[nodes.Node]:
        lines = StringList()
        # The pages are Markdown, and so is nested content; autodoc writes reStructuredText.
        for name in data.hook_names():
            for line in ("```{eval-rst}", f".. autofunction:: {data.HOOKS_MODULE}.{name}", "```", ""):
                lines.append(line, "<neuron-hooks>")
        container = nodes.container()
        self.state.nested_parse(lines, self.content_offset, container)
        return list(container.children)


class Subcommand(SphinxDirective):
    """``python -m pytest_neuron_classification NAME``: its usage and every argument, from the CLI's parser."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        commands = data.subcommands()
        if name not in commands:
            raise self.error(f"no subcommand {name!r}; the CLI has: {', '.join(commands)}")
        parser = commands[name]
        out: list[nodes.Node] = [
            nodes.paragraph(text=parser.description or ""),
            nodes.literal_block(text=parser.format_usage().strip(), language="text"),
        ]
        rows = []
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            names = ", ".join(action.option_strings) or str(action.metavar or action.dest)
            notes = []
            if action.required and action.option_strings:
                notes.append("required")
            if action.choices:
                notes.append("one of: " + ", ".join(map(str, action.choices)))
            if isinstance(action, argparse._AppendAction) or action.nargs == "+":
                notes.append("repeatable" if action.option_strings else "one or more")
            if action.default not in (None, [], False) and action.option_strings:
                notes.append(f"default: {action.default}")
            rows.append([code(names), action.help or "", "; ".join(notes)])
        out.append(table(["argument", "meaning", "notes"], rows, [3, 6, 3]))
        return out


class FileFormats(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        rows = [[name, code(f.schema), f.what, f.fix] for name, f in data.FILE_FORMATS.items()]
        return [table(["file", "schema", "what it is", "how to get a valid one"], rows, [2, 5, 3, 5])]


#: Where pytest's public names live: autodoc names the annotations' classes by their home module.
PYTEST_PUBLIC = {"_pytest.config.Config": "pytest.Config", "_pytest.nodes.Item": "pytest.Item"}


def _pytest_public_name(app: Sphinx, env: Any, node: Any, contnode: Any) -> Any:
    """Resolve ``_pytest.config.Config`` as pytest's documentation does: as ``pytest.Config``."""
    public = PYTEST_PUBLIC.get(node.get("reftarget", ""))
    if public is None:
        return None
    from sphinx.ext import intersphinx

    node = node.deepcopy()
    node["reftarget"] = public
    return intersphinx.missing_reference(app, env, node, contnode)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("missing-reference", _pytest_public_name)
    app.add_directive("neuron-options", Options)
    app.add_directive("neuron-config", ConfigKeys)
    app.add_directive("neuron-markers", Markers)
    app.add_directive("neuron-metric-signature", MetricSignature)
    app.add_directive("neuron-statuses", Statuses)
    app.add_directive("neuron-hooks", Hooks)
    app.add_directive("neuron-subcommand", Subcommand)
    app.add_directive("neuron-file-formats", FileFormats)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
