"""Built-in data sets and loaders: the course's planar flower, the extra sets of
its planar notebook (from scikit-learn's generators), and its cat pictures in HDF5,
with scikit-learn's bundled digits standing in for the cats when they are absent.

Only numpy is imported here; h5py and scikit-learn load when they are used.
"""

from collections.abc import Callable

import numpy as np

from .extra import blobs, gaussian_quantiles, noisy_circles, noisy_moons
from .h5 import (
    CATVNONCAT_FILES,
    CATVNONCAT_SHA256,
    DATA_ENV,
    MAX_VALUES,
    ImageSet,
    flatten_images,
    load_catvnoncat,
    load_h5,
)
from .images import load_course_images, load_digits_task
from .planar import planar_flower

#: The two-dimensional data sets by name (``micrograd-dls train --data NAME``): the
#: flower and the extra sets of the course's ``load_extra_datasets``, keyed as the
#: course's ``datasets`` dict keys them.
DATASETS: dict[str, Callable[..., tuple[np.ndarray, np.ndarray]]] = {
    "planar": planar_flower,
    "noisy_circles": noisy_circles,
    "noisy_moons": noisy_moons,
    "blobs": blobs,
    "gaussian_quantiles": gaussian_quantiles,
}

__all__ = [
    "CATVNONCAT_FILES",
    "CATVNONCAT_SHA256",
    "DATASETS",
    "DATA_ENV",
    "MAX_VALUES",
    "ImageSet",
    "blobs",
    "flatten_images",
    "gaussian_quantiles",
    "load_catvnoncat",
    "load_course_images",
    "load_digits_task",
    "load_h5",
    "noisy_circles",
    "noisy_moons",
    "planar_flower",
]
