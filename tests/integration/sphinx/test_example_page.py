"""docs/example-sdk.md, this site's page of the bundled example SDK, is rendered from the example's
inventory: a level changed in examples/neuron-sdk/pyproject.toml changes the page's table, and the
page's stated labels then fail the build (the whole site is built with -W by tox -e docs and .ci/run).

The page is built alone, with the extension and the inventory docs/conf.py names, so that the test
stays in-process and quick; its links to other pages of the site do not resolve here and are ignored.
"""

from __future__ import annotations

import re
import shutil
import sys

from docs_pages import DOCS, EXAMPLE
from sphinx_sites import badges, build, tables

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONF = 'extensions = ["myst_parser", "pytest_neuron_classification.sphinx"]\nneuron_classification_pyproject = {!r}\n'


def example_page(tmp_path):
    """docs/example-sdk.md as the index of a site reading a copy of the example's pyproject.toml."""
    named = re.search(r'^neuron_classification_pyproject = "(.+)"$', (DOCS / "conf.py").read_text(), re.M)
    assert named and (DOCS / named.group(1)).resolve() == EXAMPLE / "pyproject.toml"
    (tmp_path / "sdk").mkdir()
    shutil.copy(EXAMPLE / "pyproject.toml", tmp_path / "sdk" / "pyproject.toml")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "conf.py").write_text(CONF.format("../sdk/pyproject.toml"))
    shutil.copy(DOCS / "example-sdk.md", docs / "index.md")
    return docs


def test_the_example_page_is_the_example_inventory(tmp_path):
    docs = example_page(tmp_path)
    done = build(docs, tmp_path / "html")
    assert not [w for w in done.warnings if "neuron-" in w]
    inventory = tomllib.loads((EXAMPLE / "pyproject.toml").read_text())["tool"]["neuron-classification"]["items"]
    levels = {item["name"]: item.get("level", "stable").capitalize() for item in inventory}
    _, _, every = tables(done.html())
    assert {row[0]: row[2] for row in every[1:]} == levels
    # Now the inventory moves the cache to Alpha: the table follows, and the page's "<beta>" is refused.
    pyproject = tmp_path / "sdk" / "pyproject.toml"
    text = pyproject.read_text()
    cache = text.index('name = "persistent_cache"')
    pyproject.write_text(text[:cache] + text[cache:].replace('level = "beta"', 'level = "alpha"', 1))
    again = build(docs, tmp_path / "html")
    _, _, every = tables(again.html())
    assert {row[0]: row[2] for row in every[1:]}["persistent_cache"] == "Alpha"
    refused = [w for w in again.warnings if "neuron-level" in w]
    assert len(refused) == 1 and "persistent_cache" in refused[0] and "beta" in refused[0] and "alpha" in refused[0]
    assert refused[0].startswith(f"{docs / 'index.md'}:")
    assert ("alpha", "persistent_cache: Alpha (classification level)", "Alpha") in badges(again.html())
