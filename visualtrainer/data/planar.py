"""Generated 2-D (and 1-D) sets, each drawn from ``np.random.RandomState(seed)``: the course's flower and friends.

Each ``make_<name>`` returns X (n_x, m) float64 and Y (1, m): int64 labels, or float64 targets for ``make_house``.
"""

import numbers

import numpy as np

from .dataset import DatasetError


def _check(n_samples, noise, seed, minimum=4):
    if isinstance(n_samples, bool) or not isinstance(n_samples, numbers.Integral) or n_samples < minimum:
        raise DatasetError(f"n_samples must be an integer >= {minimum}; got {n_samples!r}.")
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real) or not np.isfinite(noise) or noise < 0:
        raise DatasetError(f"noise must be a float >= 0; got {noise!r}.")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise DatasetError(f"seed must be an integer >= 0; got {seed!r}.")
    return np.random.RandomState(seed)


def make_flower(n_samples=400, noise=0.2, seed=1):
    """The course's planar "flower": two classes of N = m/2 points on the petals r = 4·sin(4t), with noise."""
    rng = _check(n_samples, noise, seed)
    N, a = n_samples // 2, 4
    X = np.zeros((2 * N, 2))
    Y = np.zeros(2 * N, dtype=np.int64)
    for j in range(2):
        ix = range(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + rng.randn(N) * noise
        r = a * np.sin(4 * t) + rng.randn(N) * noise
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    return X.T.copy(), Y.reshape(1, -1)


def _shuffle_and_jitter(rng, X, y, noise):
    """scikit-learn's order of draws: shuffle the examples, then add Gaussian noise."""
    order = np.arange(len(y))
    rng.shuffle(order)
    X, y = X[order], y[order]
    if noise:
        X = X + rng.normal(scale=noise, size=X.shape)
    return X.T.copy(), y.reshape(1, -1)


def make_circles(n_samples=300, noise=0.05, seed=1, factor=0.8):
    """Two concentric circles (inner radius ``factor``), drawn as scikit-learn's make_circles draws them."""
    rng = _check(n_samples, noise, seed)
    if not 0 < factor < 1:
        raise DatasetError(f"factor must be in (0, 1); got {factor}.")
    n_out, n_in = n_samples // 2, n_samples - n_samples // 2
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.vstack([np.append(np.cos(t_out), np.cos(t_in) * factor),
                   np.append(np.sin(t_out), np.sin(t_in) * factor)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.int64), np.ones(n_in, dtype=np.int64)])
    return _shuffle_and_jitter(rng, X, y, noise)


def make_moons(n_samples=300, noise=0.2, seed=1):
    """Two interleaving half circles, drawn as scikit-learn's make_moons draws them."""
    rng = _check(n_samples, noise, seed)
    n_out, n_in = n_samples // 2, n_samples - n_samples // 2
    X = np.vstack([np.append(np.cos(np.linspace(0, np.pi, n_out)), 1 - np.cos(np.linspace(0, np.pi, n_in))),
                   np.append(np.sin(np.linspace(0, np.pi, n_out)),
                             1 - np.sin(np.linspace(0, np.pi, n_in)) - 0.5)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.int64), np.ones(n_in, dtype=np.int64)])
    return _shuffle_and_jitter(rng, X, y, noise)


def make_xor(n_samples=400, noise=0.1, seed=1):
    """Points uniform in [−1, 1]², class 1 where x1·x2 > 0 (before the Gaussian jitter of std ``noise``)."""
    rng = _check(n_samples, noise, seed)
    X = rng.uniform(-1, 1, (2, n_samples))
    Y = (X[0] * X[1] > 0).astype(np.int64).reshape(1, -1)
    return X + noise * rng.randn(2, n_samples), Y


def make_gaussian(n_samples=400, noise=1.0, seed=1):
    """Two Gaussian blobs of std ``noise`` centred at (−1.5, −1.5) (class 0) and (1.5, 1.5) (class 1)."""
    rng = _check(n_samples, noise, seed)
    half = n_samples // 2
    Y = np.repeat([0, 1], [half, n_samples - half]).astype(np.int64)
    X = np.where(Y == 0, -1.5, 1.5) + noise * rng.randn(2, n_samples)
    return X, Y.reshape(1, -1)


def make_spiral(n_samples=300, noise=0.2, seed=1, n_classes=3):
    """CS231n's spiral: ``n_classes`` arms, r = 0 … 1, t from 4k to 4(k+1) plus noise: a set for softmax."""
    rng = _check(n_samples, noise, seed, minimum=2 * n_classes)
    N = n_samples // n_classes
    X = np.zeros((N * n_classes, 2))
    Y = np.zeros(N * n_classes, dtype=np.int64)
    for k in range(n_classes):
        ix = range(N * k, N * (k + 1))
        r = np.linspace(0.0, 1.0, N)
        t = np.linspace(k * 4, (k + 1) * 4, N) + rng.randn(N) * noise
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = k
    return X.T.copy(), Y.reshape(1, -1)


def make_house(n_samples=50, noise=0.1, seed=1):
    """The course's first example: size (1000 sq ft, 0.5 … 3.5) → price ($100k) = 0.5 + 1.5·size + noise·randn·3."""
    rng = _check(n_samples, noise, seed, minimum=2)
    size = rng.uniform(0.5, 3.5, n_samples)
    price = 0.5 + 1.5 * size + noise * 3 * rng.randn(n_samples)
    return size.reshape(1, -1), price.reshape(1, -1)
