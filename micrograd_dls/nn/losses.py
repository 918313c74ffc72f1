"""Costs J over m examples (one per column), labelled ``J`` for pictures."""

from __future__ import annotations

from ..checks import rank1_message
from ..tensor import Tensor, binary_cross_entropy_with_logits
from .layers import as_input

__all__ = ["LOSSES", "bce_with_logits", "mean_squared_error"]


def bce_with_logits(Z: Tensor, Y: Tensor) -> Tensor:
    """J = -(1/m) Σ (Y log σ(Z) + (1 - Y) log(1 - σ(Z))), computed stably from the logits Z[L].

    Its gradient is the lecture's dZ[L] = (A[L] - Y) / m; finite for any Z.
    """
    J = binary_cross_entropy_with_logits(Z, as_input(Y, "Y"))
    J.label = "J"
    return J


def mean_squared_error(A: Tensor, Y: Tensor) -> Tensor:
    """J = (1/m) Σ_i ‖A_i - Y_i‖², the squared error for a real-valued y (linear output layer)."""
    A, Y = as_input(A, "A"), as_input(Y, "Y")
    for name, T in (("A", A), ("Y", Y)):
        if T.ndim == 1:
            raise ValueError(rank1_message(name, T.shape, f"{name}.reshape(1, {T.shape[0]})",
                                           "mean_squared_error"))
        if T.ndim != 2:
            raise ValueError(
                f"mean_squared_error: {name} has shape {T.shape}; it must be (n[L], m), "
                "one example per column"
            )
    if A.shape != Y.shape:
        raise ValueError(
            f"mean_squared_error: A has shape {A.shape} and Y shape {Y.shape}; they must match"
        )
    m = A.shape[1]
    D = A - Y
    J = (D * D).sum() * (1.0 / m)
    J.label = "J"
    return J


#: The losses a model can train with, by name.
LOSSES = {"bce": bce_with_logits, "mse": mean_squared_error}
