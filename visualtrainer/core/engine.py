"""The kernels' side of a network: its data laid out for them, and their calls (forward passes, costs, training).

Two layouts. A wide input (pictures) is kept as XT (m, n_x), one row per example, uint8 pixels as they are: the
first layer is shared out by tiles of features. A narrow input is kept as X (n_x, m) in the parameters' dtype: the
work is shared out by blocks of examples, each through the whole network.
"""

import copy

from functools import cached_property

import numpy as np

from . import aligned, compiling, team
from .kernels import bundles as B
from .kernels.gram import gram_matrix
from .kernels.layers import CROSS_ENTROPY, MSE
from .kernels.optim import EVALUATE, GD, GRADIENT
from .kernels.train_narrow import train_narrow
from .kernels.train_wide import train_wide
from .kernels.wide import DIRECT_UNITS
from .layout import Layout

LOSS_CODES = {"cross_entropy": CROSS_ENTROPY, "mse": MSE}
#: From this many input features on, the first layer is worked through in tiles of features.
WIDE_FEATURES = 512
#: Examples per unit of work for a narrow input (its batch buffers stay in the L1 and L2 caches).
NARROW_BLOCK = 512
#: Below this many multiply-adds a step, one thread does it all: waking helpers costs more than they save.
TEAM_WORK = 400_000
#: The most examples whose Gram matrix training makes (``kernels.gram``): 1024 pictures of 12288 features take
#: about 6.4 G multiply-adds, a fraction of a second, once a problem.
GRAM_MOST = 1024
#: Features of float inputs converted to float64 at a time while making the Gram matrix.
GRAM_TILE = 2048


class Problem:
    """X (n_x, m) and Y (n_y, m) laid out for the kernels in ``dtype`` (built once per run or evaluation).

    ``data`` is the kernels' bundle (``WideData`` or ``NarrowData``); ``Y`` the labels in ``dtype``; ``m``. A wide
    input is read through a view of X where X.T is already C-contiguous (as a dataset's pixels are), unless the
    problem is ``repeated`` (a training run, a cost surface: many passes): then its rows start on cache lines,
    copied once if they must be (``core.aligned``).
    """

    def __init__(self, X, Y, dtype, layer_dims, repeated=False):
        dtype = np.dtype(dtype)
        n_x = X.shape[0]
        self.m = X.shape[1]
        self.wide = n_x >= WIDE_FEATURES
        if Y is None:
            Y = np.zeros((int(layer_dims[-1]), self.m))
        # Contiguous and writeable, always: Numba compiles a kernel anew for a read-only array.
        self.Y = np.require(Y, dtype=dtype, requirements=("C", "W"))
        if self.wide:
            rows_dtype = np.uint8 if X.dtype == np.uint8 else dtype
            XT = aligned.laid_out(X.T, rows_dtype) if repeated else np.ascontiguousarray(X.T, dtype=rows_dtype)
            scale = 1.0 / 255.0 if X.dtype == np.uint8 else 1.0
            self.data = B.WideData(XT, self.Y, scale, _tile(n_x, int(layer_dims[1])), np.zeros((0, 0), dtype=dtype))
        else:
            Xd = X / 255.0 if X.dtype == np.uint8 else X
            self.data = B.NarrowData(np.require(Xd, dtype=dtype, requirements=("C", "W")), self.Y, NARROW_BLOCK)

    @cached_property
    def gram(self):
        """K = XᵀX (m, m) of the scaled inputs, in the parameters' dtype (``kernels.gram``): summed in float64,
        exact for pixels before their one scaling (``kernels.gram.gram_matrix``, in this thread: BLAS's threads
        wait for each other on a busy machine, and took 40-170 ms here with a core busy against 20 idle)."""
        XT = self.data.XT
        K = np.zeros((self.m, self.m))
        if XT.dtype == np.uint8:
            gram_matrix(XT, K)
        else:
            for f0 in range(0, XT.shape[1], GRAM_TILE):
                part = XT[:, f0 : f0 + GRAM_TILE].astype(np.float64)
                K += part @ part.T
        return np.require(K * self.data.scale**2, dtype=self.Y.dtype, requirements=("C", "W"))

    def gram_pays(self, n_x):
        """Whether training's plain steps are worth running through the Gram matrix: m at most ``GRAM_MOST`` (K is
        m² numbers, made in m²·n_x/2 multiply-adds) and a step's n[1]·m² multiply-adds at most a quarter of the
        direct step's n[1]·n_x·m."""
        return self.wide and self.m <= GRAM_MOST and 4 * self.m <= n_x

    def relabelled(self, Y):
        """The same inputs (shared, not copied) with the labels Y (n, m): for an engine with another output layer."""
        other = copy.copy(self)
        other.Y = np.require(Y, dtype=self.Y.dtype, requirements=("C", "W"))
        other.data = self.data._replace(Y=other.Y)
        return other


