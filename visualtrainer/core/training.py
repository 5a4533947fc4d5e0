"""The one training loop, a generator: it runs compiled chunks of iterations and yields a Snapshot after each.

``fit`` and the command line exhaust it; the window's worker steps through it. Each ``yield`` is the moment
to pause, cancel or change the learning rate: the kernels check ``control.interrupt`` at every batch, so a
request from another thread cuts the running chunk short within one batch.
"""

import threading
import time
import warnings

import numpy as np

from . import compiling, team
from .engine import keep_state, new_state
from .kernels import bundles as B
from .snapshot import Snapshot, frozen_copy

#: Training stops as "diverged" when the cost rises above this many times max(J at the start, 1).
BLOWUP_FACTOR = 100.0
_ORDER_BUDGET = 4_000_000  # example indices held at once for shuffled epochs
#: Seconds: shorter chunks are no measure of the team's speed (their fixed costs, and a helper's wake after an
#: idle moment: on a virtual machine an idle core can take milliseconds to come back).
_MEASURABLE = 0.02


class ConvergenceWarning(UserWarning):
    """The iteration limit came before ‖∇J‖ fell below the tolerance."""


class TrainingControl:
    """Thread-safe requests to a running loop: cancel, or end the current chunk early (pause, new settings)."""

    def __init__(self):
        self.interrupt = np.zeros(1, dtype=np.int64)  # read by the compiled loop at every batch
        self._cancelled = threading.Event()

    def cancel(self):
        self._cancelled.set()
        self.interrupt[0] = 1

    def request_yield(self):
        """End the running chunk at the next batch, so the loop yields now."""
        self.interrupt[0] = 1

    @property
    def cancelled(self):
        return self._cancelled.is_set()

    def wait(self, seconds):
        """Sleep up to ``seconds``, waking at once on cancel; returns whether it was cancelled."""
        return self._cancelled.wait(seconds)


def _message(reason, iteration, cost, grad_norm, tol, start_cost, rolled_back, net):
    kept = (f" Kept the parameters of iteration {net.n_iter_} (J = {net.costs_[net.n_iter_]:.4g})."
            if rolled_back and 0 <= net.n_iter_ < len(net.costs_) else "")
    if reason == B.NONFINITE_COST:
        what = "NaN" if np.isnan(cost) else "infinite"
        return f"diverged: the cost became {what} at iteration {iteration}; lower the learning rate.{kept}"
    if reason == B.NONFINITE_PARAMS:
        return f"diverged: a parameter became infinite at iteration {iteration}; lower the learning rate."
    if reason == B.BLEW_UP:
        return (f"diverged: the cost rose from {start_cost:.4g} to {cost:.4g} at iteration {iteration}; "
                f"lower the learning rate.{kept}")
    if reason == B.CONVERGED:
        return f"converged: ‖∇J‖ = {grad_norm:.3g} fell below ε = {tol:g} at iteration {iteration}."
    return ""


def _epoch_orders(net, m, first_epoch, count):
    """Each epoch's order of examples: shuffled per epoch for mini-batches, 0..m-1 otherwise."""
    if not net.batch_size or net.batch_size >= m:
        return np.arange(m, dtype=np.int64).reshape(1, m)
    return np.stack([np.random.RandomState(net._shuffle_seed + 1 + e).permutation(m)
                     for e in range(first_epoch, first_epoch + count)]).astype(np.int64)


def _chunk_size(per_iteration, chunk_seconds, previous, left, most):
    if per_iteration <= 0:
        return min(left, previous, most)
    return int(max(1, min(left, previous * 4, chunk_seconds / per_iteration, most)))


