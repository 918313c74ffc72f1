"""The h5 loader against hostile files, and the course's cat files or their stand-in."""

import hashlib
import os

import numpy as np
import pytest

from micrograd_dls import data
from micrograd_dls.data import (
    MAX_VALUES,
    load_catvnoncat,
    load_course_images,
    load_digits_task,
    load_h5,
)

h5py = pytest.importorskip("h5py")


def write(path, x, y, classes=(b"non-cat", b"cat"), split="train"):
    with h5py.File(path, "w") as f:
        f.create_dataset(f"{split}_set_x", data=x)
        f.create_dataset(f"{split}_set_y", data=y)
        f.create_dataset("list_classes", data=np.array(classes))


def pictures(m, h=2, w=2, c=3, seed=0):
    return np.random.default_rng(seed).integers(0, 256, size=(m, h, w, c), dtype=np.uint8)


# --- data kept outside the file ------------------------------------------------


def test_external_storage_is_refused_so_a_file_cannot_read_etc_passwd_as_pixels(tmp_path):
    secret = tmp_path / "passwd"
    secret.write_bytes(bytes(range(48)))
    path = tmp_path / "evil.h5"
    with h5py.File(path, "w") as f:
        f.create_dataset("train_set_x", shape=(4, 2, 2, 3), dtype="u1",
                         external=[(str(secret), 0, 48)])
        f.create_dataset("train_set_y", data=np.array([0, 1, 0, 1]))
        f.create_dataset("list_classes", data=np.array([b"non-cat", b"cat"]))
    with h5py.File(path, "r") as f:  # the trap works: h5py itself reads the other file
        assert f["train_set_x"][()].ravel()[5] == 5
    with pytest.raises(ValueError, match="train_set_x keeps its data in .*passwd.*external"):
        load_h5(path)


def test_an_external_link_is_refused(tmp_path):
    other = tmp_path / "other.h5"
    write(other, pictures(4), np.array([0, 1, 0, 1]))
    path = tmp_path / "evil.h5"
    with h5py.File(path, "w") as f:
        f["train_set_x"] = h5py.ExternalLink(str(other), "/train_set_x")
        f.create_dataset("train_set_y", data=np.array([0, 1, 0, 1]))
        f.create_dataset("list_classes", data=np.array([b"non-cat", b"cat"]))
    with pytest.raises(ValueError, match=r"train_set_x is an external link to '/train_set_x' "
                                         r"in '.*other\.h5'"):
        load_h5(path)


def test_a_soft_link_and_a_virtual_data_set_are_refused(tmp_path):
    path = tmp_path / "soft.h5"
    write(path, pictures(4), np.array([0, 1, 0, 1]))
    with h5py.File(path, "a") as f:
        f["test_set_x"] = h5py.SoftLink("/train_set_x")
        f["test_set_y"] = h5py.SoftLink("/train_set_y")
    with pytest.raises(ValueError, match="test_set_x is a soft link to '/train_set_x'"):
        load_h5(path, "test")

    other = tmp_path / "other.h5"
    write(other, pictures(4), np.array([0, 1, 0, 1]))
    layout = h5py.VirtualLayout(shape=(4, 2, 2, 3), dtype="u1")
    layout[:] = h5py.VirtualSource(str(other), "train_set_x", shape=(4, 2, 2, 3))
    path = tmp_path / "virtual.h5"
    with h5py.File(path, "w") as f:
        f.create_virtual_dataset("train_set_x", layout)
        f.create_dataset("train_set_y", data=np.array([0, 1, 0, 1]))
        f.create_dataset("list_classes", data=np.array([b"non-cat", b"cat"]))
    with pytest.raises(ValueError, match="train_set_x is a virtual data set"):
        load_h5(path)


def test_a_group_where_the_pictures_should_be_is_refused(tmp_path):
    path = tmp_path / "group.h5"
    with h5py.File(path, "w") as f:
        f.create_group("train_set_x")
        f.create_dataset("train_set_y", data=np.array([0, 1]))
        f.create_dataset("list_classes", data=np.array([b"non-cat", b"cat"]))
    with pytest.raises(ValueError, match="train_set_x is a group, not a data set"):
        load_h5(path)


# --- declared sizes --------------------------------------------------------------


