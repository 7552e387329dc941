"""``python -m pytest_neuron_classification merge A.json B.json ...``

Exit status: 0 when the combined audit keeps every promise (or enforcement is not
``error``), 1 when it has failing gaps or invalid markers, 2 on unusable input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from .merge import load_report, merge_reports
from .policy import ENFORCE_MODES, ClassificationError
from .report import terminal_lines, verdict, write_reports

PROG = "python -m pytest_neuron_classification"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Tools for pytest-neuron-classification reports.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    merge = commands.add_parser(
        "merge",
        help="combine the JSON reports of several runs into one audit",
        description="Combine the --neuron-json reports of several runs (CI shards, nightly jobs) into one audit.",
    )
    merge.add_argument("reports", nargs="+", type=Path, metavar="REPORT.json")
    merge.add_argument("--json", type=Path, metavar="OUT", help="write the combined audit as JSON")
    merge.add_argument("--markdown", type=Path, metavar="OUT", help="write the combined audit as Markdown")
    merge.add_argument(
        "--enforce", choices=ENFORCE_MODES, default="error", help="fail (exit 1) on broken promises (default: error)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        audit = merge_reports([load_report(p) for p in args.reports], args.enforce)
    except ClassificationError as exc:
        print(f"{PROG} merge: error: {exc}", file=sys.stderr)
        return 2
    outputs = {opt: path for opt, path in (("--json", args.json), ("--markdown", args.markdown)) if path}
    for line in terminal_lines(audit):
        print(line)
    print(f"neuron-classification: {verdict(audit)}")
    problem = write_reports(audit, outputs)
    if problem:
        print(f"{PROG} merge: error: {problem}", file=sys.stderr)
        return 2
    return 1 if audit.fails_run else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
