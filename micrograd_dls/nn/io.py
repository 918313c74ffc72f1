"""Model files: parameters and architecture in one ``.npz``, read without unpickling.

A file holds ``format``, ``kind``, ``layer_dims``, ``hidden_activation``,
``output_activation``, ``loss`` and ``W1, b1, ..., WL, bL``, each a ``.npy``
entry of a zip archive (what ``np.savez`` writes).

A file from a user is hostile until checked, so reading never calls
``np.load``. It looks at the archive's directory and at each entry's ``.npy``
header before it reads any numbers, refuses every name, dtype and shape the
model does not declare, and then reads exactly the bytes the headers declare.
Memory stays within ``max_bytes`` of parameters (:data:`MAX_BYTES` unless the
caller raises it) whatever sizes the file claims, and nothing is unpickled.
"""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import zipfile
import zlib
from typing import IO, Any

import numpy as np
from numpy.lib import format as npy

from ..checks import PATH_LIMIT, quote, shown

__all__ = [
    "FORMAT", "MAX_BYTES", "ModelFileError", "not_usable", "read_model_file", "write_model_file"
]

#: Written into every file, so a later layout can tell an old file apart.
FORMAT = "micrograd_dls.nn/1"

#: The most parameter bytes a file may declare unless the reader is given a larger
#: ``max_bytes``: 128 MiB, 16.7 million float64 numbers, about 70 times the course's
#: deep cat model. Loading needs about twice this (the file's numbers and the model).
MAX_BYTES = 128 * 2**20

_HEADER = ("format", "kind", "layer_dims", "hidden_activation", "output_activation", "loss")
_PARAMETER = re.compile(r"[Wb][1-9][0-9]{0,5}")
# A model's archive directory takes about 100 bytes per entry: 1 MiB is 5000 layers.
_MAX_DIRECTORY = 2**20
# An entry of the header holds a short string or a few sizes.
_MAX_HEADER_ENTRY = 2**16
# numpy writes a .npy header of 128 bytes for an array of up to a few dimensions.
_MAX_NPY_HEADER = 1024
# Deflate cannot shrink data more than about 1032 to 1.
_MAX_DEFLATE_RATIO = 1100


class ModelFileError(ValueError):
    """The file is not a usable model file; the message says what is wrong with it."""


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
    np.savez(path, **content)  # type: ignore[arg-type]  # no key is allow_pickle
    return path


def _size(n: int) -> str:
    for unit, scale in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


