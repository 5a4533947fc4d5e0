"""The generated sets: the course's flower and scikit-learn's circles and moons to the digit, and the others' shapes."""

import numpy as np
import pytest

from visualtrainer.data import (BUILTIN_DATASETS, DatasetError, load_builtin, load_dataset, make_circles,
                                make_flower, make_gaussian, make_house, make_moons, make_spiral, make_xor,
                                train_test_split)


def test_flower_first_point_is_the_courses():
    X, Y = make_flower(seed=1)
    assert X.shape == (2, 400) and Y.shape == (1, 400)
    np.testing.assert_allclose(X[:, 0], [1.204442, 3.576114], atol=5e-7)
    assert (Y[0, :200] == 0).all() and (Y[0, 200:] == 1).all()


def test_circles_and_moons_equal_scikit_learns():
    # printed by scikit-learn 1.x: make_circles(300, noise=0.05) and make_moons(300, noise=0.2),
    # each with random_state=np.random.RandomState(1), as the course's notebooks draw them after np.random.seed
    X, Y = make_circles(300, noise=0.05, seed=1)
    np.testing.assert_allclose(X[:, :3].T, [[-0.07741354, 0.85260226], [0.4318696, -0.87214504],
                                            [0.07916502, 0.8406611]], atol=1e-8)
    np.testing.assert_array_equal(Y[0, :6], [1, 0, 1, 1, 0, 0])
    X, Y = make_moons(300, noise=0.2, seed=1)
    np.testing.assert_allclose(X[:, :3].T, [[0.21073485, -0.0159868], [-0.82910413, 0.65187765],
                                            [0.2423251, 0.00739577]], atol=1e-8)
    np.testing.assert_array_equal(Y[0, :6], [1, 0, 1, 1, 0, 0])


@pytest.mark.parametrize("make, n_x, n_classes", [(make_flower, 2, 2), (make_circles, 2, 2), (make_moons, 2, 2),
                                                  (make_xor, 2, 2), (make_gaussian, 2, 2), (make_spiral, 2, 3)])
def test_classification_sets_are_balanced_and_seeded(make, n_x, n_classes):
    X, Y = make(n_samples=300, seed=3)
    assert X.shape == (n_x, 300) and X.dtype == np.float64 and Y.dtype == np.int64
    counts = np.bincount(Y[0], minlength=n_classes)
    assert len(counts) == n_classes and counts.min() >= 300 // n_classes * 0.7
    again, _ = make(n_samples=300, seed=3)
    other, _ = make(n_samples=300, seed=4)
    np.testing.assert_array_equal(X, again)
    assert not np.allclose(X, other)


def test_xor_labels_follow_the_quadrants_without_noise():
    X, Y = make_xor(200, noise=0.0, seed=0)
    np.testing.assert_array_equal(Y[0], (X[0] * X[1] > 0).astype(int))


def test_house_is_a_noisy_line():
    X, Y = make_house(200, noise=0.1, seed=0)
    slope, intercept = np.polyfit(X[0], Y[0], 1)
    assert slope == pytest.approx(1.5, abs=0.1) and intercept == pytest.approx(0.5, abs=0.2)
    assert load_builtin("house").task == "regression"


def test_split_is_seeded_disjoint_and_complete():
    X = np.arange(20, dtype=float).reshape(1, 20)
    Xtr, Ytr, Xte, Yte = train_test_split(X, X.astype(int), 0.25, seed=5)
    assert Xte.shape == (1, 5) and Xtr.shape == (1, 15)
    assert sorted(np.concatenate([Xtr[0], Xte[0]])) == list(range(20))
    np.testing.assert_array_equal(Xte, train_test_split(X, X, 0.25, seed=5)[2])
    assert not np.array_equal(Xte, train_test_split(X, X, 0.25, seed=6)[2])
    assert train_test_split(X, X, 0.0, 1)[2] is None


@pytest.mark.parametrize("name", list(BUILTIN_DATASETS))
def test_every_builtin_loads_with_a_test_set(name):
    data = load_dataset(name, seed=2, test_fraction=0.2)
    assert data.m_test == pytest.approx(0.2 * (data.m + data.m_test), abs=1)
    assert data.X_train.shape[0] == data.n_x == data.X_test.shape[0]


@pytest.mark.parametrize("call, message", [
    (lambda: load_dataset("flowr"), r"unknown dataset 'flowr'; choose one of: flower, circles"),
    (lambda: make_flower(noise=-1), r"noise must be a float >= 0; got -1"),
    (lambda: make_moons(n_samples=2), r"n_samples must be an integer >= 4; got 2"),
    (lambda: load_builtin("flower", test_fraction=1.0), r"test_fraction must be in \[0, 1\); got 1\.0"),
    (lambda: load_dataset("missing/train_x.h5"), r"missing/train_x\.h5: no such file"),
])
def test_bad_requests(call, message):
    with pytest.raises(DatasetError, match=message):
        call()
