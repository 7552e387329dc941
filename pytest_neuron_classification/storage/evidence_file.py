"""Results obtained outside pytest: the evidence file ``record`` writes and ``--neuron-evidence`` reads.

A convergence run or a long performance run is a script on hardware, not a pytest test, yet a
Beta model class's ``accuracy`` promise rests on it. Each such result is stored once here, in
one versioned file format, and turned into the one evidence model (:class:`~.evidence.Evidence`)
with a :class:`~.evidence.TestRecord` per result, so the audit, the metric baseline gate, the
reports and ``merge`` treat it exactly like a test, while still saying where it came from.
"""

from __future__ import annotations

import datetime
import glob
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Literal, Mapping, Sequence, get_args

from pytest_neuron_classification.core.evidence import Evidence
from pytest_neuron_classification.core.items import Item, classified_alike, items_differ, make_item
from pytest_neuron_classification.core.metric import Metric, make_metric
from pytest_neuron_classification.core.test_record import TestRecord
from pytest_neuron_classification.core.text import check_text
from pytest_neuron_classification.core.vocabulary import ClassificationError, Policy, check_choice
from pytest_neuron_classification.storage.files import FileFormat, write_atomic
from pytest_neuron_classification.storage.files import locked as _locked

EVIDENCE_FILE = FileFormat(
    "pytest-neuron-classification-evidence/1",
    "the evidence file",
    "write it with python -m pytest_neuron_classification record",
)

#: What a script can report of its own run; "error", "xfailed" and the rest are pytest's words.
OutsideOutcome = Literal["passed", "failed", "skipped"]
OUTSIDE_OUTCOMES: tuple[OutsideOutcome, ...] = get_args(OutsideOutcome)


@dataclass(frozen=True)
class OutsideResult:
    """One result of a script: the item it is evidence for, the category it proves, what happened."""

    item: Item
    #: A category name as the user wrote it (``convergence``); the run's policy maps it.
    category: str
    outcome: OutsideOutcome
    #: The script (or job) that produced it, shown where a node id would be.
    source: str
    metrics: tuple[Metric, ...] = ()
    #: When it was recorded (UTC, ISO 8601), for whoever reads the file.
    recorded: str = ""

    @property
    def nodeid(self) -> str:
        """A stable, readable id in place of a node id; item and category keep one script's results apart."""
        return f"{self.source}::{self.item.id}::{self.category}"

    @property
    def key(self) -> tuple[str, str, str]:
        """What a newer result replaces: the same source, item and category (``neuron_`` or not)."""
        return self.source, self.item.id, self.category.removeprefix("neuron_")

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item.name,
            "kind": self.item.kind,
            "level": self.item.level,
            "coupling": dict(self.item.coupling),
            "category": self.category,
            "outcome": self.outcome,
            "source": self.source,
            "metrics": [m.to_dict() for m in self.metrics],
            "recorded": self.recorded,
        }


def make_result(fields: Mapping[str, Any], metrics: Sequence[Metric] = (), recorded: str = "") -> OutsideResult:
    """A validated result; :class:`ClassificationError` saying which field is wrong."""
    source = _part(fields.get("source"), "source")
    coupling = fields.get("coupling", {})
    if not isinstance(coupling, Mapping):
        raise ClassificationError(f"coupling must be an object, not {coupling!r}")
    item = make_item(fields.get("item"), fields.get("kind"), fields.get("level"), dict(coupling))
    item = replace(item, declared="outside", origin=source)
    outcome = check_choice(fields.get("outcome"), OUTSIDE_OUTCOMES, "outcome")
    twice = next((m.name for i, m in enumerate(metrics) if m.name in {n.name for n in metrics[:i]}), None)
    if twice is not None:
        raise ClassificationError(f"metric {twice!r} is given twice; give each metric once")
    broken = next((m.bound_problem() for m in metrics if m.bound_problem()), "")
    if broken and outcome == "passed":
        outcome = "failed"  # like the neuron_metric fixture: a number outside its bounds fails the result
    return OutsideResult(item, _part(fields.get("category"), "category"), outcome, source, tuple(metrics), recorded)


def _part(value: object, what: str) -> str:
    """A source or category: ``::`` separates them in ``SOURCE::ITEM_ID::CATEGORY``, so that id splits
    one way only and two results never share it."""
    text = check_text(value, what)
    if "::" in text:
        raise ClassificationError(f"{what} {text!r} contains '::', which separates SOURCE::ITEM_ID::CATEGORY; use '/'")
    return text


