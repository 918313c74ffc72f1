"""New tensors, with PyTorch's names: ``zeros``, ``ones``, ``randn``, ``arange``, ``eye``
and the ``*_like`` helpers.

Each returns a leaf; ``requires_grad=True`` makes it a parameter. Random
tensors draw from an explicit seed or ``numpy.random.Generator`` (the course's
results are reproducible only so). ``np.zeros_like(t)`` and ``np.ones_like(t)``
on a tensor come here too: a new tensor, with no gradient.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..checks import quote
from .operands import as_array as _as_array
from .tensor import Tensor
from .tensor import leaf as _leaf

__all__ = [
    "arange",
    "from_numpy",
    "eye",
    "full_like",
    "ones",
    "ones_like",
    "randn",
    "randn_like",
    "zeros",
    "zeros_like",
]

# A whole number or a numpy Generator; numpy.random loads when a tensor is first drawn.
Seed = Any


def _shape(size: tuple[Any, ...], what: str) -> tuple[int, ...]:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    if not all(isinstance(n, (int, np.integer)) and not isinstance(n, (bool, np.bool_))
               and n >= 0 for n in size):
        raise TypeError(f"{what}: the shape must be whole numbers >= 0, got {quote(size)}")
    return tuple(int(n) for n in size)


def _new(data: np.ndarray, dtype: Any, requires_grad: bool, label: str | None) -> Tensor:
    return Tensor(data, requires_grad=requires_grad, label=label, dtype=dtype)


def from_numpy(array: np.ndarray, label: str | None = None) -> Tensor:
    """A tensor that shares ``array``'s memory, as ``torch.from_numpy``: no copy, no gradient.

    ``Tensor(array)`` copies an array its caller still holds, so that changing
    the array later cannot change what a graph saved. Sharing skips that copy
    (for a big data set ``X``); the price is that the array must not change
    between a forward pass and its backward. ``array`` must be float64 or
    float32; anything else is refused rather than converted behind your back.
    """
    if not isinstance(array, np.ndarray) or array.dtype not in (np.float64, np.float32):
        kind = array.dtype if isinstance(array, np.ndarray) else type(array).__name__
        raise TypeError(
            f"from_numpy needs a float64 or float32 numpy array, got {kind}; "
            "use Tensor(data), which converts (and copies)"
        )
    return _leaf(array, False, label)


def _rng(seed: Any, what: str) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, (bool, np.bool_)) and seed >= 0:
        return np.random.default_rng(int(seed))
    raise TypeError(
        f"{what}: seed must be a whole number >= 0 or a numpy Generator "
        f"(np.random.default_rng(1)), got {quote(seed)}"
    )


def zeros(*size: Any, dtype: Any = None, requires_grad: bool = False,
          label: str | None = None) -> Tensor:
    """A tensor of 0s: ``zeros(n, 1)`` is the course's b[l] initialisation."""
    return _new(np.zeros(_shape(size, "zeros"), dtype=dtype or np.float64), dtype,
                requires_grad, label)


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False,
         label: str | None = None) -> Tensor:
    """A tensor of 1s of the given shape."""
    return _new(np.ones(_shape(size, "ones"), dtype=dtype or np.float64), dtype,
                requires_grad, label)


def randn(*size: Any, seed: Seed, dtype: Any = None, requires_grad: bool = False,
          label: str | None = None) -> Tensor:
    """Entries drawn from N(0, 1): ``randn(n1, n0, seed=1) * 0.01`` is the course's W[1].

    ``seed`` (required) is a whole number or a ``numpy.random.Generator``, so
    that a run can be reproduced.
    """
    draw = _rng(seed, "randn").standard_normal(_shape(size, "randn"))
    return _new(draw, dtype, requires_grad, label)


def arange(start: float, stop: float | None = None, step: float = 1, *, dtype: Any = None,
           requires_grad: bool = False, label: str | None = None) -> Tensor:
    """start, start + step, ... below stop (as numpy's arange), as floats."""
    if step == 0:
        raise ValueError(
            f"arange(start, stop, step={quote(step)}): the step is 0, so the values would never "
            "reach stop; give a step that is not 0"
        )
    values = np.arange(start, stop, step) if stop is not None else np.arange(start)
    return _new(values.astype(np.float64), dtype, requires_grad, label)


def eye(n: int, m: int | None = None, *, dtype: Any = None, requires_grad: bool = False,
        label: str | None = None) -> Tensor:
    """The identity matrix I of shape (n, m) (m = n by default)."""
    shape = _shape((n,) if m is None else (n, m), "eye")
    return _new(np.eye(*shape), dtype, requires_grad, label)  # type: ignore[call-overload]  # n, or n and m


def _like(t: Any, what: str) -> np.ndarray:
    if isinstance(t, Tensor):
        return t.data
    return _as_array(t, None, what)


def zeros_like(t: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """0s of t's shape and dtype: a new leaf, with no gradient unless asked."""
    x = _like(t, "zeros_like")
    return _new(np.zeros_like(x), dtype, requires_grad, None)


def ones_like(t: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """1s of t's shape and dtype: a new leaf, with no gradient unless asked."""
    x = _like(t, "ones_like")
    return _new(np.ones_like(x), dtype, requires_grad, None)


def full_like(t: Any, fill_value: float, dtype: Any = None,
              requires_grad: bool = False) -> Tensor:
    """``fill_value`` in t's shape and dtype: a new leaf, with no gradient unless asked."""
    x = _like(t, "full_like")
    return _new(np.full_like(x, fill_value), dtype, requires_grad, None)


def randn_like(t: Any, *, seed: Seed, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """N(0, 1) entries in t's shape, from ``seed`` (a whole number or a numpy Generator)."""
    x = _like(t, "randn_like")
    draw = _rng(seed, "randn_like").standard_normal(x.shape).astype(x.dtype)
    return _new(draw, dtype, requires_grad, None)
