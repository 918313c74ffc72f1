"""Layers, costs, optimisers, the training loop, input checks and model files."""

import io
import sys
import zipfile

import numpy as np
import pytest

from micrograd_dls import graph
from micrograd_dls.gradcheck import gradcheck
from micrograd_dls.nn import (
    MLP,
    Adam,
    GradientDescent,
    LeakyReLU,
    Linear,
    LogisticRegression,
    Momentum,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
    activation,
    bce_with_logits,
    load,
    mean_squared_error,
)
from micrograd_dls.tensor import Tensor
from micrograd_dls.value import Value


def problem(n_x=2, m=40, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    Y = (X.sum(axis=0, keepdims=True) > 0).astype(float)
    return X, Y


# --- layers -----------------------------------------------------------------------


def test_linear_holds_W_n_out_by_n_in_and_b_a_column():
    layer = Linear(3, 2, seed=0)
    assert layer.W.shape == (2, 3) and layer.b.shape == (2, 1)
    assert layer.W.label == "W[1]" and layer.b.label == "b[1]"
    X = np.random.default_rng(0).standard_normal((3, 5))
    Z = layer(X)
    np.testing.assert_allclose(Z.data, layer.W.data @ X + layer.b.data)
    assert Z.shape == (2, 5) and Z.label == "Z[1]"


def test_linear_gradients_pass_gradcheck():
    layer = Linear(3, 2, init="he", seed=1)
    layer.b.data[...] = [[0.3], [-0.2]]
    X = np.random.default_rng(0).standard_normal((3, 4))
    report = gradcheck(lambda W, b: (layer(X).tanh() * 1.5).sum(), layer.parameters())
    assert report.ok, report


def test_a_module_used_twice_gives_its_parameters_once():
    shared = Linear(2, 2, seed=0)
    net = Sequential(shared, Tanh(), shared)
    assert net.parameters() == [shared.W, shared.b]  # so a step updates each once
    W = shared.W.data.copy()
    J = net(np.ones((2, 3))).sum()
    J.backward()
    GradientDescent(net.parameters(), 0.1).step()
    np.testing.assert_allclose(shared.W.data, W - 0.1 * shared.W.grad)


def test_sequential_numbers_its_layers_in_order():
    net = Sequential(Linear(2, 3), Tanh(), Linear(3, 1), Sigmoid())
    assert [p.label for p in net.parameters()] == ["W[1]", "b[1]", "W[2]", "b[2]"]
    A = net(np.ones((2, 4)))
    assert A.label == "A[2]" and A.shape == (1, 4)
    assert len(net) == 4 and isinstance(net[1], Tanh)


@pytest.mark.parametrize(
    "name, f",
    [("sigmoid", lambda z: 1 / (1 + np.exp(-z))), ("tanh", np.tanh),
     ("relu", lambda z: np.maximum(0, z)), ("leaky_relu", lambda z: np.where(z > 0, z, 0.01 * z)),
     ("linear", lambda z: z)],
)
def test_activations_compute_g(name, f):
    z = np.array([[-2.0, -0.5, 0.0, 0.5, 2.0]])
    np.testing.assert_allclose(activation(name)(Tensor(z)).data, f(z), rtol=1e-15)


def test_leaky_relu_takes_its_slope():
    out = LeakyReLU(0.2)(Tensor(np.array([[-1.0, 1.0]])))
    np.testing.assert_allclose(out.data, [[-0.2, 1.0]])
    assert isinstance(ReLU(), ReLU)


def test_layer_shape_errors_name_the_layer_and_the_fix():
    net = MLP([3, 4, 1], seed=0)
    with pytest.raises(ValueError) as e:
        net.forward(np.ones((5, 3)))
    assert str(e.value) == (
        "layer 1 (W[1] of shape (4, 3)): X has shape (5, 3) but must be (3, m): 3 features "
        "per column, one column per example -- examples go in columns, so pass X.T"
    )
    with pytest.raises(ValueError, match=r"layer 2 \(W\[2\] of shape \(1, 4\)\): A\[1\] has"):
        net.net.modules[2](np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"X has shape \(3,\), a rank-1 array; use X.reshape\(3, "):
        Linear(3, 1)(np.ones(3))
    with pytest.raises(ValueError, match="unknown activation 'softmax'"):
        MLP([2, 1], "softmax")
    with pytest.raises(ValueError, match="layer_dims"):
        MLP([2])
    with pytest.raises(ValueError, match="layer_dims"):
        MLP(3)
    assert MLP(np.array([2, 3, 1]), seed=0).layer_dims == [2, 3, 1]
    with pytest.raises(ValueError, match="layer_dims"):
        MLP([2, 0, 1])
    with pytest.raises(ValueError, match="sigmoid output"):
        MLP([2, 1], output_activation="tanh", loss="bce")


# --- costs ---------------------------------------------------------------------------


def test_bce_from_logits_equals_the_course_formula_and_stays_finite():
    Z = np.array([[-3.0, 0.2, 4.0]])
    Y = np.array([[0.0, 1.0, 1.0]])
    A = 1 / (1 + np.exp(-Z))
    J = bce_with_logits(Tensor(Z), Y)
    assert J.label == "J"
    assert float(J.data) == pytest.approx(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))
    far = bce_with_logits(Tensor(np.array([[-1000.0, 1000.0]])), np.array([[0.0, 1.0]]))
    assert float(far.data) == 0.0