def iter_training(net, X, Y, n_iterations, control=None, chunk_seconds=1 / 30, trace_every=0,
                  chunk_iterations=None):
    """Train ``net`` on X (n_x, m), Y for up to ``n_iterations`` more iterations, yielding Snapshots.

    Starts from the network's current parameters (drawing them first if it has none), so stepping a paused
    run goes on where it stopped. The last snapshot has ``stop_reason`` set; costs, parameters and counters
    are also left on ``net`` (``costs_``, ``params_``, ``n_iter_``, ``stop_reason_``).
    With ``trace_every`` > 0, each snapshot also carries θ after every iteration that is a multiple of it
    (``trace_iterations``, ``trace``): the path a cost surface draws, finer than one point per snapshot.
    A snapshot comes every ``chunk_seconds`` of training (a number, or a function asked before each chunk: the
    window asks for longer chunks while other programs crowd the machine), and every ``chunk_iterations``
    iterations at most.
    When the cost turns bad (not finite, or blown up), the parameters go back to those of the step before, the
    last whose cost was fine, for every optimiser.
    """
    if isinstance(n_iterations, bool) or not isinstance(n_iterations, (int, np.integer)) or n_iterations < 1:
        raise ValueError(f"n_iterations must be an integer >= 1; got {n_iterations!r}.")
    if not net.is_fitted or net.theta_.shape != (net.layout.size,) or net.theta_.dtype != np.dtype(net.dtype):
        net.initialize()
    loop = _Loop(net, X, Y, control or TrainingControl(), trace_every)
    most = n_iterations if chunk_iterations is None else max(1, int(chunk_iterations))
    done, size, per_iteration, seconds = 0, 1, 0.0, 0.0
    chunk_for = chunk_seconds if callable(chunk_seconds) else lambda: chunk_seconds
    while done < n_iterations and not loop.control.cancelled:
        size = _chunk_size(per_iteration, chunk_for(), size, n_iterations - done, most)
        size = min(size, max(1, _ORDER_BUDGET // loop.m)) if net.batch_size else size
        first = net.n_iter_
        run, elapsed = loop.chunk(size, n_iterations - done)
        seconds += elapsed
        ran, reason, recorded, rolled_back = (int(v) for v in run.out)
        per_iteration = elapsed / max(ran, 1) if ran > 0 else per_iteration
        net.costs_, net.grad_norms_ = loop.history.extend(run.costs[:recorded], run.gnorms[:recorded])
        net.n_iter_ += ran
        done += max(ran, 0)
        stop = _stop_reason(reason, loop.control.cancelled, done >= n_iterations)
        if stop is not None:
            _record_stop(net, stop, reason, run, first, loop.start_cost, n_iterations)
        yield _snapshot(net, first, run.costs[:recorded], run.gnorms[:recorded], seconds, stop,
                        loop.traced(run, first, ran), compiled=loop.compiled)
        if stop is not None:
            if stop == "max_iterations" and net.tol > 0:
                warnings.warn(f"‖∇J‖ = {net.grad_norms_[-1]:.3g} is still above tol = {net.tol:g} after "
                              f"{n_iterations} iterations; raise the iterations or the learning rate.",
                              ConvergenceWarning, stacklevel=2)
            return
    if loop.control.cancelled and net.stop_reason_ != "cancelled":
        net.stop_reason_ = "cancelled"
        net.stop_message_ = f"cancelled at iteration {net.n_iter_}."
        yield _snapshot(net, net.n_iter_, np.zeros(0), np.zeros(0), seconds, "cancelled")


class _Loop:
    """One training run's engine, double-buffered state and stopping threshold; ``chunk`` runs a call of the loop.

    Runs on numpy while the kernels of this kind of network compile in the background (``core.compiling``), and
    on the kernels from the first chunk after they are ready; on the team's size ``team.SizeChooser`` picks.
    """

    def __init__(self, net, X, Y, control, trace_every):
        self.net, self.control, self.trace_every = net, control, trace_every
        self.engine = net.engine(X, Y, repeated=True)
        self.work = self.engine if not compiling.in_background() or compiling.ready(self.engine.kind) else \
            self.engine.reference()
        if not self.compiled and compiling.eager():
            compiling.start(self.engine.kind)
        self.m = self.engine.problem.m
        self.batch = min(int(net.batch_size), self.m) if net.batch_size else self.m
        net.costs_, net.grad_norms_ = net.costs_[: net.n_iter_], net.grad_norms_[: net.n_iter_]
        opt = net.optimizer_state_
        self.state = new_state(net.theta_, opt.velocity, opt.squares, opt.updates)
        self.start_cost = self.work.evaluate(net.theta_, net.l2, with_cost=True, l1=net.l1)[1]
        self.blowup = BLOWUP_FACTOR * max(self.start_cost, 1.0) if np.isfinite(self.start_cost) else -np.inf
        self.history = _History(net.costs_, net.grad_norms_)
        self.chooser = team.chooser_for((self.engine.key, self.batch), self.engine.members(self.batch))

    @property
    def compiled(self):
        return self.work is self.engine

    def chunk(self, size, left):
        """Up to ``size`` iterations (of ``left`` in the run): the filled ``Run`` and the seconds it took."""
        net = self.net
        if not self.compiled and compiling.ready(self.engine.kind):
            self.work = self.engine  # the kernels are compiled: this chunk runs on them
        members = self.chooser.pick()
        size = self.chooser.probe_units(size)
        first, every = net.n_iter_, self.trace_every
        trace = np.empty(((first + size) // every - first // every if every > 0 else 0, net.theta_.size),
                         dtype=net.theta_.dtype)
        run = B.Run(order=_epoch_orders(net, self.m, first, size), batch=int(net.batch_size), tol=float(net.tol),
                    blowup=float(self.blowup), interrupt=self.control.interrupt, first=first, trace_every=int(every),
                    trace=trace, costs=np.full(size, np.nan), gnorms=np.full(size, np.nan),
                    out=np.array([0, B.RAN_ALL, 0, 0], dtype=np.int64))
        began, loaned, waited = time.perf_counter(), team.loaned_seconds(), team.turn_waits()
        share = self.work.train(net.optimizer_settings(), self.state, run, self.batch, members)  # settings read now
        elapsed, lent = time.perf_counter() - began, team.loaned_seconds() - loaned
        working = elapsed - (team.turn_waits() - waited)  # not the wait for another thread's call (a surface's)
        if not self.control.cancelled:
            self.control.interrupt[0] = 0
        keep_state(net, self.state)
        ran = int(run.out[B.RAN])
        if self.compiled:
            if working > _MEASURABLE and ran >= 4:
                self.chooser.record(members, working, ran, share, lent)
            elif self.chooser.probing:
                self.chooser.too_short()
        elif elapsed / max(ran, 1) * (left - ran) > compiling.WORTH_COMPILING_SECONDS:
            compiling.start(self.engine.kind)  # a long run on numpy: worth compiling the kernels for the rest of it
        return run, elapsed

    def traced(self, run, first, ran):
        """(iterations, θ at each) of the chunk's trace, or None without one."""
        every = self.trace_every
        if every <= 0:
            return None
        count = max(0, (first + ran) // every - first // every)
        return every * np.arange(first // every + 1, first // every + 1 + count), run.trace[:count]


def _stop_reason(reason, cancelled, all_done):
    if reason not in (B.RAN_ALL, B.INTERRUPTED):
        return "tolerance" if reason == B.CONVERGED else "diverged"
    if cancelled:
        return "cancelled"
    return "max_iterations" if all_done else None


def _record_stop(net, stop, reason, run, first, start_cost, n_iterations):
    """``stop_reason_`` and ``stop_message_`` of a run that ends here."""
    recorded, rolled_back = int(run.out[B.RECORDED]), int(run.out[B.ROLLED_BACK])
    net.stop_reason_ = stop
    net.stop_message_ = (_message(reason, first + recorded - 1, run.costs[recorded - 1], run.gnorms[recorded - 1],
                                  net.tol, start_cost, rolled_back, net) if recorded else "")
    if stop == "cancelled":
        net.stop_message_ = f"cancelled at iteration {net.n_iter_}."
    elif stop == "max_iterations":
        net.stop_message_ = f"stopped after {n_iterations} iterations (the limit)."


class _History:
    """Every iteration's cost and ‖∇J‖, in buffers that double when full: a long run appends in O(new)."""

    def __init__(self, costs, norms):
        self.n = len(costs)
        self.costs = np.empty(max(1024, 2 * self.n))
        self.norms = np.empty_like(self.costs)
        self.costs[: self.n], self.norms[: self.n] = costs, norms

    def extend(self, costs, norms):
        """Append, and return views of everything so far: (costs, norms)."""
        k = len(costs)
        if self.n + k > len(self.costs):
            size = max(2 * len(self.costs), self.n + k)
            self.costs, self.norms = np.resize(self.costs, size), np.resize(self.norms, size)
        self.costs[self.n : self.n + k], self.norms[self.n : self.n + k] = costs, norms
        self.n += k
        return self.costs[: self.n], self.norms[: self.n]


def _snapshot(net, first, costs, norms, seconds, stop, trace=None, compiled=True):
    cost = float(costs[-1]) if len(costs) else (float(net.costs_[-1]) if len(net.costs_) else float("nan"))
    norm = float(norms[-1]) if len(norms) else float("nan")
    return Snapshot(
        iteration=net.n_iter_,
        cost=cost,
        grad_norm=norm,
        first_iteration=first,
        costs=frozen_copy(costs),
        params={key: frozen_copy(value) for key, value in net.params_.items()},
        seconds=seconds,
        stop_reason=stop,
        message=net.stop_message_ if stop else "",
        trace_iterations=None if trace is None else frozen_copy(trace[0]),
        trace=None if trace is None else frozen_copy(trace[1]),
        compiled=compiled,
    )
