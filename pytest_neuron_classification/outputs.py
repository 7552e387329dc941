"""Writing the report files a run or ``merge`` was asked for."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .audit import Audit
from .files import write_atomic, write_error
from .json_report import dump_json
from .markdown import to_markdown

RENDERERS: dict[str, Callable[[Audit], str]] = {
    "--neuron-json": dump_json,
    "--neuron-markdown": to_markdown,
    "--json": dump_json,
    "--markdown": to_markdown,
}


def write_reports(audit: Audit, paths: dict[str, Path]) -> str | None:
    """Write each requested report (keyed by its option); the first failure, as one line."""
    for option, path in paths.items():
        try:
            write_atomic(path, RENDERERS[option](audit))
        except OSError as exc:
            return write_error(path, f"{option}=", exc)
    return None