def test_mean_squared_error_and_its_gradient():
    A = Tensor(np.array([[1.0, 2.0, 4.0]]), requires_grad=True)
    Y = np.array([[0.0, 2.0, 1.0]])
    J = mean_squared_error(A, Y)
    assert float(J.data) == pytest.approx((1 + 0 + 9) / 3)
    J.backward()
    np.testing.assert_allclose(A.grad, 2 * (A.data - Y) / 3)
    with pytest.raises(ValueError, match=r"A has shape \(1, 3\) and Y shape \(1, 2\)"):
        mean_squared_error(A, np.zeros((1, 2)))
    with pytest.raises(ValueError, match=r"rank-1 array; use Y.reshape\(1, 3\)"):
        mean_squared_error(A, np.zeros(3))
    with pytest.raises(ValueError, match=r"A has shape \(3,\), a rank-1 array; use A.reshape"):
        mean_squared_error(Tensor(np.zeros(3)), np.zeros(3))
    with pytest.raises(ValueError, match=r"A has shape \(\); it must be \(n\[L\], m\)"):
        mean_squared_error(Tensor(1.0), 2.0)


# --- optimisers ------------------------------------------------------------------------


def one_param(value, grad):
    p = Tensor(np.array(value, dtype=float), requires_grad=True)
    p.grad = np.array(grad, dtype=float)
    return p


def test_gradient_descent_steps_theta_minus_alpha_dtheta():
    p = one_param([[1.0, 2.0]], [[0.5, -1.0]])
    GradientDescent([p], 0.1).step()
    np.testing.assert_allclose(p.data, [[0.95, 2.1]])


def test_momentum_follows_the_exponentially_weighted_average():
    p = one_param([[1.0]], [[2.0]])
    opt = Momentum([p], 0.1, beta=0.9)
    opt.step()  # v = 0.1 * 2 = 0.2
    np.testing.assert_allclose(p.data, [[1.0 - 0.1 * 0.2]])
    opt.step()  # v = 0.9 * 0.2 + 0.1 * 2 = 0.38
    np.testing.assert_allclose(p.data, [[1.0 - 0.02 - 0.1 * 0.38]])


def test_adam_first_step_moves_each_entry_by_about_alpha():
    p = one_param([[1.0, 1.0]], [[3.0, -0.001]])
    opt = Adam([p], 0.01)
    opt.step()  # v̂ = g, ŝ = g², so the step is α g / (|g| + ε)
    expected = 1.0 - 0.01 * np.array([3.0, -0.001]) / (np.abs([3.0, -0.001]) + 1e-8)
    np.testing.assert_allclose(p.data, [expected], rtol=1e-12)


@pytest.mark.parametrize("cls", [GradientDescent, Momentum, Adam])
def test_optimizers_keep_a_value_parameter_a_python_float(cls):
    w = Value(1.0, label="w")
    opt = cls([w], 0.1)
    for _ in range(2):
        opt.zero_grad()
        (w * w).backward()
        opt.step()
    assert type(w.data) is float and w.data < 1.0


def test_optimizers_refuse_what_is_not_a_parameter():
    with pytest.raises(TypeError, match="parameter 1 is a ndarray, not a Tensor or Value"):
        GradientDescent([Tensor(np.ones(2), requires_grad=True), np.ones(2)], 0.1)
    with pytest.raises(TypeError, match="beta must be a number in \\[0, 1\\), got 'x'"):
        Momentum([Value(1.0)], 0.1, beta="x")