def read_results(path: Path) -> tuple[OutsideResult, ...]:
    """Every result in an evidence file; one line naming the file, the result and the fix if one is wrong."""
    data = EVIDENCE_FILE.read(path)
    results = data.get("results")
    if not isinstance(results, list):
        raise EVIDENCE_FILE.problem(path, "'results' must be a list")
    parsed = tuple(_parse(path, index, entry) for index, entry in enumerate(results))
    # One pass with a dict per check: a file of 200,000 results reads in seconds, not hours.
    first: dict[str, int] = {}
    keys: dict[tuple[str, str, str], int] = {}
    for index, result in enumerate(parsed):
        known = first.setdefault(result.item.id, index)
        if known != index:
            try:
                _check_same_level(
                    ((known, parsed[known]),), result, f"in results[{index}]", "classify it the same way in every job"
                )
            except ClassificationError as exc:
                raise ClassificationError(f"{path}: {exc}") from None
        twin = keys.setdefault(result.key, index)
        if twin != index:
            raise ClassificationError(
                f"{path}: results[{index}]: {result.nodeid} is also results[{twin}]; a file holds one result per "
                "source, item and category (record replaces the older one): delete one of them"
            )
    return parsed


def _check_same_level(known: Iterable[tuple[int, OutsideResult]], result: OutsideResult, where: str, fix: str) -> None:
    """One file gives an item one level and kind, as ``combine`` demands of two files.

    ``known`` are (index, result) pairs to compare with; ``where`` is ``here`` (the result ``record``
    adds) or ``in results[N]``; ``fix`` may name the ``{level}`` and ``{kind}`` the file already gives the item.
    """
    item = result.item
    for index, other in known:
        if other.item.id == item.id and not classified_alike(other.item, item):
            raise items_differ(
                item,
                where,
                other.item,
                f"in results[{index}] ({other.source}, {other.category})",
                fix.format(level=other.item.level, kind=other.item.kind),
            )


#: The keys of a result and of its metrics: anything else is a typo that would silently drop a field.
_RESULT_KEYS = ("item", "kind", "level", "coupling", "category", "outcome", "source", "metrics", "recorded")
_METRIC_KEYS = ("name", "value", "unit", "min", "max", "source", "better")


def _check_keys(entry: Mapping[str, object], allowed: tuple[str, ...], what: str) -> None:
    unknown = sorted(str(k) for k in entry if k not in allowed)
    if unknown:
        raise ClassificationError(f"unknown key {unknown[0]!r} in {what}; use {', '.join(allowed)}")


def _parse(path: Path, index: int, entry: object) -> OutsideResult:
    try:
        if not isinstance(entry, Mapping):
            raise ClassificationError(f"must be an object, not {entry!r}")
        _check_keys(entry, _RESULT_KEYS, "a result")
        metrics = entry.get("metrics", [])
        if not isinstance(metrics, list):
            raise ClassificationError(f"metrics must be a list, not {metrics!r}")
        recorded = entry.get("recorded", "")
        if not isinstance(recorded, str):
            raise ClassificationError(f"recorded must be a string, not {recorded!r}")
        return make_result(entry, [_metric(m) for m in metrics], recorded)
    except ClassificationError as exc:
        raise EVIDENCE_FILE.problem(path, f"results[{index}]: {exc}") from None


def _metric(data: object) -> Metric:
    if not isinstance(data, Mapping) or "name" not in data or "value" not in data:
        raise ClassificationError(f"a metric must be an object with a name and a value, not {data!r}")
    _check_keys(data, _METRIC_KEYS, f"metric {data['name']!r}")
    if data.get("source", "record") != "record":
        # Only record writes this file: a "benchmark" or "neuron_metric" source would claim a timing no test took.
        raise ClassificationError(f"metric {data['name']!r} claims source {data['source']!r}; record writes 'record'")
    return make_metric(
        data["name"], data["value"], data.get("unit", ""), data.get("min"), data.get("max"),
        source="record", better=data.get("better"),
    )  # fmt: skip