def _tile(n_x, n1):
    """Features per tile: long rows pay the kernels' fixed costs (a call and a sum a group of four examples) less
    often, up to 1536 where a tile of four examples' floats must stay in L1 (more than two units) and 3072 where
    pixels are read as stored; and at least 2 tiles a member, so that a member the machine slows down leaves
    little for the others to wait for."""
    per_member = -(-n_x // (2 * team.size()))
    longest = 3072 if n1 <= DIRECT_UNITS else 1536
    return int(max(64, min(longest, -(-per_member // 64) * 64)))


def new_state(theta, velocity=None, squares=None, updates=0):
    """The double-buffered state (``kernels.bundles.State``) of a run from θ and the optimiser's averages (zeros
    when not given): each row starts on a cache line, padded to whole lines (``aligned.pair``)."""
    v = np.zeros_like(theta) if velocity is None else velocity
    s = np.zeros_like(theta) if squares is None else squares
    return B.State(theta=aligned.pair(theta), v=aligned.pair(v), s=aligned.pair(s),
                   info=np.array([0, updates, 0], dtype=np.int64))


def keep_state(net, state):
    """The state's current buffers back into ``net`` (θ in place: ``params_`` stay views of it)."""
    current = int(state.info[B.CURRENT])
    size = net.theta_.size  # the state's rows may be padded
    net.theta_[:] = state.theta[current, :size]
    net.optimizer_state_.velocity[:] = state.v[current, :size]
    net.optimizer_state_.squares[:] = state.s[current, :size]
    net.optimizer_state_.updates = int(state.info[B.UPDATES])


def members_for(batch, n_params):
    """Threads worth using for a step of ``batch`` examples through ``n_params`` parameters."""
    return 1 if 2 * batch * n_params < TEAM_WORK else team.size()


class Engine:
    """A network shape (``Layout``, activation codes, loss) on one ``Problem``: the kernels' calls."""

    def __init__(self, layout, act_codes, loss, problem):
        if problem.Y.shape != (int(layout.dims[-1]), problem.m):
            # the kernels read a row of labels for every output unit, unchecked
            raise ValueError(f"labels of shape {problem.Y.shape} for a network of {int(layout.dims[-1])} outputs on "
                             f"{problem.m} examples.")
        self.layout = layout
        self.problem = problem
        self.spec = B.Spec(layout.dims, layout.w_off, layout.b_off, np.asarray(act_codes, dtype=np.int64),
                           LOSS_CODES[loss])
        self.dtype = problem.Y.dtype
        #: What kind of work this is, for choosing how many threads do it (``team.chooser_for``).
        self.key = (tuple(int(n) for n in layout.dims), str(self.dtype), problem.wide, problem.m)

    @cached_property
    def kind(self):
        """``compiling.training_kind``: asked twice a call of the kernels, and the same for the engine's life."""
        return compiling.training_kind(self)

    def members(self, batch):
        """Threads worth using for a step of ``batch`` examples."""
        return members_for(batch, self.layout.size)

    def shared(self, batch, members, outputs=None, gram=False, traces=0):
        """Work space for one call on batches of up to ``batch`` examples (``outputs``: where a forward pass
        alone puts A[L]; ``gram``: room for ``kernels.gram``'s steps and a call's ``traces`` traced θs)."""
        dims, dtype = self.layout.dims, self.dtype
        n1 = int(dims[1])
        wide = self.problem.wide
        n_tiles = -(-int(dims[0]) // self.problem.data.tile) if wide else 1
        width = batch if wide else min(batch, NARROW_BLOCK)
        deltas = int(dims[1:].max()) * width  # one layer's dZ or dA: layers 1 to L (no dA[0] is formed)
        parts = (np.empty((n_tiles, n1, batch), dtype=dtype) if wide
                 else np.empty((members, self.layout.size), dtype=dtype))
        return B.Shared(
            marks=np.full(members, -1, dtype=np.int64), parts=parts, losses=np.zeros(members),
            grad=np.zeros(self.layout.size, dtype=dtype), totals=np.zeros(5), tile_sq=np.zeros(n_tiles),
            tile_ok=np.zeros(n_tiles, dtype=np.int64), dZ1=np.empty(n1 * batch, dtype=dtype),
            z=np.empty(int(dims[1:].sum()) * width, dtype=dtype), a=np.empty(int(dims[1:].sum()) * width, dtype=dtype),
            d1=np.empty(deltas, dtype=dtype), d2=np.empty(deltas, dtype=dtype),
            yb=np.empty(int(dims[-1]) * batch, dtype=dtype),
            outputs=np.empty((0, 0), dtype=dtype) if outputs is None else outputs,
            units=np.zeros(members, dtype=np.int64),
            gram=np.zeros((3 + traces, n1, self.problem.m) if gram else (3, 0, 0), dtype=dtype))

    def evaluate(self, theta, l2=0.0, with_cost=False, l1=0.0):
        """(A[L] (n[L], m), J or NaN) at θ over every example: the training loop's forward pass alone (on numpy
        while another process compiles, as ``train``)."""
        with self._loading() as ready:
            if not ready:
                return self.reference().evaluate(theta, l2, with_cost, l1)
            return self._evaluate(theta, l2, with_cost, l1)

    def _loading(self):
        """``compiling.compile_lock`` for this engine's kernels; in a process that compiles in the background (the
        window, a command line), not waited for: another process compiling holds it for 10-20 s, and a kernel
        checked as ready a moment before (``compiling.ready``) would wait that long."""
        return compiling.compile_lock(self.kind, wait=not compiling.in_background())

    def _evaluate(self, theta, l2, with_cost, l1):
        m = self.problem.m
        out = np.empty((int(self.layout.dims[-1]), m), dtype=self.dtype)
        cost = self._one_step(theta, EVALUATE, l2, l1, out)[0]
        return out, (cost if with_cost else float("nan"))

    def _one_step(self, theta, code, l2, l1, outputs=None):
        """One full-batch step of the training loop with optimiser ``code`` (EVALUATE, GRADIENT): (J, state)."""
        m = self.problem.m
        theta = np.ascontiguousarray(theta, dtype=self.dtype)
        state = new_state(theta)
        run = B.Run(order=np.arange(m, dtype=np.int64).reshape(1, m), batch=0, tol=0.0, blowup=np.inf,
                    interrupt=np.zeros(1, dtype=np.int64), first=0, trace_every=0,
                    trace=np.empty((0, theta.size), dtype=self.dtype), costs=np.full(1, np.nan),
                    gnorms=np.full(1, np.nan), out=np.array([0, B.RAN_ALL, 0, 0], dtype=np.int64))
        opt = B.Optimizer(code, 0.0, 0.0, 0.0, 0.0, float(l2), float(l1))
        members = self.members(m)
        kernel = train_wide if self.problem.wide else train_narrow
        self._run(kernel, opt, state, run, self.shared(m, members, outputs), members)
        return float(run.costs[0]), state, run

    def _through_gram(self, opt, run, batch):
        """Whether a training call runs its steps through the Gram matrix (``kernels.gram.uses_gram``, which the
        kernel asks again, and ``Problem.gram_pays``)."""
        return (opt.code == GD and opt.l2 == 0 and opt.l1 == 0 and (batch <= 0 or batch >= self.problem.m)
                and self.problem.gram_pays(int(self.layout.dims[0])))

    def _run(self, kernel, opt, state, run, shared, members, data=None):
        """The team's call of the training loop (on ``data``, the problem's by default), compiling it first if this
        process has not (one process at a time: ``compiling.compile_lock``)."""
        data = self.problem.data if data is None else data
        with compiling.compile_lock(self.kind):
            team.run(kernel, self.spec, data, opt, state, run, shared, members=members)
        compiling.loaded(self.kind)

    def reference(self):
        """The same calls in numpy (``reference.ReferenceEngine``): for while the kernels compile."""
        from .reference import ReferenceEngine

        return ReferenceEngine(self.layout, self.spec.acts, self.spec.loss, self.problem)

    def gradient(self, theta, l2=0.0, l1=0.0):
        """(J, ∇J (P,)) at θ over every example, by one step of the training loop that keeps the gradient."""
        cost, state, run = self._one_step(theta, GRADIENT, l2, l1)
        if run.out[B.REASON] not in (B.RAN_ALL, B.NONFINITE_PARAMS):
            raise ValueError(f"the cost or its gradient is not finite at these parameters (J = {cost}).")
        return cost, state.theta[1, : self.layout.size].copy()

    def train(self, opt, state, run, batch, members=None):
        """One call of the training loop (``kernels.train``) on batches of ``batch`` examples, by ``members``
        threads (default: as many as are worth it). Returns the share of the work the helpers did (0 to 1). Runs
        on numpy (``reference``) when the kernels have not run in this process yet and another process compiles
        (``_loading``)."""
        with self._loading() as ready:
            if not ready:
                return self.reference().train(opt, state, run, batch, members)
            members = self.members(batch) if members is None else members
            kernel = train_wide if self.problem.wide else train_narrow
            gram = self._through_gram(opt, run, batch)
            shared = self.shared(batch, members, gram=gram, traces=run.trace.shape[0])
            data = self.problem.data._replace(K=self.problem.gram) if gram else self.problem.data
            self._run(kernel, opt, state, run, shared, members, data)
        done = int(shared.units.sum())
        return 1.0 - shared.units[0] / done if done else 0.0
