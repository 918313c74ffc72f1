"""The way out to PyTorch: an MLP as a ``torch.nn.Sequential`` with the same weights, and back.

The course's ``W[l]`` of shape ``(n[l], n[l-1])`` is already
``torch.nn.Linear.weight``'s orientation, and ``b[l]`` of shape ``(n[l], 1)``
becomes its ``bias`` of shape ``(n[l],)``. What changes is the data: PyTorch
keeps one example per **row**, so the course's ``X`` of shape ``(n_x, m)`` goes
in as ``X.T`` and ``A[L]`` comes out as ``(m, n[L])``. Weights stay float64,
so both sides predict the same numbers to rounding.

torch is optional (``pip install torch``, or ``pip install -e ".[torch]"`` in a
clone of micrograd_dls), imported only when a model is converted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..checks import optional_import, quote

if TYPE_CHECKING:
    from .models import MLP

__all__ = ["SUPPORTED", "from_torch", "to_torch"]

#: The activations both sides know, by our name: the torch.nn class and its arguments.
SUPPORTED = {
    "sigmoid": ("Sigmoid", {}),
    "tanh": ("Tanh", {}),
    "relu": ("ReLU", {}),
    "leaky_relu": ("LeakyReLU", {"negative_slope": 0.01}),
}


def _torch() -> Any:
    return optional_import("torch", "torch", "the way to PyTorch (its CPU build is enough)")


def to_torch(model: Any) -> Any:
    """Sequential(Linear(n[0], n[1]), g[1], ..., Linear(n[L-1], n[L]), g[L]) with
    weight = W[l] and bias = b[l] reshaped to (n[l],), in float64.

    A 'linear' activation adds no module, as :class:`~micrograd_dls.nn.Identity`
    adds no node. ``module(torch.from_numpy(X.T)).T`` then equals
    ``model.predict_proba(X)``.
    """
    torch = _torch()
    modules = []
    activations = [model.hidden_activation] * (len(model.layers) - 1) + [model.output_activation]
    with torch.no_grad():
        for layer, name in zip(model.layers, activations):
            linear = torch.nn.Linear(layer.n_in, layer.n_out, dtype=torch.float64)
            linear.weight.copy_(torch.from_numpy(layer.W.data))
            linear.bias.copy_(torch.from_numpy(layer.b.data.reshape(-1)))
            modules.append(linear)
            if name != "linear":
                cls, kwargs = SUPPORTED[name]
                modules.append(getattr(torch.nn, cls)(**kwargs))
    return torch.nn.Sequential(*modules)


def _activation_name(torch: Any, module: Any, index: int) -> str | None:
    """Our name of a torch activation module, None for Identity, or a clear error."""
    if isinstance(module, torch.nn.Identity):
        return None
    for name, (cls, kwargs) in SUPPORTED.items():
        if type(module) is getattr(torch.nn, cls):
            for key, value in kwargs.items():
                if getattr(module, key) != value:
                    raise ValueError(
                        f"from_torch: module {index} is {quote(module)}; our {name} has "
                        f"{key}={value}, so give {cls}({key}={value})"
                    )
            return name
    raise ValueError(
        f"from_torch: module {index} is {quote(module)}, which the course's networks do not "
        f"have; a Sequential of Linear layers, each followed by one of "
        f"{', '.join(cls for cls, _ in SUPPORTED.values())} or nothing, converts"
    )


def from_torch(module: Any, cls: type[MLP]) -> MLP:
    """The ``cls`` (MLP or LogisticRegression) whose W[l] and b[l] are the weight and bias
    of the Linear layers of ``module``, a torch.nn.Sequential [Linear, g]*L.

    Every hidden layer must share one activation, as an MLP's do; a Linear with
    no activation after it is 'linear' (a last one gives a squared-error model:
    a network trained with ``BCEWithLogitsLoss`` ends in a Linear, so append
    ``torch.nn.Sigmoid()`` for the course's sigmoid output).
    """
    torch = _torch()
    if not isinstance(module, torch.nn.Sequential):
        raise TypeError(
            f"from_torch takes a torch.nn.Sequential of Linear layers and activations, got "
            f"{type(module).__name__}; rebuild the network as torch.nn.Sequential(...)"
        )
    layers: list[Any] = []  # [linear, activation name]
    for index, part in enumerate(module):
        if isinstance(part, torch.nn.Linear):
            if part.bias is None:
                raise ValueError(
                    f"from_torch: module {index}, {quote(part)}, has no bias; the course's layers "
                    "all have b[l]: build it with bias=True"
                )
            if layers and part.in_features != layers[-1][0].out_features:
                raise ValueError(
                    f"from_torch: module {index}, {quote(part)}, takes {part.in_features} "
                    f"inputs but the layer before gives {layers[-1][0].out_features}"
                )
            layers.append([part, "linear"])
            continue
        name = _activation_name(torch, part, index)
        if not layers:
            raise ValueError(
                f"from_torch: module {index}, {quote(part)}, comes before any Linear layer; "
                "the course's networks start with Z[1] = W[1] X + b[1]"
            )
        if name is None:
            continue
        if layers[-1][1] != "linear":
            raise ValueError(
                f"from_torch: module {index}, {quote(part)}, follows another activation; each "
                "Linear layer takes one"
            )
        layers[-1][1] = name
    if not layers:
        raise ValueError("from_torch: the Sequential holds no Linear layer")
    hidden = {name for _, name in layers[:-1]}
    if len(hidden) > 1:
        raise ValueError(
            "from_torch: an MLP has one hidden activation for every hidden layer, this "
            f"Sequential has {' then '.join(name for _, name in layers[:-1])}"
        )
    dims = [layers[0][0].in_features] + [linear.out_features for linear, _ in layers]
    output = layers[-1][1]
    state = {}
    for l, (linear, _) in enumerate(layers, 1):
        state[f"W{l}"] = linear.weight.detach().cpu().to(torch.float64).numpy().copy()
        state[f"b{l}"] = linear.bias.detach().cpu().to(torch.float64).numpy().reshape(-1, 1).copy()
    if cls.kind == "LogisticRegression":
        if len(dims) != 2 or dims[1] != 1 or output != "sigmoid":
            raise ValueError(
                "from_torch: logistic regression is Sequential(Linear(n_x, 1), Sigmoid()); "
                "use MLP.from_torch for this network"
            )
        model = cls(dims[0])
    else:
        # A one-layer network has no hidden layer: its hidden activation is never used.
        model = cls(dims, hidden.pop() if hidden else "relu", output, init="zeros")
    model.load_state_dict(state)
    return model

