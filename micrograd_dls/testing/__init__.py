"""Check a learner's own backprop: hand-derived gradients against autograd of
the learner's own forward function.

The course's assignments write ``forward_propagation`` and
``backward_propagation`` in plain numpy. This package runs the forward function
unchanged on :class:`~micrograd_dls.Tensor` parameters (numpy's own functions
dispatch to the Tensor engine), template lines included
(``cost = float(np.squeeze(cost))``), backpropagates the cost, and compares
each hand-derived gradient with autograd's by the course's relative difference

    difference = ‖grad - grad_autograd‖ / (‖grad‖ + ‖grad_autograd‖)

under the course's threshold ``2e-7``. :func:`assert_gradients_match` raises
an ``AssertionError`` short enough to read in pytest's output;
:func:`check_gradients` returns a :class:`GradientReport` that prints in the
course's own words, for notebooks.

:func:`check_assignment` checks a whole assignment as the course's grader
does: each graded function's values against :mod:`micrograd_dls.reference` at
the notebook's sizes and at others, the grader's own inputs, the inputs it
changes in place, the notebook variables it reads, the shapes its lines
combine, and the learner's backward against autograd of their forward; the
:class:`AssignmentReport` names each mistake's line in the course's notation.
:func:`functions_from_notebook` takes the graded functions out of a notebook
without running anything else of it.

One module per job: :mod:`.gradients` (the check and its report),
:mod:`.hints` (what a disagreement looks like: a missing 1/m, a transposed
product, a kink, a cost that is not finite), :mod:`.exits` (what leaves the
graph while the learner's code runs), :mod:`.names` (the learner's names on
the graph); :mod:`.assignment` (the whole-assignment check) with
:mod:`.course` (how an assignment is described), :mod:`.logistic`,
:mod:`.planar` and :mod:`.deep` (the three assignments), :mod:`.runs` (calling
the learner's code: time limit, inputs watched), :mod:`.source` (reading it:
fixed numbers, globals, lines), :mod:`.lens` (the shape lens) and
:mod:`.report`; :mod:`.notebook` (a notebook's graded functions).
"""

from .assignment import check_assignment, given_helpers, graded_names
from .gradients import (
    GradientReport,
    ParameterCheck,
    assert_gradients_match,
    check_gradients,
)
from .hints import COURSE_THRESHOLD
from .notebook import functions_from_notebook
from .report import AssignmentReport, Finding, FunctionReport

__all__ = [
    "COURSE_THRESHOLD",
    "AssignmentReport",
    "Finding",
    "FunctionReport",
    "GradientReport",
    "ParameterCheck",
    "assert_gradients_match",
    "check_assignment",
    "check_gradients",
    "functions_from_notebook",
    "given_helpers",
    "graded_names",
]
