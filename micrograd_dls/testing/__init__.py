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

One module per job: :mod:`.gradients` (the check and its report),
:mod:`.hints` (what a disagreement looks like: a missing 1/m, a transposed
product, a kink, a cost that is not finite), :mod:`.exits` (what leaves the
graph while the learner's code runs).
"""

from .gradients import (
    GradientReport,
    ParameterCheck,
    assert_gradients_match,
    check_gradients,
)
from .hints import COURSE_THRESHOLD

__all__ = [
    "COURSE_THRESHOLD",
    "GradientReport",
    "ParameterCheck",
    "assert_gradients_match",
    "check_gradients",
]
