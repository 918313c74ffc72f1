"""Optimisers: one interface, ``step()`` after ``backward()``; ``zero_grad()`` before it.

Updates write into each parameter's array in place, outside the graph.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from ..checks import quote
from ..graph import Node, zero_grad

__all__ = ["OPTIMIZERS", "Adam", "GradientDescent", "Momentum", "Optimizer", "make_optimizer"]


def _positive(name: str, x: Any) -> float:
    try:
        x = float(x)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number, got {quote(x)}") from None
    if not (math.isfinite(x) and x > 0.0):
        raise ValueError(f"{name} must be a positive finite number, got {x}")
    return x


def _fraction(name: str, x: Any) -> float:
    try:
        x = float(x)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number in [0, 1), got {quote(x)}") from None
    if not 0.0 <= x < 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {x}")
    return x


def _move(p: Node, delta: Any) -> None:
    """θ := θ - delta: in place for an array; a scalar Value's data stays a Python float."""
    if isinstance(p.data, np.ndarray):
        p.data -= delta
    else:
        p.data = float(p.data - delta)


class Optimizer:
    """Holds the parameters θ and the learning rate α."""

    def __init__(self, parameters: Iterable[Node], learning_rate: float) -> None:
        self.parameters = list(parameters)
        if not self.parameters:
            raise ValueError("the optimiser got no parameters to update")
        for i, p in enumerate(self.parameters):
            if not isinstance(p, Node):
                raise TypeError(
                    f"parameter {i} is a {type(p).__name__}, not a Tensor or Value; pass "
                    "model.parameters()"
                )
        self.learning_rate = _positive("learning_rate", learning_rate)

    def zero_grad(self) -> None:
        """dθ := empty for every parameter, so the next backward starts afresh."""
        zero_grad(self.parameters)

    def step(self) -> None:
        """θ := θ - α · (this optimiser's direction from dθ), for every parameter."""
        raise NotImplementedError(f"{type(self).__name__} does not define step()")


class GradientDescent(Optimizer):
    """θ := θ - α dθ."""

    def step(self) -> None:
        lr = self.learning_rate
        for p in self.parameters:
            g = p.grad
            if g is not None:
                _move(p, lr * g)


class Momentum(Optimizer):
    """v := β v + (1 - β) dθ,  θ := θ - α v  (gradient descent with momentum, v = 0 at first)."""

    def __init__(
        self, parameters: Iterable[Node], learning_rate: float, beta: float = 0.9
    ) -> None:
        super().__init__(parameters, learning_rate)
        self.beta = _fraction("beta", beta)
        self.v = [np.zeros_like(p.data) for p in self.parameters]

    def step(self) -> None:
        lr, beta = self.learning_rate, self.beta
        for p, v in zip(self.parameters, self.v):
            g = p.grad
            if g is not None:
                v *= beta
                v += (1.0 - beta) * g
                _move(p, lr * v)


class Adam(Optimizer):
    """v := β₁v + (1-β₁)dθ, s := β₂s + (1-β₂)dθ², θ := θ - α v̂ / (√ŝ + ε),
    with the bias corrections v̂ = v / (1-β₁ᵗ), ŝ = s / (1-β₂ᵗ) at step t."""

    def __init__(
        self,
        parameters: Iterable[Node],
        learning_rate: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        epsilon: float = 1e-8,
    ) -> None:
        super().__init__(parameters, learning_rate)
        self.beta1 = _fraction("beta1", beta1)
        self.beta2 = _fraction("beta2", beta2)
        self.epsilon = _positive("epsilon", epsilon)
        self.v = [np.zeros_like(p.data) for p in self.parameters]
        self.s = [np.zeros_like(p.data) for p in self.parameters]
        self.t = 0

    def step(self) -> None:
        self.t += 1
        b1, b2, eps = self.beta1, self.beta2, self.epsilon
        c1 = 1.0 - b1**self.t
        c2 = 1.0 - b2**self.t
        lr = self.learning_rate
        for p, v, s in zip(self.parameters, self.v, self.s):
            g = p.grad
            if g is None:
                continue
            v *= b1
            v += (1.0 - b1) * g
            s *= b2
            s += (1.0 - b2) * (g * g)
            _move(p, lr * (v / c1) / (np.sqrt(s / c2) + eps))


#: The optimisers by name (``fit(..., optimizer="adam")``).
OPTIMIZERS: dict[str, type[Optimizer]] = {
    "gd": GradientDescent,
    "momentum": Momentum,
    "adam": Adam,
}


def make_optimizer(name: str, parameters: Iterable[Node], learning_rate: float) -> Optimizer:
    """The optimiser called ``name`` ('gd', 'momentum', 'adam') with its default settings."""
    try:
        cls = OPTIMIZERS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown optimizer {quote(name)}; choose one of {', '.join(OPTIMIZERS)}"
        ) from None
    return cls(parameters, learning_rate)
