from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Callable


class PersistentCache:
    """Keeps compiled artifacts on disk, keyed by a hash of the program, across processes."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.hits = 0
        self.misses = 0

    @classmethod
    def default(cls) -> PersistentCache:
        """The cache in NEURON_CC_CACHE_DIR (default: ./neuron-cache)."""
        return cls(Path(os.environ.get("NEURON_CC_CACHE_DIR", "neuron-cache")))

    @staticmethod
    def key(program: Any) -> str:
        return hashlib.sha256(json.dumps(program, sort_keys=True).encode()).hexdigest()[:16]

    def get_or_compile(self, program: Any, compile_fn: Callable[[Any], Any]) -> Any:
        path = self.directory / f"{self.key(program)}.json"
        if path.exists():
            self.hits += 1
            return json.loads(path.read_text())
        self.misses += 1
        artifact = compile_fn(program)
        path.write_text(json.dumps(artifact))
        return artifact
