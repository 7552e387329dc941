"""The reference tables, generated from the plugin's code (through :mod:`neuron_data`) into the Markdown
pages themselves, so that they read on GitHub as on the built site.

Each table sits between two HTML comments, which neither GitHub nor Sphinx shows::

    <!-- generated: options -->
    | option | meaning | ...
    <!-- end generated -->

Regenerate every page after a change of an option, a key, a marker, a status, a subcommand or a file
format (the docs build, with -W, and tests/integration/docs/test_docs.py fail until then)::

    python docs/_ext/reference_md.py

``--check`` only lists the pages that are out of date (exit 1). Where a table needs words the code
does not hold (what a status means, which page shows an option), a name without words stops it.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Callable, Sequence

import neuron_data as data

DOCS = Path(__file__).resolve().parent.parent
#: A generated region: its name (``options``, ``subcommand merge``) and its text, markers excluded.
REGION = re.compile(r"(<!-- generated: (?P<name>[^>]+?) -->\n)(?P<body>.*?)(<!-- end generated -->)", re.S)
COMMAND = "python docs/_ext/reference_md.py"


def code(text: str) -> str:
    """``text`` as inline code, fenced with more backticks than it holds."""
    if not text:
        return ""
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def cell(text: object) -> str:
    """One table cell: on one line, its pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def guide(name: str, page: Path) -> str:
    """A link from ``page`` to the page that shows ``name`` at work, titled as that page is."""
    target = data.OPTION_GUIDES.get(name)
    if target is None:
        raise SystemExit(f"{name} has no page in OPTION_GUIDES (docs/_ext/neuron_data.py)")
    path = DOCS / f"{target.lstrip('/')}.md"
    title = path.read_text(encoding="utf-8").splitlines()[0].lstrip("# ").strip()
    link = Path(*[".."] * (len(page.relative_to(DOCS).parts) - 1), path.relative_to(DOCS)).as_posix()
    return f"[{title.replace('`', '')}]({link})"


def options(page: Path) -> str:
    rows = []
    for option in data.options():
        usage = " ".join(option.names) + (f"={option.metavar}" if option.metavar else "")
        notes = []
        if option.repeatable:
            notes.append("repeatable")
        if not option.switch and option.default not in (None, [], ""):
            notes.append(f"default: {option.default}")
        rows.append([code(usage), option.help, "; ".join(notes), guide(option.names[0], page)])
    ini_rows = [[code(ini.name), ini.type, ini.help, guide(ini.name, page)] for ini in data.ini_options()]
    return (
        table(["option", "meaning", "notes", "see"], rows)
        + "\nini options (pytest.ini, tox.ini, setup.cfg or [tool.pytest.ini_options]):\n\n"
        + table(["ini option", "type", "meaning", "see"], ini_rows)
    )


def config(page: Path) -> str:
    parts = []
    for header, keys in data.CONFIG_TABLES:
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
        parts.append(f"**{code(header)}**\n\n" + table(["key", "type", "default", "meaning", "example"], rows))
    return "\n".join(parts)


def markers(page: Path) -> str:
    return table(["marker", "meaning"], [[code(signature), text] for signature, text in data.markers()])


def metric_signature(page: Path) -> str:
    doc = data.metric_doc().replace("``", "`")
    return f"```python\n{data.metric_signature()}\n```\n\n{doc}\n"


def statuses(page: Path) -> str:
    known, worded = set(data.STATUSES), set(data.STATUS_MEANINGS)
    if known != worded:
        raise SystemExit(
            f"statuses without words in docs/_ext/neuron_data.py: {sorted(known - worded)}; "
            f"words for statuses the code does not have: {sorted(worded - known)}"
        )
    rows = [
        [code(s), data.STATUS_MEANINGS[s], "yes" if s in data.FAILING_STATUSES else "no (reported)"]
        for s in data.STATUSES
    ]
    return table(["status", "meaning", "fails under error"], rows)


def subcommand(name: str) -> Callable[[Path], str]:
    def render(page: Path) -> str:
        parser = data.subcommands()[name]
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
        usage = parser.format_usage().strip()
        # "none": no highlighting; the usage is kept current by the freshness check, not by an output scenario.
        return f"{parser.description or ''}\n\n```none\n{usage}\n```\n\n" + table(
            ["argument", "meaning", "notes"], rows
        )

    return render


def file_formats(page: Path) -> str:
    rows = [[name, code(f.schema), f.what, f.fix] for name, f in data.FILE_FORMATS.items()]
    return table(["file", "schema", "what it is", "how to get a valid one"], rows)


def sections() -> dict[str, Callable[[Path], str]]:
    """Every region a page may hold, by name."""
    found: dict[str, Callable[[Path], str]] = {
        "options": options,
        "config": config,
        "markers": markers,
        "metric-signature": metric_signature,
        "statuses": statuses,
        "file-formats": file_formats,
    }
    for name in data.subcommands():
        found[f"subcommand {name}"] = subcommand(name)
    return found


def regenerate(page: Path, text: str) -> str:
    """``text`` of ``page`` with each generated region as the code gives it today."""
    known = sections()

    def fill(match: re.Match[str]) -> str:
        name = match["name"].strip()
        if name not in known:
            raise SystemExit(f"{page.relative_to(DOCS)}: no generated section {name!r}; use one of {', '.join(known)}")
        return f"{match[1]}\n{known[name](page).strip()}\n\n{match[4]}"

    return REGION.sub(fill, text)


def pages() -> list[Path]:
    """The pages that hold a generated region."""
    return [p for p in sorted(DOCS.rglob("*.md")) if "_build" not in p.parts and REGION.search(p.read_text("utf-8"))]


def stale() -> list[Path]:
    return [p for p in pages() if regenerate(p, p.read_text("utf-8")) != p.read_text("utf-8")]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description="Write the reference tables into docs/reference/*.md.")
    parser.add_argument("--check", action="store_true", help="list the pages out of date (exit 1), write nothing")
    args = parser.parse_args(argv)
    outdated = stale()
    for page in outdated:
        if args.check:
            print(f"{page.relative_to(DOCS.parent)}: out of date; run {COMMAND}")
        else:
            partial = page.with_suffix(".md.partial")
            partial.write_text(regenerate(page, page.read_text("utf-8")), encoding="utf-8")
            partial.replace(page)  # atomic
            print(f"regenerated {page.relative_to(DOCS.parent)}")
    return 1 if args.check and outdated else 0


if __name__ == "__main__":
    sys.exit(main())
