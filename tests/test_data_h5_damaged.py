"""The h5 loader against files that are small on disk but huge, null or damaged inside:
each is one clear ValueError, before anything large is read, and one line from the CLI."""

import os

import numpy as np
import pytest

from micrograd_dls.cli import main
from micrograd_dls.data import MAX_VALUES, load_h5
from micrograd_dls.data.h5 import BYTES_PER_VALUE

h5py = pytest.importorskip("h5py")

MiB = 1 << 20


def course_layout(f, classes=True):
    x = np.arange(2 * 4 * 4 * 3, dtype=np.uint8).reshape(2, 4, 4, 3)
    f.create_dataset("train_set_x", data=x)
    f.create_dataset("train_set_y", data=np.array([0, 1]))
    if classes:
        f.create_dataset("list_classes", data=np.array([b"non-cat", b"cat"]))


def long_class_names(path, n, length):
    """A file whose list_classes declares n strings of ``length`` bytes, all fill: tiny."""
    with h5py.File(path, "w") as f:
        course_layout(f, classes=False)
        f.create_dataset("list_classes", shape=(n,), dtype=f"S{length}", chunks=(1,),
                         compression="gzip")


# --- bytes, not only values --------------------------------------------------------


def test_four_class_names_of_256_mib_are_refused_by_their_bytes_before_reading(tmp_path):
    path = tmp_path / "bomb.h5"
    long_class_names(path, 4, 256 * MiB)
    assert os.path.getsize(path) < 10_000
    declared = 2 * 48 + 2 * 8 + 4 * 256 * MiB  # pixels (uint8), labels (int64), names
    limit = MAX_VALUES * BYTES_PER_VALUE
    assert declared > limit and 2 * 48 + 2 + 4 < MAX_VALUES  # the count alone let it through
    with pytest.raises(ValueError) as e:
        load_h5(path)
    message = str(e.value)
    assert f"declares {declared:,} bytes (list_classes: 4 values of '|S{256 * MiB}', " \
        f"{256 * MiB:,} bytes each)" in message
    assert f"more than the limit of {limit:,} bytes (max_values = {MAX_VALUES:,}" in message
    assert message.endswith("raise the limit with load_h5(path, max_values=...)")


def test_the_byte_bound_follows_max_values_at_8_bytes_a_value(tmp_path):
    path = tmp_path / "names.h5"
    long_class_names(path, 2, 1000)
    declared = 2 * 48 + 2 * 8 + 2 * 1000
    values = 2 * 48 + 2 + 2
    # 8 bytes a value: the bytes bound is reached just below declared / 8 values
    with pytest.raises(ValueError, match=f"declares {declared:,} bytes.*limit of "
                                         f"{(declared // 8 - 1) * 8:,} bytes"):
        load_h5(path, max_values=declared // 8 - 1)
    assert values < declared // 8 - 1  # refused by bytes, not by the count of values
    loaded = load_h5(path, max_values=-(-declared // 8))
    assert loaded.classes.shape == (2,) and loaded.classes.dtype == np.dtype("S1000")


def test_variable_length_names_count_the_files_size_as_their_bound(tmp_path):
    path = tmp_path / "vlen.h5"
    with h5py.File(path, "w") as f:
        course_layout(f, classes=False)
        f.create_dataset("list_classes", data=["non-cat" * 300, "cat" * 300])
    size = os.path.getsize(path)
    fixed = 2 * 48 + 2 * 8 + 2 * 8  # a variable-length string is an 8-byte reference
    with pytest.raises(ValueError, match=f"declares {fixed + size:,} bytes"):
        load_h5(path, max_values=(fixed + size) // 8 - 1)
    names = load_h5(path, max_values=(fixed + size) // 8 + 1).classes
    assert [bytes(n) for n in names] == [b"non-cat" * 300, b"cat" * 300]


def test_the_courses_own_layout_still_loads(tmp_path):
    path = tmp_path / "train.h5"
    with h5py.File(path, "w") as f:
        course_layout(f)
    images = load_h5(path)
    assert images.x_orig.shape == (2, 4, 4, 3) and images.y.tolist() == [[0, 1]]
    assert images.classes.tolist() == [b"non-cat", b"cat"]


# --- null and damaged ---------------------------------------------------------------


@pytest.mark.parametrize("key", ["list_classes", "train_set_y", "train_set_x"])
def test_a_null_data_set_is_a_damaged_file(tmp_path, key):
    path = tmp_path / "null.h5"
    with h5py.File(path, "w") as f:
        course_layout(f, classes=False)
        if key == "list_classes":
            f.create_dataset(key, data=h5py.Empty("S7"))
        else:
            f.create_dataset("list_classes", data=np.array([b"non-cat", b"cat"]))
            del f[key]
            f.create_dataset(key, data=h5py.Empty("u1"))
    with pytest.raises(ValueError, match=f"the file '.*null.h5' is damaged: {key} is a null "
                                         "data set, with no shape and no values"):
        load_h5(path)


def damaged_gzip(path):
    """The course's layout with the pictures in gzip chunks, one of them overwritten."""
    rng = np.random.default_rng(0)
    with h5py.File(path, "w") as f:
        f.create_dataset("train_set_x", data=rng.integers(0, 256, (2, 16, 16, 3), dtype=np.uint8),
                         chunks=(1, 16, 16, 3), compression="gzip")
        f.create_dataset("train_set_y", data=np.array([0, 1]))
        f.create_dataset("list_classes", data=np.array([b"non-cat", b"cat"]))
        chunk = f["train_set_x"].id.get_chunk_info(0)
    with open(path, "r+b") as out:
        out.seek(chunk.byte_offset + chunk.size // 2)
        out.write(b"\xff" * 16)


def test_a_damaged_gzip_chunk_is_a_damaged_file_naming_the_data_set(tmp_path):
    path = tmp_path / "damaged.h5"
    damaged_gzip(path)
    with h5py.File(path, "r") as f, pytest.raises(OSError):
        f["train_set_x"][()]  # what h5py itself says
    with pytest.raises(ValueError, match=r"the file '.*damaged.h5' is damaged: train_set_x "
                                         r"cannot be read \(.*filter.*\); get a fresh copy"):
        load_h5(path)


def test_a_huge_file_name_is_bounded_in_the_damaged_message(tmp_path):
    folder = tmp_path
    for _ in range(12):  # a path of about 2,500 characters, each folder name 200 long
        folder = folder / ("d" * 200)
        folder.mkdir()
    path = folder / "damaged.h5"
    damaged_gzip(path)
    with pytest.raises(ValueError) as e:
        load_h5(path)
    assert "is damaged: train_set_x cannot be read" in str(e.value)
    assert len(str(e.value)) < 600 < len(str(path))


# --- the command line: one line, exit 2 ---------------------------------------------


@pytest.mark.parametrize("make", ["null", "damaged", "bomb"])
def test_train_on_a_damaged_or_huge_file_prints_one_line_and_exits_2(tmp_path, capsys, make):
    path = tmp_path / f"{make}.h5"
    if make == "null":
        with h5py.File(path, "w") as f:
            course_layout(f, classes=False)
            f.create_dataset("list_classes", data=h5py.Empty("S7"))
    elif make == "damaged":
        damaged_gzip(path)
    else:
        long_class_names(path, 4, 256 * MiB)
    assert main(["train", "--data", str(path), "--iterations", "1", "--no-progress"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1
    if make == "bomb":
        assert "bytes" in err[0] and "--max-values N" in err[0]
    else:
        assert "is damaged" in err[0]
