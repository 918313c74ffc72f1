"""The course's matplotlib pictures: cost curve, data set, decision boundary.

Each picture is read back from the Axes it returns -- the line's data, the
scattered points, the filled regions -- and held to the History, the data
and model.predict it was drawn from.
"""

import io
import os
import subprocess
import sys
import textwrap

import matplotlib

matplotlib.use("Agg")  # tests only: the library itself never chooses a backend

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.contour import QuadContourSet  # noqa: E402

from micrograd_dls import nn  # noqa: E402
from micrograd_dls.data import noisy_moons, planar_flower  # noqa: E402
from micrograd_dls.nn import History  # noqa: E402
from micrograd_dls.viz import plot_costs, plot_dataset, plot_decision_boundary  # noqa: E402
from micrograd_dls.viz.plots import CLASS_COLORS  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def flower():
    return planar_flower()


@pytest.fixture(scope="module")
def shallow(flower):
    """The planar notebook's network, trained long enough for a curved boundary."""
    X, Y = flower
    model = nn.MLP([2, 4, 1], "tanh", init="small", seed=2)
    model.fit(X, Y, learning_rate=1.2, num_iterations=300)
    return model


def scatters(ax):
    return [c for c in ax.collections if isinstance(c, PathCollection)]


def rendered(ax):
    """Draw the figure to PNG bytes: any matplotlib warning fails the test."""
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png")
    return buffer.getvalue()


def course_grid(X, resolution):
    """The documented grid: `resolution` points per axis over the data's extent
    widened by a tenth on each side."""
    lo, hi = X.min(axis=1), X.max(axis=1)
    margin = 0.1 * (hi - lo)
    return np.meshgrid(*(np.linspace(lo[k] - margin[k], hi[k] + margin[k], resolution)
                         for k in range(2)))


# --- importing ------------------------------------------------------------------


def run_python(code, **env):
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True, text=True, env={**os.environ, **env}, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_importing_viz_loads_no_matplotlib_and_plotting_keeps_the_users_backend():
    out = run_python(
        """
        import sys
        import micrograd_dls.viz
        from micrograd_dls.viz import plot_costs, plot_dataset, plot_decision_boundary
        print('before', 'matplotlib' in sys.modules)
        import numpy as np
        plot_dataset(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0, 1]]))
        import matplotlib
        print('after', 'matplotlib' in sys.modules, matplotlib.get_backend().lower())
        """,
        MPLBACKEND="svg",
    )
    assert out.split("\n")[:2] == ["before False", "after True svg"]


@pytest.mark.parametrize("make", [
    lambda X, Y, m: plot_dataset(X, Y),
    lambda X, Y, m: plot_decision_boundary(m, X, Y),
    lambda X, Y, m: plot_costs(History([0, 1], [0.7, 0.6])),
])
def test_missing_matplotlib_says_how_to_install_it(monkeypatch, flower, shallow, make):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ModuleNotFoundError) as e:
        make(*flower, shallow)
    assert str(e.value) == (
        "plotting needs matplotlib, which is not installed: pip install matplotlib "
        '(in a clone of micrograd_dls: pip install -e ".[plot]")'
    )


def test_a_broken_matplotlib_install_is_not_reported_as_missing():
    out = run_python(
        """
        import sys
        sys.modules['pyparsing'] = None  # a dependency of matplotlib, not matplotlib
        import numpy as np
        from micrograd_dls.viz import plot_dataset
        try:
            plot_dataset(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0, 1]]))
        except ModuleNotFoundError as e:
            print(e.name, 'pip install matplotlib' in str(e))
        """
    )
    assert out.strip() == "pyparsing False"


# --- plot_dataset -----------------------------------------------------------------