def test_a_small_compressed_file_declaring_gigabytes_is_refused_before_reading(tmp_path):
    path = tmp_path / "bomb.h5"
    m = 25000
    with h5py.File(path, "w") as f:
        # Nothing is written: every chunk reads as the fill value, so the file stays tiny.
        f.create_dataset("train_set_x", shape=(m, 64, 64, 3), dtype="f8",
                         chunks=(1, 64, 64, 3), compression="gzip")
        f.create_dataset("train_set_y", data=np.zeros(m, dtype=np.int64), compression="gzip")
        f.create_dataset("list_classes", data=np.array([b"non-cat", b"cat"]))
    assert os.path.getsize(path) < 200_000
    declared = m * 64 * 64 * 3 + m + 2
    with pytest.raises(ValueError, match=f"declares {declared:,} numbers .*shape "
                                         rf"\({m}, 64, 64, 3\), float64.*limit of "
                                         f"{MAX_VALUES:,}.*max_values="):
        load_h5(path)


def test_the_limit_can_be_lowered_or_raised(tmp_path):
    path = tmp_path / "train.h5"
    write(path, pictures(4), np.array([0, 1, 0, 1]))
    declared = 4 * 12 + 4 + 2
    with pytest.raises(ValueError, match=f"declares {declared} numbers.*limit of {declared - 1}"):
        load_h5(path, max_values=declared - 1)
    assert load_h5(path, max_values=declared).x_orig.shape == (4, 2, 2, 3)
    for bad in (0, -1, 1.5, True, "9"):
        with pytest.raises(ValueError, match="max_values must be a positive int"):
            load_h5(path, max_values=bad)


def test_the_default_limit_holds_the_courses_training_file_with_room():
    assert MAX_VALUES >= 10 * (209 * 64 * 64 * 3 + 209 + 2)


# --- empty and non-finite data ---------------------------------------------------


def test_zero_pictures_are_refused(tmp_path):
    path = tmp_path / "empty.h5"
    write(path, np.zeros((0, 64, 64, 3), dtype=np.uint8), np.zeros(0, dtype=np.int64))
    with pytest.raises(ValueError,
                       match=r"train_set_x holds no pictures \(shape \(0, 64, 64, 3\)\)"):
        load_h5(path)


def test_pictures_without_pixels_are_refused(tmp_path):
    path = tmp_path / "flat.h5"
    write(path, np.zeros((3, 64, 0, 3), dtype=np.uint8), np.array([0, 1, 0]))
    with pytest.raises(ValueError, match=r"have shape \(64, 0, 3\), so no pixels: n_x = 0"):
        load_h5(path)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_or_infinite_pixels_are_refused_naming_how_many_and_where(tmp_path, bad):
    x = pictures(4).astype(np.float64)
    x[2, 1, 0, 2] = bad
    x[3, 0, 0, 0] = bad
    path = tmp_path / "nan.h5"
    write(path, x, np.array([0, 1, 0, 1]))
    with pytest.raises(ValueError, match="holds 2 pixels that are NaN or infinite "
                                         r"\(the first in picture 2\)"):
        load_h5(path)


def test_labels_that_are_not_numbers_are_refused_before_reading(tmp_path):
    path = tmp_path / "labels.h5"
    write(path, pictures(2), np.array([b"cat", b"dog"]))
    with pytest.raises(ValueError, match=r"train_set_y holds \|S3, not labels 0 and 1"):
        load_h5(path)


def test_a_hostile_file_name_is_quoted_in_bounded_length(tmp_path):
    path = tmp_path / ("\x1b[31m" + "x" * 240 + ".h5")
    write(path, np.zeros((0, 2, 2, 3), dtype=np.uint8), np.zeros(0, dtype=np.int64))
    with pytest.raises(ValueError) as info:
        load_h5(path)
    message = str(info.value)
    assert "\x1b" not in message and "\\x1b" in message and len(message) < 400


# --- the course's cat files -----------------------------------------------------


def write_cat_files(folder, m_train=209, m_test=50):
    """Files in the course's layout (random pixels), standing in for the real ones."""
    folder.mkdir(exist_ok=True)
    for split, m in (("train", m_train), ("test", m_test)):
        y = (np.arange(m) % 3 == 0).astype(np.int64)
        write(folder / f"{split}_catvnoncat.h5", pictures(m, 64, 64, 3, seed=m), y, split=split)


def test_load_catvnoncat_reads_both_files_from_a_folder_and_says_what_it_checked(tmp_path):
    write_cat_files(tmp_path / "cats")
    train, test = load_catvnoncat(tmp_path / "cats")
    assert train.x_orig.shape == (209, 64, 64, 3) and test.x_orig.shape == (50, 64, 64, 3)
    assert train.X.shape == (12288, 209) and test.Y.shape == (1, 50)
    assert train.source.startswith("the course's train_catvnoncat.h5 (")
    assert "layout checked; no sha256 registered" in test.source


