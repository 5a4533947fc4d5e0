"""The course's HDF5 files, and every way such a file can be wrong."""

import h5py
import numpy as np
import pytest

from visualtrainer.data import DatasetError, load_course_h5, load_dataset


def test_cat_files_load_as_uint8_columns(cat_train_path):
    data = load_dataset(cat_train_path)
    assert data.X_train.shape == (12288, 209) and data.X_train.dtype == np.uint8
    assert data.X_test.shape == (12288, 50) and data.Y_test.shape == (1, 50)
    assert data.classes == ("non-cat", "cat") and data.task == "binary" and data.image_shape == (64, 64, 3)
    with h5py.File(cat_train_path) as f:
        x, y = f["train_set_x"][:], f["train_set_y"][:]
    np.testing.assert_array_equal(data.X_train[:, 7], x[7].reshape(-1))
    np.testing.assert_array_equal(data.Y_train[0], y)
    assert data.X_train.flags.f_contiguous  # a view of the pixels: the engine reads them without a copy


def _write(path, **arrays):
    with h5py.File(path, "w") as f:
        for key, value in arrays.items():
            f[key] = value
    return path


def _images(m, shape=(8, 8, 3)):
    return np.random.RandomState(0).randint(0, 256, (m, *shape)).astype(np.uint8)


def test_three_classes_and_a_test_file(tmp_path):
    _write(tmp_path / "train_pets.h5", train_set_x=_images(9), train_set_y=np.arange(9) % 3,
           list_classes=np.array([b"cat", b"dog", b"fish"]))
    _write(tmp_path / "test_pets.h5", test_set_x=_images(4), test_set_y=np.arange(4) % 3)
    data = load_course_h5(tmp_path / "train_pets.h5")
    assert data.task == "multiclass" and data.classes == ("cat", "dog", "fish") and data.m_test == 4
    assert data.name == "pets" and data.n_x == 192


@pytest.mark.parametrize("arrays, message", [
    ({"x": _images(3), "y": np.zeros(3)}, r"expected keys train_set_x and train_set_y; found x, y"),
    ({"train_set_x": _images(3).astype(float), "train_set_y": np.zeros(3)}, r"must be \(m, height, width, channels\) uint8"),
    ({"train_set_x": _images(3)[:, :, :, 0], "train_set_y": np.zeros(3)}, r"must be \(m, height, width, channels\)"),
    ({"train_set_x": _images(3), "train_set_y": np.zeros(4)}, r"one label per image \(3\)"),
    ({"train_set_x": _images(3), "train_set_y": np.array([0, 1, 2]), "list_classes": np.array([b"a", b"b"])},
     r"labels go up to 2 but list_classes names 2 classes"),
    ({"train_set_x": _images(3), "train_set_y": np.array([0, -1, 1])}, r"integer labels 0, 1"),
])
def test_bad_training_files(tmp_path, arrays, message):
    path = _write(tmp_path / "train_bad.h5", **arrays)
    with pytest.raises(DatasetError, match=message):
        load_course_h5(path)


def test_not_hdf5_truncated_and_mismatched_test_files(tmp_path):
    (tmp_path / "train_text.h5").write_text("hello")
    with pytest.raises(DatasetError, match="not a readable HDF5 file"):
        load_course_h5(tmp_path / "train_text.h5")
    good = _write(tmp_path / "train_cut.h5", train_set_x=_images(50), train_set_y=np.zeros(50))
    data = good.read_bytes()
    good.write_bytes(data[: len(data) // 3])
    with pytest.raises(DatasetError, match="not a readable HDF5 file|could not read"):
        load_course_h5(good)
    _write(tmp_path / "train_a.h5", train_set_x=_images(4), train_set_y=np.zeros(4))
    _write(tmp_path / "test_a.h5", test_set_x=_images(4, (4, 4, 3)), test_set_y=np.zeros(4))
    with pytest.raises(DatasetError, match=r"test images are \(4, 4, 3\) but training images are \(8, 8, 3\)"):
        load_course_h5(tmp_path / "train_a.h5")
