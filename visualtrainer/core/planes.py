"""Planes of parameter space to draw the cost on: two named parameters, the path's principal components, or two
filter-normalised random directions; and the path projected onto a plane.

Parameters are named as numpy indexes them in ``Network.params_``, counting from 0: ``W2[0,3]``, ``b1[2]``.
"""

import re
from dataclasses import dataclass, field

import numpy as np

PLANE_KINDS = ("weights", "pca", "random")
#: The principal components of a long path of a large network come from an even subsample of it, of at most k
#: points with k²·p below this (k = 24 points for the 86,000 parameters of the cat 12288-7-1 network).
PCA_WORK = 5e7
#: The PCA reads the path this many bytes of parameters at a time (a block stays in the cache while it is used).
PCA_BLOCK_BYTES = 2**22
_NAME = re.compile(r"^\s*([Wb])\[?(\d+)\]?\s*\[\s*(\d+)\s*(?:,\s*(\d+)\s*)?\]\s*$")


# -- parameters by name -----------------------------------------------------------------------------------------
def parameter_names(layer_dims):
    """Every parameter's name, in the order of the flat vector θ (W1 row by row, b1, W2, b2, …)."""
    names = []
    for l in range(1, len(layer_dims)):
        rows, cols = int(layer_dims[l]), int(layer_dims[l - 1])
        names += [f"W{l}[{j},{k}]" for j in range(rows) for k in range(cols)]
        names += [f"b{l}[{j}]" for j in range(rows)]
    return names


def parameter_index(name, layer_dims):
    """The position in θ of the parameter ``name`` ("W1[0,3]", "b2[0]"; "W[1][0,3]" also reads)."""
    match = _NAME.match(name)
    if not match:
        raise ValueError(f"{name!r} is not a parameter name; write a weight as W<layer>[<row>,<column>] "
                         "and a bias as b<layer>[<row>], counting rows and columns from 0 (e.g. W1[0,1], b2[0]).")
    kind, layer, row, col = match.group(1), int(match.group(2)), int(match.group(3)), match.group(4)
    L = len(layer_dims) - 1
    if not 1 <= layer <= L:
        raise ValueError(f"{name!r}: the network's layers with parameters are 1 to {L}.")
    rows, cols = int(layer_dims[layer]), int(layer_dims[layer - 1])
    if kind == "b" and col not in (None, "0"):
        raise ValueError(f"{name!r}: b{layer} has one column; write b{layer}[{row}].")
    if kind == "W" and col is None:
        raise ValueError(f"{name!r}: a weight needs a row and a column, e.g. W{layer}[{row},0].")
    if row >= rows or (kind == "W" and int(col) >= cols):
        shape = f"{rows}×{cols}" if kind == "W" else f"{rows}×1"
        raise ValueError(f"{name!r} is outside {kind}{layer}, which is {shape} (rows and columns count from 0).")
    offset = sum(int(layer_dims[k]) * int(layer_dims[k - 1]) + int(layer_dims[k]) for k in range(1, layer))
    if kind == "W":
        return offset + row * cols + int(col)
    return offset + rows * cols + row


def flat_parameters(params, n_layers):
    """θ as one float64 vector from a dict like ``Network.params_`` (W1, b1, …, WL, bL in that order)."""
    parts = []
    for l in range(1, n_layers + 1):
        parts += [np.asarray(params[f"W{l}"], dtype=np.float64).ravel(),
                  np.asarray(params[f"b{l}"], dtype=np.float64).ravel()]
    return np.concatenate(parts)


# -- directions -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Plane:
    """Two directions in parameter space and what to call them.

    ``explained`` holds the share of the path's variance along each (kind "pca"), ``indices`` the two
    parameters (kind "weights").
    """

    kind: str
    d1: np.ndarray = field(repr=False)
    d2: np.ndarray = field(repr=False)
    labels: tuple
    explained: tuple | None = None
    indices: tuple | None = None


def weight_plane(layer_dims, names):
    """The plane of two parameters, by name or by position in θ."""
    if len(names) != 2:
        raise ValueError(f"a plane needs two parameters; got {len(names)}.")
    all_names = parameter_names(layer_dims)
    indices = tuple(n if isinstance(n, (int, np.integer)) else parameter_index(n, layer_dims) for n in names)
    if indices[0] == indices[1]:
        raise ValueError(f"pick two different parameters; both are {all_names[indices[0]]}.")
    d1, d2 = np.zeros(len(all_names)), np.zeros(len(all_names))
    d1[indices[0]] = d2[indices[1]] = 1.0
    labels = (all_names[indices[0]], all_names[indices[1]])
    if len(all_names) == 2:  # logistic or linear regression on one feature: the course's w and b
        labels = tuple(f"{symbol} = {name}" for symbol, name in zip("wb", labels))
    return Plane("weights", d1, d2, labels, indices=indices)


def _rows(path):
    """The points of ``path``: an array (k, p), one θ (p,), or a sequence of θ (k arrays (p,), any float dtype)."""
    if isinstance(path, np.ndarray):
        return list(np.atleast_2d(path))
    return list(path)


def moving_parameters(path):
    """The two parameters that moved most along ``path`` (k, p), by the range of their values."""
    rows = _rows(path)
    low, high = np.array(rows[0], dtype=np.float64), np.array(rows[0], dtype=np.float64)
    for row in rows[1:]:
        np.minimum(low, row, out=low)
        np.maximum(high, row, out=high)
    spread = high - low
    order = np.argsort(-spread, kind="stable")
    return sorted(int(i) for i in order[:2])


