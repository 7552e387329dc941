"""The reference, from the plugin's own code (through :mod:`neuron_data`), as the site is built.

The reference tables (options, configuration keys, markers, statuses, subcommands, file formats) are
written into the Markdown pages themselves by :mod:`reference_md`, so that they read on GitHub too;
this extension fails the build (a warning, under -W) when a page's tables are not what the code
gives today. The hook specifications are rendered here, by autodoc.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import neuron_data as data
import reference_md
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

LOGGER = logging.getLogger(__name__)


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


def _check_generated(app: Sphinx, docname: str, source: list[str]) -> None:
    """A page whose generated tables are not what the code gives today fails the build (with -W)."""
    page = Path(app.env.doc2path(docname))
    if reference_md.REGION.search(source[0]) and reference_md.regenerate(page, source[0]) != source[0]:
        LOGGER.warning("the generated reference tables are out of date; run %s", reference_md.COMMAND, location=docname)


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
    app.connect("source-read", _check_generated)
    app.add_directive("neuron-hooks", Hooks)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
