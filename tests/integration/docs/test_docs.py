"""The documentation keeps up with the code: every option, key, subcommand, hook and file format is in
the reference, and every output the docs show is what its command prints today.

The reference tables are generated from the code when the docs are built (``docs/_ext``); these tests
check that what they are generated from is all there is (against ``pytest --help``, the parser's own
"known keys" message, the command line's ``--help``, pluggy's hook registry), without Sphinx.

The pages' output blocks are in tests/docs_pages.py and their scenarios in tests/docs_scenarios.py;
running the scenarios, in tests/system/docs/test_docs_output.py.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys

import pytest
from docs_pages import (
    DOCS,
    OUTPUT_LANGUAGES,
    ROOT,
    UNCHECKED_AT_MOST,
    blocks,
    checked_blocks,
    data,
    known_keys,
    matches,
)
from docs_scenarios import SCENARIOS, SHOWN_COMMANDS


def test_pages_show_the_commands_their_scenarios_run() -> None:
    assert set(SHOWN_COMMANDS) == set(SCENARIOS)
    for name, commands in SHOWN_COMMANDS.items():
        pages = "\n".join(b.page.read_text(encoding="utf-8") for b in checked_blocks() if b.note[1] == name)
        missing = [command for command in commands if command not in pages]
        assert not missing, f"the pages showing {name!r} do not show the commands it runs: {missing}"


def test_every_output_block_is_checked() -> None:
    unchecked = [
        b.where()
        for b in blocks()
        if b.language in OUTPUT_LANGUAGES and b.note[:1] not in (("output",), ("not-checked",))
    ]
    assert not unchecked, "output blocks no scenario checks (add '% output: NAME' before each): " + ", ".join(unchecked)
    unknown = [f"{b.where()} ({b.note[1]})" for b in checked_blocks() if b.note[1] not in SCENARIOS]
    assert not unknown, "no such scenario: " + ", ".join(unknown)
    stray = [b.where() for b in blocks() if b.note[:1] == ("not-checked",) and b.page.name != "performance.md"]
    assert len(stray) <= UNCHECKED_AT_MOST, "new output blocks that no scenario checks: " + ", ".join(stray)
    assert all(len(b.note) == 2 and b.note[1] for b in blocks() if b.note[:1] == ("not-checked",)), "say why"


def test_the_excerpt_convention_catches_drift() -> None:
    output = "a\nb 1.5s\nc\nd\n"
    assert matches("a\nb 2.25s\n...\nd\n", output) == ""
    assert matches("a\nc\n", output) == "a\nc"  # not contiguous
    assert matches("d\n...\na\n", output) == "a"  # out of order


def test_every_option_is_in_the_reference(pytester: pytest.Pytester) -> None:
    helped = pytester.runpytest("--help").stdout.str()
    options = set(re.findall(r"^\s+(--neuron-[a-z-]+)", helped, re.M))
    inis = set(re.findall(r"^\s+(neuron_[a-z_]+)\s", helped, re.M))
    documented = {name for option in data.options() for name in option.names}
    assert options == documented
    assert inis == {ini.name for ini in data.ini_options()}
    assert all(option.help for option in data.options())
    assert set(data.OPTION_GUIDES) == options | inis, "every option needs a page that shows it (OPTION_GUIDES)"
    assert "<!-- generated: options -->" in (DOCS / "reference" / "options.md").read_text()


def test_every_marker_is_in_the_reference(pytester: pytest.Pytester) -> None:
    listed = pytester.runpytest("--markers").stdout.str()
    ours = set(re.findall(r"^@pytest\.mark\.(neuron_[a-z_]+)", listed, re.M))
    assert ours == {signature.split("(")[0] for signature, _ in data.markers()}
    assert "<!-- generated: markers -->" in (DOCS / "reference" / "markers.md").read_text()
    assert "better: str | None = None" in data.metric_signature()


def test_every_config_key_is_in_the_reference() -> None:
    documented = {header: [key.name for key in keys] for header, keys in data.CONFIG_TABLES}
    table = "[tool.neuron-classification]"
    assert known_keys({"zzz": 1}) == documented[table]
    assert known_keys({"metrics-tolerance": {"zzz": 1}}) == documented[f"{table[:-1]}.metrics-tolerance]"]
    for entry in ("items", "notices", "waivers"):
        assert known_keys({entry: [{"zzz": 1}]}) == documented[f"[{table[:-1]}.{entry}]]"], entry
    for _, keys in data.CONFIG_TABLES:
        assert all(key.type and key.description and key.example for key in keys)
    assert "<!-- generated: config -->" in (DOCS / "reference" / "configuration.md").read_text()


def test_documented_defaults_are_the_parsers() -> None:
    """The reference's defaults are the key table's Python defaults written as TOML, and an empty table parses to them."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    settings = data.parse_defaults()
    for _, keys in data.CONFIG_TABLES:
        for key in keys:
            if key.default_text is None or key.shown is not None:
                continue
            written = tomllib.loads(f"v = {key.default_text}")["v"]
            assert written == (list(key.default) if isinstance(key.default, tuple) else key.default), key.name
    shown = {key.name: key for key in data.CONFIG_TABLES[0][1]}
    assert shown["enforce"].default_text == '"error"' and settings.enforce is None  # None: the ini option, else error
    assert shown["metrics-tolerance"].default_text == f"{{ default = {settings.tolerances.default} }}"
    assert settings.policy.standard_suite == shown["standard-suite"].default
    assert settings.policy.measured == shown["measured"].default
    assert settings.default_kind == shown["default-kind"].default == "feature"
    assert settings.contracts == shown["contracts"].default == "neuron-contracts.json"
    assert (settings.baseline_from, settings.baseline_runs) == ("file", 10)


