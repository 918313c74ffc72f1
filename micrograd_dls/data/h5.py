"""The course's image files in HDF5 (``train_catvnoncat.h5``, ``test_catvnoncat.h5``).

Layout: ``{split}_set_x`` of shape ``(m, height, width, channels)`` (uint8
pixels), ``{split}_set_y`` of shape ``(m,)`` (labels 0/1) and ``list_classes``
(the class names as bytes), with ``split`` being ``train`` or ``test``.
h5py is optional (``pip install micrograd_dls[data]``) and imported only here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

__all__ = ["ImageSet", "flatten_images", "load_h5"]


@dataclass
class ImageSet:
    """One split of a course image file: pictures, labels ``(1, m)`` and class names."""

    x_orig: np.ndarray
    y: np.ndarray
    classes: np.ndarray

    @property
    def X(self) -> np.ndarray:
        """The course's preprocessing: X = x_orig flattened to (n_x, m), divided by 255."""
        return flatten_images(self.x_orig)

    @property
    def Y(self) -> np.ndarray:
        """The labels as float64 of shape (1, m)."""
        return self.y.astype(np.float64)


def flatten_images(x_orig: np.ndarray) -> np.ndarray:
    """X = x_orig.reshape(m, -1).T / 255: one picture per column, pixels in [0, 1]."""
    x_orig = np.asarray(x_orig)
    if x_orig.ndim < 2:
        raise ValueError(
            f"flatten_images: pictures of shape {x_orig.shape}; expected (m, height, width, "
            "channels) with the examples on the first axis"
        )
    if x_orig.dtype.kind not in "biuf":
        raise TypeError(
            f"flatten_images: pixels must be numbers, got dtype {x_orig.dtype}; the course's "
            "pictures are uint8 in 0..255"
        )
    return x_orig.reshape(x_orig.shape[0], -1).T / 255.0


def _import_h5py():
    try:
        import h5py
    except ImportError:
        raise ImportError(
            "reading the course's .h5 files needs h5py: pip install h5py "
            "(or pip install 'micrograd_dls[data]')"
        ) from None
    return h5py


def load_h5(path: str | os.PathLike, split: str | None = None) -> ImageSet:
    """Read ``{split}_set_x``, ``{split}_set_y`` and ``list_classes`` from a course .h5 file.

    ``split`` ('train' or 'test') is found from the file's keys when not given.
    The labels come back with shape (1, m), as the course reshapes them.
    """
    h5py = _import_h5py()
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no such data file: {os.fspath(path)!r}")
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise ValueError(f"{os.fspath(path)!r} is not an HDF5 file ({e})") from None
    with f:
        keys = sorted(f.keys())
        if split is None:
            splits = [k[: -len("_set_x")] for k in keys if k.endswith("_set_x")]
            if len(splits) != 1:
                raise ValueError(
                    f"{os.fspath(path)!r}: expected one '<split>_set_x' data set in the course's "
                    f"layout, found keys {keys}; pass split='train' or 'test'"
                )
            split = splits[0]
        wanted = [f"{split}_set_x", f"{split}_set_y", "list_classes"]
        missing = [k for k in wanted if k not in f]
        if missing:
            raise ValueError(
                f"{os.fspath(path)!r} lacks {', '.join(missing)}; the course's layout has "
                f"{', '.join(wanted)}, this file has {keys}"
            )
        x_orig = np.array(f[wanted[0]])
        y = np.array(f[wanted[1]])
        classes = np.array(f["list_classes"])
    if x_orig.ndim < 2 or y.size != x_orig.shape[0]:
        raise ValueError(
            f"{os.fspath(path)!r}: {wanted[0]} has shape {x_orig.shape} and {wanted[1]} shape "
            f"{y.shape}; expected m pictures on the first axis and m labels"
        )
    if x_orig.dtype.kind not in "biuf":
        raise ValueError(
            f"{os.fspath(path)!r}: {wanted[0]} holds {x_orig.dtype}, not pixel numbers"
        )
    if not np.isin(y, (0, 1)).all():
        raise ValueError(f"{os.fspath(path)!r}: {wanted[1]} holds labels other than 0 and 1")
    return ImageSet(x_orig=x_orig, y=y.reshape(1, -1), classes=classes)
