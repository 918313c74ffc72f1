"""Model files: parameters and architecture in one ``.npz``, read without unpickling.

A file holds ``kind``, ``layer_dims``, ``hidden_activation``,
``output_activation``, ``loss`` and ``W1, b1, ..., WL, bL``. Loading opens it
with ``allow_pickle=False`` and checks every entry before a model is built.
"""

from __future__ import annotations

import os
import zipfile
from typing import Any

import numpy as np

__all__ = ["FORMAT", "read_model_file", "write_model_file"]

#: Written into every file, so a later layout can tell an old file apart.
FORMAT = "micrograd_dls.nn/1"

_HEADER = ("format", "kind", "layer_dims", "hidden_activation", "output_activation", "loss")


def write_model_file(
    path: str | os.PathLike, header: dict[str, Any], arrays: dict[str, Any]
) -> str:
    """Write header and parameters to ``path`` (``.npz`` added if missing); returns the path."""
    path = os.fspath(path)
    if not path.endswith(".npz"):
        path += ".npz"
    content = {"format": np.array(FORMAT)}
    for key, value in header.items():
        content[key] = np.array(value)
    content.update(arrays)
    np.savez(path, **content)
    return path


def _fail(path: str, why: str) -> ValueError:
    return ValueError(f"{path!r} is not a usable model file: {why}")


def read_model_file(path: str | os.PathLike) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Header (str, str, list[int], ...) and parameter arrays of a model file, all checked:
    known layout, layer sizes, W[l] of shape (n[l], n[l-1]), b[l] of shape (n[l], 1), finite."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no such model file: {path!r}")
    # np.load reads more than .npz: a lone .npy array, or any other bytes as a pickle
    if not zipfile.is_zipfile(path):
        raise _fail(path, "it is not an .npz archive (save models with model.save)")
    try:
        with np.load(path, allow_pickle=False) as f:
            content = {k: f[k] for k in f.files}
    except ValueError as e:  # an object array would need unpickling
        raise _fail(path, f"it holds an entry that needs unpickling ({e})") from None
    except (OSError, zipfile.BadZipFile, EOFError) as e:
        raise _fail(path, f"it is not an .npz archive ({e})") from None
    missing = [k for k in _HEADER if k not in content]
    if missing:
        raise _fail(path, f"missing {', '.join(missing)}")
    header: dict[str, Any] = {}
    for key in _HEADER:
        value = content.pop(key)
        if key == "layer_dims":
            sizes_ok = value.dtype.kind in "iu" and value.ndim == 1 and value.size >= 2
            if not sizes_ok or (value < 1).any():
                raise _fail(path, f"layer_dims = {value.tolist()} is not a list of >= 2 sizes")
            header[key] = [int(n) for n in value]
        else:
            if value.dtype.kind != "U" or value.ndim != 0:
                raise _fail(path, f"{key} should be a string, got {value!r}")
            header[key] = str(value)
    if header["format"] != FORMAT:
        raise _fail(path, f"format {header['format']!r}, this version reads {FORMAT!r}")
    dims = header["layer_dims"]
    expected = {}
    for l in range(1, len(dims)):
        expected[f"W{l}"] = (dims[l], dims[l - 1])
        expected[f"b{l}"] = (dims[l], 1)
    unexpected = sorted(set(content) - set(expected))
    if unexpected:
        raise _fail(path, f"unexpected entries {unexpected} for layer_dims {dims}")
    arrays = {}
    for key, shape in expected.items():
        if key not in content:
            raise _fail(path, f"{key} is missing for layer_dims {dims}")
        a = content[key]
        if a.shape != shape or a.dtype.kind != "f":
            raise _fail(
                path,
                f"{key} has shape {a.shape} ({a.dtype}), layer_dims {dims} need {shape} floats",
            )
        if not np.isfinite(a).all():
            raise _fail(path, f"{key} contains NaN or infinity")
        arrays[key] = a
    return header, arrays
