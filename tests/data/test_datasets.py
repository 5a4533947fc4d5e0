"""The Dataset record, the built-in sets by name, and load_dataset's choice between a name and a file."""

import dataclasses

import h5py
import numpy as np
import pytest

from visualtrainer.data import (BUILTIN_DATASETS, DEFAULT_NOISE, Dataset, DatasetError, load_builtin,
                                load_dataset, make_flower, make_moons, make_spiral, train_test_split)

TASKS = {"flower": "binary", "circles": "binary", "moons": "binary", "xor": "binary", "gaussian": "binary",
         "spiral": "multiclass", "tumor": "binary", "house": "regression"}


def test_dataset_properties_count_rows_columns_and_classes():
    data = Dataset("toy", np.zeros((3, 5)), np.zeros((1, 5), np.int64), np.zeros((3, 2)),
                   np.zeros((1, 2), np.int64), ("a", "b", "c"), "multiclass")
    assert (data.n_x, data.m, data.m_test, data.n_classes) == (3, 5, 2, 3)
    assert Dataset("reg", np.zeros((1, 4)), np.zeros((1, 4)), task="regression", classes=()).m_test == 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.name = "other"


def test_dataset_keeps_the_arrays_it_is_given():
    pixels = np.zeros((6, 12), np.uint8)
    X = pixels.T
    data = Dataset("img", X, np.zeros((1, 6), np.int64), classes=("no", "yes"), task="binary",
                   image_shape=(2, 2, 3))
    assert data.X_train is X and data.X_train.base is pixels


@pytest.mark.parametrize("kwargs, message", [
    (dict(Y_train=np.zeros(5)), r"^Y_train must be a \(1, m\) array; got shape \(5,\)\.$"),
    (dict(Y_train=np.zeros((1, 4))), r"same number of examples \(columns\); got X_train \(3, 5\) and Y_train \(1, 4\)"),
    (dict(X_train=[[1, 2]]), r"X_train must be a 2-D array \(n_x, m\); got list"),
    (dict(X_test=np.zeros((3, 2))), r"X_test and Y_test must both be arrays or both be None"),
    (dict(X_test=np.zeros((2, 2)), Y_test=np.zeros((1, 2))), r"X_test must have the n_x = 3 rows of X_train; got X_test \(2, 2\)"),
    (dict(task="softmax"), r"task must be one of binary, multiclass, regression; got 'softmax'"),
    (dict(classes=("a", "b", "c")), r"a binary dataset needs 2 class names; got classes \('a', 'b', 'c'\)"),
    (dict(task="regression"), r"a regression dataset needs no class names"),
    (dict(image_shape=(2, 2, 3)), r"image_shape \(2, 2, 3\) holds 12 values but X_train has n_x = 3 rows"),
])
def test_dataset_rejects_parts_that_do_not_fit(kwargs, message):
    parts = dict(name="toy", X_train=np.zeros((3, 5)), Y_train=np.zeros((1, 5), np.int64), classes=("a", "b"),
                 task="binary") | kwargs
    with pytest.raises(DatasetError, match=message):
        Dataset(**parts)


def test_builtin_names_come_in_menu_order_with_descriptions():
    assert list(BUILTIN_DATASETS) == ["flower", "circles", "moons", "xor", "gaussian", "spiral", "tumor", "house", "shapes"]
    assert all(isinstance(text, str) and text for text in BUILTIN_DATASETS.values())
    assert DEFAULT_NOISE == {"flower": 0.2, "circles": 0.05, "moons": 0.2, "xor": 0.3, "gaussian": 1.0,
                             "spiral": 0.2, "tumor": 0.5, "house": 0.1, "shapes": 0.1}


