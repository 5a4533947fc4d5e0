"""The cost J over a plane of parameter space, and the path training took, projected onto it.

θ = θc + a·d1 + b·d2 for (a, b) on a grid. Three kinds of plane (``PLANE_KINDS``):

- "weights": d1, d2 pick two parameters (a weight or a bias each), so the axes are those parameters' values.
  For a model with exactly two parameters (logistic or linear regression on one feature) this is J(w, b)
  itself, the bowl of the course's gradient descent figure.
- "pca": the first two principal components of the recorded parameters, the plane the path itself spans
  most (Li et al. 2018, "Visualizing the Loss Landscape of Neural Nets"), with the share of variance of each.
- "random": two Gaussian directions scaled neuron by neuron to the norm of that neuron's incoming weights,
  biases left out (the same paper's filter normalisation).

Parameters are named as numpy indexes them in ``Network.params_``, counting from 0: ``W2[0,3]``, ``b1[2]``.
"""

import re
import time
from dataclasses import dataclass, field

import numpy as np

from . import compiling, reference, team
from . import surface_kernels as SK
from .activations import LINEAR
from .engine import Engine
from .layout import Layout

PLANE_KINDS = ("weights", "pca", "random")
#: The principal components of a long path of a large network come from an even subsample of it, of at most k
#: points with k²·p below this (k = 24 points for the 86,000 parameters of the cat 12288-7-1 network).
PCA_WORK = 5e7
#: The PCA reads the path this many bytes of parameters at a time (a block stays in the cache while it is used).
PCA_BLOCK_BYTES = 2**22
#: How far the grid reaches beyond the path, as a share of the path's reach.
MARGIN = 0.25
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
    labels = tuple(f"PC{k + 1} ({100 * share:.1f}% of the path)" for k, share in enumerate(shares))
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


# -- the data, laid out once --------------------------------------------------------------------------------------
class CostSlicer:
    """J of ``net``'s architecture on X, Y over planes of parameter space, in float64.

    Built once per dataset and network shape; ``costs`` evaluates a grid, ``direct_cost`` one θ the slow way
    (a full pass, as training computes it).
    """

    def __init__(self, net, X, Y):
        self.engine = net.engine(X, Y, dtype="float64")
        self.Y = self.engine.problem.Y
        self.l2 = float(net.l2)
        self.l1 = float(net.l1)
        layout = net.layout
        self.dims, self.w_off, self.b_off, self.size = layout.dims, layout.w_off, layout.b_off, layout.size
        self.layer_dims = tuple(int(n) for n in net.layer_dims)
        n_x, n1 = int(self.dims[0]), int(self.dims[1])
        # The first layer at θc, d1 and d2 stacked into one layer of 3·n[1] linear units: one pass gives all three.
        self._stacked = Engine(Layout.of((n_x, 3 * n1)), [LINEAR], "mse", self.engine.problem)
        self.kind = compiling.surface_kind(self.engine)

    @property
    def compiled(self):
        """Whether surfaces are worked out by the compiled kernels (else by numpy, while they compile)."""
        return not compiling.in_background() or compiling.ready(self.kind)

    def costs(self, centre, plane, alphas, betas):
        """J at centre + alphas[i]·d1 + betas[j]·d2, as an array (len(betas), len(alphas))."""
        centre = np.ascontiguousarray(centre, dtype=np.float64)
        d1 = np.ascontiguousarray(plane.d1, dtype=np.float64)
        d2 = np.ascontiguousarray(plane.d2, dtype=np.float64)
        if centre.shape != (self.size,) or d1.shape != (self.size,) or d2.shape != (self.size,):
            raise ValueError(f"the centre and the directions must have the network's {self.size} parameters.")
        alphas = np.asarray(alphas, dtype=np.float64)
        betas = np.asarray(betas, dtype=np.float64)
        if not self.compiled:
            if compiling.eager():
                compiling.start(self.kind)
            planes = self._first_layer_planes(centre, d1, d2, reference=True)
            quad = reference.weight_quadratic(self.engine.layout, centre, d1, d2)
            return reference.plane_costs(self.engine.layout, self.engine.spec.acts, self.engine.spec.loss, planes,
                                         centre, d1, d2, self.Y, (self.l2, quad, self.l1, self._weights(centre, d1, d2)),
                                         alphas, betas)
        planes = self._first_layer_planes(centre, d1, d2)
        quad = SK.weight_quadratic(centre, d1, d2, self.w_off, self.dims)
        penalty = (self.l2, quad, self.l1, self._weights(centre, d1, d2))
        costs = np.empty((len(betas), len(alphas)))
        team.run(SK.plane_costs, planes, centre, d1, d2, self.engine.spec, penalty, self.Y, alphas, betas, costs)
        compiling.loaded(self.kind)
        return costs

    def _weights(self, centre, d1, d2):
        """The weights (not the biases) of θc, d1, d2 (3, P_w), for the L1 term (none when λ1 = 0)."""
        if self.l1 <= 0:
            return np.zeros((3, 0))
        layout = self.engine.layout
        parts = [layout.weight_slice(l) for l in range(1, layout.L + 1)]
        return np.stack([np.concatenate([v[part] for part in parts]) for v in (centre, d1, d2)])

    def _first_layer_planes(self, centre, d1, d2, reference=False):
        """Z0, P1, P2 (3, n[1], m): the first layer's pre-activations at θc and along d1 and d2."""
        n_x, n1 = int(self.dims[0]), int(self.dims[1])
        weights, biases = slice(0, n1 * n_x), slice(n1 * n_x, n1 * n_x + n1)
        stacked = np.concatenate([np.concatenate([v[weights] for v in (centre, d1, d2)]),
                                  np.concatenate([v[biases] for v in (centre, d1, d2)])])
        engine = self._stacked.reference() if reference else self._stacked
        return engine.evaluate(stacked)[0].reshape(3, n1, -1)

    def direct_cost(self, theta):
        """J(θ) by a full forward pass (the training loop's own kernels, or numpy while they compile)."""
        engine = self.engine if self.compiled else self.engine.reference()
        return engine.evaluate(np.ascontiguousarray(theta, dtype=np.float64), self.l2, with_cost=True, l1=self.l1)[1]


