"""Matrix products: ``W @ A`` (also ``np.dot``, ``np.matmul``, ``W.dot(A)``) and the
course's ``linear_forward`` as one node, ``Z = W A + b``.

Each operation is one :class:`~.rule.Rule`: forward, vector-Jacobian products
and their text side by side. This module knows numpy, the rule and the
operand messages; the Tensor class applies the rules (:mod:`.tensor`).
"""

from __future__ import annotations

from sys import getrefcount
from typing import Any

import numpy as np

from ..checks import rank1_message
from .operands import check_matmul, labels
from .rule import Rule

__all__ = ["bias_fits"]


# With an inner dimension of 1 the product is an outer product: a broadcast multiply
# computes the same single products faster than BLAS's general routine (one output
# unit: dA[L-1] = W[L]ᵀ·dZ[L]).
def _matmul_dx(g: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return g * y.T if g.shape[1] == 1 else g @ y.T


def _matmul_dy(g: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return x.T * g if x.shape[0] == 1 else x.T @ g


def _matmul(x: Any, y: Any) -> tuple[np.ndarray, tuple]:
    a, b = x._data, y._data
    if not (a.ndim == 2 and b.ndim == 2 and a.shape[1] == b.shape[0]):
        check_matmul(x, y, "'@'", vectors=False)
    return a @ b, (a, b)


# Z = W @ A;  dW = dZ·Aᵀ, dA = Wᵀ·dZ
MATMUL = Rule("@", _matmul, (_matmul_dx, _matmul_dy), ("d{0} = d{out}·{1}ᵀ", "d{1} = {0}ᵀ·d{out}"))


def _as_matrices(g: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple:
    """A vector x is a row (1, k), a vector y a column (k, 1): then Z = X Y as matrices."""
    x2 = x if x.ndim == 2 else x.reshape(1, -1)
    y2 = y if y.ndim == 2 else y.reshape(-1, 1)
    return g.reshape(x2.shape[0], y2.shape[1]), x2, y2


def _matvec(x: Any, y: Any) -> tuple[np.ndarray, tuple]:
    check_matmul(x, y, "'@'", vectors=True)
    a, b = x._data, y._data
    return a @ b, (a, b)


# z = W @ a with a vector on either side: the same rule on the matrix forms
MATVEC = Rule(
    "@", _matvec,
    (
        lambda g, x, y: _matmul_dx(*_as_matrices(g, x, y)).reshape(x.shape),
        lambda g, x, y: _matmul_dy(*_as_matrices(g, x, y)).reshape(y.shape),
    ),
    ("d{0} = d{out}·{1}ᵀ", "d{1} = {0}ᵀ·d{out}"),
)


def _linear(W: Any, A: Any, b: Any, product: np.ndarray | None = None) -> tuple[np.ndarray, tuple]:
    w, a = W._data, A._data
    if product is not None:  # W @ A, computed and no one else's (see bias_fits): b goes in;
        # a ValueError (b would make the sum bigger than the product) changes nothing in it
        np.add(product, b._data, out=product)
        return product, (w, a)
    if not (w.ndim == 2 and a.ndim == 2 and w.shape[1] == a.shape[0]):
        check_matmul(W, A, "linear(W, A, b)", vectors=False)
    if b._data.ndim not in (0, 2):
        n = w.shape[0]
        if b._data.ndim == 1:
            raise ValueError(rank1_message("b", b._data.shape, f"b.reshape({n}, 1)",
                                           "linear(W, A, b)"))
        raise ValueError(
            f"linear(W, A, b): b has shape {b._data.shape}{labels(b)}; give it the shape "
            f"({n}, 1), one bias per row of W"
        )
    z = w @ a
    try:
        z += b._data  # z is ours: add the bias in place
    except ValueError:
        raise ValueError(
            f"linear(W, A, b): b of shape {b._data.shape}{labels(b)} does not broadcast to "
            f"W A of shape {z.shape}; give b the shape ({z.shape[0]}, 1)"
        ) from None
    return z, (w, a)


# Z = W A + b in one node, the lecture's z[l] = W[l] a[l-1] + b[l];
# dW = dZ·Aᵀ, dA = Wᵀ·dZ, db = Σ dZ over the examples
LINEAR = Rule(
    "linear", _linear, (_matmul_dx, _matmul_dy, lambda g, w, a: g),
    ("d{0} = d{out}·{1}ᵀ", "d{1} = {0}ᵀ·d{out}", "d{2} = d{out}"),
    broadcasts=(False, False, True),
)


def bias_fits(product: Any, b: Any) -> bool:
    """May ``b`` be added into the array of ``product`` (a W @ A node) in place, as
    ``linear(W, A, b)`` adds it? Only where the sum keeps the product's dtype and no one can
    see the product's array: it was never handed out (a result's array is made read-only
    when it is) and no view of it exists (3 references: the node's slot, the local name
    here and getrefcount's own argument). Whether the sum keeps the product's shape numpy
    says when it adds (see ``_linear``)."""
    z = product._data
    if b._data.dtype != z.dtype or getrefcount(z) > 3:  # (before z.flags, which holds z)
        return False
    flags = z.flags
    return flags.owndata and flags.writeable