@pytest.mark.parametrize("optimizer, lr", [("gd", 0.5), ("momentum", 0.5), ("adam", 0.05)])
def test_each_optimizer_trains(optimizer, lr):
    X, Y = problem()
    model = MLP([2, 3, 1], "tanh", seed=0)
    history = model.fit(X, Y, lr, 200, optimizer=optimizer)
    assert history[-1] < 0.5 * history[0]


def test_an_optimizer_object_brings_its_own_learning_rate():
    X, Y = problem()
    model = MLP([2, 3, 1], "tanh", seed=0)
    history = model.fit(X, Y, num_iterations=50, print_every=10,
                        optimizer=Adam(model.parameters(), 0.02))
    assert history.learning_rate == 0.02 and history[-1] < history[0]
    with pytest.raises(ValueError, match="learning_rate=0.5 and an optimizer with learning "
                                         "rate 0.02; give the learning rate to one of them"):
        model.fit(X, Y, 0.5, optimizer=Adam(model.parameters(), 0.02))
    other = MLP([2, 3, 1], "tanh", seed=1)  # would leave `model` untouched
    with pytest.raises(ValueError, match="does not hold this model's parameters"):
        model.fit(X, Y, optimizer=Adam(other.parameters(), 0.02))


def test_bad_learning_rates_and_optimizers_are_refused():
    model = MLP([2, 1], seed=0)
    X, Y = problem()
    with pytest.raises(ValueError, match="learning_rate must be a positive finite .*got -0.1"):
        model.fit(X, Y, -0.1)
    with pytest.raises(ValueError, match="give the learning rate"):
        model.fit(X, Y)
    with pytest.raises(ValueError, match="unknown optimizer 'sgd'.*adam"):
        model.fit(X, Y, 0.1, optimizer="sgd")
    with pytest.raises(ValueError, match="num_iterations must be a positive int"):
        model.fit(X, Y, 0.1, 0)
    with pytest.raises(ValueError, match="beta must be in"):
        Momentum(model.parameters(), 0.1, beta=1.0)


# --- the training loop ------------------------------------------------------------------


def test_fit_records_every_print_every_before_the_update_and_reports_the_last_too():
    X, Y = problem()
    model = MLP([2, 3, 1], "tanh", seed=0)
    J0 = float(model.cost(X, Y).data)
    seen = []
    history = model.fit(X, Y, 0.1, 250, print_every=100, callbacks=[
        lambda i, cost, m: seen.append((i, cost, m))
    ])
    assert history.iterations == [0, 100, 200]  # as the course's `if i % 100 == 0`
    assert history[0] == J0 and len(history) == 3 and list(history) == history.costs
    assert [i for i, _, _ in seen] == [0, 100, 200, 249]  # printed at the last one as well
    assert [c for _, c, _ in seen[:3]] == history.costs
    assert seen[0][2] is model


def test_fit_prints_the_cost_the_course_way(capsys):
    X, Y = problem()
    MLP([2, 3, 1], "tanh", seed=0).fit(X, Y, 0.1, 101, print_cost=True)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Cost after iteration 0: 0.6")
    assert [line.split(":")[0] for line in lines] == [
        "Cost after iteration 0", "Cost after iteration 100"
    ]


def test_fit_shows_a_progress_bar(monkeypatch):
    pytest.importorskip("tqdm")
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    X, Y = problem()
    MLP([2, 3, 1], "tanh", seed=0).fit(X, Y, 0.1, 300, progress=True)
    assert "300/300" in err.getvalue()


def test_fit_without_tqdm_says_how_to_get_the_progress_bar(monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    X, Y = problem()
    with pytest.raises(ImportError, match="pip install tqdm"):
        MLP([2, 1], seed=0).fit(X, Y, 0.1, 10, progress=True)


def test_fit_stops_with_a_clear_error_when_the_cost_diverges():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 20)) * 100
    Y = rng.standard_normal((1, 20)) * 100
    model = MLP([2, 8, 1], "linear", "linear", seed=0)
    with np.errstate(all="ignore"), pytest.raises(FloatingPointError, match="learning rate 10"):
        model.fit(X, Y, 10.0, 1000, print_every=10)


