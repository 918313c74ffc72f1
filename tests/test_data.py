"""Built-in data sets and the course's .h5 loader."""

import sys

import numpy as np
import pytest

from micrograd_dls.data import flatten_images, load_h5, planar_flower


def course_load_planar_dataset():
    """The planar notebook's load_planar_dataset, as the course writes it (global seed)."""
    np.random.seed(1)
    m = 400
    N = int(m / 2)
    D = 2
    X = np.zeros((m, D))
    Y = np.zeros((m, 1), dtype="uint8")
    a = 4
    for j in range(2):
        ix = range(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + np.random.randn(N) * 0.2
        r = a * np.sin(4 * t) + np.random.randn(N) * 0.2
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    return X.T, Y.T


def test_planar_flower_is_the_course_data_point_for_point():
    X, Y = planar_flower()
    Xc, Yc = course_load_planar_dataset()
    assert X.shape == (2, 400) and Y.shape == (1, 400)
    assert X.dtype == np.float64 and Y.dtype == np.float64
    np.testing.assert_array_equal(X, Xc)
    np.testing.assert_array_equal(Y, Yc)


def test_planar_flower_leaves_numpys_global_generator_alone():
    np.random.seed(123)
    expected = np.random.randn(3)
    np.random.seed(123)
    planar_flower(m=10, seed=5)
    np.testing.assert_array_equal(np.random.randn(3), expected)


@pytest.mark.parametrize("seed", [-1, "1", 1.5, True])
def test_a_bad_seed_is_named(seed):
    with pytest.raises(TypeError, match=f"planar_flower: seed must be .*got {seed!r}"):
        planar_flower(m=10, seed=seed)


@pytest.mark.parametrize("m", [0, 7, -2, 2.5, True])
def test_an_odd_or_non_integer_m_is_refused_with_the_reason(m):
    with pytest.raises(ValueError, match="even int"):
        planar_flower(m=m)


def test_planar_flower_refuses_a_generator_it_cannot_reproduce_the_course_with():
    with pytest.raises(TypeError, match="np.random.seed"):
        planar_flower(seed=np.random.default_rng(1))


# --- the course's .h5 files ----------------------------------------------------


def write_course_file(path, m=5, split="train", **overrides):
    h5py = pytest.importorskip("h5py")
    rng = np.random.default_rng(0)
    content = {
        f"{split}_set_x": rng.integers(0, 256, size=(m, 4, 4, 3), dtype=np.uint8),
        f"{split}_set_y": np.array([1, 0, 1, 1, 0][:m] + [0] * max(0, m - 5), dtype=np.int64),
        "list_classes": np.array([b"non-cat", b"cat"]),
    }
    content.update(overrides)
    with h5py.File(path, "w") as f:
        for key, value in content.items():
            if value is not None:
                f.create_dataset(key, data=value)
    return content


def test_load_h5_reads_the_course_layout_and_preprocesses_as_the_course(tmp_path):
    path = tmp_path / "train_catvnoncat.h5"
    content = write_course_file(path)
    data = load_h5(path)
    np.testing.assert_array_equal(data.x_orig, content["train_set_x"])
    assert data.y.shape == (1, 5) and data.Y.dtype == np.float64
    assert list(data.classes) == [b"non-cat", b"cat"]
    X = data.X
    assert X.shape == (48, 5)
    np.testing.assert_array_equal(X[:, 2], content["train_set_x"][2].reshape(-1) / 255.0)
    assert 0.0 <= X.min() and X.max() <= 1.0


def test_load_h5_finds_the_test_split(tmp_path):
    path = tmp_path / "test_catvnoncat.h5"
    write_course_file(path, split="test")
    assert load_h5(path).x_orig.shape == (5, 4, 4, 3)


def test_load_h5_names_the_missing_keys(tmp_path):
    path = tmp_path / "bad.h5"
    write_course_file(path, list_classes=None)
    with pytest.raises(ValueError, match="lacks list_classes.*train_set_x"):
        load_h5(path)


def test_load_h5_refuses_labels_that_do_not_match_the_pictures(tmp_path):
    path = tmp_path / "bad.h5"
    write_course_file(path, train_set_y=np.array([1, 0]))
    with pytest.raises(ValueError, match=r"shape \(5, 4, 4, 3\).*shape \(2,\)"):
        load_h5(path)


def test_load_h5_refuses_pictures_that_are_not_numbers(tmp_path):
    path = tmp_path / "bad.h5"
    write_course_file(path, train_set_x=np.full((5, 2, 2), b"a"))
    with pytest.raises(ValueError, match="train_set_x holds \\|S1, not pixel numbers"):
        load_h5(path)


def test_load_h5_on_a_file_that_is_not_hdf5_or_missing(tmp_path):
    pytest.importorskip("h5py")
    path = tmp_path / "notes.h5"
    path.write_text("not hdf5")
    with pytest.raises(ValueError, match="not an HDF5 file"):
        load_h5(path)
    with pytest.raises(FileNotFoundError, match="no such data file"):
        load_h5(tmp_path / "absent.h5")


def test_load_h5_without_h5py_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "h5py", None)
    with pytest.raises(ImportError, match="pip install h5py"):
        load_h5(tmp_path / "train_catvnoncat.h5")


def test_flatten_images_puts_one_picture_per_column():
    x = np.arange(2 * 2 * 2 * 3, dtype=np.uint8).reshape(2, 2, 2, 3)
    X = flatten_images(x)
    np.testing.assert_array_equal(X[:, 1], x[1].reshape(-1) / 255.0)
    with pytest.raises(ValueError, match=r"\(m, height, width"):
        flatten_images(np.zeros(3))
    with pytest.raises(TypeError, match=r"pixels must be numbers, got dtype \|S1"):
        flatten_images(np.full((2, 2, 2), b"a"))