def test_load_catvnoncat_finds_the_folder_in_the_environment(tmp_path, monkeypatch):
    write_cat_files(tmp_path / "cats")
    monkeypatch.setenv("MICROGRAD_DLS_DATA", str(tmp_path / "cats"))
    train, _ = load_catvnoncat()
    assert train.y.shape == (1, 209)


def test_without_the_files_the_error_says_where_they_come_from(tmp_path, monkeypatch):
    monkeypatch.delenv("MICROGRAD_DLS_DATA", raising=False)
    with pytest.raises(FileNotFoundError, match=r"MICROGRAD_DLS_DATA is not set; .*course's "
                                                r"notebook workspace.*never downloaded"):
        load_catvnoncat()
    with pytest.raises(FileNotFoundError, match="no train_catvnoncat.h5 in .*notebook workspace"):
        load_catvnoncat(tmp_path)
    monkeypatch.setenv("MICROGRAD_DLS_DATA", str(tmp_path / "absent"))
    with pytest.raises(FileNotFoundError, match=r"absent' \(from \$MICROGRAD_DLS_DATA\) is "
                                                "not a folder"):
        load_catvnoncat()


@pytest.mark.parametrize("change, what", [
    (dict(m_train=208), "pictures"),
    (dict(m_test=51), "pictures"),
])
def test_files_of_another_size_are_not_the_courses(tmp_path, change, what):
    write_cat_files(tmp_path, **change)
    with pytest.raises(ValueError, match=f"is not the course's .*its {what} are"):
        load_catvnoncat(tmp_path)


def test_other_pixel_types_labels_or_classes_are_not_the_courses(tmp_path):
    write_cat_files(tmp_path)
    write(tmp_path / "train_catvnoncat.h5", pictures(209, 64, 64, 3).astype(np.float32),
          np.zeros(209, dtype=np.int64))
    with pytest.raises(ValueError, match="its pictures are .*<f4.*the course's .*uint8|\\|u1"):
        load_catvnoncat(tmp_path)
    write(tmp_path / "train_catvnoncat.h5", pictures(209, 64, 64, 3),
          np.zeros(209, dtype=np.float64))
    with pytest.raises(ValueError, match="its labels are"):
        load_catvnoncat(tmp_path)
    write(tmp_path / "train_catvnoncat.h5", pictures(209, 64, 64, 3),
          np.zeros(209, dtype=np.int64), classes=(b"dog", b"cat"))
    with pytest.raises(ValueError, match=r"its classes are \[b'dog', b'cat'\]"):
        load_catvnoncat(tmp_path)


def test_a_registered_sha256_is_held_to(tmp_path, monkeypatch):
    write_cat_files(tmp_path)
    path = tmp_path / "train_catvnoncat.h5"
    real = hashlib.sha256(path.read_bytes()).hexdigest()
    monkeypatch.setitem(data.CATVNONCAT_SHA256, "train_catvnoncat.h5", real)
    train, test = load_catvnoncat(tmp_path)
    assert "sha256 verified" in train.source and "no sha256 registered" in test.source
    monkeypatch.setitem(data.CATVNONCAT_SHA256, "train_catvnoncat.h5", "0" * 64)
    with pytest.raises(ValueError, match=f"layout of the course's train_catvnoncat.h5 but "
                                         f"sha256 {real}, not the registered 0000"):
        load_catvnoncat(tmp_path)


# --- the digits stand-in -----------------------------------------------------------


def test_the_digits_task_is_scikit_learns_digits_as_is_it_a_3():
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    digits = sklearn_datasets.load_digits()
    train, test = load_digits_task(3, test_fraction=0.25, seed=0)
    assert train.X.shape == (64, 1348) and test.X.shape == (64, 449)
    assert list(train.classes) == [b"not 3", b"3"]
    assert train.source == "scikit-learn's 8x8 digits: is it a 3? (train)"
    # Every picture is one of scikit-learn's, with y = 1 exactly for the 3s.
    order = np.random.default_rng(0).permutation(1797)
    np.testing.assert_allclose(train.X[:, 0], digits.images[order[0]].ravel() / 16.0,
                               rtol=1e-15)
    np.testing.assert_array_equal(np.concatenate([train.y[0], test.y[0]]),
                                  (digits.target[order] == 3).astype(int))
    assert 0.0 <= train.X.min() and train.X.max() == 1.0
    assert int(train.y.sum() + test.y.sum()) == int((digits.target == 3).sum())