def test_training_leaves_no_gradient_on_the_data():
    X, Y = problem()
    Xt, Yt = Tensor(X, label="X"), Tensor(Y, label="Y")
    model = MLP([2, 3, 1], seed=0)
    model.fit(Xt, Yt, 0.1, 3)
    assert Xt.grad is None and Yt.grad is None


# --- input checks ------------------------------------------------------------------------


def test_rank_1_labels_get_the_reshape_1_m_hint():
    X, Y = problem(m=40)
    with pytest.raises(ValueError, match=r"Y has shape \(40,\), a rank-1 array.*reshape\(1, 40\)"):
        MLP([2, 1], seed=0).fit(X, Y[0], 0.1)


@pytest.mark.parametrize(
    "X, Y, message",
    [
        (np.ones((40, 2)), np.ones((1, 40)), r"X has shape \(40, 2\).*\(2, m\).*pass X\.T"),
        (np.ones(40), np.ones((1, 40)), r"X has shape \(40,\), a rank-1 array"),
        (np.ones((2, 40)), np.ones((40, 1)), r"Y has shape \(40, 1\).*pass Y\.T"),
        (np.ones((2, 40)), np.ones((1, 39)),
         r"Y has shape \(1, 39\) but must be \(1, 40\): one label per example \(X has m = 40\)"),
        (np.full((2, 3), np.nan), np.ones((1, 3)), "X contains NaN"),
        (np.ones((2, 3)), np.array([[0.0, 1.0, 2.0]]), r"labels 0 and 1.*\[2\.0\]"),
        (np.ones((2, 3)), np.array([[0.0, np.nan, 1.0]]), "Y contains NaN"),
        (np.array([["a", "b"]]), np.ones((1, 2)), "X must hold numbers"),
    ],
)
def test_bad_data_is_named_with_shapes_and_a_fix(X, Y, message):
    with pytest.raises((ValueError, TypeError), match=message):
        MLP([2, 1], seed=0).fit(X, Y, 0.1, 1)


def test_accuracy_is_for_classifiers_only():
    with pytest.raises(ValueError, match="accuracy is for 0/1 labels"):
        MLP([1, 1], output_activation="linear").accuracy(np.ones((1, 2)), np.ones((1, 2)))


# --- model files ------------------------------------------------------------------------------


def test_save_and_load_give_identical_predictions(tmp_path):
    X, Y = problem(n_x=3)
    model = MLP([3, 4, 2, 1], "leaky_relu", seed=0)
    model.fit(X, Y, 0.1, 20)
    path = model.save(tmp_path / "model")
    assert path.endswith("model.npz")
    again = load(path)
    assert type(again) is MLP and again.layer_dims == [3, 4, 2, 1]
    assert again.hidden_activation == "leaky_relu" and again.loss == "bce"
    np.testing.assert_array_equal(again.predict_proba(X), model.predict_proba(X))
    with np.load(path, allow_pickle=False) as f:
        assert "W3" in f.files and f["W3"].shape == (1, 2)


def test_logistic_regression_and_regression_models_round_trip(tmp_path):
    X, Y = problem()
    logistic = LogisticRegression(2)
    logistic.fit(X, Y, 0.5, 20)
    again = LogisticRegression.load(logistic.save(tmp_path / "lr.npz"))
    assert type(again) is LogisticRegression
    np.testing.assert_array_equal(again.w, logistic.w)
    reg = MLP([2, 1], output_activation="linear", seed=0)
    again = MLP.load(reg.save(tmp_path / "reg.npz"))
    assert again.loss == "mse" and again.output_activation == "linear"


def test_a_diverged_model_is_not_saved(tmp_path):
    model = MLP([2, 3, 1], seed=0)
    model.layers[1].W.data[0, 1] = np.nan
    with pytest.raises(ValueError, match="W2 contain NaN or infinity.*not saving"):
        model.save(tmp_path / "nan.npz")
    assert not (tmp_path / "nan.npz").exists()


