"""The pictures the week-2 and week-4 notebooks learn from.

The course's cat pictures when the learner has them (:func:`load_catvnoncat`);
otherwise a real image set that ships inside scikit-learn: its 1,797 bundled
8 × 8 handwritten digits, framed as the course's binary task -- "is it a 3?"
instead of "is it a cat?". Either way the result is a pair of
:class:`~micrograd_dls.data.h5.ImageSet` s whose ``source`` says which data it is.
"""

from __future__ import annotations

import os

import numpy as np

from ..checks import quote
from .extra import sklearn_datasets
from .h5 import DATA_ENV, ImageSet, load_catvnoncat

__all__ = ["load_course_images", "load_digits_task"]


def load_digits_task(
    digit: int = 3, test_fraction: float = 0.25, seed: int = 0
) -> tuple[ImageSet, ImageSet]:
    """(train, test) with y = 1 if the 8 × 8 picture shows ``digit``, else y = 0.

    scikit-learn's bundled digits have 16 grey levels (0..16); ``x_orig`` scales
    them to the course's 0..255, so ``ImageSet.X`` (x_orig / 255) is
    ``pixels / 16`` in [0, 1], n_x = 64. The pictures are shuffled with ``seed``
    and the last ``test_fraction`` of them held out as the test set. About one
    picture in ten shows the digit, so always answering "no" scores about 90%.
    """
    if isinstance(digit, bool) or not isinstance(digit, (int, np.integer)) \
            or not 0 <= digit <= 9:
        raise ValueError(f"load_digits_task: digit = {quote(digit)}; give an int from 0 to 9")
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, (int, float)) \
            or not 0.0 < test_fraction < 1.0:
        raise ValueError(
            f"load_digits_task: test_fraction = {quote(test_fraction)}; give a number "
            "between 0 and 1 (0.25 holds out a quarter)"
        )
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise TypeError(f"load_digits_task: seed must be a non-negative int, got {quote(seed)}")
    digits = sklearn_datasets("load_digits_task").load_digits()
    order = np.random.default_rng(int(seed)).permutation(len(digits.target))
    x_orig = digits.images[order] * (255.0 / 16.0)
    y = (digits.target[order] == digit).astype(np.int64)
    m_test = max(1, round(test_fraction * len(y)))
    classes = np.array([f"not {digit}".encode(), str(digit).encode()])
    source = f"scikit-learn's 8x8 digits: is it a {digit}?"
    split = len(y) - m_test
    return (
        ImageSet(x_orig[:split], y[:split].reshape(1, -1), classes, f"{source} (train)"),
        ImageSet(x_orig[split:], y[split:].reshape(1, -1), classes, f"{source} (test)"),
    )


def load_course_images(
    folder: str | os.PathLike | None = None, digit: int = 3
) -> tuple[ImageSet, ImageSet]:
    """(train, test): the course's cat pictures if they are found, else the digits task.

    Only missing files lead to the digits; files that are there but are not the
    course's raise, as :func:`load_catvnoncat` does. ``source`` of each set
    says which data it is, and for the digits why.
    """
    try:
        return load_catvnoncat(folder)
    except FileNotFoundError:
        train, test = load_digits_task(digit)
        why = (
            f" -- the course's train_catvnoncat.h5 and test_catvnoncat.h5 were not found; "
            f"pass their folder or set ${DATA_ENV} to learn on the cats"
        )
        train.source += why
        test.source += why
        return train, test
