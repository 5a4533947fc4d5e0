"""The training job the window runs in its worker thread, and the mailbox through which the window changes the
network's live settings (learning rate, L2, tolerance, optimiser, batch size, speed) while another thread trains it.

The job steps the core's loop (``iter_training``) and yields a ``Progress`` after each chunk: the snapshot, with the
train and test accuracy and the boundary over the plot's grid when they are due (each measure hands the kernels over
between two chunks, so they are rationed by time and by their share of it).
"""

import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, replace

import numpy as np

from visualtrainer.core import Network, compiling, iter_training
from visualtrainer.core.snapshot import frozen_copy

from .machine import FULL

ACCURACY_SECONDS = 0.5  # at the longest between two accuracy points …
ACCURACY_SHARE = 0.005  # … and more often while measuring them costs under this share of the time;
#: and at least this many points over a run's iterations (its chunks no longer than that), while measuring them all
#: costs under ACCURACY_RUN_SECONDS: else a run over in a fraction of a second (the flower's 10,000 iterations)
#: would show its test cost and accuracies as two points joined by a straight line
ACCURACY_POINTS = 40
ACCURACY_RUN_SECONDS = 0.5
#: A measure's cost is the median of this many of the last.
ACCURACY_COSTS_KEPT = 7
GRID_SECONDS = FULL.grid_seconds  # the boundary over the plot's grid, at most this often (or as the pace says)


@dataclass(frozen=True)
class Progress:
    """A snapshot with what the window shows beside it, all computed in the training thread.

    ``grid`` holds the output probabilities (n_y, ny, nx) over the boundary plot's grid, or None; ``test_cost`` the
    cost J on the test set (measured with the accuracies), or None.
    """

    snapshot: object
    train_accuracy: float | None
    test_accuracy: float | None
    grid: np.ndarray | None
    paused: bool = False
    test_cost: float | None = None


@dataclass(frozen=True)
class TrainingPlan:
    """What to train the network on, and for how long."""

    X: np.ndarray  # (n_x, m)
    Y: np.ndarray  # (1, m)
    n_iterations: int
    X_test: np.ndarray | None = None
    Y_test: np.ndarray | None = None
    grid_X: np.ndarray | None = None  # (n_x, k) points of the boundary plot's grid
    grid_shape: tuple | None = None
    trace_every: int = 0  # > 0: snapshots carry θ every this many iterations (the cost surface's path)


class Mailbox:
    """The one way to change a network's live settings from the window's thread.

    While a job trains the network (``owned``), changes wait here and the job applies them between two chunks, in
    its own thread; otherwise they are applied at once. ``speed`` (iterations a second, 0 = flat out) and a pause
    request are read by the job the same way, and ``pace`` (a ``machine.Pace``: how often the job hands its progress
    over and computes the boundary's output) at each chunk.
    """

    def __init__(self, net, speed=0.0):
        self._net = net
        self._lock = threading.Lock()
        self._pending = {}
        self._owned = False
        self._speed = float(speed)
        self._pause = threading.Event()
        self.pace = FULL  # one object swapped whole: a job reads either the old pace or the new

    def send(self, **settings):
        """Change the network's settings (Network.set_params names), now or from its next chunk."""
        with self._lock:
            if self._owned:
                self._pending.update(settings)
            else:
                self._net.set_params(**settings)

    @property
    def speed(self):
        with self._lock:
            return self._speed

    @speed.setter
    def speed(self, value):
        with self._lock:
            self._speed = float(value)

    def request_pause(self):
        self._pause.set()

    def clear_pause(self):
        self._pause.clear()

    @property
    def pause_requested(self):
        return self._pause.is_set()

    # -- in the training thread -------------------------------------------------------------------------------
    @contextmanager
    def owned(self):
        """Hold the network for a job: changes sent meanwhile wait for ``apply`` (and whatever is left, the end)."""
        with self._lock:
            self._owned = True
        try:
            self.apply()
            yield self._net
        finally:
            with self._lock:
                self._net.set_params(**self._pending)
                self._pending, self._owned = {}, False

    def apply(self):
        """Apply the changes sent since the last call (from the job's thread, between two chunks)."""
        with self._lock:
            pending, self._pending = self._pending, {}
        if pending:
            self._net.set_params(**pending)


