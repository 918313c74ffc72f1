"""Pictures of computation graphs: the lecture's forward and backward graphs.

``draw_forward(J)`` draws the values left to right, ``draw_backward(J)`` (after
``J.backward()``) the derivatives right to left, ``draw(J)`` both in one
picture, numbered in the course's order of backpropagation; every ``dvar`` is
∂J/∂var of the cost as computed (a mean carries its 1/m), and the legend says
how that meets the course's ``dZ[L] = A[L] - Y``. Each returns a
``graphviz.Digraph`` laid out, when first rendered, to fit a notebook (top to
bottom when left to right is too wide; a poster says so), which Jupyter shows
inline as SVG with a PNG and a line of text beside it; ``save_svg``,
``save_png`` and ``save_pdf`` write files; ``format_node_table`` lists the
same values, gradients and order as text.
``step_through(J)`` makes an interactive page that walks backpropagation one
node at a time (Jupyter shows it inline; ``save_html`` writes the file), and
``training_page`` one that walks a model's training over recorded iterations.
Graphviz is imported only when something is drawn.

Inside, one job a module: :mod:`.scene` reads what a picture shows of a graph
(through :mod:`micrograd_dls.graph`'s read-only API, never a node's fields);
:mod:`.notation` and :mod:`.labels` write the course's notation and the text of
nodes and edges (a Value's local derivatives are its own text, from
``value.py``); :mod:`.style` holds colours and fonts, :mod:`.dot` writes DOT;
:mod:`.zoom_ops` and :mod:`.zoom_layers` lay out one pass at each zoom;
:mod:`.drawing` is the entry that puts them together, and :mod:`.picture` the
graph it returns, which chooses its layout and its displays. :mod:`.steps` computes
the stepper's walk and :mod:`.stepper` writes its page; :mod:`.training` asks a
model for its own cost graph and never imports ``nn``.

The course's matplotlib plots -- ``plot_costs(history)``, ``plot_dataset(X, Y)``,
``plot_decision_boundary(model, X, Y)`` -- import matplotlib only when called.
"""

from .drawing import DEFAULT_MAX_NODES, draw, draw_backward, draw_forward
from .playground import Playground, playground
from .plots import plot_costs, plot_dataset, plot_decision_boundary
from .render import GraphvizNotFoundError, GraphvizTimeoutError, save_pdf, save_png, save_svg
from .stepper import Stepper, save_html, step_through
from .table import format_node_table
from .training import TrainingRecorder, training_page

__all__ = [
    "DEFAULT_MAX_NODES",
    "GraphvizNotFoundError",
    "GraphvizTimeoutError",
    "Playground",
    "Stepper",
    "TrainingRecorder",
    "draw",
    "draw_backward",
    "draw_forward",
    "format_node_table",
    "playground",
    "plot_costs",
    "plot_dataset",
    "plot_decision_boundary",
    "save_html",
    "save_pdf",
    "save_png",
    "save_svg",
    "step_through",
    "training_page",
]
