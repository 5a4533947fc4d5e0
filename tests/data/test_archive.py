"""Datasets saved in one .npz file open again as they were; bad files get one clear message."""

import json

import numpy as np
import pytest

from visualtrainer.data import Dataset, DatasetError, load_dataset, load_dataset_file, save_dataset


def _pictures(m=9, m_test=4, classes=("cat", "dog", "fox")):
    rng = np.random.RandomState(0)
    pixels = rng.randint(0, 256, (m + m_test, 5 * 4 * 3)).astype(np.uint8)
    labels = np.arange(m + m_test).reshape(1, -1) % len(classes)
    return Dataset("pets", pixels[:m].T, labels[:, :m], pixels[m:].T, labels[:, m:], classes,
                   "multiclass" if len(classes) > 2 else "binary", (5, 4, 3))


def test_a_saved_dataset_opens_as_it_was(tmp_path):
    data = _pictures()
    path = save_dataset(data, tmp_path / "pets")  # the suffix is added
    assert path.name == "pets.npz" and not (tmp_path / "pets.npz.part").exists()
    back = load_dataset(str(path))
    assert back.name == "pets" and back.classes == ("cat", "dog", "fox") and back.task == "multiclass"
    assert back.image_shape == (5, 4, 3) and back.X_train.dtype == np.uint8
    np.testing.assert_array_equal(back.X_train, data.X_train)
    np.testing.assert_array_equal(back.Y_train, data.Y_train)
    np.testing.assert_array_equal(back.X_test, data.X_test)
    np.testing.assert_array_equal(back.Y_test, data.Y_test)


def test_a_saved_set_without_a_test_set_is_split_when_asked(tmp_path):
    data = _pictures(m=20, m_test=0, classes=("a", "b"))
    data = Dataset(data.name, data.X_train, data.Y_train, None, None, data.classes, "binary", data.image_shape)
    path = save_dataset(data, tmp_path / "ab.npz")
    assert load_dataset(str(path)).X_test is None
    split = load_dataset(str(path), test_fraction=0.25, seed=3)
    assert split.m == 15 and split.m_test == 5


def test_generated_float_sets_round_trip_too(tmp_path):
    data = load_dataset("spiral", test_fraction=0.2)
    back = load_dataset_file(save_dataset(data, tmp_path / "s.npz"))
    assert back.X_train.dtype == np.float64 and back.image_shape is None
    np.testing.assert_array_equal(back.X_test, data.X_test)


def _bad_header(path, **header):
    with open(path, "wb") as handle:
        np.savez(handle, header=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8),
                 X_train=np.zeros((3, 2)), Y_train=np.zeros((1, 3), dtype=np.int64))


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b"not a zip at all"), r"not a readable dataset file"),
    (lambda p: p.write_bytes(b""), r"not a readable dataset file"),
    (lambda p: np.savez(p, X_train=np.zeros((2, 2))), r"not a visualtrainer dataset \(it has no header\)"),
    (lambda p: _bad_header(p, format="something-else"), r"not a visualtrainer dataset \(a 'something-else' file\)"),
    (lambda p: _bad_header(p, format="visualtrainer-dataset", version=99), r"written by a newer visualtrainer"),
])
def test_bad_dataset_files_say_what_is_wrong(tmp_path, make, message):
    path = tmp_path / "bad.npz"
    make(path)
    with pytest.raises(DatasetError, match=message):
        load_dataset(str(path))


def test_a_truncated_dataset_file_is_reported(tmp_path):
    path = save_dataset(_pictures(), tmp_path / "pets.npz")
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(DatasetError, match="not a readable dataset file"):
        load_dataset_file(path)


def test_a_missing_dataset_file(tmp_path):
    with pytest.raises(DatasetError, match="no such file"):
        load_dataset(str(tmp_path / "nothing.npz"))


def _forged(path, header, **arrays):
    with open(path, "wb") as handle:
        np.savez(handle, header=np.frombuffer(json.dumps({"format": "visualtrainer-dataset", "version": 1} | header)
                                              .encode(), dtype=np.uint8), **arrays)
    return path


