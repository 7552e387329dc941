from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence


@dataclass
class TracedFunction:
    """A function frozen for fixed input shapes, as a compiler would see it."""

    fn: Callable[..., Any]
    input_shapes: tuple[int, ...]

    def __call__(self, *inputs: Sequence[float]) -> Any:
        shapes = tuple(len(x) for x in inputs)
        if shapes != self.input_shapes:
            raise ValueError(f"traced for input shapes {self.input_shapes}, got {shapes}")
        return self.fn(*inputs)


def trace(
    fn: Callable[..., Any], example_inputs: Sequence[Sequence[float]], *, optimize: bool = True
) -> TracedFunction:
    """Trace ``fn`` on ``example_inputs`` and return a callable bound to their shapes."""
    fn(*example_inputs)
    return TracedFunction(fn, tuple(len(x) for x in example_inputs))
