"""The Sphinx extension builds a real site in this process: badges from the inventory, the classification
table (with a report's statuses), and warnings that fail ``-W`` for a wrong label or an unknown item.

The warnings' exact words are in the message catalogue (tests/integration/messages/test_messages_sphinx.py);
here only names, levels and line numbers are matched.
"""

from __future__ import annotations

import pytest
from sphinx_sites import INVENTORY, TESTS, badges, build, tables, write_site


@pytest.fixture
def site(project):
    """The project (inventory and tests), its report, and its docs/ folder."""
    project.pytester.makepyprojecttoml(INVENTORY)
    project.pytester.makepyfile(test_sdk=TESTS)
    result, _ = project.run("--neuron-enforce=warn")
    assert result.ret == 0
    return write_site(project.path)


def test_roles_directive_and_a_wrong_label(site, tmp_path):
    done = build(site, tmp_path / "html")
    assert done.status == 0, done.warnings
    index = done.html()
    found = badges(index)
    # The roles' badges, in page order: the wrong label still shows the inventory's level.
    assert found[:3] == [
        ("beta", "torch_neuronx.trace: Beta (classification level)", "Beta"),
        ("beta", "torch_neuronx.trace: Beta (classification level)", "Beta"),
        ("alpha", "--auto-cast: Alpha (classification level)", "Alpha"),
    ]
    assert '<span class="pre">persistant_cache</span>' in index  # the unknown name, as text
    plain, reported = tables(index)
    # The Beta then the Alpha items, by kind and name; the listed Stable package is left out.
    assert plain == [
        ["Item", "Kind", "Level", "Coupling", "Since"],
        ["torch_neuronx.trace", "api", "Beta", "", ""],
        ["persistent_cache", "feature", "Beta", "neuron-sdk", ""],
        ["--auto-cast", "api", "Alpha", "", ""],
    ]
    # Features and APIs of every level, with the report's statuses and measurements.
    assert reported == [
        ["Item", "Kind", "Level", "Coupling", "Since", "Statuses", "Measurements"],
        ["torch_neuronx.trace", "api", "Beta", "", "", "basic met", ""],
        ["persistent_cache", "feature", "Beta", "neuron-sdk", "", "basic met", "hit_rate 0.97 >= 0.9"],
        ["--auto-cast", "api", "Alpha", "", "", "basic missing", ""],  # listed, never tested
    ]
    assert [b[0] for b in badges(index)[3:]] == ["beta", "beta", "alpha"] * 2  # the Level cells are badges
    # The reStructuredText page: its role, its table of packages and what the levels mean.
    other = done.html("other")
    packages, meanings = tables(other)
    assert packages[1:] == [["neuron-runtime", "package", "Stable", "", "2.12.0"]]
    assert [row[0] for row in meanings] == ["Level", "Alpha", "Beta", "Stable"]
    assert [b[0] for b in badges(other)] == ["stable", "stable", "alpha", "beta", "stable"]
    css = tmp_path / "html" / "_static" / "neuron-classification.css"
    assert "_static/neuron-classification.css" in index and "span.neuron-level-beta" in css.read_text()
    # The warnings: page and line, the item, both levels; the unknown name with the closest one.
    index_md = str(site / "index.md")
    assert [w.split(": WARNING: ")[0] for w in done.warnings] == [f"{index_md}:5", f"{index_md}:7"]
    wrong, unknown = done.warnings
    assert all(word in wrong for word in ("--auto-cast", "beta", "alpha"))
    assert "'persistant_cache'" in unknown and "'persistent_cache'" in unknown


def test_a_wrong_label_fails_the_strict_build_and_the_right_one_passes(site, tmp_path):
    assert build(site, tmp_path / "strict", "-W").status == 1
    page = (site / "index.md").read_text()
    fixed = page.replace("`--auto-cast <beta>`", "`--auto-cast <alpha>`").replace("persistant", "persistent")
    (site / "index.md").write_text(fixed)
    done = build(site, tmp_path / "fixed", "-W")
    assert (done.status, done.warnings) == (0, [])


def test_a_change_of_the_inventory_changes_the_page(site, tmp_path):
    """An incremental build re-reads the pages that show the inventory when pyproject.toml changes."""
    out = tmp_path / "html"
    assert build(site, out).status == 0
    pyproject = site.parent / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('level = "alpha"', 'level = "beta"'))
    again = build(site, out)
    assert again.status == 0
    assert ("beta", "--auto-cast: Beta (classification level)", "Beta") in badges(again.html())
    assert not any("--auto-cast" in w for w in again.warnings)  # now the page's "beta" is right


def test_conf_py_names_another_pyproject(tmp_path):
    """``neuron_classification_pyproject``, relative to conf.py, wins over the file found upwards."""
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.neuron-classification.items]]\nname = "x"\nkind = "api"\nlevel = "beta"\n'
    )
    (tmp_path / "sdk").mkdir()
    (tmp_path / "sdk" / "pyproject.toml").write_text(
        '[[tool.neuron-classification.items]]\nname = "x"\nkind = "api"\nlevel = "alpha"\n'
    )
    page = "# P\n\n{neuron-level}`x`\n"
    docs = write_site(tmp_path, extra='neuron_classification_pyproject = "../sdk/pyproject.toml"', index=page)
    (docs / "other.rst").unlink()
    done = build(docs, tmp_path / "html")
    assert done.status == 0, done.warnings
    assert [b[0] for b in badges(done.html())] == ["alpha"]
    write_site(tmp_path, index=page)
    (docs / "other.rst").unlink()
    assert [b[0] for b in badges(build(docs, tmp_path / "found").html())] == ["beta"]


def test_a_table_of_an_inventory_that_cannot_be_read_says_so_not_that_it_is_empty(tmp_path):
    """The build's one error at conf.py names the file and the fix; the table's place on the page points
    there, rather than claiming that the inventory lists no such items."""
    (tmp_path / "pyproject.toml").write_text("[[tool.neuron-classification.items]\nname = 'x'\n")  # broken TOML
    docs = write_site(tmp_path, index="# P\n\n```{neuron-classification}\n:level: beta\n```\n")
    (docs / "other.rst").unlink()
    done = build(docs, tmp_path / "html")
    assert any("conf.py" in line and "ERROR: neuron-classification:" in line for line in done.warnings), done.warnings
    page = done.html()
    assert "No items: the inventory could not be read (see the error at conf.py)." in page
    assert "No items of these kinds and levels" not in page