# -- a surface, whole ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Surface:
    """J over a grid of a plane, with the path projected onto it.

    ``alphas``/``betas`` are the offsets a, b from the centre; ``origin`` is what the axes add to them to show
    values (the two parameters' values at the centre for kind "weights", else 0). ``costs`` is
    (len(betas), len(alphas)). ``path`` (k, 2) is in offsets too; its last row is where training was last seen.
    """

    plane: Plane
    centre: np.ndarray = field(repr=False)
    alphas: np.ndarray = field(repr=False)
    betas: np.ndarray = field(repr=False)
    costs: np.ndarray = field(repr=False)
    path: np.ndarray = field(repr=False)
    origin: tuple = (0.0, 0.0)
    seconds: float = 0.0

    @property
    def extent(self):
        """(a_min, a_max, b_min, b_max) in axis values."""
        return (self.alphas[0] + self.origin[0], self.alphas[-1] + self.origin[0],
                self.betas[0] + self.origin[1], self.betas[-1] + self.origin[1])

    def to_dict(self):
        """Plain values for JSON: the axes, the grid of costs (rows follow the second axis), the path, seconds."""
        return {
            "kind": self.plane.kind,
            "labels": list(self.plane.labels),
            "explained_variance": None if self.plane.explained is None else list(self.plane.explained),
            "axis1": (self.alphas + self.origin[0]).tolist(),
            "axis2": (self.betas + self.origin[1]).tolist(),
            "costs": [[c if np.isfinite(c) else None for c in row] for row in self.costs.tolist()],
            "path": (self.path + np.asarray(self.origin)).tolist(),
            "seconds": self.seconds,
        }


def grid_range(path_xy, span=None):
    """(a_lo, a_hi, b_lo, b_hi): ±span about the centre, or, per axis, the path's farthest reach and a margin.

    Centred on the centre (the current θ by default) like the course's bowl: the landscape on every side of
    where training is, with the path coming in. An axis the path hardly moves along gets a tenth of the other's
    reach, so that it still shows something.
    """
    if span is not None:
        if not np.isfinite(span) or span <= 0:
            raise ValueError(f"the span must be a positive number; got {span}.")
        return (-span, span, -span, span)
    reach = np.abs(np.asarray(path_xy, dtype=np.float64).reshape(-1, 2)).max(axis=0, initial=0.0)
    reach = np.maximum(reach, 0.1 * reach.max())
    reach[reach <= 0] = 1.0
    a, b = (1 + MARGIN) * reach
    return (-a, a, -b, b)


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


