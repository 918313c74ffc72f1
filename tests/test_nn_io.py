"""Model files are hostile until checked: headers first, bounded memory, one clear error each.

The archives here are written byte by byte (``archive``), so a test can make a
file lie in every way a zip file can: sizes, CRCs, compression, headers.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib

import numpy as np
import pytest

from micrograd_dls import nn
from micrograd_dls.nn import MLP, LogisticRegression
from micrograd_dls.nn.io import ModelFileError, read_model_file

# --- writing zip archives by hand -------------------------------------------------------------


class Entry:
    """One member of a zip archive: the bytes as stored, and what the archive claims."""

    def __init__(self, name, stored, *, method=0, size=None, crc=None, flags=0):
        self.name = name.encode() if isinstance(name, str) else name
        self.stored = stored
        self.method = method
        self.size = len(stored) if size is None else size
        self.crc = zlib.crc32(stored) if crc is None else crc
        self.flags = flags


def archive(entries, *, zip64_locator=False, directory_entries=None):
    """The bytes of a zip archive with ``entries``, local headers and directory alike."""
    out, directory = bytearray(), bytearray()
    for e in entries:
        fields = (20, e.flags, e.method, 0, 0x21, e.crc, len(e.stored), e.size, len(e.name), 0)
        directory += b"PK\x01\x02" + struct.pack("<HHHHHHIIIHHHHHII", 20, *fields, 0, 0, 0, 0,
                                                 len(out)) + e.name
        out += b"PK\x03\x04" + struct.pack("<HHHHHIIIHH", *fields) + e.name + e.stored
    start = len(out)
    out += directory
    if zip64_locator:
        out += b"PK\x06\x07" + struct.pack("<IQI", 0, 0, 1)
    count = len(entries) if directory_entries is None else directory_entries
    out += b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, count, count, len(directory), start, 0)
    return bytes(out)


def npy(array):
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=True)
    return buf.getvalue()


def npy_header(shape, descr="<f8", version=(1, 0)):
    buf = io.BytesIO()
    header = {"descr": descr, "fortran_order": False, "shape": shape}
    if version == (1, 0):
        np.lib.format.write_array_header_1_0(buf, header)
    else:
        np.lib.format.write_array_header_2_0(buf, header)
    return buf.getvalue()


def entries_of(path):
    with zipfile.ZipFile(path) as z:
        return [(n, z.read(n)) for n in z.namelist()]


@pytest.fixture
def saved(tmp_path):
    """A small model, its file, and its entries as stored entries."""
    model = MLP([2, 4, 1], "tanh", seed=0)
    path = model.save(tmp_path / "m.npz")
    return model, path, [Entry(n, data) for n, data in entries_of(path)]


def path_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def write(tmp_path, entries, **options):
    path = tmp_path / "crafted.npz"
    path.write_bytes(archive(entries, **options))
    return path


def replace(entries, name, new):
    """``entries`` with the one called ``name`` replaced (``new`` an Entry) or dropped (None)."""
    out = [e for e in entries if e.name != name.encode()]
    return out + ([new] if new is not None else [])


def refused(path, message, **options):
    """The message of the ModelFileError that loading ``path`` raises, checked to be exact."""
    with pytest.raises(ModelFileError) as info:
        nn.load(path, **options)
    text = str(info.value)
    assert text == f"{str(path)!r} is not a usable model file: {message}", text
    return text


# --- what is accepted -------------------------------------------------------------------------


def test_the_hand_written_archive_of_a_saved_model_loads_to_the_same_model(saved, tmp_path):
    model, _, entries = saved
    again = nn.load(write(tmp_path, entries))
    X = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]])
    np.testing.assert_array_equal(again.predict_proba(X), model.predict_proba(X))


def test_other_float_layouts_are_read_as_the_numbers_they_hold(saved, tmp_path):
    # float32, big-endian and Fortran order: np.save writes all three; the values are the oracle.
    _, _, entries = saved
    W1 = np.arange(8.0).reshape(4, 2) / 8
    for array in (W1.astype(">f8"), W1.astype(np.float32), np.asfortranarray(W1)):
        model = nn.load(write(tmp_path, replace(entries, "W1.npy", Entry("W1.npy", npy(array)))))
        assert model.layers[0].W.data.dtype == np.float64
        np.testing.assert_array_equal(model.layers[0].W.data, W1)


def test_deflated_entries_are_read(saved, tmp_path):
    _, path, _ = saved
    with np.load(path) as f:
        content = {k: f[k] for k in f.files}
    np.savez_compressed(tmp_path / "small.npz", **content)
    again = nn.load(tmp_path / "small.npz")
    np.testing.assert_array_equal(again.layers[1].W.data, content["W2"])


# --- what is not a file -----------------------------------------------------------------------


def test_a_folder_is_named_as_a_folder(tmp_path):
    with pytest.raises(ModelFileError) as info:
        nn.load(tmp_path)
    assert str(info.value) == (
        f"{str(tmp_path)!r} is a folder, not a model file; give the .npz file that model.save "
        f"wrote, e.g. {os.path.join(str(tmp_path), 'model.npz')!r}"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "model.npz"
    os.mkfifo(fifo)
    with pytest.raises(ModelFileError) as info:
        nn.load(fifo)
    assert str(info.value) == (
        f"{str(fifo)!r} is a named pipe (FIFO), not a regular file; a model file is the .npz "
        "that model.save wrote"
    )


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_refused_before_it_is_read():
    with pytest.raises(ModelFileError, match=r"^'/dev/zero' is a character device, not a "):
        nn.load("/dev/zero")


def test_a_missing_file_is_not_found(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        nn.load(tmp_path / "absent.npz")
    assert str(info.value) == f"no such model file: {str(tmp_path / 'absent.npz')!r}"


# --- entries that are not what the model declares ---------------------------------------------


def test_an_entry_that_is_not_npy_is_named(saved, tmp_path):
    _, _, entries = saved
    refused(write(tmp_path, entries + [Entry("notes.txt", b"hello")]),
            "its entry 'notes.txt' is not a numpy array (.npy); a model file holds only arrays")
    refused(write(tmp_path, replace(entries, "W1.npy", Entry("W1.npy", b"hello, world"))),
            "its entry W1 is not a numpy array (no .npy header)")


def test_an_object_array_is_refused_without_unpickling(saved, tmp_path, monkeypatch):
    import pickle

    def no(*args, **kwargs):
        raise AssertionError("a model file must never be unpickled")

    monkeypatch.setattr(pickle, "load", no)
    monkeypatch.setattr(pickle, "loads", no)
    _, _, entries = saved
    objects = Entry("W1.npy", npy(np.array([[object()] * 2] * 4)))
    refused(write(tmp_path, replace(entries, "W1.npy", objects)),
            "its entry W1 holds Python objects, which would need unpickling; a model file "
            "holds only numbers and strings, and is never unpickled")


@pytest.mark.parametrize(
    "array, message",
    [
        (np.zeros((4, 2), dtype=[("a", "<f8")]),
         "its entry W1 holds \"[('a', '<f8')]\", not real numbers or text"),
        (np.zeros((4, 2), dtype=complex), "its entry W1 holds 'complex128', not real numbers "
                                          "or text"),
        (np.zeros((4, 2), dtype="<U3"), "W1 has shape (4, 2) (<U3), layer_dims [2, 4, 1] need "
                                        "(4, 2) floats"),
        (np.zeros((4, 2, 1)), "its entry W1 has the shape (4, 2, 1)"),
        (np.zeros((3, 2)), "W1 has shape (3, 2) (float64), layer_dims [2, 4, 1] need (4, 2) "
                           "floats"),
        (np.full((4, 2), np.inf), "W1 contains NaN or infinity"),
    ],
)
def test_a_parameter_of_the_wrong_kind_is_refused(saved, tmp_path, array, message):
    _, _, entries = saved
    refused(write(tmp_path, replace(entries, "W1.npy", Entry("W1.npy", npy(array)))), message)


def test_an_undeclared_entry_is_refused_before_it_is_opened(saved, tmp_path):
    _, _, entries = saved
    # Its bytes are not even a zip member's: reading it would fail differently.
    junk = Entry("extra.npy", b"\x00" * 64, method=8, size=2**31, crc=0)
    refused(write(tmp_path, entries + [junk]), "unexpected entries ['extra']")
    refused(write(tmp_path, entries + [Entry("W9.npy", npy(np.ones(1)))]),
            "unexpected entries ['W9'] for layer_dims [2, 4, 1]")


def test_an_entry_given_twice_is_refused(saved, tmp_path):
    _, _, entries = saved
    refused(write(tmp_path, entries + [Entry("b1.npy", npy(np.zeros((4, 1))))]),
            "it holds b1 twice")


def test_a_header_claiming_a_trillion_numbers_is_refused_from_the_header(saved, tmp_path):
    # np.load would try to allocate 8 TB here and raise numpy's MemoryError.
    _, _, entries = saved
    huge = Entry("W1.npy", npy_header((10**6, 10**6)) + bytes(64))
    refused(write(tmp_path, replace(entries, "W1.npy", huge)),
            "its entry W1 declares (1000000, 1000000) float64 in its header, but the archive "
            "lists 192 bytes for it")
    dims = Entry("layer_dims.npy", npy(np.array([10**6, 10**6])))
    crafted = replace(replace(replace(entries, "layer_dims.npy", dims), "W2.npy", None),
                      "b2.npy", None)
    refused(write(tmp_path, replace(replace(crafted, "W1.npy", None), "b1.npy", None)),
            "layer_dims [1000000, 1000000] need 7.3 TiB of float64 parameters, more than "
            "max_bytes = 128.0 MiB; if you trust the file, pass a larger max_bytes")


def test_a_bare_npy_file_claiming_a_trillion_numbers_is_not_an_archive(tmp_path):
    path = tmp_path / "W.npy"
    path.write_bytes(npy_header((10**6, 10**6)))
    refused(path, "it is not an .npz archive (save models with model.save)")


def test_max_bytes_bounds_the_parameters_and_can_be_raised(tmp_path):
    path = MLP([3, 5, 1], seed=0).save(tmp_path / "m.npz")  # 26 numbers, 208 bytes
    with pytest.raises(ModelFileError, match=r"layer_dims \[3, 5, 1\] need 208 bytes of "
                                             r"float64 parameters, more than max_bytes = "
                                             r"200 bytes"):
        nn.load(path, max_bytes=200)
    assert nn.load(path, max_bytes=208).layer_dims == [3, 5, 1]
    assert LogisticRegression.load(LogisticRegression(2).save(tmp_path / "lr.npz"),
                                   max_bytes=24).n_x == 2
    with pytest.raises(ValueError, match=r"^max_bytes must be a positive int, got 0$"):
        read_model_file(path, max_bytes=0)


@pytest.mark.parametrize(
    "header, message",
    [
        (npy_header((4, 2), version=(2, 0))[:8] + struct.pack("<I", 2**31),
         "its entry W1 has a .npy header of 2147483648 bytes; numpy writes 128"),
        (b"\x93NUMPY\x03\x00" + bytes(8), "its entry W1 is a .npy file of version 3.0, which "
                                         "model files never use"),
        (b"\x93NUMPY\x01\x00\x10\x00" + b"{'shape': (((((," + bytes(64),
         "its entry W1 has a .npy header numpy cannot read ("),
    ],
)
def test_npy_headers_that_lie_are_refused(saved, tmp_path, header, message):
    _, _, entries = saved
    with pytest.raises(ModelFileError) as info:
        nn.load(write(tmp_path, replace(entries, "W1.npy", Entry("W1.npy", header))))
    assert f"is not a usable model file: {message}" in str(info.value), str(info.value)


# --- archives that lie ------------------------------------------------------------------------


def test_sizes_that_no_compression_gives_are_refused(saved, tmp_path):
    _, _, entries = saved
    W1 = npy(np.zeros((4, 2)))
    stored_lie = Entry("W1.npy", W1, size=len(W1) + 1)
    refused(write(tmp_path, replace(entries, "W1.npy", stored_lie)),
            "its entry W1 claims 193 bytes from 192 bytes of data, which no compression gives")
    deflate_lie = Entry("W1.npy", b"\x03\x00", method=8, size=10**6)
    refused(write(tmp_path, replace(entries, "W1.npy", deflate_lie)),
            "its entry W1 claims 976.6 KiB from 2 bytes of data, which no compression gives")


def test_other_compressions_and_encryption_are_refused(saved, tmp_path):
    _, _, entries = saved
    W1 = npy(np.zeros((4, 2)))
    refused(write(tmp_path, replace(entries, "W1.npy", Entry("W1.npy", W1, method=12))),
            "its entry W1 uses compression method 12; model files are stored or deflated")
    refused(write(tmp_path, replace(entries, "W1.npy", Entry("W1.npy", W1, flags=1))),
            "its entry W1 is encrypted")


def test_a_wrong_crc_or_a_truncated_file_is_refused(saved, tmp_path):
    _, path, entries = saved
    W1 = npy(np.zeros((4, 2)))
    bad = write(tmp_path, replace(entries, "W1.npy", Entry("W1.npy", W1, crc=12345)))
    refused(bad, "it is not a readable .npz archive (\"Bad CRC-32 for file 'W1.npy'\")")
    data = path_bytes(path)
    cut = tmp_path / "cut.npz"
    cut.write_bytes(data[: len(data) // 2])
    refused(cut, "it is not an .npz archive (save models with model.save)")


def test_a_directory_larger_than_any_models_is_refused_before_zipfile_reads_it(tmp_path):
    many = [Entry(f"W{i}.npy", b"") for i in range(1, 30000)]
    refused(write(tmp_path, many),
            "its archive lists 29999 entries in 1.6 MiB; a model file lists a few dozen")
    refused(write(tmp_path, [Entry("W1.npy", b"")], zip64_locator=True),
            "it uses ZIP64 records, which no model file needs")


# --- memory -----------------------------------------------------------------------------------


def _crc32_zeros(log2_n):
    """crc32 of 2**log2_n zero bytes, by zlib's crc32_combine over GF(2) (seconds less than
    feeding 2 GB of zeros through zlib.crc32)."""

    def times(matrix, vector):
        out, i = 0, 0
        while vector:
            if vector & 1:
                out ^= matrix[i]
            vector >>= 1
            i += 1
        return out

    def square(matrix):
        return [times(matrix, row) for row in matrix]

    def combine(crc1, crc2, n2):
        odd = [0xEDB88320] + [1 << k for k in range(31)]
        even = square(odd)
        odd = square(even)
        while n2:
            even = square(odd)
            if n2 & 1:
                crc1 = times(even, crc1)
            n2 >>= 1
            if not n2:
                break
            odd = square(even)
            if n2 & 1:
                crc1 = times(odd, crc1)
            n2 >>= 1
        return crc1 ^ crc2

    crc, n = zlib.crc32(b"\0"), 1
    for _ in range(log2_n):
        crc, n = combine(crc, crc, n), 2 * n
    return crc, combine


def inflating_entry(name, log2_bytes=31):
    """A deflated .npy of 2**log2_bytes zero bytes (2 GiB by default) in about 2 MB: a header
    declaring float64 zeros, then the same compressed 64 KiB block over and over."""
    header = npy_header((2 ** (log2_bytes - 3),))
    block = 2**16
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(header) + c.flush(zlib.Z_FULL_FLUSH)
    first = c.compress(bytes(block)) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(bytes(block)) + c.flush(zlib.Z_FULL_FLUSH)
    assert c.compress(bytes(block)) + c.flush(zlib.Z_FULL_FLUSH) == again  # state was reset
    stored = head + first + again * (2 ** (log2_bytes - 16) - 1) + c.flush()
    zeros_crc, combine = _crc32_zeros(log2_bytes)
    crc = combine(zlib.crc32(header), zeros_crc, 2**log2_bytes)
    return Entry(name, stored, method=8, size=len(header) + 2**log2_bytes, crc=crc)


def test_the_inflating_entry_is_what_it_claims():
    # The builder checked on a small one against zlib itself: 1 MiB of zeros after the header.
    e = inflating_entry("x.npy", log2_bytes=20)
    data = zlib.decompress(e.stored, -15)
    assert len(data) == e.size and zlib.crc32(data) == e.crc
    assert data[len(npy_header((2**17,))):] == bytes(2**20)


MEASURE = """
import json, resource, sys, tracemalloc
from micrograd_dls import nn
nn.load(sys.argv[1])  # imports and first use, before the baseline
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
errors = []
for path in sys.argv[2:]:
    try:
        nn.load(path)
        errors.append(None)
    except ValueError as e:
        errors.append(str(e))
