"""The course's image files in HDF5 (``train_catvnoncat.h5``, ``test_catvnoncat.h5``).

Layout: ``{split}_set_x`` of shape ``(m, height, width, channels)`` (uint8
pixels), ``{split}_set_y`` of shape ``(m,)`` (labels 0/1) and ``list_classes``
(the class names as bytes), with ``split`` being ``train`` or ``test``.
h5py is optional (``pip install micrograd_dls[data]``) and imported only here.

A course file is data, not a program: the loader reads only data sets stored
inside the file itself. It refuses links to other files or other places
(external and soft links), data kept in other files (HDF5 external storage,
virtual data sets), and a file whose declared sizes exceed ``max_values``
(:data:`MAX_VALUES` numbers by default) or as many float64 numbers' bytes,
whatever its dtypes -- all before reading a single pixel, so a small compressed
file that declares gigabytes is refused at once. A file that h5py cannot read
(a null data set, a damaged compressed chunk) is a ValueError that says so.

:func:`load_catvnoncat` finds the course's two files in a folder or in
``$MICROGRAD_DLS_DATA`` and checks that they are the course's: their layout
(shapes, dtypes, labels, class names) always, their sha256 sums when the sums
are registered in :data:`CATVNONCAT_SHA256`. The files belong to the course and
are never shipped or downloaded.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..checks import optional_import, quote, shown

__all__ = [
    "CATVNONCAT_FILES",
    "CATVNONCAT_SHA256",
    "DATA_ENV",
    "MAX_VALUES",
    "ImageSet",
    "flatten_images",
    "load_catvnoncat",
    "load_h5",
]

#: The most numbers (pixels, labels and class names together) that :func:`load_h5`
#: reads from one file unless told otherwise: 30 million, which the preprocessed
#: float64 ``X`` holds in 240 MB. The course's training file has 2.5 million.
#: Raise it with ``load_h5(path, max_values=...)``.
MAX_VALUES = 30_000_000

#: Bytes that ``max_values`` numbers allow: what as many float64 numbers take. A
#: count alone would let four class names of 256 MiB each through.
BYTES_PER_VALUE = 8

#: The environment variable naming the folder that holds the course's files.
DATA_ENV = "MICROGRAD_DLS_DATA"

#: The course's cat files: split -> (file name, number of pictures m).
#: Each picture is 64 x 64 x 3 uint8, each label 0 (non-cat) or 1 (cat).
CATVNONCAT_FILES = {
    "train": ("train_catvnoncat.h5", 209),
    "test": ("test_catvnoncat.h5", 50),
}

#: sha256 sums of the course's files that :func:`load_catvnoncat` holds them to,
#: by file name. A file whose name has no sum here is checked by its layout only
#: (shapes, dtypes, labels, class names); register a sum you have verified with
#: ``CATVNONCAT_SHA256["train_catvnoncat.h5"] = "..."``.
CATVNONCAT_SHA256: dict[str, str] = {}

_WHERE_FROM = (
    "the files come with the course's week-2 and week-4 programming assignments: "
    "in the course's notebook workspace open the 'datasets' folder and download "
    "train_catvnoncat.h5 and test_catvnoncat.h5 (they are not shipped with micrograd_dls "
    "and never downloaded by it)"
)


@dataclass
class ImageSet:
    """One split of a course image file: pictures, labels ``(1, m)`` and class names."""

    x_orig: np.ndarray
    y: np.ndarray
    classes: np.ndarray
    #: Where the pictures come from, for a notebook or a report to say.
    source: str = ""

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
            f"flatten_images: pixels must be numbers, got dtype {shown(str(x_orig.dtype))}; "
            "the course's pictures are uint8 in 0..255"
        )
    return x_orig.reshape(x_orig.shape[0], -1).T / 255.0


#: Characters of a path a message shows: real paths are longer than other input.
PATH_QUOTE_LIMIT = 240


def _path(path: str | os.PathLike) -> str:
    return quote(os.fspath(path), PATH_QUOTE_LIMIT)


def _import_h5py() -> Any:
    return optional_import("h5py", "data", "reading the course's .h5 files")



def _stored_here(f: Any, h5py: Any, key: str, where: str) -> Any:
    """The data set ``key`` if it is stored inside this file, else a ValueError."""
    link = f.get(key, getlink=True)
    if isinstance(link, h5py.ExternalLink):
        raise ValueError(
            f"{where}: {key} is an external link to {quote(link.path)} in "
            f"{_path(link.filename)}; the loader reads only data stored in the file itself"
        )
    if isinstance(link, h5py.SoftLink):
        raise ValueError(
            f"{where}: {key} is a soft link to {quote(link.path)}; the loader reads only "
            "data sets stored under their own name"
        )
    dataset = f[key]
    if not isinstance(dataset, h5py.Dataset):
        raise ValueError(f"{where}: {key} is a group, not a data set")
    external = dataset.external
    if external:
        raise ValueError(
            f"{where}: {key} keeps its data in {_path(external[0][0])} (HDF5 external "
            "storage); the loader reads only data stored in the file itself"
        )
    if dataset.is_virtual:
        raise ValueError(
            f"{where}: {key} is a virtual data set mapped from other files; the loader "
            "reads only data stored in the file itself"
        )
    return dataset


def load_h5(
    path: str | os.PathLike, split: str | None = None, max_values: int = MAX_VALUES
) -> ImageSet:
    """Read ``{split}_set_x``, ``{split}_set_y`` and ``list_classes`` from a course .h5 file.

    ``split`` ('train' or 'test') is found from the file's keys when not given.
    The labels come back with shape (1, m), as the course reshapes them. A file
    declaring more than ``max_values`` numbers in all, or more bytes than as many
    float64 numbers take (8 per value), is refused before it is read (default
    :data:`MAX_VALUES`); so is data kept outside the file. A damaged file is a
    ValueError that says which data set could not be read.
    """
    h5py = _import_h5py()
    if isinstance(max_values, bool) or not isinstance(max_values, (int, np.integer)) \
            or max_values < 1:
        raise ValueError(f"load_h5: max_values must be a positive int, got {quote(max_values)}")
    where = _path(path)
    if not os.path.isfile(path):
        if os.path.isdir(path):
            raise ValueError(f"{where} is a folder, not a data file; give the .h5 file in it")
        if os.path.exists(path):
            raise ValueError(
                f"{where} is not a regular file (a named pipe or a device?); give the .h5 file"
            )
        raise FileNotFoundError(f"no such data file: {where}")
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise ValueError(f"{where} is not an HDF5 file ({quote(str(e))})") from None
    try:
        with f:
            wanted, x_orig, y, classes = _read(f, h5py, where, split, max_values)
    except (OSError, RuntimeError, KeyError) as e:
        # h5py's errors for a file it cannot read: a damaged chunk ("filter returned
        # failure during read"), a broken object header. The loader's own are ValueErrors.
        raise ValueError(
            f"the file {where} is damaged: h5py cannot read it ({quote(str(e), 120)}); "
            "get a fresh copy of the file"
        ) from None
    if x_orig.dtype.kind == "f":
        bad = ~np.isfinite(x_orig)
        if bad.any():
            first = int(np.argmax(bad.reshape(x_orig.shape[0], -1).any(axis=1)))
            raise ValueError(
                f"{where}: {wanted[0]} holds {int(bad.sum())} pixels that are NaN or "
                f"infinite (the first in picture {first}); pixels must be finite numbers"
            )
    if not np.isin(y, (0, 1)).all():
        raise ValueError(f"{where}: {wanted[1]} holds labels other than 0 and 1")
    return ImageSet(x_orig=x_orig, y=y.reshape(1, -1), classes=np.asarray(classes),
                    source=os.fspath(path))


def _read(
    f: Any, h5py: Any, where: str, split: str | None, max_values: int
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """(names, pictures, labels, classes) of the open file ``f``, its layout and sizes
    checked before anything is read."""
    keys = sorted(f.keys())
    if split is None:
        splits = [k[: -len("_set_x")] for k in keys if k.endswith("_set_x")]
        if len(splits) != 1:
            raise ValueError(
                f"{where}: expected one '<split>_set_x' data set in the course's "
                f"layout, found keys {quote(keys)}; pass split='train' or 'test'"
            )
        split = splits[0]
    if not isinstance(split, str) or not split.isidentifier() or len(split) > 40:
        raise ValueError(
            f"{where}: split = {quote(split)}; give the name before '_set_x' in the "
            "file, a short word such as 'train' or 'test'"
        )
    wanted = [f"{split}_set_x", f"{split}_set_y", "list_classes"]
    missing = [k for k in wanted if k not in keys]
    if missing:
        raise ValueError(
            f"{where} lacks {', '.join(missing)}; the course's layout has "
            f"{', '.join(wanted)}, this file has {quote(keys)}"
        )
    sets = [_stored_here(f, h5py, k, where) for k in wanted]
    for key, dataset in zip(wanted, sets):
        if dataset.shape is None:  # HDF5's null dataspace: h5py reads it as h5py.Empty
            raise ValueError(
                f"the file {where} is damaged: {key} is a null data set, with no shape "
                "and no values; the course's files hold arrays there"
            )
    x_set, y_set, classes_set = sets
    if x_set.ndim < 2 or y_set.size != x_set.shape[0]:
        raise ValueError(
            f"{where}: {wanted[0]} has shape {x_set.shape} and {wanted[1]} shape "
            f"{y_set.shape}; expected m pictures on the first axis and m labels"
        )
    if x_set.dtype.kind not in "biuf":
        raise ValueError(
            f"{where}: {wanted[0]} holds {shown(str(x_set.dtype))}, not pixel numbers"
        )
    if y_set.dtype.kind not in "biuf":
        raise ValueError(
            f"{where}: {wanted[1]} holds {shown(str(y_set.dtype))}, not labels 0 and 1"
        )
    m = x_set.shape[0]
    if m == 0:
        raise ValueError(
            f"{where}: {wanted[0]} holds no pictures (shape {x_set.shape}); "
            "a data set needs at least one example"
        )
    if 0 in x_set.shape[1:]:
        raise ValueError(
            f"{where}: the pictures of {wanted[0]} have shape {x_set.shape[1:]}, so no "
            "pixels: n_x = 0 features per example"
        )
    declared = x_set.size + y_set.size + classes_set.size
    if declared > max_values:
        raise ValueError(
            f"{where} declares {declared:,} numbers ({wanted[0]} of shape "
            f"{x_set.shape}, {x_set.dtype}), more than the limit of {max_values:,}; "
            "if you trust the file and have the memory, raise the limit with "
            "load_h5(path, max_values=...)"
        )
    _check_bytes(f, where, dict(zip(wanted, sets)), max_values)
    arrays = []
    for key, dataset in zip(wanted, sets):
        try:
            arrays.append(dataset[()])
        except (OSError, RuntimeError) as e:  # a damaged chunk: "filter returned failure"
            raise ValueError(
                f"the file {where} is damaged: {key} cannot be read ({quote(str(e), 120)}); "
                "get a fresh copy of the file"
            ) from None
    return wanted, *arrays


def _check_bytes(f: Any, where: str, sets: dict[str, Any], max_values: int) -> None:
    """A ValueError when the data sets would take more memory than ``max_values``
    float64 numbers: a count of values alone lets a long string through."""
    limit = max_values * BYTES_PER_VALUE
    sizes = {key: d.size * d.dtype.itemsize for key, d in sets.items()}
    declared = sum(sizes.values())
    if any(d.dtype.hasobject for d in sets.values()):
        # variable-length strings live in the file's heap, never compressed: at most
        # the file's own size more
        declared += os.path.getsize(f.filename)
    if declared <= limit:
        return
    key = max(sizes, key=sizes.get)  # type: ignore[arg-type]  # every key is in sizes
    d = sets[key]
    raise ValueError(
        f"{where} declares {declared:,} bytes ({key}: {d.size:,} values of "
        f"{quote(str(d.dtype), 30)}, {d.dtype.itemsize:,} bytes each), more than the limit of "
        f"{limit:,} bytes (max_values = {max_values:,} numbers of {BYTES_PER_VALUE} bytes); "
        "if you trust the file and have the memory, raise the limit with "
        "load_h5(path, max_values=...)"
    )


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_catvnoncat(folder: str | os.PathLike | None = None) -> tuple[ImageSet, ImageSet]:
    """(train, test): the course's 209 + 50 cat pictures, 64 × 64 × 3, y = 1 for a cat.

    The files ``train_catvnoncat.h5`` and ``test_catvnoncat.h5`` are looked for in
    ``folder``, or in the folder named by ``$MICROGRAD_DLS_DATA`` when no folder
    is given. Each must have the course's layout (``(m, 64, 64, 3)`` uint8
    pictures, m labels 0/1, classes ``[b'non-cat', b'cat']``) and, when its sum
    is registered in :data:`CATVNONCAT_SHA256`, that sha256 sum. A
    FileNotFoundError says where the files come from when they are not there.
    """
    if folder is None:
        folder = os.environ.get(DATA_ENV) or None
        if folder is None:
            raise FileNotFoundError(
                f"the course's cat pictures: no folder given and ${DATA_ENV} is not set; "
                f"{_WHERE_FROM}; put them in one folder and pass it, "
                f"load_catvnoncat(folder), or set {DATA_ENV} to it"
            )
        origin = f" (from ${DATA_ENV})"
    else:
        origin = ""
    folder = os.fspath(folder)
    if not os.path.isdir(folder):
        raise FileNotFoundError(
            f"the course's cat pictures: {_path(folder)}{origin} is not a folder; {_WHERE_FROM}"
        )
    sets = []
    for split, (name, m) in CATVNONCAT_FILES.items():
        path = os.path.join(folder, name)
        if not os.path.isfile(path):
            raise FileNotFoundError(
                f"the course's cat pictures: no {name} in {_path(folder)}{origin}; {_WHERE_FROM}"
            )
        images = load_h5(path, split)
        found = {
            "pictures": (images.x_orig.shape, images.x_orig.dtype.str),
            "labels": (images.y.shape, images.y.dtype.kind in "iu"),
            "classes": [bytes(c) if isinstance(c, bytes) else c for c in images.classes],
        }
        expected = {
            "pictures": ((m, 64, 64, 3), np.dtype(np.uint8).str),
            "labels": ((1, m), True),
            "classes": [b"non-cat", b"cat"],
        }
        for what in expected:
            if found[what] != expected[what]:
                raise ValueError(
                    f"{_path(path)} is not the course's {name}: its {what} are "
                    f"{quote(found[what])}, the course's {quote(expected[what])}"
                )
        checked = "layout checked; no sha256 registered"
        if name in CATVNONCAT_SHA256:
            digest = _sha256(path)
            if digest != CATVNONCAT_SHA256[name]:
                raise ValueError(
                    f"{_path(path)} has the layout of the course's {name} but sha256 "
                    f"{digest}, not the registered {CATVNONCAT_SHA256[name]}"
                )
            checked = "sha256 verified"
        images.source = f"the course's {name} ({path}; {checked})"
        sets.append(images)
    return sets[0], sets[1]
