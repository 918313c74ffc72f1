"""``micrograd-dls demo``: the lecture's graph J = 3(a + bc), drawn and stepped
through, then the course's two models on the planar flower.

This module owns the demo's graph and its comparison of models; it never parses
anything beyond its own ``--out``.
"""

from __future__ import annotations

import argparse
import os

from .. import nn
from ..data import planar_flower
from ..value import Value
from ..viz import draw, draw_backward, draw_forward, format_node_table
from .common import path_text, save_pictures, save_stepper

__all__ = ["HELP", "add_parser", "flower_comparison", "lecture_graph",
           "print_flower_comparison", "run"]

#: The command's line in ``micrograd-dls -h`` and in the list of commands.
HELP = "the lecture's graph, rendered, and the course's models"


def lecture_graph(a: float = 5.0, b: float = 3.0, c: float = 2.0) -> Value:
    """The lecture's J = 3(a + bc): u = b·c, v = a + u, J = 3·v, after backward."""
    a_, b_, c_ = Value(a, label="a"), Value(b, label="b"), Value(c, label="c")
    u = b_ * c_
    u.label = "u"
    v = a_ + u
    v.label = "v"
    J = 3 * v
    J.label = "J"
    J.backward()
    return J


def flower_comparison(iterations: int = 10000) -> list[tuple[str, float]]:
    """Training accuracy on the course's flower: logistic regression, then the
    planar notebook's shallow network (4 tanh units, α = 1.2, seed 2)."""
    X, Y = planar_flower()
    logistic = nn.LogisticRegression(2)
    logistic.fit(X, Y, learning_rate=1.2, num_iterations=1000)
    shallow = nn.MLP([2, 4, 1], "tanh", init="small", seed=2)
    shallow.fit(X, Y, learning_rate=1.2, num_iterations=iterations)
    return [
        ("logistic regression", logistic.accuracy(X, Y)),
        ("shallow network, 4 tanh hidden units", shallow.accuracy(X, Y)),
    ]


def print_flower_comparison() -> None:
    """Print :func:`flower_comparison` as a table of accuracies with what it shows."""
    print()
    print("The course's planar flower (400 points, two classes), training accuracy:")
    rows = flower_comparison()
    width = max(len(name) for name, _ in rows)
    for name, accuracy in rows:
        # 400 points: a multiple of 0.25 %, shown in full (90.75 %, 47.0 %), not rounded
        percent = f"{100 * accuracy:.2f}"
        print(f"  {name.ljust(width)}  {percent[:-1] if percent.endswith('0') else percent:>6} %")
    print("A hidden layer bends the decision boundary; logistic regression can only draw a line.")
    print(
        "(The shallow network's last digit varies between CPUs, 90.5 % or 90.75 %: after "
        "about 7,000\n iterations the rounding of the CPU's matrix-product kernel shows.)"
    )


def run(args: argparse.Namespace) -> int:
    """Draw the lecture's graph into ``args.out``, then train and compare the models;
    1 when Graphviz is missing or fails (the models are trained all the same)."""
    print("The lecture's computation graph: u = b*c, v = a + u, J = 3*v with a=5, b=3, c=2")
    J = lecture_graph()
    print(format_node_table(J))
    print("Its pictures, forward (values), backward (dvar) and both together, in "
          f"{path_text(args.out)}/:")
    status = save_pictures(
        {"forward": draw_forward(J), "backward": draw_backward(J), "lecture": draw(J)}, args.out
    )
    if status == 0:
        status = save_stepper(J, os.path.join(args.out, "lecture.html"))
    print_flower_comparison()  # needs no Graphviz
    return status


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The ``demo`` command and its ``--out``."""
    demo = commands.add_parser(
        "demo", help=HELP,
        description="Render the lecture's J = 3(a + bc) forward, backward and both into --out "
        "(SVG), write lecture.html there, a page that steps through backpropagation, then "
        "train logistic regression and the shallow network on the planar flower.",
    )
    demo.add_argument("--out", default="out", help="folder for the pictures (default: out)")
    demo.set_defaults(run=run)
