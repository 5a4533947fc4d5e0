"""The course's HDF5 files (read independently with h5py as the oracle), and every way such a file can be wrong."""

import os
import tracemalloc

import h5py
import numpy as np
import pytest

from visualtrainer.data import DatasetError, find_test_file, flatten_images, load_course_h5, load_dataset


@pytest.fixture(scope="module")
def cat_arrays(cat_train_path):
    with h5py.File(cat_train_path, "r") as train, \
            h5py.File(cat_train_path.with_name("test_catvnoncat.h5"), "r") as test:
        return train["train_set_x"][:], train["train_set_y"][:], test["test_set_x"][:], test["test_set_y"][:]


def test_cat_files_load_as_uint8_pixel_columns(cat_train_path, cat_arrays):
    x, y, xt, yt = cat_arrays
    data = load_course_h5(cat_train_path)
    assert data.name == "catvnoncat" and data.task == "binary" and data.image_shape == (64, 64, 3)
    assert data.classes == ("non-cat", "cat")
    assert data.X_train.shape == (12288, 209) and data.X_train.dtype == np.uint8
    assert data.Y_train.shape == (1, 209) and data.Y_train.dtype == np.int64
    assert data.X_test.shape == (12288, 50) and data.X_test.dtype == np.uint8 and data.Y_test.shape == (1, 50)
    for i in (0, 7, 25, 208):
        np.testing.assert_array_equal(data.X_train[:, i], x[i].reshape(-1))
    for i in (0, 49):
        np.testing.assert_array_equal(data.X_test[:, i], xt[i].reshape(-1))
    np.testing.assert_array_equal(data.Y_train[0], y)
    np.testing.assert_array_equal(data.Y_test[0], yt)
    assert data.Y_train[0, 25] == 1  # the course: index 25 is "a 'cat' picture"
    assert int(data.Y_train.sum()) == 72 and int(data.Y_test.sum()) == 33


def test_cat_pixels_are_a_view_not_a_float_copy(cat_train_path):
    data = load_course_h5(cat_train_path)
    for X in (data.X_train, data.X_test):
        assert X.flags.f_contiguous and not X.flags.c_contiguous
        assert X.T.flags.c_contiguous and X.base is not None


def test_load_dataset_finds_the_cat_test_file(cat_train_path):
    data = load_dataset(str(cat_train_path))
    assert data.m == 209 and data.m_test == 50


def test_flatten_images_orders_pixels_as_reshape_and_keeps_a_view():
    x = np.arange(2 * 2 * 3 * 3, dtype=np.uint8).reshape(2, 2, 3, 3)
    X = flatten_images(x)
    assert X.shape == (18, 2) and X.dtype == np.uint8 and np.shares_memory(X, x) and X.flags.f_contiguous
    np.testing.assert_array_equal(X[:, 1], x[1].reshape(-1))
    assert X[3, 0] == x[0, 0, 1, 0]  # row, column, channel: the channel changes fastest
    with pytest.raises(DatasetError, match=r"images must be 4-D \(m, height, width, channels\); "
                                           r"got shape \(2, 3, 3\)\. Give grey images a channel axis"):
        flatten_images(x[0])


def _write(path, **arrays):
    with h5py.File(path, "w") as f:
        for key, value in arrays.items():
            f[key] = value
    return path


def _images(m, shape=(8, 8, 3)):
    return np.random.RandomState(m).randint(0, 256, (m, *shape)).astype(np.uint8)


def test_three_classes_and_a_test_file(tmp_path):
    x, xt = _images(9), _images(4)
    _write(tmp_path / "train_pets.h5", train_set_x=x, train_set_y=np.arange(9) % 3,
           list_classes=np.array([b"cat", b"dog", b"fish"]))
    _write(tmp_path / "test_pets.h5", test_set_x=xt, test_set_y=np.array([2, 0, 1, 2]))
    data = load_course_h5(tmp_path / "train_pets.h5")
    assert data.task == "multiclass" and data.classes == ("cat", "dog", "fish") and data.n_classes == 3
    assert data.name == "pets" and data.n_x == 192 and data.m == 9 and data.image_shape == (8, 8, 3)
    np.testing.assert_array_equal(data.X_test[:, 3], xt[3].reshape(-1))
    np.testing.assert_array_equal(data.Y_test, [[2, 0, 1, 2]])


