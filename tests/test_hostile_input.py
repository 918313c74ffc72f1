"""Hostile input, at random: every expression and every model file either works or gets the
library's own clear error -- never another exception type, never a huge message.

Bounded (small ``max_examples``, short inputs) so each property takes a few seconds.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from micrograd_dls import Value, nn
from micrograd_dls.cli import main
from micrograd_dls.expression import FUNCTIONS, ExpressionError, build, parse_values
from micrograd_dls.nn import MLP
from micrograd_dls.nn.io import ModelFileError
from micrograd_dls.nn.optim import make_optimizer
from micrograd_dls.nn.scalar import MLP as ScalarMLP

# --- expressions ------------------------------------------------------------------------------

TOKENS = [
    "a", "b", "c", "J", "u", "x1", "_", "__class__", "exp", "log", "tanh", "sigmoid", "relu",
    "open", "eval", "lambda", "import", "yield", "if", "for", "0", "1", "2.5", "1e308", "1e400",
    "10**400", "0x1f", "1_000", "3j", "9" * 30, "+", "-", "*", "/", "**", "//", "%", "@", "<",
    "==", "=", "+=", ":=", "(", ")", "[", "]", "{", "}", ",", ".", ":", ";", "\n", " ", "\t",
    "'s'", '"', "\\", "#", "!", "?", "$", "\x00", "\x1b", "\r", "ａ", "θ", "\u202e",
]

ATOMS = ["a", "b", "c", "0", "1", "2.5", "-1", "1e308", "1e400", "10**400", "x1", "u",
         "__class__", "'s'", "3j", "True", "None", "...", "a.b", "[a]", "exp"]
CALLS = ["exp", "log", "tanh", "sigmoid", "relu", "open", "abs", "a.b", "(lambda: a)"]
OPERATORS = ["+", "-", "*", "/", "**", "//", "%", "@", "<", "and", "if a else"]


def _grow(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(OPERATORS), children).map(" ".join),
        st.tuples(st.sampled_from(CALLS), children).map(lambda t: f"{t[0]}({t[1]})"),
        children.map(lambda x: f"({x})"),
        children.map(lambda x: f"-{x}"),
    )


# Mostly well-formed programs (so the walk, the arithmetic and the checks are reached),
# then token soup and any text at all (so the parser's own errors are too).
formulas = st.recursive(st.sampled_from(ATOMS), _grow, max_leaves=10)
programs = st.lists(
    st.tuples(st.sampled_from(["u", "v", "J", "a", "exp", "_", "u.x"]), formulas),
    min_size=1, max_size=4,
).map(lambda steps: "; ".join(f"{name} = {formula}" for name, formula in steps))
# Formulas the builder accepts most of the time (log of a negative, overflow, unused inputs
# still fail): enough of them reach the drawing, too.
sound_formulas = st.recursive(
    st.sampled_from(["a", "b", "c", "2", "0.5"]),
    lambda children: st.one_of(
        st.tuples(children, st.sampled_from(["+", "-", "*", "/", "**"]), children).map(" ".join),
        st.tuples(st.sampled_from(FUNCTIONS), children).map(lambda t: f"{t[0]}({t[1]})"),
    ),
    max_leaves=6,
).map(lambda formula: f"J = 1*({formula})")
expressions = st.one_of(
    sound_formulas,
    programs,
    formulas,
    st.lists(st.sampled_from(TOKENS), max_size=25).map("".join),
    st.text(max_size=40),
)

# What build may raise for a str source and number values: its own error, nothing else.
# The resulting number must be finite (an overflow is refused, not drawn as inf).


def _builds_or_refuses(source, values):
    try:
        root = build(source, values)
    except ExpressionError as e:
        text = str(e)
        assert "\n" not in text and len(text) < 500, text
        return None
    assert isinstance(root, Value) and np.isfinite(root.data)
    return root


@settings(max_examples=200, deadline=None)
@given(source=expressions, a=st.floats(-3, 3), b=st.floats(0.1, 3))
def test_any_text_builds_a_graph_or_gets_an_expression_error(source, a, b):
    # Only the names the text uses get values: an unused value is an error of its own.
    values = {k: v for k, v in (("a", a), ("b", b), ("c", a * b)) if k in source}
    root = _builds_or_refuses(source, values)
    if root is not None:
        root.backward()  # the built graph differentiates without error


@settings(max_examples=120, deadline=None)
@given(items=st.lists(st.one_of(st.text(max_size=20),
                                st.lists(st.sampled_from(TOKENS), max_size=6).map("".join)),
                      max_size=4))
def test_any_input_values_parse_or_get_an_expression_error(items):
    try:
        values = parse_values(items)
    except ExpressionError as e:
        assert "\n" not in str(e) and len(str(e)) < 300, str(e)
    else:
        assert all(np.isfinite(v) for v in values.values())


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    source=expressions,
    extra=st.lists(st.sampled_from(["a=1", "c=-0.5", "a=x", "=", "a", "b=1e400", "--out",
                                    "-h", "--merge-ops", "-a*b"]), max_size=1),
)
def test_the_graph_command_exits_0_or_2_with_one_clear_line(tmp_path, capsys, source, extra):
    # A value for each input name the text uses (so some expressions draw), and maybe one more.
    values = [f"{k}={v}" for k, v in (("a", 1.5), ("b", -2), ("c", 0.25)) if k in source]
    out = tempfile.mkdtemp(dir=tmp_path)
    try:
        status = main(["graph", source, *values, *extra, "--out", out])
    except SystemExit as e:  # --help prints and exits 0
        status = e.code
    captured = capsys.readouterr()
    assert status in (0, 2), (status, captured.err)
    if status == 2:
        lines = captured.err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("micrograd-dls: error: "), captured.err
        assert len(lines[0]) < 600, lines[0]


def test_the_command_line_quotes_a_huge_argument_briefly(tmp_path, capsys):
    assert main(["train", "--m", "9" * 100_000 + "x"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("micrograd-dls: error: \"argument --m: invalid int value: '999")
    assert err.endswith("9x'\" (100036 characters)\n") and len(err) < 400, err
    assert main(["graph", "J = 3*" + "q" * 100_000, "a=1", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert len(err) < 400 and "(100000 characters)" in err, err


# --- model files ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def model_bytes():
    """A small model's file, stored and deflated, and the model."""
    model = MLP([2, 3, 1], "tanh", seed=0)
    with tempfile.TemporaryDirectory() as d:
        path = model.save(os.path.join(d, "m.npz"))
        with open(path, "rb") as f:
            stored = f.read()
        with np.load(path) as z:
            content = {k: z[k] for k in z.files}
    buf = io.BytesIO()
    np.savez_compressed(buf, **content)
    return {"stored": stored, "deflated": buf.getvalue()}, model