class _Rations:
    """When the next accuracy and boundary are due: every ACCURACY_SECONDS (sooner when cheap, and ACCURACY_POINTS
    a run when cheap enough), GRID_SECONDS. ``clock`` for tests."""

    def __init__(self, clock=time.perf_counter):
        self.clock = clock
        self.last_accuracy = self.last_grid = 0.0
        self.last_iteration = None
        #: Seconds a measure takes, for their share of a long run: the median of the last ones, the first left out
        #: (it pays for warming up: 0 until a second, taken at once). Beside a training on every core one measure
        #: can cost twice the next (the window's drawing, the team's wake-ups): the least seen would let them take
        #: twice their share.
        self.accuracy_cost = 0.0
        #: … and the least seen, for whether a short run can afford ACCURACY_POINTS of them: one slow measure among
        #: its first few does not leave most of the run without a point.
        self.least_cost = 0.0
        self._costs = deque(maxlen=ACCURACY_COSTS_KEPT)

    def _accuracy_due(self, now, plan, snap):
        since = now - self.last_accuracy
        if since >= min(ACCURACY_SECONDS, self.accuracy_cost / ACCURACY_SHARE):
            return True
        every = plan.n_iterations / ACCURACY_POINTS
        cheap = self.least_cost * ACCURACY_POINTS <= ACCURACY_RUN_SECONDS
        return cheap and snap.iteration - self.last_iteration >= every

    def progress(self, net, plan, snap, grid_seconds=GRID_SECONDS):
        now, final = self.clock(), snap.stop_reason is not None
        train = test = grid = test_cost = None
        due = final or self.last_iteration is None or self._accuracy_due(now, plan, snap)
        has_test = plan.X_test is not None and plan.X_test.shape[1] > 0
        if due and (net.output != "linear" or has_test):
            self.last_accuracy, self.last_iteration = now, snap.iteration
            if net.output != "linear":
                train = net.score(plan.X, plan.Y)
            if has_test:
                test, test_cost = net.score_and_cost(plan.X_test, plan.Y_test)
                test = None if net.output == "linear" else test
            cost = self.clock() - now
            if self.least_cost:  # the first measure was taken
                self._costs.append(cost)
                self.accuracy_cost = float(np.median(self._costs))
            self.least_cost = min(self.least_cost, cost) if self.least_cost else cost
        if plan.grid_X is not None and (final or now - self.last_grid >= grid_seconds):
            self.last_grid = now
            grid = frozen_copy(net.predict_proba(plan.grid_X).reshape((-1, *plan.grid_shape)))
        return Progress(snap, train, test, grid, test_cost=test_cost)


def train(mailbox, plan, control):
    """Train the mailbox's network for ``plan.n_iterations`` iterations: flat out in chunks of ~1/30 s, or at
    ``mailbox.speed`` iterations a second. A generator of Progress; returns the last one (``paused`` when a pause
    ended it), or None when nothing ran. ``control`` (a TrainingControl) cancels.
    """
    last, rations = None, _Rations()
    per_point = max(1, -(-plan.n_iterations // ACCURACY_POINTS))  # a chunk's iterations at most
    with mailbox.owned() as net:
        left = plan.n_iterations
        while left > 0 and not control.cancelled:
            speed = mailbox.speed
            budget = left if speed <= 0 else max(1, min(left, round(speed / 30)))
            began, before = time.perf_counter(), net.n_iter_
            for snap in iter_training(net, plan.X, plan.Y, budget, control=control,
                                      chunk_seconds=lambda: mailbox.pace.chunk_seconds,
                                      trace_every=plan.trace_every, chunk_iterations=per_point):
                last = rations.progress(net, plan, snap, mailbox.pace.grid_seconds)
                yield last
                mailbox.apply()
            left -= max(1, net.n_iter_ - before)
            if net.stop_reason_ in ("diverged", "tolerance"):
                break
            if speed > 0:
                control.wait(max(0.0, budget / speed - (time.perf_counter() - began)))
    if last is not None and mailbox.pause_requested:
        last = replace(last, paused=True)
    return last


def warm_up(params, X, Y, control=None):
    """Make the training kernels ready for a network of these settings (``Network.get_params()``) on X, Y: load
    them from Numba's cache where they are compiled (a forward pass, in this thread), else start compiling them in
    a process of their own (``core.compiling``: training runs on numpy meanwhile). Returns None when they are
    ready, else the kind being compiled (for ``compiling.wait``)."""
    net = Network(**params).initialize()
    engine = net.engine(X, Y)
    kind = compiling.training_kind(engine)
    if compiling.in_background() and not compiling.ready(kind):
        compiling.start(kind)
        return kind
    engine.evaluate(net.theta_)  # marks them loaded (on numpy instead, should another process compile meanwhile)
    return None