def test_files_without_list_classes_or_test_file_and_lenient_labels(tmp_path):
    path = _write(tmp_path / "mine.h5", train_set_x=_images(5, (3, 2, 1)),
                  train_set_y=np.array([[0.0, 1.0, 1.0, 0.0, 1.0]]))  # (1, m) floats holding integers
    data = load_course_h5(path)
    assert data.classes == ("class 0", "class 1") and data.task == "binary" and data.X_test is None
    assert data.name == "mine" and data.image_shape == (3, 2, 1) and data.Y_train.dtype == np.int64
    np.testing.assert_array_equal(data.Y_train, [[0, 1, 1, 0, 1]])
    path = _write(tmp_path / "train_four.h5", train_set_x=_images(4), train_set_y=np.array([0, 3, 1, 2]))
    assert load_course_h5(path).classes == ("class 0", "class 1", "class 2", "class 3")


def test_find_test_file_prefers_the_twin_then_the_only_candidate(tmp_path):
    train = tmp_path / "train_a.h5"
    assert find_test_file(train) is None
    (tmp_path / "test_b.h5").touch()
    assert find_test_file(train) == tmp_path / "test_b.h5"  # the only candidate
    (tmp_path / "test_c.hdf5").touch()
    assert find_test_file(train) is None  # two candidates, neither named after train_a
    (tmp_path / "test_a.hdf5").touch()
    assert find_test_file(train) == tmp_path / "test_a.hdf5"
    (tmp_path / "test_a.h5").touch()
    assert find_test_file(train) == tmp_path / "test_a.h5"  # same extension first
    (tmp_path / "test_notes.txt").touch()
    assert find_test_file(tmp_path / "train_z.h5") is None
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "test_only.h5").touch()
    assert find_test_file(alone / "test_only.h5") is None  # never the training file itself
    (alone / "test_cats.h5").touch()
    assert find_test_file(alone / "cats.h5") == alone / "test_cats.h5"  # a file not named train_*


GOOD_X, GOOD_Y = _images(3), np.array([0, 1, 0])


@pytest.mark.parametrize("arrays, message", [
    ({"x": GOOD_X, "y": GOOD_Y}, r"train_bad\.h5: expected keys train_set_x and train_set_y; found x, y\.$"),
    ({}, r"expected keys train_set_x and train_set_y; found no keys"),
    ({"test_set_x": GOOD_X, "test_set_y": GOOD_Y},
     r"found test_set_x, test_set_y \(is this a test file\? open the train_\*\.h5 file\)"),
    ({"train_set_x": GOOD_X.astype(float), "train_set_y": GOOD_Y},
     r"train_set_x must be \(m, height, width, channels\) uint8 with m >= 1; got \(3, 8, 8, 3\) float64"),
    ({"train_set_x": GOOD_X[..., 0], "train_set_y": GOOD_Y}, r"train_set_x must be .*; got \(3, 8, 8\) uint8"),
    ({"train_set_x": GOOD_X[:0], "train_set_y": GOOD_Y[:0]}, r"with m >= 1; got \(0, 8, 8, 3\)"),
    ({"train_set_x": GOOD_X, "train_set_y": np.zeros(4)},
     r"train_set_y must be \(m,\) = \(3,\), one label per image; got \(4,\)"),
    ({"train_set_x": GOOD_X, "train_set_y": np.zeros((3, 3))}, r"train_set_y must be \(m,\) = \(3,\)"),
    ({"train_set_x": GOOD_X, "train_set_y": np.array([0.0, 0.5, 1.0])}, r"must hold integer labels 0, 1, …; got float64"),
    ({"train_set_x": GOOD_X, "train_set_y": np.array([b"a", b"b", b"c"])}, r"must hold integer labels"),
    ({"train_set_x": GOOD_X, "train_set_y": np.array([0, -1, 1])}, r"train_set_y must hold labels 0, 1, … up to 999; got \[-1\]"),
    ({"train_set_x": GOOD_X, "train_set_y": np.array([0, 1, 2]), "list_classes": np.array([b"non-cat", b"cat"])},
     r"train_set_y labels must be in 0 … 1 \(2 classes: non-cat, cat\); got \[2\]"),
    ({"train_set_x": GOOD_X, "train_set_y": GOOD_Y, "list_classes": np.array([b"cat"])},
     r"list_classes must name at least 2 classes; got \('cat',\)"),
])
def test_bad_training_files(tmp_path, arrays, message):
    path = _write(tmp_path / "train_bad.h5", **arrays)
    with pytest.raises(DatasetError, match=message):
        load_course_h5(path)


