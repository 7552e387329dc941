"""``python -m pytest_neuron_classification merge A.json B.json ...`` (and ``table``, ``record``).

Exit status: 0 when the combined audit keeps every promise (or enforcement is not
``error``), 1 when it has failing gaps or invalid markers, 2 on unusable input.
``record`` exits 0 once the result is written, 2 on bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Sequence

from pytest_neuron_classification.config.settings import load_settings
from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.core.metric_arg import parse_metric_arg
from pytest_neuron_classification.core.metric_entry import Baseline, HistoryRun
from pytest_neuron_classification.core.text import count, visible
from pytest_neuron_classification.core.verdict import Audit
from pytest_neuron_classification.core.vocabulary import COUPLING_NAMES, ENFORCE_MODES, ClassificationError
from pytest_neuron_classification.merge import load_inputs, merge_reports
from pytest_neuron_classification.metrics.baselines import Tolerances
from pytest_neuron_classification.render.classification_page import render
from pytest_neuron_classification.render.outputs import render_reports
from pytest_neuron_classification.render.page import PageContext
from pytest_neuron_classification.render.terminal import terminal_lines, verdict
from pytest_neuron_classification.storage.evidence_file import EVIDENCE_FILE, append_result, make_result, now
from pytest_neuron_classification.storage.files import write_error
from pytest_neuron_classification.storage.gap_baseline import load_gap_baseline
from pytest_neuron_classification.storage.history_file import read_history
from pytest_neuron_classification.storage.metric_baseline import load_metric_baseline
from pytest_neuron_classification.storage.outputs import Output, check_outputs, report_outputs, write_outputs
from pytest_neuron_classification.storage.report_file import load_report

PROG = "python -m pytest_neuron_classification"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Tools for pytest-neuron-classification reports.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    merge = commands.add_parser(
        "merge",
        help="combine the JSON reports of several runs into one audit",
        description="Combine the --neuron-json reports of several runs (CI shards, nightly jobs) into one audit.",
    )
    merge.add_argument(
        "reports", nargs="+", type=Path, metavar="REPORT.json", help="--neuron-json reports and record evidence files"
    )
    merge.add_argument("--json", metavar="OUT", help="write the combined audit as JSON")
    merge.add_argument("--markdown", metavar="OUT", help="write the combined audit as Markdown")
    merge.add_argument("--html", metavar="OUT", help="write the combined audit as one HTML page, with trend charts")
    merge.add_argument(
        "--enforce", choices=ENFORCE_MODES, default="error", help="fail (exit 1) on broken promises (default: error)"
    )
    merge.add_argument("--graduation", action="store_true", help="show what Alpha and Beta items lack to move up")
    merge.add_argument("--baseline", type=Path, metavar="PATH", help="tolerate the gaps recorded in this baseline file")
    merge.add_argument("--history", type=Path, metavar="PATH", help="show each metric's trend from this history file")
    merge.add_argument(
        "--metrics",
        type=Path,
        metavar="PATH",
        help="draw this metric baseline, with the tolerances of the pyproject.toml beside it, on the --html charts",
    )
    table = commands.add_parser(
        "table",
        help="print the documentation table of Alpha and Beta items",
        description="Print the classification page: every Alpha and Beta item (unlisted means Stable) and "
        "what each level means, from the pyproject.toml inventory and, with --json, an audit.",
    )
    table.add_argument("--format", choices=("md", "rst"), default="md")
    table.add_argument("--json", type=Path, metavar="REPORT", help="add the items and evidence of this JSON report")
    table.add_argument("--config", type=Path, default=Path("pyproject.toml"), help="default: ./pyproject.toml")
    _add_record(commands)
    return parser


def _add_record(commands: Any) -> None:
    record = commands.add_parser(
        "record",
        help="write the result of a run outside pytest (a convergence script) to an evidence file",
        description="Add one result obtained outside pytest to an evidence file, for pytest --neuron-evidence "
        "and merge. Levels, kinds, outcomes and workloads are checked here, category names by the run.",
    )
    record.add_argument("--item", required=True, help="the item's name, as in a marker")
    # --kind, --level and --outcome without choices=: make_result checks them as it checks evidence
    # files, in one line naming the item and --output; argparse would print its usage lines too.
    record.add_argument("--kind", required=True, help="api, package, feature or model")
    record.add_argument("--level", required=True, help="stable, beta or alpha")
    for key in COUPLING_NAMES:
        record.add_argument(f"--{key}", help=f"the item's {key} (coupling, as in a marker)")
    record.add_argument("--category", required=True, help="convergence, accuracy, performance or another category")
    record.add_argument("--outcome", required=True, help="passed, failed or skipped")
    record.add_argument("--source", required=True, help="the script or job that produced the result")
    record.add_argument(
        "--metric",
        action="append",
        default=[],
        metavar="NAME=VALUE[:higher|lower][:unit=U][:min=X][:max=X]",
        help="a measurement, as neuron_metric records it (repeatable)",
    )
    # A str, not a Path: Path("") is ".", and an empty --output must be refused as empty.
    record.add_argument("--output", required=True, help="the evidence file (created or extended)")


def _record(args: argparse.Namespace) -> int:
    coupling = {k: getattr(args, k) for k in COUPLING_NAMES if getattr(args, k)}
    fields = {**vars(args), "coupling": coupling}
    evidence = Output(
        "--output",
        args.output,
        "evidence file",
        "the path of the evidence file",
        schema=EVIDENCE_FILE.family,
        extended=True,
    )
    check_outputs([evidence])
    output = Path(args.output)  # as given: messages (the lock file's too) name it so
    try:
        result = make_result(fields, [parse_metric_arg(m) for m in args.metric], now())
        total = append_result(output, result)
    except OSError as exc:
        raise ClassificationError(write_error(output, "--output ", exc)) from None
    except ClassificationError as exc:  # name what was being recorded, and where (on one line)
        item = args.item if args.item.isprintable() else repr(args.item)  # quoted: a name may hold spaces
        raise ClassificationError(f"--item {item} (--output {args.output}): {exc}") from None
    broken = next((m.bound_problem() for m in result.metrics if m.bound_problem()), "")
    why = f" ({broken})" if broken else ""
    print(visible(f"recorded {result.outcome}{why}: {result.nodeid} in {args.output} ({count(total, 'result')})"))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "table":
            print(_table(args), end="")
            return 0
        if args.command == "record":
            return _record(args)
        given = {
            opt: value
            for opt, value in (("--json", args.json), ("--markdown", args.markdown), ("--html", args.html))
            if value is not None
        }
        resolved = [p.resolve() for p in args.reports]
        twice = next((p for i, p in enumerate(args.reports) if resolved[i] in resolved[:i]), None)
        if twice is not None:
            raise ClassificationError(f"{twice} is given twice; give each report once")
        check_outputs(report_outputs(given), _merge_reads(args))  # before any report is read
        baseline = load_gap_baseline(args.baseline) if args.baseline else None
        history = read_history(args.history) if args.history else ()
        chart_baseline, tolerances = _chart_baseline(args.metrics)
        reports = load_inputs(args.reports)
        audit = merge_reports(reports, args.enforce, args.graduation, baseline, history)
    except ClassificationError as exc:
        print(visible(f"{PROG} {args.command}: error: {exc}"), file=sys.stderr)
        return 2
    for line in terminal_lines(audit):
        print(line)
    print(f"neuron-classification: {verdict(audit)}")
    envs = _environments(reports, audit, history)
    page = PageContext(merged=True, envs=envs, history=tuple(history), baseline=chart_baseline, tolerances=tolerances)
    problems = write_outputs(render_reports(audit, {opt: Path(value) for opt, value in given.items()}, page=page))
    for problem in problems:
        print(visible(f"{PROG} merge: error: {problem}"), file=sys.stderr)
    return 2 if problems else 1 if audit.fails_run else 0


def _environments(reports: Sequence[Evidence], audit: Audit, history: Sequence[HistoryRun]) -> tuple[str, ...]:
    """The environments the merged page names: those its reports ran in (one, when they agree; an
    older report and an evidence file record none), then those of the metric checks and the history."""
    recorded = [r.environment for r in reports if r.environment]
    return tuple(dict.fromkeys([*recorded, *(c.env for c in audit.checks), *(run.env for run in history)]))


def _merge_reads(args: argparse.Namespace) -> dict[Path, str]:
    """Every file ``merge`` reads: none of its outputs may replace one."""
    reads = dict.fromkeys(args.reports, "one of the reports to merge")
    for path, what in (
        (args.baseline, "gap baseline"),
        (args.history, "metric history"),
        (args.metrics, "metric baseline"),
    ):
        if path is not None:
            reads[path] = f"the {what} this merge reads"
    return reads


def _chart_baseline(path: Path | None) -> tuple[Baseline, Tolerances]:
    """The metric baseline the HTML charts draw (the reports' own checks already judged the runs).

    Its tolerances are those of the pyproject.toml beside it, where a run reads both from.
    """
    if path is None:
        return {}, Tolerances()
    if not path.is_file():
        raise ClassificationError(f"--metrics {path}: no such file; give the metric baseline (neuron-metrics.json)")
    config = path.parent / "pyproject.toml"
    return load_metric_baseline(path), load_settings(config).tolerances if config.is_file() else Tolerances()


def _table(args: argparse.Namespace) -> str:
    if not args.config.is_file() and args.json is None:
        raise ClassificationError(f"{args.config}: no such file; give --config PATH or --json REPORT")
    items = {i.id: i for i in load_settings(args.config).inventory} if args.config.is_file() else {}
    results = None
    if args.json is not None:
        audit = merge_reports([load_report(args.json)], "off")
        results = {r.item.id: r for r in audit.items}
        for r in audit.items:
            items.setdefault(r.item.id, r.item)
    return render(list(items.values()), results, args.format)
