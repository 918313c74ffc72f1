"""numpy's ufuncs on a :class:`~micrograd_dls.value.Value`: ``np.exp(z)``, ``np.maximum(0, z)``,
``1 / (1 + np.exp(-z))`` build the node the Value operation of the same meaning builds.

So the course's numpy code runs on a scalar loop unchanged, with one rule per
operation whichever way it was called. This module maps numpy's names onto Value's
methods and operators and refuses the rest with the fix; it knows the node type only
as the argument ``value_type`` and builds no node itself.
"""

from __future__ import annotations

import operator
from functools import partial
from typing import TYPE_CHECKING, Any

from .checks import quote, shown
from .graph import Node
from .value_math import number

if TYPE_CHECKING:
    from .value import Value

__all__ = ["ufunc"]


def _maximum(value_type: type[Value], x: Any, y: Any) -> Value:
    """np.maximum(c, z) with a number c: out = max(c, z);  dout/dz = 0 if z <= c else 1.

    At the tie z = c the derivative is 0, the course's relu'(0) = 0, and
    ``np.maximum(0, z)`` is ``z.relu()`` itself (the course's ``relu``); a NaN
    on either side gives NaN, as numpy does.
    """
    if isinstance(x, value_type) == isinstance(y, value_type):
        raise TypeError(
            "np.maximum of two Values has no operation here; for the course's relu "
            "write np.maximum(0, z) or z.relu()"
        )
    v, c, position = (x, y, 1) if isinstance(x, value_type) else (y, x, 0)
    return v.relu() if c == 0.0 else v._max_with(c, position)


# numpy's ufuncs that are Value operations, each called with the ufunc's operands
# in their order: 2 - z is z.__rsub__(2), as the operator would call it.
_UFUNCS: dict[str, Any] = {
    "exp": operator.methodcaller("exp"),
    "log": operator.methodcaller("log"),
    "tanh": operator.methodcaller("tanh"),
    "sqrt": lambda x: x**0.5,
    "square": lambda x: x**2,
    "absolute": abs,
    "negative": operator.neg,
    "positive": operator.pos,
    "add": operator.add,
    "subtract": operator.sub,
    "multiply": operator.mul,
    "divide": operator.truediv,
    "power": operator.pow,
    "float_power": operator.pow,
    "maximum": None,  # needs the node type: see ufunc()
}

# What to write instead of numpy's other ufuncs that a learner reaches for.
_INSTEAD = {
    "log1p": "(1 + z).log()",
    "expm1": "z.exp() - 1",
    "reciprocal": "1 / z",
    "minimum": "-np.maximum(-c, -z)",
    "greater": "z > c (a comparison gives a bool, not a node)",
    "less": "z < c (a comparison gives a bool, not a node)",
}


def ufunc(value_type: type[Value], ufunc_: Any, method: str, inputs: tuple[Any, ...],
          kwargs: dict[str, Any]) -> Value:
    """``ufunc(*inputs, **kwargs)`` of numpy on Values (``value_type``), as the Value
    operation of the same meaning, or a TypeError that names what to write instead."""
    name = shown(getattr(ufunc_, "__name__", "?"))
    call = f"np.{name}" if method == "__call__" else f"np.{name}.{method}"
    if method != "__call__":
        raise TypeError(
            f"{call} on a Value: a Value is one number, not an array to reduce or combine; "
            "use the operators between Values, or Tensor for arrays"
        )
    if kwargs:
        option = "out" if "out" in kwargs else sorted(kwargs)[0]
        fix = "write z = np.exp(z) instead" if option == "out" else f"call {call}(z) without it"
        raise TypeError(f"{call}(..., {option}=...) is not supported on a Value; {fix}")
    operation = _UFUNCS.get(name)
    if name == "maximum":
        operation = partial(_maximum, value_type)
    if operation is None:
        instead = _INSTEAD.get(name)
        hint = f"write {instead}" if instead else (
            "use the Value methods exp(), log(), tanh(), sigmoid(), relu(), abs(v), the "
            "operators + - * / **, or np.exp, np.log, np.tanh, np.sqrt, np.abs, np.maximum(0, z)"
        )
        raise TypeError(f"{call} is not an operation of Value; {hint}")
    operands = []
    for x in inputs:
        if not isinstance(x, value_type):
            if isinstance(x, Node):
                kind = shown(type(x).__name__)
                raise TypeError(
                    f"{call} between a Value and a {kind}: mix node types through their "
                    f"data, e.g. Value(t.item()) or {kind}(v.data)"
                )
            if getattr(x, "shape", ()) != ():
                raise TypeError(
                    f"{call} between a Value and an array of shape {quote(x.shape)}: a Value is "
                    "one number; use Tensor for arrays, or loop over the elements"
                )
            # a plain float, so that float.__mul__ hands over to Value's reflected operator
            x = number(x, f"an operand of {call}")
        operands.append(x)
    return operation(*operands)