def test_a_group_where_an_array_belongs(tmp_path):
    path = tmp_path / "train_g.h5"
    with h5py.File(path, "w") as f:
        f.create_group("train_set_x")
        f["train_set_y"] = GOOD_Y
    with pytest.raises(DatasetError, match=r"train_set_x must be an array \(an HDF5 dataset\); found a group"):
        load_course_h5(path)


def test_missing_folder_text_and_truncated_files(tmp_path):
    with pytest.raises(DatasetError, match=r"train_none\.h5: no such file\.$"):
        load_course_h5(tmp_path / "train_none.h5")
    (tmp_path / "train_dir.h5").mkdir()
    with pytest.raises(DatasetError, match=r"train_dir\.h5: is a folder"):
        load_course_h5(tmp_path / "train_dir.h5")
    (tmp_path / "train_text.h5").write_text("hello")
    with pytest.raises(DatasetError, match=r"train_text\.h5: not a readable HDF5 file \(.+\)\.$"):
        load_course_h5(tmp_path / "train_text.h5")
    path = _write(tmp_path / "train_cut.h5", train_set_x=_images(50), train_set_y=np.zeros(50, np.int64))
    for keep in (0.3, 0.9):
        data = path.read_bytes()
        cut = tmp_path / f"train_cut{int(keep * 10)}.h5"
        cut.write_bytes(data[: int(len(data) * keep)])
        with pytest.raises(DatasetError, match=r"not a readable HDF5 file") as caught:
            load_course_h5(cut)
        assert "\n" not in str(caught.value)


@pytest.mark.parametrize("test_arrays, message", [
    ({"test_set_x": _images(4, (4, 4, 3)), "test_set_y": np.zeros(4, np.int64)},
     r"test_a\.h5: test images are \(4, 4, 3\) but training images are \(8, 8, 3\); they must have the same size"),
    ({"train_set_x": _images(4), "train_set_y": np.zeros(4, np.int64)},
     r"test_a\.h5: expected keys test_set_x and test_set_y; found train_set_x, train_set_y"),
    ({"test_set_x": _images(2), "test_set_y": np.array([0, 2])},
     r"test_a\.h5: test_set_y labels must be in 0 … 1 \(2 classes: class 0, class 1\); got \[2\]"),
    ({"test_set_x": _images(2), "test_set_y": np.zeros(3, np.int64)}, r"test_set_y must be \(m,\) = \(2,\)"),
    ({"test_set_x": _images(2), "test_set_y": np.zeros(2, np.int64), "list_classes": np.array([b"x", b"y"])},
     r"test_a\.h5: list_classes \('x', 'y'\) differs from the training file's \('class 0', 'class 1'\)"),
])
def test_bad_test_files(tmp_path, test_arrays, message):
    _write(tmp_path / "train_a.h5", train_set_x=_images(4), train_set_y=np.array([0, 1, 1, 0]))
    _write(tmp_path / "test_a.h5", **test_arrays)
    with pytest.raises(DatasetError, match=message):
        load_course_h5(tmp_path / "train_a.h5")


