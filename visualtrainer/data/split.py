"""Holding out a test set, with a seed."""

import numpy as np

from .dataset import DatasetError


def train_test_split(X, Y, test_fraction, seed):
    """Split columns of X (n_x, m) and Y (1, m): (X_train, Y_train, X_test, Y_test).

    The test set is the first round(test_fraction·m) examples of ``RandomState(seed).permutation(m)``; each part
    keeps the examples in their original order. test_fraction 0 gives X_test = Y_test = None.
    """
    if not 0.0 <= test_fraction < 1.0:
        raise DatasetError(f"test_fraction must be in [0, 1); got {test_fraction}.")
    m = X.shape[1]
    n_test = int(round(test_fraction * m))
    if n_test == 0:
        return X, Y, None, None
    if n_test >= m:
        raise DatasetError(f"test_fraction {test_fraction} leaves no training example out of {m}; lower it.")
    order = np.random.RandomState(seed).permutation(m)
    test, train = np.sort(order[:n_test]), np.sort(order[n_test:])
    return X[:, train], Y[:, train], X[:, test], Y[:, test]
