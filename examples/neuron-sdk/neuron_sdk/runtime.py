from __future__ import annotations

from typing import Callable, ClassVar, Sequence


class Runtime:
    """Runs 'compiled' programs: a program is a list of (op, operand) pairs."""

    OPS: ClassVar[dict[str, Callable[[float, float], float]]] = {"add": lambda x, y: x + y, "mul": lambda x, y: x * y}

    def __init__(self, cores: Sequence[int] = (0,)) -> None:
        if not cores:
            raise ValueError("a runtime needs at least one core")
        self.cores = tuple(cores)
        self.executed = 0

    def execute(self, program: Sequence[tuple[str, float]], value: float) -> float:
        for op, operand in program:
            value = self.OPS[op](value, operand)
        self.executed += 1
        return value

    def execute_batch(self, program: Sequence[tuple[str, float]], values: Sequence[float]) -> list[float]:
        return [self.execute(program, v) for v in values]
