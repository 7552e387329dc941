"""Reading and writing the plugin's versioned JSON files: reports, contracts, gap baselines.

Every file carries a ``schema`` string, so a reader refuses what it would misread, and
every problem is one line naming the file and the fix (:class:`ClassificationError`).
Every write is atomic: a reader sees the old file or the whole new one, never half.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .policy import ClassificationError


@dataclass(frozen=True)
class FileFormat:
    """One versioned JSON file format, and how its messages name it."""

    schema: str
    #: The file's role in messages: "the API contracts".
    what: str
    #: How to get a good file: "rewrite it with --neuron-update-contracts".
    fix: str

    def read(self, path: Path) -> dict[str, Any]:
        """The JSON object in ``path``, or :class:`ClassificationError` naming the file and the fix."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ClassificationError(f"{path}: cannot read {self.what} ({exc.strerror or exc}); {self.fix}") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ClassificationError(f"{path}: cannot read {self.what} (not valid JSON: {exc}); {self.fix}") from None
        found = data.get("schema") if isinstance(data, dict) else None
        if not isinstance(data, dict) or found != self.schema:
            raise ClassificationError(f"{path}: schema {found!r} is not {self.schema!r}; {self.fix}")
        return data

    def dump(self, body: dict[str, Any], *, sort_keys: bool = False) -> str:
        """``body`` under the schema, indented so that a change is a small diff."""
        return json.dumps({"schema": self.schema, **body}, indent=2, sort_keys=sort_keys) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` through a temporary file in the same folder, then rename it into place.

    Raises :class:`OSError` for the caller to turn into one clear message.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp's 0600 would hide CI artifacts
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_error(path: Path, label: str, exc: OSError) -> str:
    """The one line that says a write failed: ``cannot write --neuron-json=out.json: No space left``."""
    return f"cannot write {label}{path}: {exc.strerror or exc}"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