def append_result(path: Path, result: OutsideResult) -> int:
    """Add ``result`` to the evidence file at ``path`` (created if absent); returns how many it holds.

    A result with the same source, item and category (``convergence`` and ``neuron_convergence``
    are one) replaces the earlier one: the script ran again, and its latest result is the one that
    counts. A result giving an item another level or kind than the file does is refused. A file
    that is not an evidence file, or not a regular file (a FIFO would block the read), is never
    replaced (the command checks ``path`` first: :func:`~.outputs.check_outputs`). Concurrent calls on
    one file take turns (see :func:`~.files.locked`), so none is lost.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path, fix="record to another --output"):
        known: tuple[OutsideResult, ...] = ()
        if path.exists():
            try:
                known = read_results(path)
            except ClassificationError as exc:
                raise ClassificationError(f"refusing to replace a file this command cannot extend ({exc})") from None
        fix = "record it with --level {level} --kind {kind}, or record to another --output"
        _check_same_level(enumerate(known), result, "here", fix)
        results = (*(r for r in known if r.key != result.key), result)
        write_atomic(path, EVIDENCE_FILE.dump({"results": [r.to_dict() for r in results]}))
    return len(results)


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()


# --- into the one evidence model --------------------------------------------------------


def category_of(name: str, policy: Policy) -> str | None:
    """The category a recorded name counts for under ``policy``, or None.

    A category's own name (``accuracy``, a custom one) counts for it; any other name is read as
    a marker name would be, with or without the ``neuron_`` prefix, so ``convergence`` is
    ``accuracy`` (``neuron_convergence``) and a name listed in ``[categories]`` counts too.
    """
    if name in policy.categories:
        return name
    names = {name, f"neuron_{name}"}
    return next((c for c, wanted in policy.category_names.items() if wanted & names), None)


def to_evidence(path: Path, results: Sequence[OutsideResult], policy: Policy) -> Evidence:
    """The evidence of one file, judged by ``policy``; an unknown category name is one error line."""
    tests = []
    for index, result in enumerate(results):
        category = category_of(result.category, policy)
        if category is None:
            known = ", ".join(sorted({*policy.categories, *(n for ns in policy.category_names.values() for n in ns)}))
            raise ClassificationError(
                f"{path}: results[{index}] ({result.source}): category {result.category!r} counts for no category "
                f"of this run; record it as one of {known}, or add it to [tool.neuron-classification.categories]"
            )
        tests.append(
            TestRecord.of(
                nodeid=result.nodeid,
                item_ids=(result.item.id,),
                item_names=(result.item.name,),
                categories=(category,),
                outcome=result.outcome,
                metrics=result.metrics,
                source=result.source,
            )
        )
    items = tuple({r.item.id: r.item for r in results}.values())
    return Evidence(policy=policy, items=items, tests=tuple(tests), source=str(path))


def evidence_paths(folder: Path, pattern: str) -> list[Path]:
    """The files a ``--neuron-evidence`` value names, relative to ``folder`` (``**`` spans folders)."""
    full = Path(pattern).expanduser()
    full = full if full.is_absolute() else folder / full
    if not glob.has_magic(str(full)):
        found = [full] if full.is_file() else []
    else:
        found = sorted(Path(p) for p in glob.glob(str(full), recursive=True) if Path(p).is_file())
    return [_as_given(p, folder) for p in found]


def _as_given(path: Path, folder: Path) -> Path:
    """``path`` relative to ``folder`` when it is under it and that is the working directory: messages
    and reports then name ``evidence/llama.json`` as the user typed it, not a long absolute path."""
    if Path.cwd() != folder:
        return path
    try:
        return path.relative_to(folder)
    except ValueError:
        return path


def load_evidence(paths: Sequence[Path], policy: Policy) -> list[Evidence]:
    """The evidence of every file, each read and validated now."""
    return [to_evidence(path, read_results(path), policy) for path in paths]


def check_levels(known: Sequence[Item], parts: Sequence[Evidence]) -> None:
    """Refuse evidence that classifies an item unlike the run (its inventory or its markers).

    One line naming the file and where the run classifies the item, the way ``combine`` names
    two reports; it names the marker's module or inventory entry rather than a process.
    """
    by_id = {item.id: item for item in known}
    for part in parts:
        for item in part.items:
            mine = by_id.get(item.id)
            if mine is not None and not classified_alike(mine, item):
                fix = f"record it with --level {mine.level} --kind {mine.kind} or change the run's classification"
                raise items_differ(item, f"in {part.source}", mine, f"in {mine.origin or 'this run'}", fix)


def is_evidence_file(data: object) -> bool:
    """Whether parsed JSON is an evidence file (``merge`` takes them among reports)."""
    return isinstance(data, dict) and data.get("schema") == EVIDENCE_FILE.schema