@pytest.mark.parametrize("name", [name for name in BUILTIN_DATASETS if name != "shapes"])  # pictures: test_shapes.py
def test_every_builtin_loads_with_its_task_classes_and_a_test_set(name):
    whole = load_builtin(name, seed=2)
    data = load_dataset(name, seed=2, test_fraction=0.2)
    assert data.name == name and data.task == TASKS[name] and data.image_shape is None
    assert data.m_test == round(0.2 * whole.m) and data.m + data.m_test == whole.m
    assert data.X_train.shape == (data.n_x, data.m) and data.X_test.shape == (data.n_x, data.m_test)
    assert data.n_x == (1 if name in ("tumor", "house") else 2) and data.X_train.dtype == np.float64
    assert data.Y_train.dtype == (np.float64 if name == "house" else np.int64)
    if data.task != "regression":
        assert set(np.unique(whole.Y_train)) == set(range(data.n_classes))
    assert whole.X_test is None


def test_builtin_class_names():
    assert load_builtin("flower").classes == ("red", "blue")
    assert load_builtin("moons").classes == ("class 0", "class 1")
    assert load_builtin("spiral").classes == ("class 0", "class 1", "class 2")
    assert load_builtin("house").classes == ()


def test_builtin_passes_seed_noise_and_size_to_its_generator_and_split():
    np.testing.assert_array_equal(load_builtin("flower").X_train, make_flower(noise=0.2, seed=1)[0])
    np.testing.assert_array_equal(load_builtin("moons", seed=4, noise=0.5, n_samples=60).X_train,
                                  make_moons(60, noise=0.5, seed=4)[0])
    np.testing.assert_array_equal(load_builtin("spiral", noise=None).X_train, make_spiral(noise=0.2)[0])
    data = load_builtin("moons", seed=7, test_fraction=0.25)
    expected = train_test_split(*make_moons(noise=0.2, seed=7), 0.25, 7)
    for got, want in zip((data.X_train, data.Y_train, data.X_test, data.Y_test), expected):
        np.testing.assert_array_equal(got, want)


def _course_file(folder, name, m, with_test=True):
    x = np.random.RandomState(0).randint(0, 256, (m, 4, 4, 3)).astype(np.uint8)
    with h5py.File(folder / f"train_{name}.h5", "w") as f:
        f["train_set_x"], f["train_set_y"] = x, np.arange(m) % 2
    if with_test:
        with h5py.File(folder / f"test_{name}.h5", "w") as f:
            f["test_set_x"], f["test_set_y"] = x[:3], np.arange(3) % 2
    return folder / f"train_{name}.h5", x


def test_load_dataset_opens_course_files_by_path(tmp_path):
    path, x = _course_file(tmp_path, "toy", 10)
    for spec in (path, str(path)):
        data = load_dataset(spec, noise=0.7)  # noise is for generated sets; files ignore it
        assert data.name == "toy" and data.m == 10 and data.m_test == 3 and data.X_train.dtype == np.uint8


def test_load_dataset_splits_a_file_without_a_test_file(tmp_path):
    path, x = _course_file(tmp_path, "solo", 10, with_test=False)
    data = load_dataset(path, seed=3, test_fraction=0.3)
    perm = np.random.RandomState(3).permutation(10)
    assert data.m == 7 and data.m_test == 3 and data.image_shape == (4, 4, 3)
    assert data.X_test.dtype == np.uint8 and data.X_test.flags.f_contiguous
    np.testing.assert_array_equal(data.X_test, x[perm[:3]].reshape(3, -1).T)


def test_load_dataset_refuses_to_split_a_file_that_has_a_test_file(tmp_path):
    path, _ = _course_file(tmp_path, "toy", 10)
    with pytest.raises(DatasetError, match=r"already has its test set \(3 examples in test_toy\.h5\); "
                                           r"test_fraction must be 0 for it; got 0\.2"):
        load_dataset(path, test_fraction=0.2)


