"""Networks of scalar ``Value``s: the course's week-2 loop view, one node per number.

``Neuron``, ``Layer`` and ``MLP`` behave as in micrograd (``parameters()``,
``zero_grad()``, a layer called on a list of Values or floats), but follow the
course's notation: unit j of layer l computes
``z[l]_j = Σ_k w[l]_j,k a[l-1]_k + b[l]_j`` and ``a[l]_j = g[l](z[l]_j)``, and
every node is labelled that way (1-based j and k), so ``viz`` can draw the graph
node by node and group it by layer. Weights come from the same initialisers as
the tensor models: an ``MLP`` built with the same ``layer_dims``, ``init`` and
``seed`` as :class:`micrograd_dls.nn.MLP` starts from the same numbers.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..checks import layer_sizes, quote
from ..value import Value
from . import init as _init
from .module import Module

__all__ = ["ACTIVATIONS", "Layer", "MLP", "Neuron", "as_values", "binary_cross_entropy"]

#: The activations a scalar unit accepts ('linear' is the identity).
ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")

#: Bytes a weight takes at least: its Value, the float it holds and its place in a list.
_VALUE_BYTES = sys.getsizeof(Value(0.0)) + sys.getsizeof(0.0) + 8


def _size(n: Any, what: str) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{what} = {quote(n)}; give a positive int")
    return int(n)


def _check_activation(name: str) -> str:
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(
            f"unknown activation {quote(name)}; choose one of {', '.join(ACTIVATIONS)}"
        )
    return name


class Neuron(Module):
    """One unit: a = g(Σ_k w_k x_k + b), with weights drawn by ``init`` and b = 0."""

    def __init__(
        self,
        n_in: int,
        activation: str = "relu",
        init: str = "deep",
        seed: _init.Seed = None,
        *,
        weights: Sequence[float] | None = None,
        layer: int = 1,
        unit: int = 1,
    ) -> None:
        self.activation = _check_activation(activation)
        n_in = _size(n_in, "Neuron: n_in")
        if weights is None:
            weights = _init.get(init)(1, n_in, _init.make_rng(seed))[0]
        elif len(weights) != n_in:
            raise ValueError(f"Neuron: {len(weights)} weights given for n_in = {n_in} inputs")
        self.n_in = n_in
        self.layer, self.unit = layer, unit
        self.w = [
            Value(float(wk), label=f"w[{layer}]_{unit},{k}") for k, wk in enumerate(weights, 1)
        ]
        self.b = Value(0.0, label=f"b[{layer}]_{unit}")

    def forward(self, x: Sequence[Any]) -> Value:
        """z = Σ_k w_k x_k + b, a = g(z)."""
        if len(x) != self.n_in:
            raise ValueError(
                f"neuron {self.unit} of layer {self.layer} takes {self.n_in} inputs, "
                f"got {len(x)}"
            )
        terms = iter(zip(self.w, x))
        w1, x1 = next(terms)
        z = w1 * x1
        for wk, xk in terms:
            z = z + wk * xk
        z = z + self.b
        name = f"[{self.layer}]_{self.unit}"
        z.label = "z" + name
        if self.activation == "linear":
            return z
        a = getattr(z, self.activation)()
        a.label = "a" + name
        return a

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def __repr__(self) -> str:
        return f"Neuron({self.n_in}, activation={self.activation!r})"


class Layer(Module):
    """Layer l: ``n_out`` neurons on the same ``n_in`` inputs; W[l] is drawn as one
    ``(n_out, n_in)`` matrix whose row j feeds unit j."""

    def __init__(
        self,
        n_in: int,
        n_out: int,
        activation: str = "relu",
        init: str = "deep",
        seed: _init.Seed = None,
        *,
        layer: int = 1,
    ) -> None:
        n_in, n_out = _size(n_in, "Layer: n_in"), _size(n_out, "Layer: n_out")
        W = _init.get(init)(n_out, n_in, _init.make_rng(seed))
        self.neurons = [
            Neuron(n_in, activation, weights=row, layer=layer, unit=j)
            for j, row in enumerate(W, 1)
        ]

    def forward(self, x: Sequence[Any]) -> list[Value]:
        """a[l]_j = g(z[l]_j) for every unit j."""
        return [n(x) for n in self.neurons]

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(map(repr, self.neurons))}]"


class MLP(Module):
    """Layers l = 1..L with sizes ``layer_dims = [n_x, n[1], ..., n[L]]``, as
    :class:`micrograd_dls.nn.MLP` but one ``Value`` per number."""

    def __init__(
        self,
        layer_dims: Sequence[int],
        hidden_activation: str = "relu",
        output_activation: str = "sigmoid",
        init: str = "deep",
        seed: _init.Seed = None,
    ) -> None:
        dims = layer_sizes(layer_dims, "scalar MLP", _VALUE_BYTES, "Values")
        _check_activation(hidden_activation)
        _check_activation(output_activation)
        rng = _init.make_rng(seed)
        L = len(dims) - 1
        self.layer_dims = dims
        self.layers = [
            Layer(
                dims[l - 1],
                dims[l],
                output_activation if l == L else hidden_activation,
                init,
                rng,
                layer=l,
            )
            for l in range(1, L + 1)
        ]

    def forward(self, x: Sequence[Any]) -> Value | list[Value]:
        """a[0] = x, a[l] = g[l](W[l] a[l-1] + b[l]); one Value when n[L] = 1."""
        for layer in self.layers:
            x = layer(x)
        return x[0] if len(x) == 1 else x  # type: ignore[return-value]  # the last layer's Values

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def cost(self, X: Any, Y: Any) -> Value:
        """J = -(1/m) Σ_i (y⁽ⁱ⁾ log a⁽ⁱ⁾ + (1 - y⁽ⁱ⁾) log(1 - a⁽ⁱ⁾)) on X (n_x, m) and
        Y (1, m), one graph node per number; as :meth:`micrograd_dls.nn.MLP.cost`, so
        that with one column it is the graph of one example."""
        if self.layer_dims[-1] != 1:
            raise ValueError(f"cost: the network has {self.layer_dims[-1]} output units; "
                             "the cross-entropy takes one (layer_dims ending in 1)")
        Y = np.asarray(Y, dtype=float)
        m = np.shape(X)[1] if np.ndim(X) == 2 else None
        if Y.shape != (1, m):
            raise ValueError(f"cost: X has shape {np.shape(X)} and Y {Y.shape}; give X as "
                             "(n_x, m) and Y as (1, m), one label per column of X")
        return binary_cross_entropy([self(x) for x in as_values(X)], Y[0].tolist())

    def __repr__(self) -> str:
        return f"MLP({self.layer_dims})"


def binary_cross_entropy(predictions: Sequence[Value], labels: Sequence[float]) -> Value:
    """J = -(1/m) Σ_i (y_i log a_i + (1 - y_i) log(1 - a_i)) over m examples."""
    if len(predictions) != len(labels) or not predictions:
        raise ValueError(
            f"binary_cross_entropy: {len(predictions)} predictions and {len(labels)} labels; "
            "give one label per prediction"
        )
    terms = []
    for a, y in zip(predictions, labels):
        y = float(y)
        if y not in (0.0, 1.0):
            raise ValueError(f"binary_cross_entropy: label {y} is not 0 or 1")
        # Only the term the label switches on: the other is 0 · log(...), which
        # would fail for a prediction of exactly 0 or 1.
        terms.append(a.log() if y == 1.0 else (1 - a).log())
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    J = total * (-1.0 / len(terms))
    J.label = "J"
    return J


class _Data(Value):
    """A number of the data: a leaf whose gradient nobody asks for, drawn as data.

    As data Tensors get none, it gets no gradient: backward's additions into it
    are dropped and ``grad`` stays 0.0 (the walks read and write ``grad`` as for
    any leaf, so no check is added to them; only a data node pays for this).
    """

    __slots__ = ()
    requires_grad = False

    @property
    def grad(self) -> float:
        return 0.0

    @grad.setter
    def grad(self, value: float) -> None:
        pass  # d J / d data is not kept


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def as_values(X: np.ndarray) -> list[list[Value]]:
    """The columns of X (n_x, m) as m lists of data Values, x_1⁽ⁱ⁾, ..., x_n⁽ⁱ⁾ for
    example i (the course's superscript (i)), which pictures draw as data."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"as_values: X has shape {X.shape}; expected (n_x, m)")
    return [[_Data(x, label=f"x_{k}⁽{str(i).translate(_SUPERSCRIPT)}⁾")
             for k, x in enumerate(col, 1)] for i, col in enumerate(X.T, 1)]