def test_plot_dataset_scatters_every_point_coloured_by_its_label(flower):
    X, Y = flower
    ax = plot_dataset(X, Y)
    red, blue = scatters(ax)
    y = Y.ravel()
    np.testing.assert_array_equal(red.get_offsets(), X[:, y == 0].T)
    np.testing.assert_array_equal(blue.get_offsets(), X[:, y == 1].T)
    assert len(red.get_offsets()) + len(blue.get_offsets()) == X.shape[1]
    assert tuple(red.get_facecolor()[0]) == to_rgba(CLASS_COLORS[0])
    assert tuple(blue.get_facecolor()[0]) == to_rgba(CLASS_COLORS[1])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["y = 0", "y = 1"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x₁", "x₂")
    assert rendered(ax)


def test_plot_dataset_draws_into_the_given_axes_and_accepts_integer_labels():
    X, Y = noisy_moons(40, seed=3)
    fig, (left, right) = plt.subplots(1, 2)
    assert plot_dataset(X, Y.astype(int), ax=right) is right
    assert scatters(left) == []
    assert sum(len(c.get_offsets()) for c in scatters(right)) == 40


# --- plot_costs -----------------------------------------------------------------


def test_plot_costs_draws_history_costs_against_its_iterations(flower):
    X, Y = flower
    history = nn.LogisticRegression(2).fit(X, Y, learning_rate=1.2, num_iterations=250,
                                           print_every=50)
    ax = plot_costs(history)
    (line,) = ax.get_lines()
    # The course's list every 50, then the final iteration's cost, which fit prints.
    np.testing.assert_array_equal(line.get_xdata(), [0, 50, 100, 150, 200, 249])
    np.testing.assert_array_equal(line.get_xdata(), history.iterations + [249])
    np.testing.assert_array_equal(line.get_ydata(), history.costs + [history.last_cost])
    assert line.get_marker() == "o"
    assert ax.get_title() == "learning rate α = 1.2"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("iteration", "cost J")
    assert rendered(ax)


def test_plot_costs_with_labels_puts_several_runs_on_one_axes_with_a_legend():
    fig, ax = plt.subplots()
    for alpha in (0.01, 0.1):
        costs = list(np.linspace(0.7, 0.3 - alpha, 80))
        plot_costs(History(list(range(0, 8000, 100)), costs, alpha), ax=ax, label=f"α = {alpha}")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["α = 0.01", "α = 0.1"]
    assert ax.get_title() == ""
    assert all(line.get_marker() in (None, "None") for line in ax.get_lines())


@pytest.mark.parametrize("history, error, message", [
    ([0.7, 0.6], TypeError, r"History.*iterations=list\(range"),
    (History([], []), ValueError, "history is empty"),
    (History([0, 100], [0.7]), ValueError, "2 iterations but 1 costs"),
    (History([0, 1], ["a", "b"]), TypeError, "history.costs must hold numbers"),
])
def test_plot_costs_refuses_what_is_not_a_history(history, error, message):
    with pytest.raises(error, match=message):
        plot_costs(history)


# --- plot_decision_boundary -----------------------------------------------------


def filled_regions(ax):
    (filled,) = [c for c in ax.collections if isinstance(c, QuadContourSet) and c.filled]
    np.testing.assert_array_equal(filled.levels, [-0.5, 0.5, 1.5])
    return filled.get_paths()


@pytest.mark.parametrize("which", ["logistic", "shallow"])
def test_filled_regions_are_model_predict_on_the_grid(flower, shallow, which):
    X, Y = flower
    if which == "logistic":
        model = nn.LogisticRegression(2)
        model.fit(X, Y, learning_rate=1.2, num_iterations=200)
    else:
        model = shallow
    resolution = 61
    ax = plot_decision_boundary(model, X, Y, resolution=resolution)
    xx, yy = course_grid(X, resolution)
    points = np.vstack([xx.ravel(), yy.ravel()])
    Yhat = model.predict(points).ravel()
    assert 0.2 < Yhat.mean() < 0.8  # both classes on the grid, or the test says little
    region0, region1 = filled_regions(ax)
    # Grid points on the frame sit on the regions' outer edge, where inside is ambiguous.
    inner = np.zeros(xx.shape, dtype=bool)
    inner[1:-1, 1:-1] = True
    inner = inner.ravel()
    np.testing.assert_array_equal(region1.contains_points(points.T)[inner], Yhat[inner] == 1)
    np.testing.assert_array_equal(region0.contains_points(points.T)[inner], Yhat[inner] == 0)
    (boundary,) = [c for c in ax.collections if isinstance(c, QuadContourSet) and not c.filled]
    np.testing.assert_array_equal(boundary.levels, [0.5])
    red, blue = scatters(ax)
    assert len(red.get_offsets()) + len(blue.get_offsets()) == X.shape[1]
    assert ax.get_xlim() == (xx.min(), xx.max()) and ax.get_ylim() == (yy.min(), yy.max())
    assert rendered(ax)


def test_a_model_predicting_one_class_everywhere_fills_one_region_without_a_boundary(flower):
    X, Y = flower
    model = nn.LogisticRegression(2)
    model.load_state_dict({"W1": np.zeros((1, 2)), "b1": np.array([[5.0]])})
    ax = plot_decision_boundary(model, X, Y, resolution=20)
    region0, region1 = filled_regions(ax)
    assert len(region0.vertices) == 0 and len(region1.vertices) > 0
    assert [c for c in ax.collections if isinstance(c, QuadContourSet) and not c.filled] == []
    assert rendered(ax)


def test_plot_decision_boundary_draws_into_the_given_axes(flower, shallow):
    X, Y = flower
    fig, (left, right) = plt.subplots(1, 2)
    assert plot_decision_boundary(shallow, X, Y, ax=left, resolution=10) is left
    assert len(right.collections) == 0


@pytest.mark.parametrize("X, message", [
    (np.zeros((3, 10)), r"X has shape \(3, 10\) but must be \(2, m\): 2 features per column"),
    (np.zeros((10, 2)), r"X has shape \(10, 2\) .* -- examples go in columns, so pass X\.T"),
    (np.zeros(10), r"X has shape \(10,\), a rank-1 array; use X\.reshape\(2, -1\)"),
    (np.zeros((2, 0)), r"X has no examples \(m = 0\)"),
    (np.full((2, 10), np.nan), "X contains NaN or infinity"),
])
def test_data_that_is_not_two_dimensional_points_is_refused(shallow, X, message):
    Y = np.zeros((1, X.shape[-1] if X.ndim == 2 and X.shape[0] == 2 else 10))
    with pytest.raises(ValueError, match="^plot_decision_boundary: " + message):
        plot_decision_boundary(shallow, X, Y)
    with pytest.raises(ValueError, match="^plot_dataset: " + message):
        plot_dataset(X, Y)


@pytest.mark.parametrize("Y, message", [
    (np.zeros(8), r"Y has shape \(8,\), a rank-1 array; use Y\.reshape\(1, 8\)"),
    (np.zeros((8, 1)), r"Y has shape \(8, 1\) but must be \(1, 8\).* -- pass Y\.T"),
    (np.zeros((1, 7)), r"Y has shape \(1, 7\) but must be \(1, 8\): one label per example"),
    (np.full((1, 8), 2.0), r"labels 0 and 1, found \[2\.0\]"),
    (np.array([["a"] * 8]), "Y must hold numbers"),
])
def test_labels_that_are_not_a_row_of_zeros_and_ones_are_refused(Y, message):
    X = np.zeros((2, 8))
    with pytest.raises((ValueError, TypeError), match=message):
        plot_dataset(X, Y)


def test_a_model_that_is_not_a_two_input_classifier_is_refused(flower):
    X, Y = flower
    with pytest.raises(TypeError, match="predict"):
        plot_decision_boundary(object(), X, Y)
    with pytest.raises(ValueError, match="n_x = 3 features"):
        plot_decision_boundary(nn.MLP([3, 2, 1], seed=0), X, Y)
    regression = nn.MLP([2, 3, 1], "tanh", "linear", seed=0)
    with pytest.raises(ValueError, match="needs a classifier"):
        plot_decision_boundary(regression, X, Y)

    class OneLabel:
        def predict(self, X):
            return np.zeros((1, 1))

    with pytest.raises(ValueError, match=r"returned shape \(1, 1\); it must return one label"):
        plot_decision_boundary(OneLabel(), X, Y, resolution=5)


@pytest.mark.parametrize("resolution", [1, 0, 2.5, True, "200"])
def test_resolution_must_be_an_int_of_at_least_two(flower, shallow, resolution):
    X, Y = flower
    with pytest.raises(ValueError, match="resolution"):
        plot_decision_boundary(shallow, X, Y, resolution=resolution)


def test_ax_must_be_matplotlib_axes(flower):
    X, Y = flower
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        plot_dataset(X, Y, ax=plt.figure())


def test_a_coordinate_without_spread_gets_a_unit_margin():
    X = np.array([[2.0, 2.0, 2.0, 2.0], [0.0, 1.0, 2.0, 3.0]])
    Y = np.array([[0, 0, 1, 1]])
    model = nn.LogisticRegression(2)
    model.load_state_dict({"W1": np.array([[0.0, 1.0]]), "b1": np.array([[-1.5]])})
    ax = plot_decision_boundary(model, X, Y, resolution=21)
    assert ax.get_xlim() == (1.0, 3.0)
    assert ax.get_ylim() == pytest.approx((-0.3, 3.3))
    assert rendered(ax)