@pytest.mark.parametrize("spec, message", [
    ("flowr", r"^unknown dataset 'flowr'; choose one of: flower, circles, moons, xor, gaussian, spiral, tumor, house, shapes, "
              r"or give the path of a course \.h5 training file\.$"),
    ("Flower", r"unknown dataset 'Flower'"),
    ("notes.txt", r"unknown dataset 'notes\.txt'"),
    ("missing/train_x.h5", r"^missing/train_x\.h5: no such file\.$"),
    ("missing/train_x.HDF5", r"missing/train_x\.HDF5: no such file"),
    (3, r"dataset must be a name or the path of a course \.h5 file; got int"),
])
def test_load_dataset_bad_specs(spec, message):
    with pytest.raises(DatasetError, match=message):
        load_dataset(spec)


@pytest.mark.parametrize("call, message", [
    (lambda: load_builtin("flowr"), r"unknown dataset 'flowr'; choose one of: flower, circles"),
    (lambda: load_builtin("flower", test_fraction=1.0), r"test_fraction must be a float in \[0, 1\); got 1\.0"),
    (lambda: load_builtin("flower", n_samples=7), r"n_samples must be a multiple of 2"),
    (lambda: load_builtin("house", noise=-0.5), r"noise must be a float >= 0; got -0\.5"),
    (lambda: load_dataset("moons", seed=-1), r"seed must be an integer"),
    (lambda: load_dataset("moons", test_fraction="x"), r"test_fraction must be a float in \[0, 1\); got 'x'"),
])
def test_bad_builtin_requests(call, message):
    with pytest.raises(DatasetError, match=message):
        call()


def test_a_test_set_drawn_apart_is_the_generator_with_its_own_seed():
    from visualtrainer.data import load_dataset, make_circles

    data = load_dataset("circles", seed=1, n_samples=300, test_samples=100, test_seed=2)
    X, Y = make_circles(300, noise=0.05, seed=1)
    Xt, Yt = make_circles(100, noise=0.05, seed=2)
    np.testing.assert_array_equal(data.X_train, X)
    np.testing.assert_array_equal(data.X_test, Xt)
    np.testing.assert_array_equal(data.Y_test, Yt)
    with pytest.raises(DatasetError, match="for generated sets"):
        load_dataset("nothere/train_x.h5", test_samples=10)


def test_the_built_in_sets_layout_is_known_without_drawing_them():
    from visualtrainer.data.builtin import builtin_layout

    for name in BUILTIN_DATASETS:
        data = load_builtin(name, n_samples=4) if name == "shapes" else load_builtin(name)
        assert builtin_layout(name) == (data.n_x, data.classes)


@pytest.mark.parametrize("Y, classes, message", [
    (np.array([[0, 3, 1]]), ("a", "b"), r"Y_train labels must be in 0 … 1 \(one per class: a, b\); got \[3\]"),
    (np.array([[0, 0.5, 1]]), ("a", "b"), r"Y_train must hold whole-number labels 0 … 1; got \[0\.5\]"),
    (np.array([[0.0, np.nan, 1.0]]), (), r"Y_train holds NaN or infinite targets"),
    (np.array([["a", "b", "c"]]), ("a", "b"), r"Y_train must hold numbers; got <U1"),
])
def test_labels_are_checked_when_a_dataset_is_made(Y, classes, message):
    with pytest.raises(DatasetError, match=message):
        Dataset("d", np.zeros((2, 3)), Y, None, None, classes, "binary" if classes else "regression")


def test_a_dataset_with_too_many_classes_or_bad_pixels():
    with pytest.raises(DatasetError, match=r"classes must be a tuple of at most 1000 names \(str\); got 1001"):
        Dataset("d", np.zeros((2, 3)), np.zeros((1, 3), np.int64), classes=tuple(map(str, range(1001))),
                task="multiclass")
    with pytest.raises(DatasetError, match=r"X_train must hold numbers \(uint8 pixels or floats\); got <U1"):
        Dataset("d", np.full((2, 3), "x"), np.zeros((1, 3), np.int64), classes=("a", "b"))
    with pytest.raises(DatasetError, match=r"X_test holds NaN or infinite values"):
        Dataset("d", np.zeros((2, 3)), np.zeros((1, 3), np.int64), np.full((2, 1), np.inf), np.zeros((1, 1)),
                classes=("a", "b"))
