"""``Value``: a scalar node of the computation graph.

Every operation computes its result and, in the same place, its local
derivatives d out / d input -- plain numbers, stored on the node. Backward is
then one loop with no closure per node (``graph.backward``'s algorithm, walked
here over the two input slots directly for speed), and the graph already holds
the numbers the lecture writes on its edges. A number operand (the ``3`` in
``3 * v``) gets no node of its own.

Written for learners who arrive with micrograd: ``Value(x)``, ``.data``,
``.grad``, the operators, ``.relu()``, ``.tanh()``, ``.exp()`` and
``.backward()`` behave the same and give the same numbers. A learner's numpy
code runs too: ``np.exp(z)`` or ``np.maximum(0, z)`` on a Value builds the node
``z.exp()`` or ``z.relu()`` builds. What would quietly leave the graph is
refused with the fix: a Tensor operand (read as a constant), ``float(v)`` and
``math.log(v)`` (a number with no gradient).
"""

from __future__ import annotations

import math
from typing import Any

from .anomaly import check_backward, check_forward
from .checks import shown
from .graph import LEAF, Node, anomaly_on, backward, generic_backward, grad_enabled, on_anomaly_mode
from .value_math import checked_exp, log, number, operand, power, power_value
from .value_numpy import ufunc as numpy_ufunc

__all__ = ["Value"]

_new = object.__new__
_isfinite = math.isfinite


def _unary(data: float, a: Value, da: float, op: Any, c: float | None = None) -> Value:
    """A new node out = f(a) with local derivative da = dout/da (not recorded under no_grad).

    With a number operand ``c`` (``3 * v``), ``op`` is the constant pair (name,
    position of c) and c sits in the free slot ``_db``: no tuple is built per node.
    """
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = None
    out._b = None
    out._db = c
    if grad_enabled():
        out._a = a
        out._da = da
        out._op = op
    else:
        out._a = None
        out._op = LEAF
    return out


