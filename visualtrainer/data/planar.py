"""Generated 2-D (and 1-D) sets, each drawn from ``np.random.RandomState(seed)``: the course's flower and friends.

Every ``make_<name>(n_samples, *, noise, seed)`` returns X (n_x, m) float64, C-contiguous, one column per point,
and Y (1, m): int64 labels 0 … K−1, or float64 targets for ``make_house``. None touches the global np.random.
"""

import numpy as np

from ._checks import check_n_samples, check_noise, check_seed, is_integer, is_real, shown
from .dataset import DatasetError


def make_flower(n_samples=400, *, noise=0.2, seed=1):
    """The course's planar "flower" (``load_planar_dataset``): two classes on the petals r = 4·sin(4t).

    Class j takes N = m/2 angles t from ``linspace(3.12·j, 3.12·(j+1), N)``; both t and r get Gaussian noise.
    The draws are the course's, so seed 1 and noise 0.2 give its first point (1.204442, 3.576114).

    Parameters
    ----------
    n_samples : int
        m, an even number >= 4 (400 in the course).
    noise : float
        Standard deviation of the noise on t and on r (0.2 in the course).
    seed : int
        Seed of ``np.random.RandomState``.

    Returns
    -------
    X : ndarray (2, m) float64
    Y : ndarray (1, m) int64
        0 ("red") for the first m/2 points, 1 ("blue") for the rest.
    """
    m = check_n_samples(n_samples, multiple_of=2, why=" (two classes of m/2 points)")
    noise, rng = check_noise(noise), check_seed(seed)
    N, D, a = m // 2, 2, 4  # points per class, dimensions, maximum ray of the flower
    X = np.zeros((m, D))
    Y = np.zeros((m, 1), dtype=np.int64)
    for j in range(2):
        ix = range(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + rng.randn(N) * noise
        r = a * np.sin(4 * t) + rng.randn(N) * noise
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    return np.ascontiguousarray(X.T), np.ascontiguousarray(Y.T)


def _shuffle_and_jitter(rng, X, y, noise):
    """scikit-learn's last two steps, in its order of draws: ``utils.shuffle(X, y)``, then Gaussian noise.

    X (m, 2), y (m,) → X (2, m), Y (1, m).
    """
    order = np.arange(len(y))
    rng.shuffle(order)
    X, y = X[order], y[order]
    X += rng.normal(scale=noise, size=X.shape)
    return np.ascontiguousarray(X.T), y.reshape(1, -1)


def make_circles(n_samples=300, *, noise=0.05, seed=1, factor=0.8):
    """Two concentric circles, drawn exactly as scikit-learn's ``make_circles`` draws them.

    Equals ``sklearn.datasets.make_circles(n_samples, noise=noise, factor=factor,
    random_state=np.random.RandomState(seed))``, transposed; the course's Initialization notebook uses
    n_samples=300, noise=0.05 after ``np.random.seed(1)``.

    Parameters
    ----------
    n_samples : int
        m >= 4: m//2 points on the outer circle (radius 1), the rest on the inner one.
    noise : float
        Standard deviation of the Gaussian noise added to each coordinate.
    seed : int
        Seed of ``np.random.RandomState``.
    factor : float
        Radius of the inner circle, in [0, 1).

    Returns
    -------
    X : ndarray (2, m) float64
    Y : ndarray (1, m) int64
        0 for the outer circle, 1 for the inner one, in shuffled order.
    """
    m = check_n_samples(n_samples)
    noise, rng = check_noise(noise), check_seed(seed)
    if not is_real(factor) or not 0 <= factor < 1:
        raise DatasetError(f"factor must be a float in [0, 1) (the inner radius); got {shown(factor)}.")
    n_out, n_in = m // 2, m - m // 2
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.vstack([np.append(np.cos(t_out), np.cos(t_in) * factor),
                   np.append(np.sin(t_out), np.sin(t_in) * factor)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.int64), np.ones(n_in, dtype=np.int64)])
    return _shuffle_and_jitter(rng, X, y, noise)


def make_moons(n_samples=300, *, noise=0.2, seed=1):
    """Two interleaving half circles, drawn exactly as scikit-learn's ``make_moons`` draws them.

    Equals ``sklearn.datasets.make_moons(n_samples, noise=noise, random_state=np.random.RandomState(seed))``,
    transposed; the course's Optimization notebook uses n_samples=300, noise=0.2 after ``np.random.seed(3)``.

    Parameters
    ----------
    n_samples : int
        m >= 4: m//2 points on the upper moon, the rest on the lower one.
    noise : float
        Standard deviation of the Gaussian noise added to each coordinate.
    seed : int
        Seed of ``np.random.RandomState``.

    Returns
    -------
    X : ndarray (2, m) float64
    Y : ndarray (1, m) int64
        0 for the upper moon, 1 for the lower one, in shuffled order.
    """
    m = check_n_samples(n_samples)
    noise, rng = check_noise(noise), check_seed(seed)
    n_out, n_in = m // 2, m - m // 2
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    X = np.vstack([np.append(np.cos(t_out), 1 - np.cos(t_in)),
                   np.append(np.sin(t_out), 1 - np.sin(t_in) - 0.5)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.int64), np.ones(n_in, dtype=np.int64)])
    return _shuffle_and_jitter(rng, X, y, noise)