def read_model_file(
    path: str | os.PathLike, max_bytes: int = MAX_BYTES
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Header (str, str, list[int], ...) and parameter arrays of a model file, all checked:
    known layout, layer sizes, W[l] of shape (n[l], n[l-1]), b[l] of shape (n[l], 1), finite.

    Raises FileNotFoundError for a missing file, PermissionError for one that
    cannot be read, and :class:`ModelFileError` (a ValueError) for everything
    else: a folder, a pipe or device, a file that is not an ``.npz``, an entry
    that is not a number array, and parameters of more than ``max_bytes``.
    """
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise ValueError(f"max_bytes must be a positive int, got {quote(max_bytes)}")
    path = os.fsdecode(os.fspath(path))
    with _open_regular_file(path) as f:
        size = os.fstat(f.fileno()).st_size
        # A stored archive is its numbers plus about 200 bytes per entry.
        if size > max_bytes + 2 * _MAX_DIRECTORY:
            raise not_usable(
                path,
                f"it is {_size(size)}, more than a model of at most max_bytes = "
                f"{_size(max_bytes)} of parameters can be; if you trust the file, pass a "
                "larger max_bytes",
            )
        _check_directory(f, size, path)
        try:
            with zipfile.ZipFile(f) as archive:
                return _read_archive(archive, path, max_bytes)
        except ModelFileError:
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error, OSError,
                struct.error, UnicodeDecodeError, NotImplementedError, RuntimeError) as e:
            why = quote(str(e)) if str(e) else "it ends too early" if isinstance(e, EOFError) \
                else type(e).__name__
            raise not_usable(path, f"it is not a readable .npz archive ({why})") from None


def not_usable(path: str | os.PathLike, why: str) -> ModelFileError:
    """The error for the model file at ``path``, saying ``why`` it cannot be used."""
    path = os.fsdecode(os.fspath(path))
    return ModelFileError(f"{quote(path, PATH_LIMIT)} is not a usable model file: {why}")




_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _open_regular_file(path: str) -> IO[bytes]:
    """``path`` opened for reading, once it is known to be a regular file."""
    # O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise FileNotFoundError(f"no such model file: {quote(path, PATH_LIMIT)}") from None
    except PermissionError:
        raise PermissionError(
            f"cannot read the model file {quote(path, PATH_LIMIT)}: permission denied"
        ) from None
    except IsADirectoryError:
        fd = None
    except OSError as e:
        raise not_usable(path, f"it cannot be opened ({e.strerror or e})") from None
    mode = os.fstat(fd).st_mode if fd is not None else stat.S_IFDIR
    if stat.S_ISREG(mode):
        return os.fdopen(fd, "rb")  # type: ignore[arg-type]  # opened: a regular file
    if fd is not None:
        os.close(fd)
    if stat.S_ISDIR(mode):
        raise ModelFileError(
            f"{quote(path, PATH_LIMIT)} is a folder, not a model file; give the .npz file that "
            "model.save wrote, e.g. " + quote(os.path.join(path, "model.npz"), PATH_LIMIT)
        )
    kind = next((what for test, what in _NOT_REGULAR if test(mode)), "not a regular file")
    raise ModelFileError(
        f"{quote(path, PATH_LIMIT)} is {kind}, not a regular file; a model file is the .npz that "
        "model.save wrote"
    )


def _check_directory(f: IO[bytes], size: int, path: str) -> None:
    """Refuse an archive whose directory is larger than a model's could be.

    zipfile reads the whole directory into memory before anything can be
    checked, so its size is read first from the end record, found where zipfile
    finds it.
    """
    not_zip = not_usable(path, "it is not an .npz archive (save models with model.save)")
    end = b"PK\x05\x06"
    if size < 22:
        raise not_zip
    f.seek(size - 22)
    record = f.read(22)
    at = size - 22
    if not (record.startswith(end) and record.endswith(b"\0\0")):
        back = min(size, 22 + 65535)
        f.seek(size - back)
        tail = f.read(back)
        i = tail.rfind(end)
        if i < 0 or len(tail) - i < 22:
            raise not_zip
        record, at = tail[i:i + 22], size - back + i
    entries, directory = struct.unpack("<HI", record[10:16])
    if at >= 20:
        f.seek(at - 20)
        if f.read(4) == b"PK\x06\x07":
            raise not_usable(path, "it uses ZIP64 records, which no model file needs")
    if directory > _MAX_DIRECTORY or entries > _MAX_DIRECTORY // 46:
        raise not_usable(
            path,
            f"its archive lists {entries} entries in {_size(directory)}; a model file lists "
            "a few dozen",
        )


def _read_archive(
    archive: zipfile.ZipFile, path: str, max_bytes: int
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    # 1. Names, sizes and .npy headers of every entry; no numbers are read yet.
    entries: dict[str, tuple[zipfile.ZipInfo, tuple[int, ...], bool, np.dtype, int]] = {}
    unknown = []
    declared = 0
    for info in archive.infolist():
        name = info.filename
        key = name[:-4] if name.endswith(".npy") else None
        if key is None:
            raise not_usable(
                path,
                f"its entry {quote(name)} is not a numpy array (.npy); a model file holds "
                "only arrays",
            )
        if key not in _HEADER and not _PARAMETER.fullmatch(key):
            unknown.append(key)
            continue
        if key in entries:
            raise not_usable(path, f"it holds {shown(key)} twice")
        declared += info.file_size
        # The parameters, plus room for the header's entries and each entry's .npy header.
        if declared > max_bytes + 6 * _MAX_HEADER_ENTRY + len(entries) * _MAX_NPY_HEADER:
            raise not_usable(
                path,
                f"its entries declare {_size(declared)} or more, more than max_bytes = "
                f"{_size(max_bytes)}; if you trust the file, pass a larger max_bytes",
            )
        _check_compression(info, key, path)
        entries[key] = _npy_header(archive, info, key, path)
    if unknown:
        raise not_usable(path, f"unexpected entries {quote(sorted(unknown))}")
    missing = [k for k in _HEADER if k not in entries]
    if missing:
        raise not_usable(path, f"missing {', '.join(missing)}")

    # 2. The header's values, then the parameters it declares.
    header: dict[str, Any] = {}
    for key in _HEADER:
        header[key] = _header_value(archive, entries.pop(key), key, path)
    if header["format"] != FORMAT:
        raise not_usable(path, f"format {quote(header['format'])}, this version reads {FORMAT!r}")
    dims = header["layer_dims"]
    expected = {}
    for l in range(1, len(dims)):
        expected[f"W{l}"] = (dims[l], dims[l - 1])
        expected[f"b{l}"] = (dims[l], 1)
    unexpected = sorted(set(entries) - set(expected))
    if unexpected:
        raise not_usable(
            path, f"unexpected entries {quote(unexpected)} for layer_dims {quote(dims)}"
        )
    need = 8 * sum(a * b for a, b in expected.values())
    if need > max_bytes:
        raise not_usable(
            path,
            f"layer_dims {quote(dims)} need {_size(need)} of float64 parameters, more than "
            f"max_bytes = {_size(max_bytes)}; if you trust the file, pass a larger max_bytes",
        )
    for key, shape in expected.items():
        if key not in entries:
            raise not_usable(path, f"{key} is missing for layer_dims {quote(dims)}")
        _, got, _, dtype, _ = entries[key]
        if got != shape or dtype.kind != "f":
            raise not_usable(
                path,
                f"{key} has shape {quote(got)} ({dtype}), layer_dims {quote(dims)} need "
                f"{shape} floats",
            )

    # 3. The numbers, exactly as many bytes as each header declares.
    arrays = {}
    for key in expected:
        a = _numbers(archive, entries[key], key, path).astype(np.float64)
        if not np.isfinite(a).all():
            raise not_usable(path, f"{key} contains NaN or infinity")
        arrays[key] = a
    return header, arrays


def _check_compression(info: zipfile.ZipInfo, key: str, path: str) -> None:
    if info.flag_bits & 0x1:
        raise not_usable(path, f"its entry {shown(key)} is encrypted")
    if info.compress_type == zipfile.ZIP_STORED:
        plausible = info.compress_size == info.file_size
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        plausible = info.file_size <= info.compress_size * _MAX_DEFLATE_RATIO + 1024
    else:
        raise not_usable(
            path,
            f"its entry {shown(key)} uses compression method {info.compress_type}; model "
            "files are stored or deflated",
        )
    if not plausible:
        raise not_usable(
            path,
            f"its entry {shown(key)} claims {_size(info.file_size)} from "
            f"{_size(info.compress_size)} of data, which no compression gives",
        )


def _npy_header(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, key: str, path: str
) -> tuple[zipfile.ZipInfo, tuple[int, ...], bool, np.dtype, int]:
    """(info, shape, fortran_order, dtype, offset of the numbers) from an entry's .npy header."""
    not_array = not_usable(path, f"its entry {shown(key)} is not a numpy array (no .npy header)")
    with archive.open(info) as stream:
        magic = stream.read(8)
        if len(magic) < 8 or not magic.startswith(b"\x93NUMPY"):
            raise not_array
        if magic[6] not in (1, 2):
            raise not_usable(
                path,
                f"its entry {shown(key)} is a .npy file of version {magic[6]}.{magic[7]}, "
                "which model files never use",
            )
        length_format = "<H" if magic[6] == 1 else "<I"
        length_field = stream.read(struct.calcsize(length_format))
        if len(length_field) < struct.calcsize(length_format):
            raise not_array
        (length,) = struct.unpack(length_format, length_field)
        if length > _MAX_NPY_HEADER:
            raise not_usable(
                path, f"its entry {shown(key)} has a .npy header of {length} bytes; numpy "
                "writes 128",
            )
        text = stream.read(length)
        if len(text) < length:
            raise not_array
    header = io.BytesIO(magic + length_field + text)
    try:
        version = npy.read_magic(header)
        read = npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
        shape, fortran, dtype = read(header)
    except Exception as e:  # numpy's parser on hostile text: anything it raises means "cannot"
        raise not_usable(
            path,
            f"its entry {shown(key)} has a .npy header numpy cannot read "
            f"({quote(str(e).splitlines()[0] if str(e) else type(e).__name__)})",
        ) from None
    if dtype.hasobject:
        raise not_usable(
            path,
            f"its entry {shown(key)} holds Python objects, which would need unpickling; a "
            "model file holds only numbers and strings, and is never unpickled",
        )
    if dtype.kind not in "biufU" or dtype.fields is not None or dtype.subdtype is not None:
        raise not_usable(
            path, f"its entry {shown(key)} holds {quote(str(dtype))}, not real numbers or text"
        )
    if not all(type(n) is int and n >= 0 for n in shape) or len(shape) > 2:
        raise not_usable(path, f"its entry {shown(key)} has the shape {quote(shape)}")
    count = 1
    for n in shape:
        count *= n
    offset = len(magic) + len(length_field) + length
    if offset + count * dtype.itemsize != info.file_size:
        raise not_usable(
            path,
            f"its entry {shown(key)} declares {quote(shape)} {dtype} in its header, but "
            f"the archive lists {info.file_size} bytes for it",
        )
    return info, tuple(shape), fortran, dtype, offset


def _numbers(
    archive: zipfile.ZipFile,
    entry: tuple[zipfile.ZipInfo, tuple[int, ...], bool, np.dtype, int],
    key: str,
    path: str,
) -> np.ndarray:
    """The array of an entry whose header has been checked, read byte for byte."""
    info, shape, fortran, dtype, offset = entry
    count = 1
    for n in shape:
        count *= n
    with archive.open(info) as stream:
        stream.read(offset)
        data = stream.read(count * dtype.itemsize)
        if len(data) < count * dtype.itemsize or stream.read(1):  # the last read checks the CRC
            raise not_usable(path, f"its entry {shown(key)} does not hold the bytes it declares")
    return np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran else "C")


def _header_value(
    archive: zipfile.ZipFile,
    entry: tuple[zipfile.ZipInfo, tuple[int, ...], bool, np.dtype, int],
    key: str,
    path: str,
) -> Any:
    """A header entry as a Python value: a string, or layer_dims as a list of ints."""
    info, shape, _, dtype, _ = entry
    if info.file_size > _MAX_HEADER_ENTRY:
        raise not_usable(path, f"{key} takes {_size(info.file_size)}; it should be a few bytes")
    value = _numbers(archive, entry, key, path)
    if key == "layer_dims":
        sizes_ok = dtype.kind in "iu" and len(shape) == 1 and shape[0] >= 2
        if not sizes_ok or (value < 1).any():
            raise not_usable(
                path, f"layer_dims = {quote(value.tolist())} is not a list of >= 2 sizes"
            )
        return [int(n) for n in value]
    if dtype.kind != "U" or shape != ():
        raise not_usable(path, f"{key} should be a string, got {quote(value)}")
    return str(value[()])
