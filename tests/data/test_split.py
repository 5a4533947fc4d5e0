"""Holding out a test set: which columns go where, and every bad request."""

import numpy as np
import pytest

from visualtrainer.data import DatasetError, train_test_split


def _numbered(m, n_x=3):
    """X (n_x, m) whose column j is j·10 + row, and Y (1, m) = j: every column says where it came from."""
    X = np.arange(m)[None, :] * 10.0 + np.arange(n_x)[:, None]
    return X, np.arange(m).reshape(1, m)


def test_the_test_set_is_the_start_of_the_seeded_permutation():
    X, Y = _numbered(20)
    X_tr, Y_tr, X_te, Y_te = train_test_split(X, Y, 0.25, seed=5)
    perm = np.random.RandomState(5).permutation(20)
    np.testing.assert_array_equal(Y_te[0], perm[:5])
    np.testing.assert_array_equal(Y_tr[0], perm[5:])
    np.testing.assert_array_equal(X_te, X[:, perm[:5]])  # X's columns travel with their labels
    np.testing.assert_array_equal(X_tr, X[:, perm[5:]])


@pytest.mark.parametrize("m, fraction, m_test", [(400, 0.2, 80), (10, 0.25, 2), (10, 0.35, 4), (7, 0.5, 4),
                                                 (3, 0.5, 2), (209, 0.1, 21)])
def test_sizes_round_the_fraction_and_cover_every_example_once(m, fraction, m_test):
    X, Y = _numbered(m)
    X_tr, Y_tr, X_te, Y_te = train_test_split(X, Y, fraction, seed=0)
    assert X_te.shape == (3, m_test) and Y_te.shape == (1, m_test)
    assert X_tr.shape == (3, m - m_test) and Y_tr.shape == (1, m - m_test)
    assert sorted(np.concatenate([Y_tr[0], Y_te[0]])) == list(range(m))


def test_seeds_repeat_and_differ():
    X, Y = _numbered(50)
    first = train_test_split(X, Y, 0.3, seed=1)[3]
    np.testing.assert_array_equal(first, train_test_split(X, Y, 0.3, seed=1)[3])
    assert not np.array_equal(first, train_test_split(X, Y, 0.3, seed=2)[3])


def test_no_test_set_for_zero_or_a_share_that_rounds_to_nothing():
    X, Y = _numbered(10)
    for fraction in (0, 0.0, 0.04):
        X_tr, Y_tr, X_te, Y_te = train_test_split(X, Y, fraction, seed=1)
        assert X_tr is X and Y_tr is Y and X_te is None and Y_te is None


def test_uint8_pixels_stay_uint8_and_f_contiguous():
    pixels = np.random.RandomState(0).randint(0, 256, (30, 12)).astype(np.uint8)  # (m, n_x), C-contiguous
    X = pixels.T
    X_tr, _, X_te, _ = train_test_split(X, np.zeros((1, 30), np.int64), 0.2, seed=3)
    for part in (X_tr, X_te):
        assert part.dtype == np.uint8 and part.flags.f_contiguous
    perm = np.random.RandomState(3).permutation(30)
    np.testing.assert_array_equal(X_te, pixels[perm[:6]].T)


@pytest.mark.parametrize("X, Y, fraction, seed, message", [
    (np.zeros((2, 10)), np.zeros((1, 10)), 1.0, 0, r"^test_fraction must be a float in \[0, 1\); got 1\.0\. Use 0"),
    (np.zeros((2, 10)), np.zeros((1, 10)), -0.1, 0, r"test_fraction must be a float in \[0, 1\); got -0\.1"),
    (np.zeros((2, 10)), np.zeros((1, 10)), float("nan"), 0, r"test_fraction .*; got nan"),
    (np.zeros((2, 10)), np.zeros((1, 10)), "0.2", 0, r"test_fraction .*; got '0\.2'"),
    (np.zeros((2, 10)), np.zeros((1, 10)), True, 0, r"test_fraction .*; got True"),
    (np.zeros((2, 10)), np.zeros((1, 10)), 0.96, 0, r"test_fraction 0\.96 of 10 examples .* leaves no training"),
    (np.zeros((2, 3)), np.zeros((1, 3)), 0.9, 0, r"leaves no training example"),
    (np.zeros((2, 10)), np.zeros((1, 9)), 0.2, 0,
     r"same number of examples \(columns\); got X \(2, 10\) and Y \(1, 9\)"),
    (np.zeros(10), np.zeros((1, 10)), 0.2, 0, r"must be 2-D .*; got X \(10,\)"),
    (np.zeros((2, 10)), np.zeros((1, 10)), 0.2, -3, r"seed must be an integer in 0 … 4294967295; got -3"),
])
def test_bad_requests(X, Y, fraction, seed, message):
    with pytest.raises(DatasetError, match=message):
        train_test_split(X, Y, fraction, seed)
