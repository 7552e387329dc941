from __future__ import annotations

from typing import Sequence


class LinearModel:
    """y = w * x + b, trained by plain gradient descent: small, exact and repeatable."""

    def __init__(self, weight: float = 0.0, bias: float = 0.0) -> None:
        self.weight = weight
        self.bias = bias

    def predict(self, xs: Sequence[float]) -> list[float]:
        return [self.weight * x + self.bias for x in xs]

    def loss(self, xs: Sequence[float], ys: Sequence[float]) -> float:
        return sum((p - y) ** 2 for p, y in zip(self.predict(xs), ys)) / len(xs)

    def fit(self, xs: Sequence[float], ys: Sequence[float], *, steps: int = 500, lr: float = 0.05) -> list[float]:
        """Train in place; returns the loss after every step (the convergence curve)."""
        history = []
        n = len(xs)
        for _ in range(steps):
            errors = [p - y for p, y in zip(self.predict(xs), ys)]
            self.weight -= lr * 2 * sum(e * x for e, x in zip(errors, xs)) / n
            self.bias -= lr * 2 * sum(errors) / n
            history.append(self.loss(xs, ys))
        return history
