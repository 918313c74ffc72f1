"""Layers in the course's orientation: one example per column.

``Linear(n_in, n_out)`` holds ``W`` of shape ``(n_out, n_in)`` and ``b`` of
shape ``(n_out, 1)`` and computes ``Z = W A + b`` on ``A`` of shape
``(n_in, m)``; the activations compute ``A = g(Z)``. Nodes are labelled as the
course writes them -- ``W[l]``, ``b[l]``, ``Z[l]``, ``A[l]`` -- so a picture of
the graph reads like the lecture and can be grouped by layer. A
:class:`Sequential` numbers its layers l = 1, 2, ... in order.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from ..checks import array_size, check_memory, examples_message, quote
from ..tensor import Tensor, from_numpy, linear
from . import init as _init
from .module import Module

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "Identity",
    "LeakyReLU",
    "Linear",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Tanh",
    "activation",
]


def as_input(A: Any, label: str = "X", share: bool = False) -> Tensor:
    """``A`` as a Tensor: a Tensor as is, an array wrapped (no gradient) and labelled.

    ``share=True`` wraps a float64/float32 array without copying it
    (:func:`~micrograd_dls.tensor.from_numpy`): for a caller, like ``fit``, that
    runs each forward and its backward before the array can change.
    """
    if isinstance(A, Tensor):
        return A
    A = np.asarray(A)
    if A.dtype.kind not in "fiub":
        raise TypeError(f"{label} must hold numbers, got an array of dtype {A.dtype}")
    if share and A.dtype in (np.float64, np.float32):
        return from_numpy(A, label)
    return Tensor(A if A.dtype.kind == "f" else A.astype(np.float64), label=label)


class Linear(Module):
    """Z[l] = W[l] A[l-1] + b[l], with W[l] drawn by ``init`` and b[l] = 0."""

    def __init__(
        self,
        n_in: int,
        n_out: int,
        init: str = "deep",
        seed: _init.Seed = None,
        *,
        layer: int = 1,
    ) -> None:
        for name, n in (("n_in", n_in), ("n_out", n_out)):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
                raise ValueError(f"Linear: {name} = {quote(n)}; give a positive int")
        self.n_in, self.n_out = int(n_in), int(n_out)
        check_memory(8 * self.n_in * self.n_out, f"Linear({self.n_in}, {self.n_out})",
                     f"W ({array_size((self.n_out, self.n_in))})", "give smaller sizes")
        W = _init.get(init)(self.n_out, self.n_in, _init.make_rng(seed))
        self.W = Tensor(W, requires_grad=True)
        self.b = Tensor(np.zeros((self.n_out, 1)), requires_grad=True)
        self.set_layer(layer)

    def set_layer(self, layer: int) -> None:
        """Number this layer l: its parameters become W[l], b[l] and its output Z[l]."""
        self.layer = layer
        self.W.label = f"W[{layer}]"
        self.b.label = f"b[{layer}]"
        self._z = f"Z[{layer}]"

    def forward(self, A: Any) -> Tensor:
        """Z[l] = W[l] A[l-1] + b[l];  (n[l], m) from (n[l-1], m)."""
        A = as_input(A, f"A[{self.layer - 1}]" if self.layer > 1 else "X")
        shape = A.shape
        if len(shape) != 2 or shape[0] != self.n_in:
            raise ValueError(_shape_message(self, shape))
        Z = linear(self.W, A, self.b)  # one node, as the lecture draws z[l]
        Z.label = self._z
        return Z

    def parameters(self) -> list[Tensor]:
        return [self.W, self.b]

    def __repr__(self) -> str:
        return f"Linear({self.n_in}, {self.n_out})"


def _shape_message(layer: Linear, shape: tuple[int, ...]) -> str:
    where = f"layer {layer.layer} (W[{layer.layer}] of shape ({layer.n_out}, {layer.n_in}))"
    name = f"A[{layer.layer - 1}]" if layer.layer > 1 else "X"
    return examples_message(name, shape, layer.n_in, where)


class Activation(Module):
    """A[l] = g(Z[l]), element by element; no parameters."""

    #: The activation's name, as ``MLP(hidden_activation=...)`` takes it.
    name = ""

    def __init__(self, *, layer: int = 1) -> None:
        self.set_layer(layer)

    def set_layer(self, layer: int) -> None:
        """Number this activation with its layer l: its output becomes A[l]."""
        self.layer = layer
        self._a = f"A[{layer}]"

    def forward(self, Z: Tensor) -> Tensor:
        """A[l] = g(Z[l]), labelled A[l]."""
        A = self.apply(Z)
        A.label = self._a
        return A

    def apply(self, Z: Tensor) -> Tensor:
        """g(Z) on the engine; each activation defines its own."""
        raise NotImplementedError(f"{type(self).__name__} does not define apply()")

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Sigmoid(Activation):
    """A = σ(Z) = 1 / (1 + e^(-Z))."""

    name = "sigmoid"

    def apply(self, Z: Tensor) -> Tensor:
        return Z.sigmoid()


class Tanh(Activation):
    """A = tanh(Z)."""

    name = "tanh"

    def apply(self, Z: Tensor) -> Tensor:
        return Z.tanh()


class ReLU(Activation):
    """A = max(0, Z)."""

    name = "relu"

    def apply(self, Z: Tensor) -> Tensor:
        return Z.relu()


class LeakyReLU(Activation):
    """A = max(slope·Z, Z), slope 0.01 by default."""

    name = "leaky_relu"

    def __init__(self, slope: float = 0.01, *, layer: int = 1) -> None:
        super().__init__(layer=layer)
        self.slope = float(slope)

    def apply(self, Z: Tensor) -> Tensor:
        return Z.leaky_relu(self.slope)

    def __repr__(self) -> str:
        return f"LeakyReLU({self.slope})"


class Identity(Activation):
    """A = Z, the 'linear' activation: for a real-valued output (regression)."""

    name = "linear"

    def forward(self, Z: Tensor) -> Tensor:
        # No node: A[l] is Z[l] itself, so the picture shows no do-nothing operation.
        return Z


#: The activations by name.
ACTIVATIONS: dict[str, type[Activation]] = {
    cls.name: cls for cls in (Sigmoid, Tanh, ReLU, LeakyReLU, Identity)
}


def activation(name: str, *, layer: int = 1) -> Activation:
    """The activation called ``name`` (sigmoid, tanh, relu, leaky_relu, linear) for layer l."""
    try:
        cls = ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown activation {quote(name)}; choose one of {', '.join(ACTIVATIONS)}"
        ) from None
    return cls(layer=layer)


class Sequential(Module):
    """Modules applied one after the other; each Linear starts layer l = 1, 2, ..., and
    the activations after it belong to the same layer."""

    def __init__(self, *modules: Module) -> None:
        self.modules = list(modules)
        layer = 0
        for module in self.modules:
            if isinstance(module, Linear):
                layer += 1
            if isinstance(module, (Linear, Activation)):
                module.set_layer(max(layer, 1))

    def forward(self, A: Any) -> Any:
        """A[l] = g[l](W[l] A[l-1] + b[l]) for each layer in turn."""
        for module in self.modules:
            A = module(A)
        return A

    def parameters(self) -> list[Any]:
        """Each module's parameters in order, each once (a module used twice shares them)."""
        seen: set[int] = set()
        out = []
        for module in self.modules:
            for p in module.parameters():
                if id(p) not in seen:
                    seen.add(id(p))
                    out.append(p)
        return out

    def __getitem__(self, i: int) -> Module:
        return self.modules[i]

    def __len__(self) -> int:
        return len(self.modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self.modules)

    def __repr__(self) -> str:
        inner = ",\n  ".join(map(repr, self.modules))
        return f"Sequential(\n  {inner}\n)"
