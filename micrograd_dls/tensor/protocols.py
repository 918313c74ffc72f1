"""numpy's protocols on :class:`Tensor`: what ``np.asarray(t)``, ``np.exp(Z)`` and
``np.dot(W, A)`` do with a tensor.

A learner's own numpy code runs on tensors unchanged: each numpy function and
ufunc that has a Tensor operation maps onto it through one table
(``_UFUNCS``, ``_FUNCTIONS``) -- never a second implementation -- so the
result is a node in the graph, drawn with the name the learner wrote
(``np.dot`` as dot). Comparisons (``Z > 0``, ``np.isfinite``) give plain
arrays. A numpy function that is not covered sees the data, unless a tensor
that requires a gradient would silently drop out of the graph: then it is a
TypeError naming the function and what to use. The same holds for
``np.array(t)``: refused while ``t`` requires a gradient. Two ndarray habits
of the course's code are here too: ``W.dot(A)`` (the same node as
``np.dot``), and ``A[mask] = 0``, refused with the ``np.where`` that stays in
the graph.

This module sits on top of the Tensor class and installs the protocol methods
on it, so that everything numpy may call on a tensor is in one place. Tensor
methods (``W @ A + b``, ``Z.tanh()``) never pass through it.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import numpy as np

from ..graph import exits_recorded, grad_enabled, leave_graph
from . import creation, functions
from .operands import describe as _name
from .tensor import Tensor, as_tensor, check_leaves_graph
from .versions import WRITERS, check_in_place

#: "not given" for arguments whose None means something (np.where's x and y)
_NO = inspect.Parameter.empty


def __array__(self: Tensor, dtype: Any = None, copy: Any = None) -> np.ndarray:
    """``np.array(t)``, ``np.asarray(t)``, ``np.r_[t]``: the data, read-only (numpy's
    view of it cannot count writes as ``t.data`` does; write through ``t.data``) -- refused
    while ``t`` requires a gradient (grad mode on), since the array would be cut off from
    the graph.
    While a checker records what leaves the graph (``graph.recording_exits``), a copy is
    handed out and recorded instead, so that the course's ``np.squeeze(np.array(cost))``
    runs unchanged."""
    if self.requires_grad and grad_enabled() and exits_recorded():
        data = self.data if dtype is None else self.data.astype(dtype, copy=False)
        return leave_graph(self, data.copy(), "np.array")
    check_leaves_graph(self, "np.array / np.asarray (or another conversion to an array)")
    if dtype is not None and np.dtype(dtype) != self.data.dtype:
        if copy is False:  # numpy 2's protocol: refuse rather than copy behind the back
            raise ValueError(
                f"{_name(self)} holds {self.data.dtype}; giving {np.dtype(dtype)} needs a copy"
            )
        return self._data.astype(dtype)
    if copy:
        return self._data.copy()
    view = self._data.view()
    view.flags.writeable = False
    return view


def __array_function__(self: Tensor, func: Any, types: Any, args: tuple, kwargs: dict) -> Any:
    """numpy functions on tensors: the covered ones (``np.dot``, ``np.sum``, ...) run the
    Tensor operation, in the graph; the others see the data, unless that would silently
    drop a tensor that requires a gradient from the graph -- then a TypeError names the
    function and what to use instead."""
    entry = _FUNCTIONS.get(func)
    if entry is not None and kwargs.get("out") is not None and _at_stake((args, kwargs)) is None:
        if not any(True for _ in _tensors_in(kwargs["out"])):  # into an array: numpy's own
            return func(*_unwrap(args), **_unwrap(kwargs))
    if func in WRITERS and args and isinstance(args[0], Tensor):  # np.copyto(X, 0)
        check_in_place(args[0], _qualname(func))  # then counted, through X.data
    if entry is not None:
        impl, supported = entry
        first, given = _bound(func, supported, args, kwargs)
        return impl(first, **given)
    if func in _NO_GRADIENT_FUNCTIONS:  # indices, shapes, tests of equality: no gradient
        return func(*_unwrap(args), **_unwrap(kwargs))
    _refuse_if_graph_loses(func, (args, kwargs))
    return func(*_unwrap(args), **_unwrap(kwargs))


def __array_ufunc__(self: Tensor, ufunc: np.ufunc, method: str, *inputs: Any,
                    **kwargs: Any) -> Any:
    """numpy's ufuncs on tensors (``np.exp(Z)``, ``np.maximum(0, Z)``, also ``array * t``):
    the Tensor operation of the same meaning, in the graph; comparisons give plain arrays."""
    out = kwargs.get("out")
    if out is not None and (
        _at_stake((inputs, kwargs)) is not None or any(True for _ in _tensors_in(out))
    ):
        raise TypeError(
            f"{_qualname(ufunc)}(..., out=...) with a Tensor{_in_place_hint(ufunc)}: a "
            "Tensor's result is a new node and cannot be written "
            f"into an array; assign it instead (Z = {_qualname(ufunc)}(...)), and do "
            "in-place updates of parameters with W -= ... under no_grad()"
        )
    if method == "at" and isinstance(inputs[0], Tensor):  # np.add.at(W, index, 1)
        check_in_place(inputs[0], f"{_qualname(ufunc)}.at")  # then counted, through W.data
    if method == "__call__" and out is None:
        impl = _UFUNCS.get(ufunc)
        if impl is not None:
            if kwargs:
                raise TypeError(
                    f"{_qualname(ufunc)}(..., {', '.join(f'{k}=' for k in kwargs)}) on a "
                    f"Tensor: {_plural(kwargs)} not supported; call {_qualname(ufunc)} "
                    "with its inputs only"
                    + (" (select entries with np.where or a mask instead of where=)"
                       if "where" in kwargs else "")
                    + ("; a float32 tensor gives float32 results by itself: choose the "
                       "dtype where the tensor is made, Tensor(x, dtype=np.float32)"
                       if "dtype" in kwargs else "")
                )
            return impl(*inputs)
        if ufunc in _NO_GRADIENT_UFUNCS:
            return getattr(ufunc, method)(*_unwrap(inputs), **_unwrap(kwargs))
    _refuse_if_graph_loses(ufunc, (inputs, kwargs), method)
    return getattr(ufunc, method)(*_unwrap(inputs), **_unwrap(kwargs))


def _refuse_if_graph_loses(func: Any, arguments: Any, method: str = "__call__") -> None:
    """The TypeError for a numpy function that is not covered, if a tensor in its
    arguments requires a gradient (under no_grad nothing is lost)."""
    if func in _SHAPE_QUERIES:
        return
    t = _at_stake(arguments)
    if t is not None:
        name = _qualname(func) + ("" if method == "__call__" else f".{method}")
        hint = _HINTS.get(name, "compute it from the covered operations")
        raise TypeError(
            f"{name} is not covered for tensors: on {_name(t)}, which requires a "
            "gradient, it would return a plain array outside the graph, so no gradient "
            f"would reach it. Instead: {hint}. Covered are np.dot, np.sum, np.exp, "
            "np.maximum, np.where, ... and the Tensor methods (W @ A, "
            "Z.sum(axis=1, keepdims=True)); for the numbers alone use t.detach() or no_grad()"
        )
    out = arguments[1].get("out") if type(arguments[1]) is dict else None
    if out is not None and any(True for _ in _tensors_in(out)):
        raise TypeError(
            f"{_qualname(func)}(..., out=tensor): a tensor's data is written only by its own "
            "in-place operators (W -= ... under no_grad()); assign the result instead"
        )


def _at_stake(arguments: Any) -> Tensor | None:
    """The first tensor in the arguments that requires a gradient (None under no_grad)."""
    if grad_enabled():
        for t in _tensors_in(arguments):
            if t.requires_grad:
                return t
    return None


#: The in-place operators numpy runs as a ufunc with out=: ``array += tensor``.
_OPERATORS = {np.add: "+=", np.subtract: "-=", np.multiply: "*=", np.divide: "/=",
              np.power: "**=", np.matmul: "@="}


def _in_place_hint(ufunc: np.ufunc) -> str:
    op = _OPERATORS.get(ufunc)
    return f" (array {op} tensor is this call)" if op else ""


def _qualname(func: Any) -> str:
    """``np.dot``, ``np.linalg.norm``: how the user wrote the numpy function."""
    module = getattr(func, "__module__", None) or "numpy"
    public = [p for p in module.split(".")[1:] if not p.startswith("_")]
    return ".".join(["np", *public, func.__name__])


def _plural(kwargs: dict) -> str:
    return "that argument is" if len(kwargs) == 1 else "those arguments are"


#: How to write a few uncovered numpy functions with covered ones.
_HINTS = {
    "np.prod": "a product of tensors with *, or exp(log(x).sum()) for positive x",
    "np.outer": "x @ y.T with x and y as columns (n, 1)",
    "np.inner": "x @ y, or (x * y).sum()",
    "np.tensordot": "reshape to matrices and use @ (np.dot)",
    "np.einsum": "@ (np.dot), *, and np.sum over axes",
    "np.cumsum": "no cumulative sum is covered; build it from slices and np.concatenate",
    "np.add.reduce": "np.sum(x, axis=...)",
    "np.maximum.reduce": "np.max(x, axis=...)",
    "np.minimum.reduce": "np.min(x, axis=...)",
    "np.multiply.reduce": "a product of tensors with *",
    "np.hstack": "np.concatenate([a, b], axis=1) (axis=0 for rank-1 arrays)",
    "np.vstack": "np.concatenate([a, b], axis=0)",
    "np.column_stack": "np.concatenate of columns (n, 1) along axis=1",
    "np.append": "np.concatenate([np.ravel(a), np.ravel(b)]), or with axis=",
    "np.log2": "np.log(x) / np.log(2)",
    "np.log10": "np.log(x) / np.log(10)",
    "np.exp2": "np.power(2.0, x)",
    "np.fabs": "np.abs(x)",
    "np.float_power": "np.power(x, y)",
    "np.average": "np.mean(x, axis=...), or np.sum(w * x) / np.sum(w) for weights w",
    "np.nansum": "np.sum(np.where(np.isnan(x), 0, x))",
    "np.nanmean": "np.mean of the entries selected with np.where",
    "np.logaddexp": "micrograd_dls.logsumexp over the stacked inputs (np.stack)",
    "np.broadcast_to": "x * np.ones(shape), which broadcasts x and keeps it in the graph",
    "np.tile": "np.concatenate of copies of x",
    "np.atleast_2d": "np.reshape(x, (1, -1)) or np.expand_dims(x, 0)",
    "np.matrix_transpose": "np.transpose(x) or x.T",
}


def _bound(func: Any, supported: tuple[str, ...], args: tuple, kwargs: dict) -> tuple:
    """The input and the other arguments of ``func(*args, **kwargs)`` that the Tensor
    operation takes, by name; any other argument given other than its default is refused."""
    signature = _SIGNATURES[func]
    try:
        bound = signature.bind(*args, **kwargs)
    except TypeError as e:
        raise TypeError(f"{_qualname(func)}{signature}: {e}") from None
    given = bound.arguments
    names = list(signature.parameters)
    for name, value in given.items():
        if name in supported or name == names[0]:
            continue
        default = signature.parameters[name].default
        if value is default or (type(value) is str and value == default):
            continue
        if name == "out":
            raise TypeError(
                f"{_qualname(func)}(..., out=...) with a Tensor: a Tensor's result is a new "
                f"node and cannot be written into another array; assign it instead "
                f"(x = {_qualname(func)}(...))"
            )
        raise TypeError(
            f"{_qualname(func)}(..., {name}=...) on a Tensor: {name} is not supported "
            f"(the covered arguments are {', '.join(supported) or 'the inputs only'})"
        )
    return given[names[0]], {name: given[name] for name in supported if name in given}


#: numpy functions that only read a shape: harmless on any tensor.
_SHAPE_QUERIES = frozenset((np.shape, np.ndim, np.size))


def _tensors_in(x: Any) -> Iterator[Tensor]:
    """Every Tensor in the (nested) arguments of a numpy call."""
    if isinstance(x, Tensor):
        yield x
    elif isinstance(x, (list, tuple)):
        for item in x:
            yield from _tensors_in(item)
    elif isinstance(x, dict):
        for item in x.values():
            yield from _tensors_in(item)


def _unwrap(x: Any) -> Any:
    """The arguments of a numpy call with each Tensor replaced by its data."""
    if isinstance(x, Tensor):
        return x.data
    if isinstance(x, (list, tuple)):
        return type(x)(_unwrap(item) for item in x)
    if isinstance(x, dict):
        return {k: _unwrap(v) for k, v in x.items()}
    return x




# --- the tables: numpy's name -> the one Tensor operation -------------------------------


def _operator(method: Any, reflected: Any) -> Any:
    """A binary ufunc as the Tensor operator: x.__add__(y), or y.__radd__(x) for an
    array or number x -- made once per ufunc, at import."""

    def apply(x: Any, y: Any) -> Tensor:
        return method(x, y) if isinstance(x, Tensor) else reflected(y, x)

    return apply


def _data(x: Any) -> Any:
    return x._data if isinstance(x, Tensor) else x


def _product(a: Any, b: Any, name: str) -> Tensor:
    """The matrix product (@), its node named as the learner wrote it (np.dot as dot)."""
    if isinstance(a, Tensor):
        return a._product(b, name)
    return b._product(a, name, swapped=True)


def _dot(a: Any, b: Any) -> Tensor:
    """np.dot: the matrix product (@) of matrices and vectors; with a number, the product *."""
    if np.ndim(_data(a)) == 0 or np.ndim(_data(b)) == 0:
        # np.dot makes arrays of its arguments: a Python number counts as float64 (np.dot(2.0,
        # a float32 array) is float64), unlike the weak number of a ufunc
        a, b = (x if isinstance(x, (Tensor, np.ndarray)) else np.asarray(x) for x in (a, b))
        return _UFUNCS[np.multiply](a, b)
    return _product(a, b, "dot")


def _matmul(a: Any, b: Any) -> Tensor:
    return _product(a, b, "matmul")


def _where(condition: Any, x: Any = _NO, y: Any = _NO) -> Any:
    if x is _NO and y is _NO:  # np.where(condition): the indices, no gradient
        return np.where(_unwrap(condition))
    if x is _NO or y is _NO:
        raise TypeError("np.where(condition, x, y): give both x and y, or neither")
    return functions.where(condition, x, y)


def _clip(a: Any, a_min: Any = None, a_max: Any = None, min: Any = None,
          max: Any = None) -> Tensor:
    lo = a_min if a_min is not None else min
    hi = a_max if a_max is not None else max
    return as_tensor(a, "np.clip").clip(lo, hi)


def _squeeze(a: Any, axis: Any = None) -> Any:
    """np.squeeze: ``squeeze``. While a checker records what leaves the graph, np.squeeze
    of a 0-d tensor that requires a gradient is the number, recorded: numpy's squeeze of a
    full reduction is an np.float64, and the course asserts ``isinstance(cost, float)``."""
    if (isinstance(a, Tensor) and a.requires_grad and not a.shape and grad_enabled()
            and exits_recorded() and axis is None):
        return leave_graph(a, a.data[()], "np.squeeze")
    return functions.squeeze(a, axis)


def _transpose(a: Any, axes: Any = None) -> Tensor:
    t = as_tensor(a, "np.transpose")
    return t.transpose() if axes is None else t.transpose(tuple(axes))


def _method(name: str) -> Any:
    """Tensor.<name> called on the first argument (an array becomes a constant)."""
    method = getattr(Tensor, name)

    def apply(a: Any, **kwargs: Any) -> Any:
        return method(as_tensor(a, f"np.{name}"), **kwargs)

    return apply


def _reshape(a: Any, shape: Any) -> Tensor:
    return as_tensor(a, "np.reshape").reshape(shape)


def _ravel(a: Any) -> Tensor:
    return as_tensor(a, "np.ravel").flatten(name="ravel")


_UFUNCS: dict[np.ufunc, Any] = {
    np.add: _operator(Tensor.__add__, Tensor.__radd__),
    np.subtract: _operator(Tensor.__sub__, Tensor.__rsub__),
    np.multiply: _operator(Tensor.__mul__, Tensor.__rmul__),
    np.divide: _operator(Tensor.__truediv__, Tensor.__rtruediv__),
    np.power: _operator(Tensor.__pow__, Tensor.__rpow__),
    np.matmul: _matmul,
    np.negative: Tensor.__neg__,
    np.positive: Tensor.__pos__,
    np.reciprocal: lambda x: 1.0 / x,
    np.exp: Tensor.exp,
    np.log: Tensor.log,
    np.log1p: Tensor.log1p,
    np.sqrt: Tensor.sqrt,
    np.square: Tensor.square,
    np.absolute: Tensor.abs,
    np.tanh: Tensor.tanh,
    np.sign: Tensor.sign,
    np.maximum: functions.maximum,
    np.minimum: functions.minimum,
}

#: ufuncs whose answer has no gradient: plain arrays, on any tensor.
_NO_GRADIENT_UFUNCS = frozenset((
    np.equal, np.not_equal, np.less, np.less_equal, np.greater, np.greater_equal,
    np.isfinite, np.isnan, np.isinf, np.signbit,
    np.logical_and, np.logical_or, np.logical_not, np.logical_xor,
))

# numpy function -> (the Tensor operation, the arguments it takes after the input)
_FUNCTIONS: dict[Any, tuple[Any, tuple[str, ...]]] = {
    np.dot: (_dot, ("b",)),
    np.sum: (_method("sum"), ("axis", "keepdims")),
    np.mean: (_method("mean"), ("axis", "keepdims")),
    np.max: (_method("max"), ("axis", "keepdims")),
    np.amax: (_method("max"), ("axis", "keepdims")),
    np.min: (functions.min, ("axis", "keepdims")),
    np.amin: (functions.min, ("axis", "keepdims")),
    np.var: (functions.var, ("axis", "ddof", "keepdims")),
    np.std: (functions.std, ("axis", "ddof", "keepdims")),
    np.linalg.norm: (functions.norm, ("ord", "axis", "keepdims")),
    np.reshape: (_reshape, ("shape",)),
    np.transpose: (_transpose, ("axes",)),
    np.squeeze: (_squeeze, ("axis",)),
    np.expand_dims: (functions.expand_dims, ("axis",)),
    np.ravel: (_ravel, ()),
    np.concatenate: (functions.concatenate, ("axis",)),
    np.stack: (functions.stack, ("axis",)),
    np.where: (_where, ("x", "y")),
    np.clip: (_clip, ("a_min", "a_max", "min", "max")),
    np.copy: (functions.copy, ()),
    np.zeros_like: (creation.zeros_like, ("dtype",)),
    np.ones_like: (creation.ones_like, ("dtype",)),
    np.full_like: (creation.full_like, ("fill_value", "dtype")),
    np.argmax: (functions.argmax, ("axis", "keepdims")),
}
_SIGNATURES = {func: inspect.signature(func) for func in _FUNCTIONS}

#: numpy functions whose answer has no gradient (indices, counts, equality): the data.
_NO_GRADIENT_FUNCTIONS = frozenset((
    np.argmin, np.argsort, np.nonzero, np.flatnonzero, np.argwhere, np.count_nonzero,
    np.allclose, np.isclose, np.array_equal, np.array_equiv,
))


def dot(self: Tensor, b: Any) -> Tensor:
    """Z = W·A as ndarray's ``W.dot(A)`` (the course's dnn_app_utils ``linear_forward``
    writes ``Z = W.dot(A) + b``): the same node as ``np.dot(W, A)``, drawn as dot."""
    return _dot(self, b)


def __setitem__(self: Tensor, index: Any, value: Any) -> None:
    """``t[mask] = 0``: refused, with the form that stays in the graph."""
    raise TypeError(
        f"t[...] = ... on {_name(self)}: a tensor's entries are not assigned in place "
        "(backward needs every value as the forward pass computed it). Select instead: "
        "A[Z <= 0] = 0 is A = np.where(Z <= 0, 0, A), or A * (Z > 0); the course's "
        "dZ[Z <= 0] = 0 belongs to the hand-written backward, on numpy arrays"
    )


Tensor.__array__ = __array__
Tensor.__array_function__ = __array_function__
Tensor.__array_ufunc__ = __array_ufunc__
Tensor.dot = dot
Tensor.__setitem__ = __setitem__  # type: ignore[index]  # not declared: t[...] = x always raises