def tamper(path, **changes):
    with np.load(path, allow_pickle=False) as f:
        content = {k: f[k] for k in f.files}
    for k, v in changes.items():
        if v is None:
            del content[k]
        else:
            content[k] = v
    np.savez(path, **content)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"W1": np.ones((3, 2))}, r"W1 has shape \(3, 2\).*need \(4, 2\)"),
        ({"b2": None}, "b2 is missing"),
        ({"W9": np.ones(1)}, r"unexpected entries \['W9'\]"),
        ({"layer_dims": np.array([2, 4])}, r"unexpected entries \['W2', 'b2'\]"),
        ({"hidden_activation": np.array("softmax")}, "unknown activation 'softmax'"),
        ({"kind": None}, "missing kind"),
        ({"format": np.array("other/9")}, "format 'other/9'"),
        ({"W1": np.full((4, 2), np.nan)}, "W1 contains NaN"),
        ({"W1": np.array([[object()] * 2] * 4)}, "unpickling"),
    ],
)
def test_a_tampered_file_gives_a_clear_error(tmp_path, changes, message):
    path = MLP([2, 4, 1], "tanh", seed=0).save(tmp_path / "m.npz")
    if "W1" in changes and changes["W1"].dtype == object:
        np.savez(path, W1=changes["W1"], allow_pickle=True)
    else:
        tamper(path, **changes)
    with pytest.raises(ValueError, match=message):
        load(path)


def test_files_that_are_not_models_are_refused(tmp_path):
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="not a usable model file"):
        load(junk)
    with pytest.raises(FileNotFoundError, match="no such model file"):
        load(tmp_path / "absent.npz")
    path = MLP([2, 3, 1], seed=0).save(tmp_path / "mlp.npz")
    with pytest.raises(ValueError, match="holds a 'MLP' model, not a LogisticRegression"):
        LogisticRegression.load(path)
    assert zipfile.is_zipfile(path)
    np.save(tmp_path / "array.npy", np.ones(3))  # np.load would hand back the bare array
    text = tmp_path / "text.npz"
    text.write_text("W1 = 1")  # np.load would try to unpickle it
    for other in (tmp_path / "array.npy", text):
        with pytest.raises(ValueError, match="not a usable model file: it is not an .npz archive"):
            load(other)


def test_a_logistic_regression_file_must_describe_logistic_regression(tmp_path):
    path = LogisticRegression(2).save(tmp_path / "lr.npz")
    for key, value in [("output_activation", "linear"), ("hidden_activation", "tanh"),
                       ("loss", "mse")]:
        tamper(path, **{key: np.array(value)})
        with pytest.raises(ValueError, match=f"{key} is '{value}'; logistic regression"):
            load(path)
        tamper(path, **{key: np.array("bce" if key == "loss" else "sigmoid")})
    assert type(load(path)) is LogisticRegression


def test_activation_and_loss_names_must_be_strings():
    with pytest.raises(ValueError, match=r"unknown activation \['relu'\]"):
        MLP([2, 1], hidden_activation=["relu"])
    with pytest.raises(ValueError, match=r"unknown loss \{'bce'\}"):
        MLP([2, 1], loss={"bce"})


def test_state_dict_round_trip_checks_keys_and_shapes():
    model = MLP([2, 3, 1], seed=0)
    state = model.state_dict()
    state["W1"] += 1.0
    model.load_state_dict(state)
    np.testing.assert_array_equal(model.layers[0].W.data, state["W1"])
    with pytest.raises(ValueError, match="needs"):
        model.load_state_dict({"W1": state["W1"]})
    before = model.state_dict()
    for key, value, error, message in [
        ("W2", np.ones((3, 1)), ValueError,
         r"W2 has shape \(3, 1\) but layer 2 needs W\[2\] of shape \(n\[2\], n\[1\]\) = "
         r"\(1, 3\) -- transposed: pass W2.T"),
        ("b2", np.ones(1), ValueError, r"b2 has shape \(1,\), a rank-1 array; use b2.reshape"),
        ("W2", np.full((1, 3), np.nan), ValueError, "W2 contains NaN or infinity"),
        ("b1", np.full((3, 1), "a"), TypeError, "b1 must hold numbers"),
    ]:
        with pytest.raises(error, match=message):
            model.load_state_dict({**before, "W1": before["W1"] + 1.0, key: value})
        for k, v in model.state_dict().items():  # nothing was half loaded
            np.testing.assert_array_equal(v, before[k])


def test_zero_grad_clears_every_parameter():
    X, Y = problem()
    model = MLP([2, 3, 1], seed=0)
    model.cost(X, Y).backward()
    assert all(graph.grad(p) is not None for p in model.parameters())
    model.zero_grad()
    assert all(graph.grad(p) is None for p in model.parameters())