@pytest.mark.parametrize("kwargs, error", [
    (dict(digit=10), "digit = 10; give an int from 0 to 9"),
    (dict(digit="3"), "digit = '3'"),
    (dict(test_fraction=1.0), "test_fraction = 1.0; give a number between 0 and 1"),
    (dict(seed=-1), "seed must be a non-negative int, got -1"),
])
def test_the_digits_task_refuses_bad_arguments(kwargs, error):
    with pytest.raises((ValueError, TypeError), match=error):
        load_digits_task(**kwargs)


def test_course_images_are_the_cats_when_found_else_the_digits_saying_why(tmp_path, monkeypatch):
    pytest.importorskip("sklearn")
    monkeypatch.delenv("MICROGRAD_DLS_DATA", raising=False)
    train, test = load_course_images()
    assert train.source.startswith("scikit-learn's 8x8 digits: is it a 3? (train) -- the "
                                   "course's train_catvnoncat.h5 and test_catvnoncat.h5 were "
                                   "not found")
    write_cat_files(tmp_path)
    monkeypatch.setenv("MICROGRAD_DLS_DATA", str(tmp_path))
    train, test = load_course_images()
    assert train.x_orig.shape == (209, 64, 64, 3)
    # Files that are there but wrong are an error, not a reason to switch data.
    write(tmp_path / "test_catvnoncat.h5", pictures(3, 64, 64, 3), np.array([0, 1, 0]),
          split="test")
    with pytest.raises(ValueError, match="is not the course's test_catvnoncat.h5"):
        load_course_images()


def test_a_split_name_that_is_not_a_plain_word_is_refused_quoted(tmp_path):
    path = tmp_path / "odd.h5"
    write(path, pictures(2), np.array([0, 1]), split="\x1b[2J")
    with pytest.raises(ValueError, match=r"split = '.*x1b\[2J'; give the name before '_set_x'") \
            as info:
        load_h5(path)
    assert "\x1b" not in str(info.value)
    write(path, pictures(2), np.array([0, 1]))
    with pytest.raises(ValueError, match="split = 3"):
        load_h5(path, split=3)


def test_the_command_line_reports_a_refused_file_in_one_line_with_status_2(tmp_path, capsys):
    from micrograd_dls.cli import main

    x = pictures(4).astype(np.float64)
    x[1, 0, 0, 0] = np.nan
    files = {"nan.h5": (x, np.array([0, 1, 0, 1])),
             "empty.h5": (np.zeros((0, 2, 2, 3), np.uint8), np.zeros(0, np.int64)),
             "flat.h5": (np.zeros((2, 0, 2, 3), np.uint8), np.array([0, 1]))}
    for name, (pixels, labels) in files.items():
        write(tmp_path / name, pixels, labels)
        assert main(["train", "--data", str(tmp_path / name), "--iterations", "1"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("micrograd-dls: error: "), err


def test_the_command_line_names_its_own_option_for_the_size_limit_and_can_raise_it(tmp_path,
                                                                                   capsys):
    from micrograd_dls.cli import main

    path = tmp_path / "four.h5"
    write(path, pictures(4), np.array([0, 1, 0, 1]))
    declared = 4 * 2 * 2 * 3 + 4 + 2  # pixels, labels, class names
    argv = ["train", "--data", str(path), "--iterations", "1", "--no-progress", "--layers",
            "12,2,1"]
    assert main(argv + ["--max-values", str(declared - 1)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"declares {declared} numbers" in err and f"limit of {declared - 1}" in err
    assert "raise the limit with --max-values N" in err and "load_h5(" not in err
    assert main(argv + ["--max-values", str(declared)]) == 0
    assert "X (12, 4)" in capsys.readouterr().out
    assert main(argv + ["--max-values", "0"]) == 2
    assert capsys.readouterr().err == (
        "micrograd-dls: error: --max-values must be a positive number of values, got 0\n"
    )
    assert main(argv + ["--max-values", "-" + "9" * 4000]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and len(err) < 200, err


def test_a_folder_or_a_named_pipe_is_named_as_such_not_as_a_missing_file(tmp_path, capsys):
    from micrograd_dls.cli import main

    folder = tmp_path / "datasets.h5"
    folder.mkdir()
    with pytest.raises(ValueError, match=r"datasets.h5' is a folder, not a data file"):
        load_h5(folder)
    pipe = tmp_path / "pipe.h5"
    os.mkfifo(pipe)
    with pytest.raises(ValueError, match=r"pipe.h5' is not a regular file \(a named pipe"):
        load_h5(pipe)  # returns at once: a pipe with no writer is never opened
    with pytest.raises(FileNotFoundError, match="no such data file"):
        load_h5(tmp_path / "absent.h5")
    for path, message in ((folder, "is a folder"), (pipe, "is not a regular file")):
        assert main(["train", "--data", str(path), "--iterations", "1"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err, err
