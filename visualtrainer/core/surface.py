"""The cost J over a plane of parameter space, and the path training took, projected onto it.

θ = θc + a·d1 + b·d2 for (a, b) on a grid. Three kinds of plane (``PLANE_KINDS``, made in ``core.planes``):

- "weights": d1, d2 pick two parameters (a weight or a bias each), so the axes are those parameters' values.
  For a model with exactly two parameters (logistic or linear regression on one feature) this is J(w, b)
  itself, the bowl of the course's gradient descent figure.
- "pca": the first two principal components of the recorded parameters, the plane the path itself spans
  most (Li et al. 2018, "Visualizing the Loss Landscape of Neural Nets"), with the share of variance of each.
- "random": two Gaussian directions scaled neuron by neuron to the norm of that neuron's incoming weights,
  biases left out (the same paper's filter normalisation).
"""

import time
from dataclasses import dataclass, field

import numpy as np

from . import compiling, reference, team
from . import surface_kernels as SK
from .activations import LINEAR
from .engine import Engine
from .layout import Layout
from .planes import (PCA_BLOCK_BYTES, PCA_WORK, PLANE_KINDS, Plane, Projection, _rows, flat_parameters, make_plane,  # noqa: F401
                     moving_parameters, parameter_index, parameter_names, pca_plane, project, random_plane,
                     weight_plane)

#: How far the grid reaches beyond the path, as a share of the path's reach.
MARGIN = 0.25


# -- the data, laid out once --------------------------------------------------------------------------------------
class CostSlicer:
    """J of ``net``'s architecture on X, Y over planes of parameter space, in float64.

    Built once per dataset and network shape; ``costs`` evaluates a grid, ``direct_cost`` one θ the slow way
    (a full pass, as training computes it).
    """

    def __init__(self, net, X, Y):
        self.engine = net.engine(X, Y, dtype="float64", repeated=True)
        self.Y = self.engine.problem.Y
        self.l2 = float(net.l2)
        self.l1 = float(net.l1)
        layout = net.layout
        self.dims, self.w_off, self.b_off, self.size = layout.dims, layout.w_off, layout.b_off, layout.size
        self.layer_dims = tuple(int(n) for n in net.layer_dims)
        n_x, n1 = int(self.dims[0]), int(self.dims[1])
        # The first layer at θc, d1 and d2 stacked into one layer of 3·n[1] linear units: one pass gives all three.
        problem = self.engine.problem
        self._stacked = Engine(Layout.of((n_x, 3 * n1)), [LINEAR], "mse",
                               problem.relabelled(np.zeros((3 * n1, problem.m))))
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
            penalty = (self.l2, quad, self.l1, self._weights(centre, d1, d2))
            return reference.plane_costs(self.engine.layout, self.engine.spec.acts, self.engine.spec.loss, planes,
                                         (centre, d1, d2), self.Y, penalty, alphas, betas)
        costs = np.empty((len(betas), len(alphas)))
        with compiling.compile_lock(self.kind):
            planes = self._first_layer_planes(centre, d1, d2)
            quad = SK.weight_quadratic(centre, d1, d2, self.w_off, self.dims)
            penalty = (self.l2, quad, self.l1, self._weights(centre, d1, d2))
            team.run(SK.plane_costs, planes, (centre, d1, d2), self.engine.spec, penalty, self.Y, alphas, betas,
                     costs)
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
    #: ``planes.Projection`` onto this plane through this centre (set up here when not given): a window projects each
    #: new point of the path with it, and its set-up (1.5 ms for a picture network) is done once, with the surface.
    projection: Projection = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        if self.projection is None:
            object.__setattr__(self, "projection", Projection(self.centre, self.plane))

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


def compute_surface(slicer, plane, path, grid=51, span=None, centre=None):
    """The surface of ``plane`` through ``centre`` (default: the path's last point) on a grid × grid mesh.

    ``path`` is an array (k, p) or a sequence of θ.
    """
    centre = np.asarray(_rows(path)[-1] if centre is None else centre, dtype=np.float64)
    if int(grid) < 2:
        raise ValueError(f"the grid needs at least 2 points a side; got {grid}.")
    projection = Projection(centre, plane)
    xy = projection(path)
    a_lo, a_hi, b_lo, b_hi = grid_range(xy, span)
    alphas, betas = np.linspace(a_lo, a_hi, int(grid)), np.linspace(b_lo, b_hi, int(grid))
    start = time.perf_counter()
    costs = slicer.costs(centre, plane, alphas, betas)
    seconds = time.perf_counter() - start
    origin = (0.0, 0.0) if plane.indices is None else (float(centre[plane.indices[0]]), float(centre[plane.indices[1]]))
    return Surface(plane, centre, alphas, betas, costs, xy, origin, seconds, projection)


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