peak = tracemalloc.get_traced_memory()[1]
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base
print(json.dumps({"errors": errors, "traced": peak, "rss_kib": rss}))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="resource is POSIX")
def test_a_2mb_file_that_inflates_to_2gb_is_refused_in_bounded_memory(saved, tmp_path):
    _, path, entries = saved
    header = npy_header((2**28,))
    first_192 = zlib.crc32(header + bytes(192 - len(header)))  # what zipfile checks it against
    bombs = {
        # an entry the model does not declare
        "extra": entries + [inflating_entry("extra.npy")],
        # one it does, claiming 2 GiB of W1
        "W1": replace(entries, "W1.npy", inflating_entry("W1.npy")),
        # W1 again, its directory claiming the 192 bytes W1 should have
        "W1 lying": replace(entries, "W1.npy", Entry("W1.npy", inflating_entry("W1.npy").stored,
                                                     method=8, size=192, crc=first_192)),
    }
    files = []
    for name, crafted in bombs.items():
        files.append(tmp_path / f"{name}.npz")
        files[-1].write_bytes(archive(crafted))
        assert files[-1].stat().st_size < 3 * 2**20
    # In a child process, so its peak memory is its own.
    out = subprocess.run([sys.executable, "-c", MEASURE, str(path), *map(str, files)],
                         capture_output=True, text=True, timeout=300,
                         env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    print(result)  # measured: see the summary with pytest -s
    quoted = [repr(str(f)) for f in files]
    assert result["errors"] == [
        f"{quoted[0]} is not a usable model file: unexpected entries ['extra']",
        f"{quoted[1]} is not a usable model file: its entries declare 2.0 GiB or more, more "
        "than max_bytes = 128.0 MiB; if you trust the file, pass a larger max_bytes",
        f"{quoted[2]} is not a usable model file: its entry W1 declares (268435456,) float64 "
        "in its header, but the archive lists 192 bytes for it",
    ]
    # Bound: a few MB of work over the baseline; reading the entries would take 2 GB.
    assert result["traced"] < 32 * 2**20, result
    assert result["rss_kib"] < 64 * 2**10, result


# --- messages ---------------------------------------------------------------------------------


def test_a_hostile_path_or_entry_name_stays_short_and_escaped(saved, tmp_path):
    _, _, entries = saved
    name = "\x1b[31m" + "x" * 60_000 + ".npy"
    with pytest.raises(ModelFileError) as info:
        nn.load(write(tmp_path, entries + [Entry(name, b"")]))
    text = str(info.value)
    assert len(text) < 300 and "\x1b" not in text, text
    for name, error in (("\n" * 200, FileNotFoundError), ("\n" * 50_000, ModelFileError)):
        with pytest.raises(error) as info:  # the second is too long a name for the system
            nn.load(str(tmp_path / name))
        assert len(str(info.value)) < 400 and "\n" not in str(info.value), str(info.value)
