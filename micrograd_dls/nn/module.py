"""The base of every layer and model: parameters, zero_grad, call = forward."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..graph import Node, zero_grad

__all__ = ["Module"]


class Module:
    """Something with parameters θ that maps inputs to outputs: ``module(x)`` runs ``forward``."""

    def parameters(self) -> Sequence[Node]:
        """Every trainable leaf θ of this module, in a fixed order (W[1], b[1], W[2], ...)."""
        return []

    def zero_grad(self) -> None:
        """dθ := empty for every parameter θ, before the next backward pass."""
        zero_grad(self.parameters())

    def forward(self, *args: Any) -> Any:
        """The module's output on its inputs; every layer and model defines its own."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def __call__(self, *args: Any) -> Any:
        return self.forward(*args)