def test_documented_examples_are_accepted() -> None:
    """Each top-level key's example is valid configuration (``release-from`` needs an installed distribution)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    (_, keys), (_, tolerance) = data.CONFIG_TABLES[:2]
    for key in keys:
        if key.example.startswith("[") or key.name == "release-from":
            continue
        data.parse_settings(tomllib.loads(key.example), "pyproject.toml")
    for key in tolerance:
        data.parse_settings({"metrics-tolerance": tomllib.loads(key.example)}, "pyproject.toml")


def test_every_hook_is_in_the_reference(pytester: pytest.Pytester) -> None:
    config = pytester.parseconfig()
    registered = sorted(name for name in dir(config.pluginmanager.hook) if name.startswith("pytest_neuron_"))
    assert registered == sorted(data.hook_names())
    hooks = importlib.import_module(data.HOOKS_MODULE)
    assert all((getattr(hooks, name).__doc__ or "").strip() for name in registered)
    assert "```{neuron-hooks}" in (DOCS / "reference" / "hooks.md").read_text()


def test_every_file_format_is_in_the_reference() -> None:
    package = importlib.import_module(data.PACKAGE)
    formats = set()
    for module in pkgutil.walk_packages(package.__path__, f"{data.PACKAGE}."):
        if module.name.endswith(
            ("__main__", ".sphinx")
        ):  # the Sphinx extension needs the optional Sphinx; it reads no file
            continue
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, data.FileFormat):
                formats.add(value.schema)
    assert formats == {f.schema for f in data.FILE_FORMATS.values()}
    page = (DOCS / "reference" / "files.md").read_text()
    assert "<!-- generated: file-formats -->" in page
    for name, fmt in data.FILE_FORMATS.items():
        assert fmt.schema in page, f"{name}: no section shows {fmt.schema}"


def test_every_status_has_words() -> None:
    assert set(data.STATUSES) == set(data.STATUS_MEANINGS)


def test_readme_is_two_screens() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    run_line = next(
        line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line.startswith("python -m pytest")
    )
    assert run_line in readme, "README.md's test command must be the one .ci/run runs"


def test_generated_reference_tables_are_up_to_date() -> None:
    """The reference pages hold their tables in the Markdown itself (they read on GitHub too): each
    region is what ``python docs/_ext/reference_md.py`` writes from the code today."""
    reference_md = importlib.import_module("reference_md")
    regions = [m["name"] for page in reference_md.pages() for m in reference_md.REGION.finditer(page.read_text())]
    assert sorted(regions) == sorted(reference_md.sections()), "every generated section is on a page, once"
    stale = [str(page.relative_to(ROOT)) for page in reference_md.stale()]
    assert not stale, f"generated reference tables out of date in {stale}: run python docs/_ext/reference_md.py"
    options = (DOCS / "reference" / "options.md").read_text()
    assert all(f"`{name}" in options for option in data.options() for name in option.names)