def test_a_label_of_two_to_the_62_is_refused_without_naming_every_class(tmp_path):
    """A 6 KB file whose one label would ask for 2**62 class names."""
    path = _write(tmp_path / "train_big.h5", train_set_x=_images(3), train_set_y=np.array([0, 2**62, 1]))
    tracemalloc.start()
    with pytest.raises(DatasetError, match=r"train_set_y must hold labels 0, 1, … up to 999; got "
                                           r"\[4611686018427387904\]"):
        load_course_h5(path)
    assert tracemalloc.get_traced_memory()[1] < 1_000_000
    tracemalloc.stop()
    _write(tmp_path / "train_f.h5", train_set_x=_images(3), train_set_y=np.array([0.0, 2.0**62, 1.0]))
    with pytest.raises(DatasetError, match=r"up to 999; got \[4\.611686018427388e\+18\]"):
        load_course_h5(tmp_path / "train_f.h5")


def test_declared_sizes_are_checked_before_reading(tmp_path):
    """A compressed file declaring 12 GB of images is refused from its declaration; too many class names too."""
    path = tmp_path / "train_bomb.h5"
    with h5py.File(path, "w") as f:
        f.create_dataset("train_set_x", shape=(1_000_000, 64, 64, 3), dtype=np.uint8, chunks=(1, 64, 64, 3),
                         compression="gzip")
        f["train_set_y"] = np.zeros(1_000_000, np.int64)
    assert path.stat().st_size < 20_000_000
    with pytest.raises(DatasetError, match=r"its 1,000,000 images would need 12\.3 GB of memory, more than the"):
        load_course_h5(path, budget=4 * 10**9)
    _write(tmp_path / "train_names.h5", train_set_x=_images(3), train_set_y=GOOD_Y,
           list_classes=np.array([b"c"] * 5000))
    with pytest.raises(DatasetError, match=r"list_classes must hold at most 1000 class names; got \(5000,\)"):
        load_course_h5(tmp_path / "train_names.h5")


def test_arrays_kept_outside_the_file_are_refused(tmp_path):
    _write(tmp_path / "other.h5", train_set_x=_images(3), train_set_y=GOOD_Y)
    with h5py.File(tmp_path / "train_link.h5", "w") as f:
        f["train_set_x"] = h5py.ExternalLink("other.h5", "train_set_x")
        f["train_set_y"] = GOOD_Y
    with pytest.raises(DatasetError, match=r"train_set_x is a link to other data"):
        load_course_h5(tmp_path / "train_link.h5")
    (tmp_path / "raw.bin").write_bytes(bytes(3 * 8 * 8 * 3))
    with h5py.File(tmp_path / "train_ext.h5", "w") as f:
        f.create_dataset("train_set_x", shape=(3, 8, 8, 3), dtype=np.uint8, external=[("raw.bin", 0, 576)])
        f["train_set_y"] = GOOD_Y
    with pytest.raises(DatasetError, match=r"train_set_x keeps its data in other files"):
        load_course_h5(tmp_path / "train_ext.h5")


def test_a_fifo_or_a_symbolic_link_loop_named_like_a_course_file(tmp_path):
    os.mkfifo(tmp_path / "train_fifo.h5")
    with pytest.raises(DatasetError, match=r"train_fifo\.h5: a FIFO, not a regular file"):
        load_course_h5(tmp_path / "train_fifo.h5")
    os.symlink("train_loop.h5", tmp_path / "train_loop.h5")
    with pytest.raises(DatasetError, match=r"train_loop\.h5: a symbolic link that loops"):
        load_dataset(str(tmp_path / "train_loop.h5"))
