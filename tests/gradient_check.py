"""The tests' one way to gradcheck a tensor function (imported by the test modules)."""

from __future__ import annotations

import numpy as np

from micrograd_dls import Tensor
from micrograd_dls.gradcheck import gradcheck


def check(f, *arrays, seed=0):
    """gradcheck J = Σ R * f(x) for inputs x built from ``arrays``; returns the report."""
    rng = np.random.default_rng(seed)
    xs = [Tensor(np.array(a, dtype=float), requires_grad=True, label=f"x{i}")
          for i, a in enumerate(arrays)]
    R = rng.standard_normal(f(*xs).shape)
    report = gradcheck(lambda *ts: (f(*ts) * R).sum(), xs)
    assert report, str(report)
    for x in xs:  # every gradient has its input's shape and dtype
        assert x.grad.shape == x.data.shape and x.grad.dtype == x.data.dtype
    return report
