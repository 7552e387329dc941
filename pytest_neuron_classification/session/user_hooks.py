"""The plugin's hooks as a project implements them: what an implementation raises is one line.

A ``pytest_neuron_audit``, ``pytest_neuron_categories``, ``pytest_neuron_obligations`` or
``pytest_neuron_test_categories`` in a conftest is the project's code: when it raises, the run says
which hook, what it raised and where, in one line (a usage error before the run, a per-test error,
or a problem that fails the run with its reports still written), never a traceback or an
INTERNALERROR. pytest's own outcomes (``pytest.exit``, ``pytest.skip``) and Ctrl-C are not
``Exception`` s and pass through.
"""

from __future__ import annotations

import os
import traceback
from pathlib import Path
from typing import Callable, TypeVar

import pluggy

import pytest_neuron_classification
from pytest_neuron_classification.core.vocabulary import ClassificationError
from pytest_neuron_classification.surface.signatures import error_line

T = TypeVar("T")

#: Frames in these folders are the hook machinery and this plugin, not the project's implementation.
_OURS = tuple(str(Path(m.__file__).parent) + os.sep for m in (pluggy, pytest_neuron_classification) if m.__file__)


def call_hook(name: str, call: Callable[[], T], rootpath: Path | None = None) -> T:
    """``call()``, a call of the hook ``name``; what an implementation raises becomes a
    :class:`ClassificationError` naming the hook, the exception and where it was raised."""
    try:
        return call()
    except Exception as exc:  # the project's code may raise anything
        raise ClassificationError(f"{name} raised {error_line(exc)}{_where(exc, rootpath)}; fix the hook") from None


def _where(exc: BaseException, rootpath: Path | None) -> str:
    """`` (in conftest.py:3)``: the last frame of the project's code that the exception went through."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.startswith(_OURS)]
    if not frames:
        return ""
    path = Path(frames[-1].filename)
    if rootpath is not None:
        try:
            path = path.relative_to(rootpath)
        except ValueError:
            pass
    return f" (in {path.as_posix()}:{frames[-1].lineno})"