def _loads_or_refuses(data, model):
    with tempfile.NamedTemporaryFile(suffix=".npz", delete=False) as f:
        f.write(data)
    try:
        again = nn.load(f.name)
    except ModelFileError as e:
        assert "\n" not in str(e) and len(str(e)) < 700, str(e)
        return None
    finally:
        os.unlink(f.name)
    # Whatever loads is a valid model: declared layout, finite parameters, predictions.
    assert again.layer_dims == model.layer_dims
    assert all(np.isfinite(p.data).all() for p in again.parameters())
    assert again.predict_proba(np.zeros((2, 3))).shape == (1, 3)
    return again


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=3000))
def test_random_bytes_are_refused_as_a_model_file(model_bytes, data):
    _, model = model_bytes
    assert _loads_or_refuses(data, model) is None


@settings(max_examples=150, deadline=None)
@given(kind=st.sampled_from(["stored", "deflated"]), data=st.data())
def test_a_truncated_model_file_is_refused(model_bytes, kind, data):
    files, model = model_bytes
    whole = files[kind]
    cut = data.draw(st.integers(0, len(whole) - 1))
    assert _loads_or_refuses(whole[:cut], model) is None


@settings(max_examples=200, deadline=None)
@given(kind=st.sampled_from(["stored", "deflated"]), data=st.data())
def test_a_model_file_with_changed_bytes_loads_validly_or_is_refused(model_bytes, kind, data):
    files, model = model_bytes
    changed = bytearray(files[kind])
    for _ in range(data.draw(st.integers(1, 4))):
        changed[data.draw(st.integers(0, len(changed) - 1))] = data.draw(st.integers(0, 255))
    assume(bytes(changed) != files[kind])
    _loads_or_refuses(bytes(changed), model)