# --- the final cost and Ctrl-C ------------------------------------------------------------


def test_history_keeps_the_courses_list_and_the_final_iterations_cost():
    X, Y = problem()
    model = MLP([2, 3, 1], "tanh", seed=0)
    printed = []
    history = model.fit(X, Y, 0.1, 250, print_every=100, record_every=10,
                        callbacks=[lambda i, c, m: printed.append((i, c))])
    assert history.iterations == list(range(0, 250, 10))  # i % 10 == 0, nothing else
    assert printed[-1][0] == 249 and (history.last_iteration, history.last_cost) == printed[-1]
    assert [i for i, _ in printed] == [0, 100, 200, 249]
    assert history.steps == 250 and not history.interrupted
    iterations, costs = history.curve()
    assert iterations == history.iterations + [249] and costs == history.costs + [printed[-1][1]]
    assert model.history is history


def test_the_final_cost_is_not_doubled_when_the_list_already_ends_there():
    X, Y = problem()
    history = MLP([2, 3, 1], "tanh", seed=0).fit(X, Y, 0.1, 201, print_every=100)
    assert history.iterations == [0, 100, 200] and history.last_iteration == 200
    assert history.curve() == (history.iterations, history.costs)


def test_the_final_cost_is_the_cost_before_the_last_update():
    X, Y = problem()
    model, twin = MLP([2, 3, 1], "tanh", seed=0), MLP([2, 3, 1], "tanh", seed=0)
    history = model.fit(X, Y, 0.1, 7, print_every=100)
    twin.fit(X, Y, 0.1, 6, print_every=100)
    assert history.last_cost == float(twin.cost(X, Y).data)  # same process, same arithmetic


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "100"])
def test_record_every_must_be_a_positive_int(bad):
    X, Y = problem()
    with pytest.raises(ValueError, match="record_every must be a positive int"):
        MLP([2, 1], seed=0).fit(X, Y, 0.1, 3, record_every=bad)


def twin_after(steps, optimizer_name="gd", lr=0.1):
    """The same model trained for exactly ``steps`` updates: the oracle of the interrupted one."""
    X, Y = problem()
    twin = MLP([2, 5, 3, 1], "tanh", seed=0)
    twin.fit(X, Y, lr, steps, optimizer=optimizer_name, print_every=1000)
    return twin.state_dict()


def test_ctrl_c_between_steps_keeps_the_history_on_the_exception_and_the_model():
    X, Y = problem()
    model = MLP([2, 5, 3, 1], "tanh", seed=0)

    def interrupt(i, cost, m):
        if i == 20:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt) as caught:
        model.fit(X, Y, 0.1, 100, print_every=10, callbacks=[interrupt])
    history = caught.value.history
    assert history is model.history and history.interrupted
    assert history.iterations == [0, 10, 20] and history.last_iteration == 20
    assert history.steps == 20  # the cost of iteration 20 came before its update
    for name, value in twin_after(20).items():
        np.testing.assert_array_equal(model.state_dict()[name], value, err_msg=name)


class InterruptedMidUpdate(GradientDescent):
    """Gradient descent that receives a real Ctrl-C (SIGINT, delivered by Python at
    once in the main thread) after updating the first parameter, at one chosen step."""

    def __init__(self, parameters, learning_rate, at_step):
        super().__init__(parameters, learning_rate)
        self.at_step, self.count = at_step, 0

    def step(self):
        import signal

        lr = self.learning_rate
        for k, p in enumerate(self.parameters):
            p.data -= lr * p.grad
            if k == 0 and self.count == self.at_step:
                signal.raise_signal(signal.SIGINT)
        self.count += 1


def test_ctrl_c_inside_the_update_waits_until_every_parameter_has_moved():
    import signal

    X, Y = problem()
    model = MLP([2, 5, 3, 1], "tanh", seed=0)
    optimizer = InterruptedMidUpdate(model.parameters(), 0.1, at_step=7)
    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt) as caught:
        model.fit(X, Y, num_iterations=50, print_every=5, optimizer=optimizer)
    assert signal.getsignal(signal.SIGINT) is before  # fit put the handler back
    history = caught.value.history
    assert history.interrupted and history.steps == 8  # step 7 (the 8th) was finished
    assert history.iterations == [0, 5] and len(history.costs) == 2
    for name, value in twin_after(8).items():  # all from step 8, none from step 7
        np.testing.assert_array_equal(model.state_dict()[name], value, err_msg=name)