def whole_percent(share):
    """A share as a whole percentage, "under 1%" and "over 99%" at the ends (words: an axis label is HTML, where
    "<" begins a tag): a label that holds still while a path grows (a new label re-lays out its axis), where the
    tenths changed with every surface."""
    percent = 100 * share
    if percent == 0:
        return "0%"
    return "under 1%" if percent < 1 else "over 99%" if percent > 99 else f"{percent:.0f}%"


def pca_plane(path, seed=0):
    """The first two principal components of the parameters along ``path`` (k, p): orthonormal directions.

    Where the path has fewer than two directions of variance (one or two points), the missing direction is a
    seeded random unit vector orthogonal to the other, with an explained share of 0.
    Works through the path a block of parameters at a time (two passes, no copy of the path): for a large network
    the path is tens of megabytes, and stacking and centring it whole evicted the training's data from the caches.
    """
    rows = _rows(path)
    p = len(rows[0])
    gram = np.zeros((len(rows), len(rows)))  # (k, k): cheaper than an SVD of (k, p) when p is large
    for block in _centred_blocks(rows):
        gram += block @ block.T
    values, vectors = np.linalg.eigh(gram)
    values, vectors = values[::-1], vectors[:, ::-1]
    total = values.clip(min=0).sum()
    kept = [k for k in range(min(2, len(values))) if total > 0 and values[k] > total * 1e-12]
    dirs, shares = [], [float(values[k] / total) for k in kept]
    if kept:
        D = np.empty((len(kept), p))
        start = 0
        for block in _centred_blocks(rows):
            D[:, start : start + block.shape[1]] = vectors[:, kept].T @ block
            start += block.shape[1]
        dirs = [d / np.linalg.norm(d) for d in D]
    rng = np.random.RandomState(seed)
    while len(dirs) < 2:
        d = rng.randn(p)
        for other in dirs:
            d -= (d @ other) * other
        dirs.append(d / np.linalg.norm(d))
        shares.append(0.0)
    labels = tuple(f"PC{k + 1} ({whole_percent(share)} of the path)" for k, share in enumerate(shares))
    return Plane("pca", dirs[0], dirs[1], labels, explained=tuple(shares))


def _centred_blocks(rows):
    """The points' parameters a block of columns at a time, in float64 and centred on their mean: (k, width)."""
    width = max(64, PCA_BLOCK_BYTES // (8 * len(rows)))
    for start in range(0, len(rows[0]), width):
        block = np.array([row[start : start + width] for row in rows], dtype=np.float64)
        block -= block.mean(axis=0)
        yield block


def random_plane(theta, layer_dims, seed=0):
    """Two Gaussian directions, each neuron's incoming weights scaled to the norm of that neuron's weights in
    ``theta``, biases at zero (filter normalisation)."""
    theta = np.asarray(theta, dtype=np.float64)
    rng = np.random.RandomState(seed)
    dirs = []
    for _ in range(2):
        d = rng.randn(theta.size)
        offset = 0
        for l in range(1, len(layer_dims)):
            rows, cols = int(layer_dims[l]), int(layer_dims[l - 1])
            W = theta[offset : offset + rows * cols].reshape(rows, cols)
            D = d[offset : offset + rows * cols].reshape(rows, cols)
            D *= (np.linalg.norm(W, axis=1) / np.linalg.norm(D, axis=1))[:, None]
            offset += rows * cols
            d[offset : offset + rows] = 0.0
            offset += rows
        if not np.any(d):
            raise ValueError("random directions are scaled to the weights, and every weight is zero: "
                             "train for a few iterations, or pick two weights or the path's plane.")
        dirs.append(d)
    return Plane("random", dirs[0], dirs[1], ("random direction 1", "random direction 2"))


class Projection:
    """(a, b) of points θ ≈ centre + a·d1 + b·d2 (least squares) on one plane through one centre.

    The plane's Gram matrix and the centre's coordinates are worked out once: a window that extends a drawn path
    a few points at a time pays only for the new points.
    """

    def __init__(self, centre, plane):
        self.D = np.stack([plane.d1, plane.d2]).astype(np.float64)
        self.gram = self.D @ self.D.T
        self.offset = self.D @ np.asarray(centre, dtype=np.float64)

    def __call__(self, path):
        """(k, 2) for ``path`` (k, p), or a sequence of θ: point by point, without stacking the path (for a large
        network a path is tens of megabytes)."""
        rows = _rows(path)
        if not rows:
            return np.zeros((0, 2))
        inner = np.array([self.D @ np.asarray(row, dtype=np.float64) for row in rows]) - self.offset
        return np.linalg.solve(self.gram, inner.T).T


def project(path, centre, plane):
    """(a, b) of each point of ``path`` (k, p) (or a sequence of θ), for θ ≈ centre + a·d1 + b·d2 (least squares)."""
    return Projection(centre, plane)(path)


def _subsample(path, work):
    """At most as many points of ``path`` as keep k²·p under ``work``, evenly spread and with the last."""
    rows = _rows(path)
    k = max(3, int(np.sqrt(work / max(len(rows[0]), 1))))
    if len(rows) > k:
        rows = [rows[i] for i in np.unique(np.linspace(0, len(rows) - 1, k).round().astype(int))]
    return rows


def make_plane(kind, net, path, names=None, seed=0):
    """The plane of ``kind`` for ``net`` and the recorded ``path`` (k, p): see ``PLANE_KINDS``."""
    if kind == "weights":
        return weight_plane(net.layer_dims, names or moving_parameters(path))
    if kind == "pca":
        return pca_plane(_subsample(path, PCA_WORK), seed)
    if kind == "random":
        return random_plane(_rows(path)[-1], net.layer_dims, seed)
    raise ValueError(f"unknown kind of plane {kind!r}; choose from {', '.join(PLANE_KINDS)}.")