@settings(max_examples=150, deadline=None)
@given(entry=st.sampled_from(["W1", "b2", "layer_dims", "kind"]),
       header=st.one_of(st.text(max_size=120),
                        st.fixed_dictionaries({
                            "descr": st.sampled_from(["<f8", ">f4", "<i8", "|O", "<U4", "V8",
                                                      "<c16", "[('a', '<f8')]", "x"]),
                            "fortran_order": st.sampled_from(["False", "True", "1"]),
                            "shape": st.lists(st.integers(-2, 10**13), max_size=3)
                            .map(lambda s: repr(tuple(s))),
                        }).map(lambda d: "{" + ", ".join(f"'{k}': {v}" for k, v in d.items())
                               + "}")),
       body=st.binary(max_size=64))
def test_random_npy_headers_in_a_model_file_are_refused_or_valid(model_bytes, entry, header,
                                                                 body):
    files, model = model_bytes
    text = header.encode("latin1", "replace")
    npy = b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little") + text + body
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(files["stored"])) as z, zipfile.ZipFile(out, "w") as w:
        for name in z.namelist():
            w.writestr(name, npy if name == f"{entry}.npy" else z.read(name))
    _loads_or_refuses(out.getvalue(), model)


# --- messages of the nn package ---------------------------------------------------------------

HUGE = "\x1b[2J" + "x" * 100_000


@pytest.mark.parametrize(
    "make, error, start",
    [
        (lambda: MLP(list(range(-5, 10**5))), ValueError,
         "MLP: layer_dims = [-5, -4, -3, ... 100005 entries]: give [n_x, n[1], ..., n[L]]"),
        (lambda: MLP([2, 1], hidden_activation=HUGE), ValueError, "unknown activation '\\x1b[2J"),
        (lambda: MLP([2, 1], loss=HUGE), ValueError, "unknown loss '\\x1b[2J"),
        (lambda: MLP([2, 1], init=HUGE), ValueError, "unknown initialisation '\\x1b[2J"),
        (lambda: MLP([2, 1], seed=HUGE), TypeError, "seed must be a non-negative int"),
        (lambda: nn.Linear(HUGE, 2), ValueError, "Linear: n_in = '\\x1b[2J"),
        (lambda: nn.activation(HUGE), ValueError, "unknown activation '\\x1b[2J"),
        (lambda: make_optimizer(HUGE, [Value(1.0)], 0.1), ValueError,
         "unknown optimizer '\\x1b[2J"),
        (lambda: make_optimizer("gd", [Value(1.0)], HUGE), TypeError,
         "learning_rate must be a number, got '\\x1b[2J"),
        (lambda: nn.Adam([Value(1.0)], beta1=HUGE), TypeError,
         "beta1 must be a number in [0, 1), got '\\x1b[2J"),
        (lambda: MLP([2, 1]).load_state_dict({f"k{i}": 1 for i in range(10**5)}), ValueError,
         "parameters have keys ['k0', 'k1', 'k2', ... 100000 entries]; this network needs "
         "['W1', 'b1']"),
        (lambda: ScalarMLP(list(range(-5, 10**5))), ValueError,
         "scalar MLP: layer_dims = [-5, -4, -3, ... 100005 entries]"),
    ],
)
def test_huge_or_hostile_arguments_make_short_escaped_messages(make, error, start):
    with pytest.raises(error) as info:
        make()
    text = str(info.value)
    assert text.startswith(start), text
    assert len(text) < 250 and "\x1b" not in text, text