def _binary(data: float, a: Value, b: Value, da: float, db: float, op: tuple) -> Value:
    """A new node out = f(a, b) with local derivatives da, db (not recorded under no_grad)."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = None
    if grad_enabled():
        out._a = a
        out._b = b
        out._da = da
        out._db = db
        out._op = op
    else:
        out._a = out._b = None
        out._op = LEAF
    return out


# In anomaly mode the operations build their nodes with these two instead: the
# graph tells this module when the mode turns on or off (`on_anomaly_mode`), so
# outside it the operations pay nothing for it, not even a test of a flag.


def _unary_checked(data: float, a: Value, da: float, op: Any, c: float | None = None) -> Value:
    if not grad_enabled():
        return _UNARY(data, a, da, op, c)
    return _checked(data, a, None, da, c, op)


def _binary_checked(data: float, a: Value, b: Value, da: float, db: float, op: tuple) -> Value:
    if not grad_enabled():
        return _BINARY(data, a, b, da, db, op)
    return _checked(data, a, b, da, db, op)


_UNARY, _BINARY = _unary, _binary


def _use_checked_operations(on: bool) -> None:
    global _unary, _binary
    _unary, _binary = (_unary_checked, _binary_checked) if on else (_UNARY, _BINARY)


on_anomaly_mode(_use_checked_operations)


def _checked(data: float, a: Value, b: Value | None, da: float, db: Any, op: Any) -> Value:
    """A recorded node in anomaly mode: one that can hold its creation site, checked by
    graph.check_forward."""
    out = _new(_SitedValue)
    out.data = data
    out.grad = 0.0
    out.label = None
    out._a = a
    out._b = b
    out._da = da
    out._db = db
    out._op = op
    if _isfinite(data):
        check_forward(out, True)
        return out
    inputs = [repr(p.data) for p in (out._a, out._b) if p is not None]
    if out._op[1] is not None:
        inputs.insert(out._op[1], repr(out._db))
    check_forward(out, False, f"{out.data!r}, from {' and '.join(inputs)}")
    return out  # not reached: check_forward raised


# The text of each local derivative, for the pictures (read through graph.edge_rules):
# per input, d out / d input written over the operation's arguments {x}, {y} (in
# argument order, a number operand included) and its result {out}, as the docstrings
# of the operations below state it. ":atom" puts a compound operand in parentheses
# unless it is one token, ":power" unless it binds at least as tightly as a power. No
# entry where the number alone says it all: a sum's 1, a number factor c. Keyed as a
# node's _op: ('*', None) for two Values, ('*', 0) for a number on the left. x ** n with a
# number n is written by Value._edge_rules, which knows n.
_DERIVATIVE_TEXTS: dict[Any, tuple[str, ...]] = {
    ("*", None): ("{y}", "{x}"),
    ("/", None): ("1/{y:atom}", "-{x:power}/{y:atom}²"),
    ("/", 0): ("-{x:power}/{y:atom}²",),  # c / y
    ("**", None): ("{y:power}·{x:atom}^({y} - 1)", "{out:power}·log {x:atom}"),
    ("**", 0): ("{out:power}·log {x:atom}",),  # c ** y
    ("exp", None): ("exp({x})",),
    ("log", None): ("1/{x:atom}",),
    ("tanh", None): ("1 - {out:atom}²",),
    ("sigmoid", None): ("{out:power}·(1 - {out})",),
    ("relu", None): ("[{x} > 0]",),
}


class Value(Node):
    """A scalar with a gradient: ``Value(5.0, label='a')``.

    ``data`` is the float, ``grad`` is d root / d self after ``root.backward()``
    (0.0 before), ``label`` names it in pictures.
    """

    # Inputs and local derivatives live in slots, not tuples: one object per
    # node is all the garbage collector has to walk on a big graph.
    __slots__ = ("_a", "_b", "_da", "_db")
    _fresh_grad = 0.0

    data: float
    grad: float
    _a: Value | None  # the first input, None for a leaf
    _b: Value | None  # the second input, None for a leaf or a one-input operation
    _da: float  # d out / d a
    # d out / d b, a float; with no b, the free slot keeps the number operand (3 in 3 * v)
    # or None
    _db: Any

    def __init__(self, data: Any, label: str | None = None) -> None:
        if isinstance(data, Value):
            raise TypeError(
                "Value(...) got a Value; it is already a node -- use it directly, "
                "or Value(v.data) for a fresh leaf with the same number"
            )
        self.data = number(data, "Value(data)")
        self.grad = 0.0
        self.label = label
        self._a = self._b = None
        self._op = LEAF

    # --- graph plumbing ------------------------------------------------------

    @property
    def _parents(self) -> tuple[Value, ...]:
        a = self._a
        if a is None:
            return ()
        b = self._b
        return (a,) if b is None else (a, b)

    def _chain(self, retain_graph: bool) -> None:
        g = self.grad
        if anomaly_on():
            _checked_chain(self, g)
            return
        self._a.grad += self._da * g  # type: ignore[union-attr]  # a node with inputs
        b = self._b
        if b is not None:
            b.grad += self._db * g

    def _seed(self, grad: Any) -> None:
        self.grad += 1.0 if grad is None else number(grad, "backward(grad)")

    def _constants(self) -> tuple[tuple[int, Any], ...]:
        position = self._op[1]
        return () if position is None else ((position, self._db),)

    def _edge_derivatives(self) -> tuple[float, ...]:
        if self._a is None:
            return ()
        return (self._da,) if self._b is None else (self._da, self._db)

    def _edge_rules(self) -> tuple[str, ...]:
        """Per edge, d out / d input as text over {x}, {y} and {out} (see
        ``_DERIVATIVE_TEXTS``); '' where the number alone says it."""
        if self._a is None:
            return ()
        o = self._op
        if o == ("**", 1):  # x ** n: n·x^(n-1), the power as a number ({x:^2.0}: x²)
            n = self._db
            return ("" if n == 0.0 or n == 1.0 else f"{{y}}·{{x:^{n - 1.0!r}}}",)
        texts = _DERIVATIVE_TEXTS.get(o)
        if texts is None:
            return ("",) if self._b is None else ("", "")
        return texts

    def _backprop(self, grad: Any, retain_graph: bool) -> None:
        """``graph.generic_backward`` walked over ``_a`` and ``_b`` directly: the same
        order and the same additions, so the same gradients bit for bit.

        The depth-first search keeps its state in ``grad``, with two marks
        private to this call: ``entered`` (parents being visited) and ``done``
        (emitted into the order). So it needs no set of seen nodes, no end
        markers on its stack, and no separate pass to reset intermediate
        gradients; leaves, which only receive, are never pushed. The sweep
        turns ``done`` into the first contribution ``0.0 + c``, just as the
        generic reset to 0.0 followed by ``+= c`` does. Nothing is freed, so
        ``retain_graph`` changes nothing for a Value.
        """
        if anomaly_on():  # every gradient checked: the generic sweep, through _chain
            generic_backward(self, grad, retain_graph)
            return
        seed = 1.0 if grad is None else number(grad, "backward(grad)")
        if self._a is None:  # a leaf root: nothing to walk; it accumulates
            self.grad += seed
            return
        entered = _Mark()
        done = _Mark()
        # Any: while the walk runs, the grad of the nodes it holds is a mark, not a float
        order: list[Any] = []
        stack: list[Any] = [self]
        pop = stack.pop
        push = stack.append
        emit = order.append
        try:
            while stack:
                node = pop()
                mark = node.grad
                if mark is entered:  # back from its parents (a DAG meets no node twice here)
                    node.grad = done
                    emit(node)
                    continue
                if mark is done:  # reached again through another consumer
                    continue
                while True:  # enter node; go straight on into its first parent if it is new
                    node.grad = entered
                    push(node)  # popped again once every parent is done
                    b = node._b
                    if b is not None and b._a is not None and b.grad is not done:
                        push(b)
                    node = node._a  # visited before b, as the generic walk does
                    if node._a is None or node.grad is done:
                        break
            self.grad = 0.0 + seed
            for node in reversed(order):
                g = node.grad
                c = node._da * g
                a = node._a
                ga = a.grad
                a.grad = 0.0 + c if ga is done else ga + c
                b = node._b
                if b is not None:
                    c = node._db * g
                    gb = b.grad
                    b.grad = 0.0 + c if gb is done else gb + c
        except BaseException:
            # An interrupt or an anomaly: leave numbers, never a mark, behind.
            for node in order + stack:
                if node.grad is entered or node.grad is done:
                    node.grad = 0.0
            raise

    def backward(self, grad: float | None = None, retain_graph: bool = False) -> None:
        """Fill ``grad`` of every node this one depends on with d self / d node.

        Intermediate nodes get fresh gradients on every call; leaves accumulate
        (call ``zero_grad`` between steps), as in PyTorch. A Value keeps its
        local derivatives, so ``retain_graph`` is accepted and never needed.
        """
        backward(self, grad, retain_graph)

    # --- arithmetic: forward value and local derivatives side by side --------

    def __add__(self, other: Any) -> Value:
        """out = x + y;  dout/dx = 1, dout/dy = 1."""
        if isinstance(other, Value):
            return _binary(self.data + other.data, self, other, 1.0, 1.0, ("+", None))
        c = other if type(other) is float else operand(other, "+")
        return _unary(self.data + c, self, 1.0, ("+", 1), c)

    def __radd__(self, other: Any) -> Value:
        c = other if type(other) is float else operand(other, "+")
        return _unary(c + self.data, self, 1.0, ("+", 0), c)

    def __sub__(self, other: Any) -> Value:
        """out = x - y;  dout/dx = 1, dout/dy = -1."""
        if isinstance(other, Value):
            return _binary(self.data - other.data, self, other, 1.0, -1.0, ("-", None))
        c = other if type(other) is float else operand(other, "-")
        return _unary(self.data - c, self, 1.0, ("-", 1), c)

    def __rsub__(self, other: Any) -> Value:
        c = other if type(other) is float else operand(other, "-")
        return _unary(c - self.data, self, -1.0, ("-", 0), c)

    def __mul__(self, other: Any) -> Value:
        """out = x * y;  dout/dx = y, dout/dy = x."""
        if isinstance(other, Value):
            return _binary(self.data * other.data, self, other, other.data, self.data, ("*", None))
        c = other if type(other) is float else operand(other, "*")
        return _unary(self.data * c, self, c, ("*", 1), c)

    def __rmul__(self, other: Any) -> Value:
        c = other if type(other) is float else operand(other, "*")
        return _unary(c * self.data, self, c, ("*", 0), c)

    def __truediv__(self, other: Any) -> Value:
        """out = x / y;  dout/dx = 1/y, dout/dy = -x/y²."""
        if isinstance(other, Value):
            y = other.data
            if y == 0.0:
                raise ZeroDivisionError(
                    f"division by a Value that is 0 ({_name(other)}); the quotient and "
                    "its gradient are undefined -- add a small epsilon to the denominator"
                )
            q = self.data / y
            # -q / y, not -x / y²: y² underflows to 0 for |y| < 1e-154
            return _binary(q, self, other, 1.0 / y, -q / y, ("/", None))
        c = other if type(other) is float else operand(other, "/")
        if c == 0.0:
            raise ZeroDivisionError(f"division of {_name(self)} by the number 0")
        return _unary(self.data / c, self, 1.0 / c, ("/", 1), c)

    def __rtruediv__(self, other: Any) -> Value:
        c = other if type(other) is float else operand(other, "/")
        x = self.data
        if x == 0.0:
            raise ZeroDivisionError(
                f"{c} / {_name(self)}: the Value is 0, so the quotient and its gradient "
                "are undefined"
            )
        q = c / x
        return _unary(q, self, -q / x, ("/", 0), c)  # -q / x: x² would underflow

    def __pow__(self, other: Any) -> Value:
        """out = x**y;  dout/dx = y x**(y-1) (0 where y = 0);  with a Value exponent also
        dout/dy = x**y log x (0 where x = 0 and y >= 0). Values and gradients as PyTorch's
        float64: 0**0 = 1 with gradients (0, 0), 0**-1 = inf, (-2)**3 = -8 (d/dy is nan),
        (-2)**0.5 = nan (as Tensor).
        A result too large for a float is an OverflowError, as for exp."""
        x = self.data
        if isinstance(other, Value):
            y = other.data
            out = power_value(x, y)
            dx = 0.0 if y == 0.0 else y * power(x, y - 1.0)
            dy = 0.0 if x == 0.0 and y >= 0.0 else out * log(x)
            return _binary(out, self, other, dx, dy, ("**", None))
        n = other if type(other) is float else operand(other, "**")
        out = power_value(x, n)
        local = 0.0 if n == 0.0 else n * power(x, n - 1.0)
        return _unary(out, self, local, ("**", 1), n)

    def __rpow__(self, other: Any) -> Value:
        """out = c**x;  dout/dx = c**x log c (0 where c = 0 and x >= 0), as PyTorch."""
        c = other if type(other) is float else operand(other, "**")
        x = self.data
        out = power_value(c, x)
        local = 0.0 if c == 0.0 and x >= 0.0 else out * log(c)
        return _unary(out, self, local, ("**", 0), c)

    def __neg__(self) -> Value:
        """out = -x;  dout/dx = -1."""
        return _unary(-self.data, self, -1.0, ("neg", None))

    def __pos__(self) -> Value:
        return self

    def __abs__(self) -> Value:
        """out = |x|;  dout/dx = 1 if x > 0, -1 if x < 0, 0 at x = 0 (PyTorch's sign)."""
        x = self.data
        return _unary(abs(x), self, 1.0 if x > 0.0 else -1.0 if x < 0.0 else 0.0, ("abs", None))

    # --- functions -----------------------------------------------------------

    def exp(self) -> Value:
        """out = eˣ;  dout/dx = eˣ."""
        e = checked_exp(self.data)
        return _unary(e, self, e, ("exp", None))

    def log(self) -> Value:
        """out = log x (natural);  dout/dx = 1/x."""
        x = self.data
        if not x > 0.0:
            raise ValueError(
                f"log({_name(self)}) with {_name(self)} = {x}: log is defined for positive "
                "numbers only. For a cost, clip the probability into (eps, 1 - eps) or "
                "compute the loss from logits"
            )
        return _unary(math.log(x), self, 1.0 / x, ("log", None))

    def tanh(self) -> Value:
        """a = tanh(z);  da/dz = 1 - a²."""
        a = math.tanh(self.data)
        return _unary(a, self, 1.0 - a * a, ("tanh", None))

    def sigmoid(self) -> Value:
        """a = σ(z) = 1 / (1 + e⁻ᶻ);  da/dz = a(1 - a). Stable for any z."""
        z = self.data
        if z >= 0.0:
            a = 1.0 / (1.0 + math.exp(-z))
        else:
            e = math.exp(z)
            a = e / (1.0 + e)
        return _unary(a, self, a * (1.0 - a), ("sigmoid", None))

    def relu(self) -> Value:
        """a = max(0, z);  da/dz = 0 if z <= 0 else 1 (0 at z = 0, as in the course).

        A NaN stays NaN (as numpy's maximum and PyTorch give), and its gradient
        passes, as the course's ``relu_backward`` (``dZ[Z <= 0] = 0``) and
        PyTorch's ``threshold_backward`` leave it: a NaN cost is then seen, not
        turned into a silent 0.
        """
        z = self.data
        if z <= 0.0:
            return _unary(0.0, self, 0.0, ("relu", None))
        return _unary(z, self, 1.0, ("relu", None))

    def leaky_relu(self, slope: float = 0.01) -> Value:
        """a = max(slope·z, z);  da/dz = 1 if z > 0 else slope."""
        slope = number(slope, "leaky_relu(slope)")
        z = self.data
        if z > 0.0:
            return _unary(z, self, 1.0, ("leaky_relu", 1), slope)
        return _unary(slope * z, self, slope, ("leaky_relu", 1), slope)

    def _max_with(self, c: float, position: int) -> Value:
        """out = max(c, z) with a number c;  dout/dz = 0 if z <= c else 1 (0 at the tie,
        the course's relu'(0) = 0); a NaN on either side gives NaN, as numpy does."""
        z = self.data
        if z <= c or c != c:
            return _unary(c, self, 0.0, ("max", position), c)
        return _unary(z, self, 1.0, ("max", position), c)

    # --- numpy's functions -----------------------------------------------------

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Value:
        """numpy's ufuncs on a Value build the Value operation's node: ``np.exp(z)`` is
        ``z.exp()``, ``np.maximum(0, z)`` is ``z.relu()``, ``1 / (1 + np.exp(-z))`` runs.

        So the course's numpy code runs on a scalar loop unchanged, with one rule
        per operation whichever way it was called. Any other ufunc, a ufunc's
        options, and an array or Tensor operand are a TypeError that names what to
        use instead (an array of Values would hide the graph in numpy's objects).
        """
        return numpy_ufunc(Value, ufunc, method, inputs, kwargs)

    # --- conveniences without gradient ---------------------------------------

    def __lt__(self, other: Any) -> bool:
        return self.data < _other_data(other, "<")

    def __le__(self, other: Any) -> bool:
        return self.data <= _other_data(other, "<=")

    def __gt__(self, other: Any) -> bool:
        return self.data > _other_data(other, ">")

    def __ge__(self, other: Any) -> bool:
        return self.data >= _other_data(other, ">=")

    def __float__(self) -> float:
        # Python calls this for float(v) and inside math.log(v), math.exp(v), ...: the
        # number that comes back has no gradient, so v would silently get grad 0.
        label = self.label
        v = label if isinstance(label, str) and label.isidentifier() and len(label) <= 20 else "v"
        named = f"the Value {shown(label)}" if label is not None else "a Value"
        raise TypeError(
            f"float() of {named} leaves the graph: math.log({v}), math.exp({v}) and "
            f"float({v}) give a plain number with no gradient, so backward would never "
            f"reach {v}. Stay in the graph with {v}.log(), {v}.exp(), {v}.tanh() (or "
            f"np.log({v}), np.exp({v})); take the number itself with {v}.data or {v}.item(), "
            "e.g. to print a cost"
        )

    def item(self) -> float:
        """The plain float."""
        return float(self.data)

    def __repr__(self) -> str:
        name = f", label={self.label!r}" if self.label is not None else ""
        return f"Value(data={self.data}, grad={self.grad}{name})"


def _other_data(other: Any, op: str) -> float:
    return other.data if isinstance(other, Value) else operand(other, op)


def _name(v: Value) -> str:
    return shown(v.label) if v.label is not None else "x"


class _SitedValue(Value):
    """A Value made in anomaly mode: it also holds the user's line that created it."""

    __slots__ = ("_site",)

    _site: tuple[str, int, str] | None


class _Mark:
    """A mark one backward walk leaves in ``grad`` of the nodes it has reached."""

    __slots__ = ()


def _checked_chain(node: Value, g: float) -> None:
    """``Value._chain`` in anomaly mode: every gradient handed back is checked."""
    for name, parent, local in (("x", node._a, node._da), ("y", node._b, node._db)):
        if parent is None:
            continue
        c = local * g
        before = parent.grad
        parent.grad = after = before + c
        if not _isfinite(after):
            detail = f"d out/d{name} = {local!r} times the upstream gradient {g!r} is {c!r}"
            if before != 0.0:
                detail += f", added to the {before!r} already there"
            check_backward(node, False, detail)