def test_without_fit_the_same_interrupt_would_tear_the_update():
    """The oracle above is not vacuous: the raw optimiser stops after W[1] alone."""
    import signal

    X, Y = problem()
    model = MLP([2, 5, 3, 1], "tanh", seed=0)
    optimizer = InterruptedMidUpdate(model.parameters(), 0.1, at_step=0)
    start = model.state_dict()
    model.cost(X, Y).backward()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    with pytest.raises(KeyboardInterrupt):
        optimizer.step()
    now = model.state_dict()
    assert not np.array_equal(now["W1"], start["W1"])
    assert np.array_equal(now["W3"], start["W3"])


@pytest.mark.parametrize("optimizer_name, lr", [("momentum", 0.1), ("adam", 0.01)])
def test_ctrl_c_keeps_optimiser_state_and_parameters_from_one_step(optimizer_name, lr,
                                                                  monkeypatch):
    import signal

    from micrograd_dls.nn import optim

    X, Y = problem()
    model = MLP([2, 5, 3, 1], "tanh", seed=0)
    moves = []
    real_move = optim._move

    def move_then_interrupt(p, delta):  # Ctrl-C after the 13th parameter moved: mid step 2
        real_move(p, delta)
        moves.append(1)
        if len(moves) == 13:
            signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(optim, "_move", move_then_interrupt)
    with pytest.raises(KeyboardInterrupt) as caught:
        model.fit(X, Y, lr, 10, optimizer=optimizer_name, print_every=1)
    monkeypatch.setattr(optim, "_move", real_move)
    assert caught.value.history.steps == 3 and len(moves) == 18  # 6 parameters, 3 whole steps
    for name, value in twin_after(3, optimizer_name, lr).items():
        np.testing.assert_array_equal(model.state_dict()[name], value, err_msg=name)


def test_outside_an_update_ctrl_c_reaches_the_previous_handler_at_once(monkeypatch):
    import signal

    seen = []

    def mine(signum, frame):
        seen.append(signum)
        raise KeyboardInterrupt

    X, Y = problem()
    model = MLP([2, 3, 1], "tanh", seed=0)
    previous = signal.signal(signal.SIGINT, mine)
    try:
        with pytest.raises(KeyboardInterrupt) as caught:
            model.fit(X, Y, 0.1, 100, print_every=10, callbacks=[
                lambda i, c, m: signal.raise_signal(signal.SIGINT) if i == 30 else None
            ])
        assert signal.getsignal(signal.SIGINT) is mine
    finally:
        signal.signal(signal.SIGINT, previous)
    assert seen == [signal.SIGINT] and caught.value.history.steps == 30


def test_fit_runs_in_a_worker_thread_where_no_signal_handler_can_be_set():
    import threading

    X, Y = problem()
    model, twin = MLP([2, 3, 1], "tanh", seed=0), MLP([2, 3, 1], "tanh", seed=0)
    out = {}
    worker = threading.Thread(target=lambda: out.setdefault("history", model.fit(X, Y, 0.1, 20)))
    worker.start()
    worker.join()
    twin.fit(X, Y, 0.1, 20)
    assert out["history"].steps == 20
    np.testing.assert_array_equal(model.state_dict()["W1"], twin.state_dict()["W1"])


def test_an_ignored_ctrl_c_stays_ignored_during_fit():
    import signal

    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        X, Y = problem()
        history = MLP([2, 3, 1], "tanh", seed=0).fit(X, Y, 0.1, 30, print_every=10, callbacks=[
            lambda i, c, m: signal.raise_signal(signal.SIGINT)
        ])
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
    assert history.steps == 30 and not history.interrupted


def test_fit_does_not_copy_the_data_set():
    """X of 8 MB: fit wraps it without a copy (each step's forward and backward finish
    before the caller can change it), so its peak memory stays far below X's size."""
    import tracemalloc

    rng = np.random.default_rng(0)
    X = rng.standard_normal((1000, 1000))
    Y = (rng.random((1, 1000)) > 0.5) * 1.0
    model = LogisticRegression(1000)
    tracemalloc.start()
    try:
        model.fit(X, Y, learning_rate=0.1, num_iterations=3)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < X.nbytes / 4, peak