def make_xor(n_samples=400, *, noise=0.3, seed=1):
    """XOR: points uniform in [−1, 1]², class 1 where x1·x2 > 0 (quadrants I and III), then jittered.

    The labels are taken before the jitter, so noise > 0 moves some points across the axes: the larger
    the noise, the more the quadrants overlap.

    Parameters
    ----------
    n_samples : int
        m >= 4.
    noise : float
        Standard deviation of the Gaussian jitter added to each coordinate after labelling.
    seed : int
        Seed of ``np.random.RandomState``: first the m uniform points (2, m), then the jitter (2, m).

    Returns
    -------
    X : ndarray (2, m) float64
    Y : ndarray (1, m) int64
        1 where the unjittered x1·x2 > 0, else 0.
    """
    m = check_n_samples(n_samples)
    noise, rng = check_noise(noise), check_seed(seed)
    X = rng.uniform(-1.0, 1.0, size=(2, m))
    Y = (X[0] * X[1] > 0).astype(np.int64).reshape(1, m)
    return X + noise * rng.randn(2, m), Y


def make_gaussian(n_samples=400, *, noise=1.0, seed=1):
    """Two Gaussian blobs of standard deviation ``noise``, centred at (−1.5, −1.5) and (1.5, 1.5).

    Parameters
    ----------
    n_samples : int
        m >= 4: the first m//2 points are class 0, the rest class 1.
    noise : float
        Standard deviation of each blob, in each coordinate.
    seed : int
        Seed of ``np.random.RandomState``.

    Returns
    -------
    X : ndarray (2, m) float64
    Y : ndarray (1, m) int64
        0 for the blob at (−1.5, −1.5), 1 for the blob at (1.5, 1.5).
    """
    m = check_n_samples(n_samples)
    noise, rng = check_noise(noise), check_seed(seed)
    Y = np.repeat(np.array([0, 1], dtype=np.int64), [m // 2, m - m // 2]).reshape(1, m)
    X = np.where(Y == 0, -1.5, 1.5) + noise * rng.randn(2, m)
    return X, Y


def make_spiral(n_samples=300, *, noise=0.2, seed=1, n_classes=3):
    """CS231n's spiral, a set for softmax: ``n_classes`` arms of N = m/K points each.

    Arm k: r = linspace(0, 1, N), t = linspace(4k, 4(k+1), N) + noise·randn(N), point (r·sin t, r·cos t).

    Parameters
    ----------
    n_samples : int
        m, a multiple of ``n_classes``, >= 2·n_classes and >= 4.
    noise : float
        Standard deviation of the noise on the angle t.
    seed : int
        Seed of ``np.random.RandomState``.
    n_classes : int
        K >= 2 arms.

    Returns
    -------
    X : ndarray (2, m) float64
    Y : ndarray (1, m) int64
        k for the points of arm k, arm after arm.
    """
    if not is_integer(n_classes) or n_classes < 2:
        raise DatasetError(f"n_classes must be an integer >= 2; got {shown(n_classes)}.")
    K = int(n_classes)
    m = check_n_samples(n_samples, minimum=max(4, 2 * K), multiple_of=K, why=f" (n_classes = {K} arms)")
    noise, rng = check_noise(noise), check_seed(seed)
    N = m // K
    X = np.zeros((m, 2))
    Y = np.zeros((m, 1), dtype=np.int64)
    for k in range(K):
        ix = range(N * k, N * (k + 1))
        r = np.linspace(0.0, 1.0, N)
        t = np.linspace(k * 4, (k + 1) * 4, N) + rng.randn(N) * noise
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = k
    return np.ascontiguousarray(X.T), np.ascontiguousarray(Y.T)


#: Standard deviation of the price noise ($100k) per unit of ``noise``: noise 0.1 → ±$30k.
HOUSE_PRICE_SCALE = 3.0


def make_house(n_samples=50, *, noise=0.1, seed=1):
    """The course's first example, for regression: house size → price, a noisy straight line.

    size (1000 sq ft) is uniform in [0.5, 3.5]; price ($100k) = 0.5 + 1.5·size + 3·noise·randn. Values stay
    of order 1, so gradient descent with a learning rate near 0.1 converges.

    Parameters
    ----------
    n_samples : int
        m >= 4.
    noise : float
        Price noise: its standard deviation is ``HOUSE_PRICE_SCALE * noise`` ($100k).
    seed : int
        Seed of ``np.random.RandomState``: first the m sizes, then the m noise draws.

    Returns
    -------
    X : ndarray (1, m) float64
        Sizes, in 1000 sq ft.
    Y : ndarray (1, m) float64
        Prices, in $100k.
    """
    m = check_n_samples(n_samples)
    noise, rng = check_noise(noise), check_seed(seed)
    size = rng.uniform(0.5, 3.5, size=m)
    price = 0.5 + 1.5 * size + HOUSE_PRICE_SCALE * noise * rng.randn(m)
    return size.reshape(1, m), price.reshape(1, m)


TUMOR_THRESHOLD = 0.3


def make_tumor(n_samples=100, *, noise=0.5, seed=1):
    """Logistic regression's textbook case, on one feature: tumour size → malignant or benign.

    The size (standardised, so of order 1) is Gaussian; a tumour is malignant (1) when its size plus
    ``noise``·randn exceeds ``TUMOR_THRESHOLD``, so the classes overlap near the threshold and the best
    logistic regression has a finite w. With its two parameters w and b, J(w, b) can be drawn whole.

    Parameters
    ----------
    n_samples : int
        m >= 4.
    noise : float
        How far the label can stray from the size's side of the threshold (0: separable).
    seed : int
        Seed of ``np.random.RandomState``: first the m sizes, then the m noise draws.

    Returns
    -------
    X : ndarray (1, m) float64
    Y : ndarray (1, m) int64
    """
    m = check_n_samples(n_samples)
    noise, rng = check_noise(noise), check_seed(seed)
    size = rng.randn(m)
    malignant = size + noise * rng.randn(m) > TUMOR_THRESHOLD
    return size.reshape(1, m), malignant.astype(np.int64).reshape(1, m)
