"""An offline stand-in for pytest's intersphinx inventory: the few pytest objects these docs link to.

Read the Docs (online) resolves links with pytest's own ``objects.inv``; a build without a
network (CI here, a laptop on a plane) falls back to this file instead of failing with ``-W``.
It lists only pytest's public names, at the addresses pytest's reference gives them.
"""

from __future__ import annotations

import zlib
from pathlib import Path

#: (name, domain:role, address relative to pytest's documentation root; ``$`` is the name).
OBJECTS = (
    ("pytest.Config", "py:class", "reference/reference.html#$"),
    ("pytest.Item", "py:class", "reference/reference.html#$"),
    ("pytest.Parser", "py:class", "reference/reference.html#$"),
    ("pytest.UsageError", "py:class", "reference/reference.html#$"),
    ("pytest.Pytester", "py:class", "reference/reference.html#$"),
)


def write(path: Path) -> Path:
    header = "# Sphinx inventory version 2\n# Project: pytest\n# Version: \n# The remainder of this file is compressed using zlib.\n"
    body = "".join(f"{name} {role} 1 {uri} -\n" for name, role, uri in OBJECTS)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header.encode() + zlib.compress(body.encode()))
    return path
