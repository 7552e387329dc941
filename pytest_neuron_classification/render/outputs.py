"""Writing the report files a run or ``merge`` was asked for, and checking their paths before the work starts."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Mapping, Optional

from pytest_neuron_classification.core.verdict import Audit
from pytest_neuron_classification.core.vocabulary import ClassificationError
from pytest_neuron_classification.render.json_report import dump_json
from pytest_neuron_classification.render.markdown import to_markdown
from pytest_neuron_classification.render.page import HTML_START, PageContext
from pytest_neuron_classification.storage.files import write_atomic, write_error, writes_through

#: The report each option writes, from the audit, the JSON document when the run built it already,
#: and what the HTML page shows besides the audit (the metric history to chart: :class:`PageContext`).
Renderer = Callable[[Audit, Optional[Mapping[str, Any]], Optional[PageContext]], str]
RENDERERS: dict[str, Renderer] = {
    "--neuron-json": lambda audit, document, _: dump_json(audit, document),
    "--neuron-markdown": lambda audit, _, __: to_markdown(audit),
    "--neuron-html": lambda audit, _, page: _html(audit, page),
    "--json": lambda audit, document, _: dump_json(audit, document),
    "--markdown": lambda audit, _, __: to_markdown(audit),
    "--html": lambda audit, _, page: _html(audit, page),
}


def _html(audit: Audit, page: PageContext | None) -> str:
    # Imported here: the page's code, its charts and its inline assets load only in a run that
    # asks for the page.
    from pytest_neuron_classification.render.html import to_html

    return to_html(audit, page)


def check_report_paths(paths: Mapping[str, str | Path]) -> None:
    """Refuse, before the work starts, report options that would silently lose a report.

    An empty value (``--neuron-json=``) would otherwise mean "no report" without a word, and two
    options naming one file (also through a symlink) would leave only the report written last.
    Pass the values as given, as strings where possible: ``Path("")`` is ``.`` and no longer empty.
    A character device or FIFO (``/dev/null``) may be shared, as it is written in place.
    Raises :class:`ClassificationError`, one line naming the options and the fix.
    """
    seen: dict[str, tuple[str, str]] = {}
    for option, value in paths.items():
        if not str(value).strip():
            raise ClassificationError(f"{option}={value} is empty; give a file path")
        target = Path(os.path.realpath(Path(value).expanduser().absolute()))
        if writes_through(target):
            continue
        if str(target) in seen:
            first, given = seen[str(target)]
            name = given if given == str(value) else str(target)
            raise ClassificationError(f"{first} and {option} name the same file {name}; give each its own path")
        seen[str(target)] = (option, str(value))


#: How a report this plugin wrote begins (JSON reports put their schema first), so that a run
#: replaces its own previous report but never a file someone else wrote.
_OWN_STARTS = (
    b'{\n  "schema": "pytest-neuron-classification/',
    b"## Neuron software classification",
    HTML_START.encode(),
)


def check_not_inputs(reports: Mapping[str, tuple[str, Path]], reads: Mapping[Path, str]) -> None:
    """Refuse, before any test runs, a report path that names a file the run reads or did not write.

    ``reports`` maps each option to (the value as given, its path); ``reads`` the files the run reads
    (contracts, metric baseline and history, gap baseline, evidence, configuration) to what they are.
    Any other existing, non-empty file is replaced only if it is one of our reports: README.md or a
    file of another tool is documentation or data, not a report to overwrite.
    Raises :class:`ClassificationError`: one line naming the option, the file and the fix.
    """
    inputs = {os.path.realpath(p): what for p, what in reads.items()}
    for option, (value, path) in reports.items():
        if writes_through(path):
            continue
        real = os.path.realpath(path)
        what = inputs.get(real)
        if what is not None:
            raise ClassificationError(
                f"{option}={value} names {what} this run reads; give the report a path of its own"
            )
        try:
            with open(real, "rb") as handle:
                head = handle.read(256)
        except OSError:
            continue  # absent (the usual case), or unreadable: check_writable said what it must
        if head.strip() and not head.startswith(_OWN_STARTS):
            raise ClassificationError(
                f"{option}={value}: {value} exists and is not a report of this plugin; "
                "give the report a path of its own (or delete the file first)"
            )


def write_all_reports(
    audit: Audit,
    paths: Mapping[str, Path],
    document: Mapping[str, Any] | None = None,
    page: PageContext | None = None,
) -> list[str]:
    """Write every requested report (keyed by its option); one line per report that could not be written.

    ``document`` is the JSON report when the run built it already (for ``pytest_neuron_audit``);
    ``page`` what the HTML page shows besides the audit (the metric history it charts).

    A failed write does not stop the others: with the JSON report on a full disk, the Markdown one
    for the job summary may still fit, and every failure is reported, not just the first.
    """
    problems = []
    for option, path in paths.items():
        try:
            write_atomic(path, RENDERERS[option](audit, document, page))
        except OSError as exc:
            problems.append(write_error(path, f"{option}=", exc))
    return problems
