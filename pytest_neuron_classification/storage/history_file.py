"""The metric history file: JSON lines, one per run, only ever appended; read whole.

What a line holds is :class:`~.metric_entry.HistoryRun`; what the runs say (trends, a baseline
learned from them) is :mod:`..metrics.history`'s. A torn or foreign line is one error naming
the file and the line number.
"""

from __future__ import annotations

import json
from pathlib import Path

from pytest_neuron_classification.core.metric_entry import HistoryRun, RunValues
from pytest_neuron_classification.core.text import is_finite_number
from pytest_neuron_classification.core.vocabulary import ClassificationError
from pytest_neuron_classification.storage.files import locked

HISTORY_KEYS = ("commit", "env", "metrics", "time")


def append_history(path: Path, run: HistoryRun) -> None:
    """Append ``run`` as one line, in one write: concurrent appenders interleave whole lines.

    If a crash left the file without a final newline, the new line starts on a line of its own,
    so only the torn line is bad. Concurrent runs take turns under the file's lock (as
    ``record`` does), so that check and the write are one step. Raises :class:`OSError` for
    the caller to turn into one line.
    """
    text = json.dumps(run.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path):
        if path.exists() and path.stat().st_size:
            with path.open("rb") as handle:
                handle.seek(-1, 2)
                if handle.read(1) != b"\n":
                    text = "\n" + text
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text)


def read_history(path: Path) -> list[HistoryRun]:
    """Every run in the history, oldest first; none when the file does not exist yet.

    Blank lines are skipped; any other line that is not a history line is one error naming
    the file and the line number.
    """
    if not path.exists():
        return []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ClassificationError(f"{path}: cannot read the metric history ({exc}); fix or delete it") from None
    first = next((line.strip() for line in lines if line.strip()), "")
    if first == "{" or first.startswith('{"schema"'):
        # An indented JSON document (a baseline, a report) is not one JSON line per run: not a line to fix.
        raise ClassificationError(
            f"{path}: not a metric history file (it holds a JSON document; a history holds one JSON line per run); "
            "give --neuron-history a path of its own"
        )
    return [_history_run(line, f"{path}:{number}") for number, line in enumerate(lines, 1) if line.strip()]


def _history_run(line: str, where: str) -> HistoryRun:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _bad(where, f"not a JSON line ({exc.msg})") from None
    if not isinstance(data, dict):
        raise _bad(where, f"not a JSON line holding an object, but {type(data).__name__}")
    if sorted(data) != list(HISTORY_KEYS):
        raise _bad(where, f"a history line has the keys {', '.join(HISTORY_KEYS)}, not {', '.join(sorted(data))}")
    time, env, commit = data["time"], data["env"], data["commit"]
    if not isinstance(time, str) or not isinstance(env, str) or not (commit is None or isinstance(commit, str)):
        raise _bad(where, "'time' and 'env' must be strings, 'commit' a string or null")
    return HistoryRun(time, env, commit, _values(data["metrics"], where))


def _values(metrics: object, where: str) -> RunValues:
    shape = "'metrics' must map item id -> test id -> metric name -> finite number"
    if not isinstance(metrics, dict):
        raise _bad(where, shape)
    for tests in metrics.values():
        if not isinstance(tests, dict) or not all(isinstance(names, dict) for names in tests.values()):
            raise _bad(where, shape)
        for names in tests.values():
            if not all(is_finite_number(value) for value in names.values()):
                raise _bad(where, shape)
    return metrics


def _bad(where: str, problem: str) -> ClassificationError:
    return ClassificationError(f"{where}: {problem}; fix or delete that line")
