"""The course's models: logistic regression and the L-layer network.

``MLP(layer_dims)`` with ``layer_dims = [n_x, n[1], ..., n[L]]`` is
[LINEAR -> g_hidden] * (L-1) -> LINEAR -> g_output; a shallow network is
``[n_x, n_h, 1]`` and logistic regression is ``[n_x, 1]``. With a sigmoid
output the cost is the binary cross-entropy, computed from the logits Z[L]; with
a linear output it is the squared error.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..checks import check_layer_bias, check_layer_weight, layer_sizes, quote
from ..graph import no_grad
from ..tensor import Tensor
from . import init as _init
from .io import MAX_BYTES, not_usable, read_model_file, write_model_file
from .layers import ACTIVATIONS, Linear, Sequential, activation
from .losses import LOSSES
from .module import Module
from .train import History, check_X, check_XY, fit

__all__ = ["MLP", "LogisticRegression", "load"]


class MLP(Module):
    """A[0] = X, Z[l] = W[l] A[l-1] + b[l], A[l] = g[l](Z[l]) for l = 1..L.

    W[1], ..., W[L] are drawn in order from one stream seeded by ``seed`` with
    the scheme ``init`` (see :mod:`micrograd_dls.nn.init`); ``init='small',
    seed=2`` on ``[2, 4, 1]`` is the planar notebook's start, ``init='deep',
    seed=1`` on ``[12288, 20, 7, 5, 1]`` the deep cat model's. ``loss`` is
    'bce' (needs a sigmoid output) or 'mse'; by default 'bce' for a sigmoid
    output and 'mse' otherwise.
    """

    kind = "MLP"

    def __init__(
        self,
        layer_dims: Sequence[int],
        hidden_activation: str = "relu",
        output_activation: str = "sigmoid",
        init: str = "deep",
        seed: _init.Seed = None,
        loss: str | None = None,
    ) -> None:
        dims = layer_sizes(layer_dims, "MLP")
        for name in (hidden_activation, output_activation):
            if not isinstance(name, str) or name not in ACTIVATIONS:
                raise ValueError(
                    f"unknown activation {quote(name)}; choose one of {', '.join(ACTIVATIONS)}"
                )
        if loss is None:
            loss = "bce" if output_activation == "sigmoid" else "mse"
        if not isinstance(loss, str) or loss not in LOSSES:
            raise ValueError(f"unknown loss {quote(loss)}; choose one of {', '.join(LOSSES)}")
        if loss == "bce" and output_activation != "sigmoid":
            raise ValueError(
                "the cross-entropy cost needs a sigmoid output layer, not "
                f"{quote(output_activation)}; "
                "use loss='mse' for a real-valued output"
            )
        self.layer_dims = dims
        self.hidden_activation = hidden_activation
        self.output_activation = output_activation
        self.loss = loss
        rng = _init.make_rng(seed)
        L = len(dims) - 1
        modules: list[Module] = []
        for l in range(1, L + 1):
            modules.append(Linear(dims[l - 1], dims[l], init, rng, layer=l))
            modules.append(activation(output_activation if l == L else hidden_activation, layer=l))
        self.net = Sequential(*modules)
        self._linears = [m for m in modules if isinstance(m, Linear)]
        self._cost = LOSSES[loss]
        # From the logits: the stable cross-entropy, or the squared error on A[L] = Z[L].
        self._cost_on_logits = loss == "bce" or output_activation == "linear"

    # --- shape of the network --------------------------------------------------

    @property
    def n_x(self) -> int:
        """n[0], the features per example."""
        return self.layer_dims[0]

    @property
    def n_y(self) -> int:
        """n[L], the outputs per example."""
        return self.layer_dims[-1]

    @property
    def layers(self) -> list[Linear]:
        """The Linear layers 1..L (``layers[0]`` holds W[1], b[1])."""
        return list(self._linears)

    def parameters(self) -> list[Tensor]:
        """W[1], b[1], ..., W[L], b[L]."""
        return self.net.parameters()

    # --- forward and cost -------------------------------------------------------

    def forward(self, X: Any) -> Tensor:
        """A[L], the network's output on X (n_x, m)."""
        return self.net(X)

    def logits(self, X: Any) -> Tensor:
        """Z[L] = W[L] A[L-1] + b[L], the output before its activation."""
        A = X
        for module in self.net.modules[:-1]:
            A = module(A)
        return A

    def cost(self, X: Any, Y: Any) -> Tensor:
        """J(θ) on (X, Y): cross-entropy from the logits Z[L], or squared error of A[L]."""
        return self._cost(self.logits(X) if self._cost_on_logits else self.net(X), Y)

    # --- evaluation -------------------------------------------------------------

    def predict_proba(self, X: Any) -> np.ndarray:
        """A[L] as an array of shape (n[L], m), computed without recording a graph."""
        X = check_X(X, self.n_x)
        with no_grad():
            return self.net(X).data

    def predict(self, X: Any) -> np.ndarray:
        """Ŷ = 1 where A[L] > 0.5 else 0 (cross-entropy models); A[L] itself for squared error."""
        A = self.predict_proba(X)
        return (A > 0.5).astype(np.float64) if self.loss == "bce" else A

    def accuracy(self, X: Any, Y: Any) -> float:
        """The fraction of examples with Ŷ = Y (multiply by 100 for the course's percent)."""
        if self.loss != "bce":
            raise ValueError("accuracy is for 0/1 labels; this model fits real values (mse)")
        X, Y = check_XY(X, Y, self.n_x, self.n_y, labels01=True)
        return float(np.mean(self.predict(X) == Y))

    # --- training -----------------------------------------------------------------

    def fit(
        self,
        X: Any,
        Y: Any,
        learning_rate: float | None = None,
        num_iterations: int = 3000,
        print_every: int = 100,
        **options: Any,
    ) -> History:
        """Gradient descent on J(θ); see :func:`micrograd_dls.nn.train.fit` for the options."""
        return fit(self, X, Y, learning_rate, num_iterations, print_every, **options)

    # --- parameters as arrays, files ----------------------------------------------

    def state_dict(self) -> dict[str, np.ndarray]:
        """The course's parameters dict ``{"W1": ..., "b1": ..., ...}`` (copies)."""
        out = {}
        for l, layer in enumerate(self._linears, 1):
            out[f"W{l}"] = layer.W.data.copy()
            out[f"b{l}"] = layer.b.data.copy()
        return out

    def load_state_dict(self, parameters: dict[str, Any]) -> None:
        """Copy ``{"W1": ..., "b1": ...}`` into the layers, checking every shape."""
        expected = {f"{p}{l}" for l in range(1, len(self._linears) + 1) for p in "Wb"}
        if set(parameters) != expected:
            raise ValueError(
                f"parameters have keys {quote(list(parameters))}; this network needs "
                f"{sorted(expected)}"
            )
        values = []
        for l, layer in enumerate(self._linears, 1):
            W = check_layer_weight(parameters[f"W{l}"], l, layer.n_out, layer.n_in, f"W{l}")
            b = check_layer_bias(parameters[f"b{l}"], l, layer.n_out, f"b{l}")
            values += [(layer.W, W), (layer.b, b)]
        for node, value in values:  # all checked first: a bad entry changes nothing
            node.data[...] = value

    def save(self, path: str | os.PathLike) -> str:
        """Write the parameters with layer sizes and activations to an .npz; returns its path."""
        arrays = self.state_dict()
        bad = [k for k, a in arrays.items() if not np.isfinite(a).all()]
        if bad:  # load() would refuse the file: say so now, not when it is read back
            raise ValueError(
                f"{', '.join(bad)} contain NaN or infinity (did training diverge? try a smaller "
                "learning rate); not saving a model that cannot be loaded"
            )
        header = {
            "kind": self.kind,
            "layer_dims": np.array(self.layer_dims, dtype=np.int64),
            "hidden_activation": self.hidden_activation,
            "output_activation": self.output_activation,
            "loss": self.loss,
        }
        return write_model_file(path, header, arrays)

    @classmethod
    def load(cls, path: str | os.PathLike, max_bytes: int = MAX_BYTES) -> MLP:
        """The model saved at ``path`` (never unpickled); a clear error for a bad file.

        A file declaring more than ``max_bytes`` of parameters is refused before
        it is read (see :mod:`micrograd_dls.nn.io`); pass a larger value for a
        larger model you trust.
        """
        header, arrays = read_model_file(path, max_bytes)
        kinds = {k.kind: k for k in (MLP, LogisticRegression)}
        kind = kinds.get(header["kind"])
        if kind is None or not issubclass(kind, cls):
            raise not_usable(path, f"it holds a {quote(header['kind'])} model, not a {cls.kind}")
        try:
            if kind is LogisticRegression:
                if header["layer_dims"][1:] != [1]:
                    raise ValueError(f"layer_dims {header['layer_dims']} is not [n_x, 1]")
                fixed = {"hidden_activation": "sigmoid", "output_activation": "sigmoid",
                         "loss": "bce"}
                for key, value in fixed.items():
                    if header[key] != value:
                        raise ValueError(
                            f"{key} is {quote(header[key])}; logistic regression has {value!r}"
                        )
                model: MLP = LogisticRegression(header["layer_dims"][0])
            else:
                model = MLP(
                    header["layer_dims"],
                    header["hidden_activation"],
                    header["output_activation"],
                    init="zeros",
                    loss=header["loss"],
                )
        except ValueError as e:
            raise not_usable(path, str(e)) from None
        model.load_state_dict(arrays)
        return model

    # --- PyTorch ------------------------------------------------------------------

    def to_torch(self) -> Any:
        """torch.nn.Sequential(Linear, g[1], ..., Linear, g[L]) with weight = W[l] and
        bias = b[l], float64; see :mod:`micrograd_dls.nn.export`."""
        from .export import to_torch

        return to_torch(self)

    @classmethod
    def from_torch(cls, module: Any) -> MLP:
        """The network of a torch.nn.Sequential of Linear layers and activations, weights
        copied; see :mod:`micrograd_dls.nn.export`."""
        from .export import from_torch

        return from_torch(module, cls)

    def __repr__(self) -> str:
        return (
            f"{self.kind}({self.layer_dims}, hidden_activation={self.hidden_activation!r}, "
            f"output_activation={self.output_activation!r})"
        )


class LogisticRegression(MLP):
    """A = σ(W X + b), one sigmoid unit: "logistic regression as a neural network".

    W[1] of shape (1, n_x) is the course's wᵀ and b[1] its b; both start at
    zero, as in the course (``init`` may be changed).
    """

    kind = "LogisticRegression"

    def __init__(self, n_x: int, init: str = "zeros", seed: _init.Seed = None) -> None:
        super().__init__([n_x, 1], "sigmoid", "sigmoid", init=init, seed=seed)

    @property
    def w(self) -> np.ndarray:
        """The course's w of shape (n_x, 1)."""
        return self._linears[0].W.data.T.copy()

    @property
    def b(self) -> float:
        """The course's b."""
        return float(self._linears[0].b.data[0, 0])

    def __repr__(self) -> str:
        return f"LogisticRegression({self.n_x})"


def load(path: str | os.PathLike, max_bytes: int = MAX_BYTES) -> MLP:
    """The model (MLP or LogisticRegression) saved at ``path``, at most ``max_bytes`` of
    parameters."""
    return MLP.load(path, max_bytes)
