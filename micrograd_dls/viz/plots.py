"""The course's matplotlib pictures: the cost curve, the data, the decision boundary.

``plot_costs(history)`` draws J against the iteration from :func:`nn.fit`'s
History; ``plot_dataset(X, Y)`` the points of a two-dimensional data set
coloured by label; ``plot_decision_boundary(model, X, Y)`` the same points on
the regions where the model predicts Ŷ = 0 and Ŷ = 1 (the planar-data
notebook's picture). Each draws into ``ax`` (a new figure's axes when None)
and returns it. matplotlib is imported only when something is plotted, and
no backend is chosen here: pyplot's own choice (inline in Jupyter) stands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import numpy as np

from ..checks import check_examples, check_labels, numeric_array, optional_import

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["CLASS_COLORS", "plot_costs", "plot_dataset", "plot_decision_boundary"]

#: Marker colour of the points with y = 0 and y = 1 (red and blue, as the course's
#: Spectral colour map gives them); the regions use lighter shades of the same.
CLASS_COLORS = ("#dc2626", "#2563eb")
_REGION_COLORS = ("#fecaca", "#bfdbfe")
_BOUNDARY = "#334155"
_MARKERS_UP_TO = 50  # a cost curve with at most this many recorded points marks each one


def _pyplot() -> Any:
    return optional_import("matplotlib.pyplot", "plot", "plotting")


def _axes(ax: Axes | None) -> Axes:
    if ax is None:
        return _pyplot().subplots()[1]
    if not hasattr(ax, "scatter") or not hasattr(ax, "contourf"):
        raise TypeError(
            f"ax must be a matplotlib Axes (e.g. from plt.subplots()), got {type(ax).__name__}"
        )
    return ax


def _points(X: Any, Y: Any, where: str) -> tuple[np.ndarray, np.ndarray]:
    """X of shape (2, m), the points (x₁, x₂) in columns, with finite entries, and Y of
    shape (1, m) with labels 0 and 1."""
    X = check_examples(X, 2, where=where)
    Y = check_labels(Y, X.shape[1], where=where, binary=True)
    return X.astype(np.float64, copy=False), Y


def _scatter(ax: Axes, X: np.ndarray, Y: np.ndarray) -> None:
    y = Y.reshape(-1)
    for label, color in enumerate(CLASS_COLORS):
        ax.scatter(X[0, y == label], X[1, y == label], s=16, c=color,
                   edgecolors="white", linewidths=0.4, label=f"y = {label}", zorder=3)
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.legend(loc="upper right", framealpha=0.9)


def plot_dataset(X: Any, Y: Any, ax: Axes | None = None) -> Axes:
    """The points x⁽ⁱ⁾ = (x₁, x₂), the columns of X (2, m), coloured by their label y⁽ⁱ⁾.

    Red for y = 0, blue for y = 1, as in the course's planar-data notebook.
    Returns the matplotlib Axes.
    """
    X, Y = _points(X, Y, "plot_dataset")
    ax = _axes(ax)
    _scatter(ax, X, Y)
    return ax


def _grid(X: np.ndarray, resolution: int) -> tuple[np.ndarray, np.ndarray]:
    axes = []
    for row in X:
        lo, hi = float(row.min()), float(row.max())
        margin = 0.1 * (hi - lo) if hi > lo else 1.0
        axes.append(np.linspace(lo - margin, hi + margin, resolution))
    # X has two rows (the callers check it), so meshgrid gives two grids
    return cast("tuple[np.ndarray, np.ndarray]", np.meshgrid(*axes))


def plot_decision_boundary(
    model: Any, X: Any, Y: Any, ax: Axes | None = None, resolution: int = 300
) -> Axes:
    """Ŷ = model.predict(x) over a grid of the plane: the regions Ŷ = 0 and Ŷ = 1, the
    boundary between them, and the points of X (2, m) coloured by Y (1, m).

    ``model`` is any classifier of two inputs with ``predict`` returning labels
    0 and 1 -- a trained ``LogisticRegression`` or ``MLP``. The grid has
    ``resolution`` × ``resolution`` points and spans the data with a margin of
    a tenth of its extent on each side. Returns the matplotlib Axes.
    """
    where = "plot_decision_boundary"
    X, Y = _points(X, Y, where)
    predict = getattr(model, "predict", None)
    if not callable(predict):
        raise TypeError(
            f"{where}: model must have a predict(X) method returning labels 0 and 1 "
            f"(e.g. a trained nn.MLP); got {type(model).__name__}"
        )
    n_x = getattr(model, "n_x", 2)
    if n_x != 2:
        raise ValueError(
            f"{where}: the model takes n_x = {n_x} features, but the plane has two; "
            "a decision boundary can be drawn for a model of two inputs"
        )
    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)) \
            or resolution < 2:
        raise ValueError(f"{where}: resolution = {resolution!r}; give an int >= 2 "
                         "(grid points along each axis)")
    xx, yy = _grid(X, int(resolution))
    grid = np.vstack([xx.reshape(-1), yy.reshape(-1)])
    Yhat = np.asarray(predict(grid))
    if Yhat.size != grid.shape[1]:
        raise ValueError(
            f"{where}: model.predict on a (2, {grid.shape[1]}) grid returned shape "
            f"{Yhat.shape}; it must return one label per column, shape (1, m)"
        )
    if not np.isin(Yhat, (0, 1)).all():
        raise ValueError(
            f"{where}: model.predict returned values other than 0 and 1; a decision boundary "
            "needs a classifier (a sigmoid output with the cross-entropy cost)"
        )
    Yhat = Yhat.reshape(xx.shape).astype(np.float64)
    ax = _axes(ax)
    from matplotlib.colors import ListedColormap

    # Levels at ±0.5 put the class boundary halfway between neighbouring grid
    # points, so each grid point lies inside the region of its own prediction.
    ax.contourf(xx, yy, Yhat, levels=[-0.5, 0.5, 1.5], cmap=ListedColormap(_REGION_COLORS))
    if 0.0 < Yhat.mean() < 1.0:
        ax.contour(xx, yy, Yhat, levels=[0.5], colors=_BOUNDARY, linewidths=1.0)
    _scatter(ax, X, Y)
    return ax


def plot_costs(history: Any, ax: Axes | None = None, label: str | None = None) -> Axes:
    """J against the iteration, from the History of :func:`micrograd_dls.nn.fit`.

    The course's cost curve: ``history.iterations`` on the x-axis,
    ``history.costs`` on the y-axis, continued to the final iteration's cost
    (``history.curve()``) so it ends where the printed costs end; titled with
    the learning rate α when the history records it. With ``label`` the curve
    joins a legend instead, so several runs (say, several α) can share one
    Axes. Returns the matplotlib Axes.
    """
    iterations = getattr(history, "iterations", None)
    costs = getattr(history, "costs", None)
    if callable(getattr(history, "curve", None)):  # fit's History: ends at the last cost
        iterations, costs = history.curve()
    if iterations is None or costs is None:
        raise TypeError(
            "plot_costs: history must be the History that fit returns (it has .iterations "
            f"and .costs), got {type(history).__name__}; for a bare list of costs recorded "
            "every k iterations build History(iterations=list(range(0, k * len(costs), k)), "
            "costs=costs)"
        )
    x = numeric_array(iterations, "plot_costs: history.iterations").reshape(-1)
    J = numeric_array(costs, "plot_costs: history.costs").reshape(-1)
    if len(x) != len(J):
        raise ValueError(
            f"plot_costs: history has {len(x)} iterations but {len(J)} costs; they must pair up"
        )
    if len(J) == 0:
        raise ValueError("plot_costs: history is empty; train first (history = model.fit(...))")
    ax = _axes(ax)
    marker = "o" if len(J) <= _MARKERS_UP_TO else None
    ax.plot(x, J, marker=marker, markersize=4, linewidth=1.5, label=label)
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost J")
    alpha = getattr(history, "learning_rate", None)
    if label is not None:
        ax.legend()
    elif alpha is not None:
        ax.set_title(f"learning rate α = {alpha:g}")
    ax.grid(True, alpha=0.3)
    return ax