def compute_surface(slicer, plane, path, grid=51, span=None, centre=None):
    """The surface of ``plane`` through ``centre`` (default: the path's last point) on a grid × grid mesh.

    ``path`` is an array (k, p) or a sequence of θ.
    """
    centre = np.asarray(_rows(path)[-1] if centre is None else centre, dtype=np.float64)
    if int(grid) < 2:
        raise ValueError(f"the grid needs at least 2 points a side; got {grid}.")
    xy = project(path, centre, plane)
    a_lo, a_hi, b_lo, b_hi = grid_range(xy, span)
    alphas, betas = np.linspace(a_lo, a_hi, int(grid)), np.linspace(b_lo, b_hi, int(grid))
    start = time.perf_counter()
    costs = slicer.costs(centre, plane, alphas, betas)
    seconds = time.perf_counter() - start
    origin = (0.0, 0.0) if plane.indices is None else (float(centre[plane.indices[0]]), float(centre[plane.indices[1]]))
    return Surface(plane, centre, alphas, betas, costs, xy, origin, seconds)


PATH_POINTS = 400  # a run's θ is traced about this many times, for its descent path


class PathRecorder:
    """The parameters θ along training, thinned to fit a memory budget, for the PCA plane and the drawn path.

    A point is kept when at least ``stride`` iterations passed since the last one kept; when the store is full,
    every other point is dropped (the first stays) and the stride doubles, so the whole run stays covered evenly.
    The latest θ is always available, kept or not. Points are never changed once stored, so ``frozen`` can hand
    them to another thread without copying them.
    """

    def __init__(self, n_params, max_bytes=96 * 2**20, max_points=400, min_points=16):
        self.capacity = int(max(min_points, min(max_points, max_bytes // (8 * max(n_params, 1)))))
        self.n_params = n_params
        self.clear()

    def clear(self):
        self._points, self._iterations = [], []
        self.stride = 1
        self._latest = None  # (iteration, θ)

    def add(self, iteration, theta):
        """Record θ after ``iteration`` iterations (a later iteration than the last one added).

        A read-only array (a snapshot's) is kept as it is, in its own dtype; any other is copied.
        """
        theta = np.asarray(theta).ravel()
        if theta.shape != (self.n_params,):
            raise ValueError(f"θ has {theta.size} parameters; the path holds {self.n_params}.")
        if theta.flags.writeable or theta.dtype.kind != "f":
            theta = np.array(theta, dtype=np.float64)
            theta.flags.writeable = False
        iteration = int(iteration)
        self._latest = (iteration, theta)
        if self._iterations and iteration - self._iterations[-1] < self.stride:
            return
        if len(self._points) == self.capacity:
            self._points, self._iterations = self._points[::2], self._iterations[::2]
            self.stride *= 2
            if iteration - self._iterations[-1] < self.stride:
                return
        self._points.append(theta)
        self._iterations.append(iteration)

    def extend(self, iterations, points):
        """``add`` each θ of ``points`` (a sequence of flat θ, or (k, p)) after its iteration, in order."""
        for iteration, theta in zip(iterations, points):
            self.add(iteration, theta)

    def frozen(self):
        """(iterations, points): the kept points and then the latest θ if it was not kept, as tuples of read-only
        arrays shared with the recorder (cheap; stack them with ``np.vstack`` where the time is spent)."""
        its, points = tuple(self._iterations), tuple(self._points)
        if self._latest is not None and (not its or its[-1] != self._latest[0]):
            its, points = its + (self._latest[0],), points + (self._latest[1],)
        return its, points

    def __len__(self):
        return len(self.frozen()[0])

    @property
    def iterations(self):
        return np.asarray(self.frozen()[0], dtype=np.int64)

    @property
    def points(self):
        """(k, p): the kept points, then the latest θ if it was not kept."""
        points = self.frozen()[1]
        return np.vstack(points).astype(np.float64, copy=False) if points else np.zeros((0, self.n_params))

    @property
    def latest(self):
        return None if self._latest is None else self._latest[1]

    def after(self, iteration):
        """(iterations, points) recorded after ``iteration``, the latest θ last: what is new since then."""
        its, points = self.frozen()
        k = len(its)
        while k > 0 and its[k - 1] > iteration:
            k -= 1
        new = points[k:]
        stacked = np.vstack(new).astype(np.float64, copy=False) if new else np.zeros((0, self.n_params))
        return np.asarray(its[k:], dtype=np.int64), stacked
