"""Holding out a test set: a seeded random share of the examples (columns)."""

import numpy as np

from ._checks import check_seed, check_test_fraction, shown
from .dataset import DatasetError


def train_test_split(X, Y, test_fraction, seed):
    """Split the examples (columns) of X and Y into a training part and a test part.

    With ``perm = np.random.RandomState(seed).permutation(m)``, the test set is ``perm[:m_test]`` and the
    training set ``perm[m_test:]``, in that permuted order, where ``m_test = round(test_fraction * m)``.
    An F-contiguous X (uint8 pixels from ``flatten_images``) gives F-contiguous parts, without a float copy.

    Parameters
    ----------
    X : ndarray (n_x, m)
        Features.
    Y : ndarray (n_y, m)
        Labels or targets, usually (1, m).
    test_fraction : float
        Share of the examples to hold out, in [0, 1). 0 (or a share that rounds to no example) holds out none.
    seed : int
        Seed of the permutation, 0 … 2**32 − 1.

    Returns
    -------
    X_train : ndarray (n_x, m − m_test)
    Y_train : ndarray (n_y, m − m_test)
    X_test : ndarray (n_x, m_test) or None
        None when no example is held out (then X_train is X itself).
    Y_test : ndarray (n_y, m_test) or None

    Raises
    ------
    DatasetError
        For a test_fraction outside [0, 1), one that would leave no training example, a bad seed, or X and
        Y that are not 2-D with the same number of columns.
    """
    test_fraction = check_test_fraction(test_fraction)
    rng = check_seed(seed)
    X, Y = np.asarray(X), np.asarray(Y)
    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != Y.shape[1]:
        raise DatasetError("X (n_x, m) and Y (1, m) must be 2-D with the same number of examples (columns); "
                           f"got X {X.shape} and Y {Y.shape}.")
    m = X.shape[1]
    m_test = round(test_fraction * m)
    if m_test == 0:
        return X, Y, None, None
    if m_test >= m:
        raise DatasetError(f"test_fraction {shown(test_fraction)} of {m} examples holds out all {m} and leaves "
                           "no training example; use a smaller test_fraction.")
    perm = rng.permutation(m)
    test, train = perm[:m_test], perm[m_test:]
    return _columns(X, train), _columns(Y, train), _columns(X, test), _columns(Y, test)


def _columns(A, index):
    """Columns ``index`` of A (k, m) as a new (k, len(index)) array, F-contiguous when A is."""
    if A.flags.f_contiguous and not A.flags.c_contiguous:
        return A.T[index].T
    return A[:, index]