X4, Y_OK = np.arange(12, dtype=np.uint8).reshape(4, 3), np.array([[0, 1, 0, 1]])


@pytest.mark.parametrize("header, arrays, message", [
    ({"classes": ["a", "b"]}, {"Y_train": np.array([[0, 5, 0, 1]])}, r"Y_train labels must be in 0 … 1 \(one per "
                                                                     r"class: a, b\); got \[5\]"),
    ({"classes": ["a", "b"]}, {"Y_train": np.array([[0, -1, 0, 1]])}, r"Y_train labels must be in 0 … 1"),
    ({"classes": ["a", "b"]}, {"Y_train": np.array([[0, 0.5, 0, 1]])}, r"Y_train must hold whole-number labels "
                                                                       r"0 … 1; got \[0\.5\]"),
    ({"classes": ["a", "b"]}, {"Y_train": np.array([[0, np.nan, 0, 1]])}, r"whole-number labels 0 … 1; got \[nan\]"),
    ({"classes": ["a", "b"]}, {"Y_train": np.array([["0", "1", "0", "1"]])}, r"Y_train must hold booleans or "
                                                                             r"integers"),
    ({"classes": ["a", "b"]}, {"X_train": np.array([["1", "2", "3"]] * 4)}, r"X_train must hold unsigned integers or "
                                                                            r"integers or floats; it holds <U1"),
    ({"classes": ["a", "b"]}, {"X_train": np.where(np.eye(4, 3) > 0, np.nan, 1.0)}, r"X_train holds NaN or "
                                                                                     r"infinite values"),
    ({"classes": ["c"] * 100_000}, {}, r"it names 100,000 classes; a dataset may have at most 1,000"),
    ({"classes": ["a", "b"], "image_shape": [2, 2, 1]}, {}, r"image size \(2, 2, 1\) gives 4 values but its "
                                                            r"examples have 3"),
    ({"classes": ["a", "b"], "image_shape": "64x64"}, {}, r"image size 64x64 is not \(height, width, channels\)"),
    ({"classes": ["a", "b"], "task": "dreaming"}, {}, r"its task is 'dreaming', not one of binary, multiclass"),
    ({"classes": ["a", "b"]}, {"Y_train": np.array([[0, 1, 0]])}, r"Y_train is \(1, 3\) but X_train holds 4 examples"),
    ({"classes": ["a", "b"]}, {"X_train": np.zeros((4, 3, 1))}, r"X_train is \(4, 3, 1\), not \(m, n_x\)"),
    ({"classes": []}, {"Y_train": np.array([[0.5, np.inf, 1, 2]])}, r"Y_train holds NaN or infinite targets"),
])
def test_a_dataset_file_is_validated_whole_before_anything_is_built(tmp_path, header, arrays, message):
    path = _forged(tmp_path / "bad.npz", header | {"task": header.get("task", "binary" if header.get("classes")
                                                                       else "regression")},
                   **({"X_train": X4, "Y_train": Y_OK} | arrays))
    with pytest.raises(DatasetError, match=message) as caught:
        load_dataset_file(path)
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


def test_whole_number_float_labels_read_as_classes(tmp_path):
    path = _forged(tmp_path / "f.npz", {"classes": ["a", "b"], "task": "binary"}, X_train=X4,
                   Y_train=np.array([[0.0, 1.0, 1.0, 0.0]]))
    data = load_dataset_file(path)
    assert data.Y_train.dtype == np.int64 and data.Y_train.tolist() == [[0, 1, 1, 0]]


def test_a_dataset_over_the_memory_budget_is_refused_before_reading(tmp_path):
    path = save_dataset(_pictures(m=200, m_test=0), tmp_path / "p.npz")
    with pytest.raises(DatasetError, match=r"X_train would need 12\.1 KB of memory, more than the 10\.0 KB"):
        load_dataset_file(path, budget=10_000)


def test_saving_over_a_dataset_replaces_it_whole(tmp_path):
    path = save_dataset(_pictures(), tmp_path / "pets.npz")
    save_dataset(_pictures(m=5, m_test=2), path)
    assert load_dataset_file(path).m == 5 and sorted(p.name for p in tmp_path.iterdir()) == ["pets.npz"]
