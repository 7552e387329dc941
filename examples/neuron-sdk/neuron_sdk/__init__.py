"""A toy SDK with the shape of AWS Neuron: a runtime, a tracing API, a compile cache,
environment variables, compiler flags and a model class. Pure Python and deterministic."""

from .cache import PersistentCache
from .flags import parse_compiler_flags, visible_cores
from .models import LinearModel
from .runtime import Runtime
from .tracing import TracedFunction, trace

__all__ = [
    "LinearModel",
    "PersistentCache",
    "Runtime",
    "TracedFunction",
    "parse_compiler_flags",
    "trace",
    "visible_cores",
]
