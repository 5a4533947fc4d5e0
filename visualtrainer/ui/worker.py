"""The QThread code: a worker that steps the training loop in its own thread and posts its progress, and the
thread every worker of the window lives in.

The loop keeps the worker's thread busy, so requests from the window (pause, stop) are thread-safe flags that the
compiled loop reads at every batch (``TrainingControl``), never queued slots.
"""

import threading
import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot

from visualtrainer.core import Network, TrainingControl, iter_training
from visualtrainer.core.snapshot import frozen_copy


@dataclass(frozen=True)
class Progress:
    """A snapshot with what the window shows beside it, all computed in the worker's thread.

    ``grid`` holds the output probabilities (n_y, ny, nx) over the boundary plot's grid, or None.
    """

    snapshot: object
    train_accuracy: float | None
    test_accuracy: float | None
    grid: np.ndarray | None
    paused: bool = False


@dataclass
class Job:
    """What to train: the network (owned by the worker while it runs), the data and the budget."""

    net: Network
    X: np.ndarray
    Y: np.ndarray
    n_iterations: int
    X_test: np.ndarray | None = None
    Y_test: np.ndarray | None = None
    grid_X: np.ndarray | None = None  # (2, k) points of the boundary grid, for 2-D data
    grid_shape: tuple | None = None
    trace_every: int = 0  # > 0: snapshots carry θ every this many iterations (the cost surface's path)


# A snapshot every 33 ms: a frame for each, about 30 a second. Each chunk's end costs the training more than the
# chunk's own hand-over (the window wakes, and the kernel threads restart): in the window, the cat network trained 5%
# slower with 40 snapshots a second than with 25.
CHUNK_SECONDS = 1 / 30
ACCURACY_SECONDS = 0.25  # at the longest between two accuracy points …
# … and more often when measuring them costs under 0.5% of the time (small data). Each measure hands the kernels
# over between two chunks of training, as a chunk's end does: at 2%, the cat network's train and test accuracy were
# measured 14 times a second (every snapshot); now 4.
ACCURACY_SHARE = 0.005
GRID_SECONDS = 1 / 15


class TrainingWorker(QObject):
    """Runs ``Job``s in a QThread; emits ``progress`` (at most ~30 a second, and always the last) and ``finished``."""

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    warmed = Signal()
    _start = Signal(object)
    _warm = Signal(str, bool)

    def __init__(self):
        super().__init__()
        self._control = TrainingControl()
        self._pausing = threading.Event()
        self._busy = threading.Event()
        self.speed = 0.0
        self._last_accuracy = self._last_grid = 0.0
        self._accuracy_cost = 0.0
        self._start.connect(self._run)
        self._warm.connect(self._warm_up)

    # -- from the window's thread --------------------------------------------------------------------------
    def start(self, job):
        """Begin training ``job`` in the worker's thread (ignored while a job runs)."""
        if self._busy.is_set():
            return False
        self._busy.set()
        self._control = TrainingControl()
        self._pausing.clear()
        self._start.emit(job)
        return True

    def warm_up(self, dtype, pixels):
        """Compile (or load from the cache) the kernels for ``dtype`` and pixel or float inputs, in the thread.

        A fresh install compiles for about 15 s; a job started meanwhile waits its turn in the thread's queue.
        """
        self._warm.emit(dtype, pixels)

    def pause(self):
        """End the running job at the next batch; its network keeps its state, to go on later."""
        self._pausing.set()
        self._control.cancel()

    def stop(self):
        self._control.cancel()

    @property
    def busy(self):
        return self._busy.is_set()

    # -- in the worker's thread ----------------------------------------------------------------------------
    @Slot(object)
    def _run(self, job):
        try:
            last = self._train(job)
            self.finished.emit(last)
        except Exception as error:  # the window shows the text, never a traceback
            self.failed.emit(f"{type(error).__name__}: {error}" if not isinstance(error, ValueError) else str(error))
        finally:
            self._busy.clear()

    @Slot(str, bool)
    def _warm_up(self, dtype, pixels):
        rng = np.random.RandomState(0)
        X = rng.randint(0, 256, (3, 8)).astype(np.uint8) if pixels else rng.randn(3, 8)
        try:
            Network((3, 2, 1), dtype=dtype).fit(X, rng.randint(0, 2, (1, 8)), 2)
        finally:
            self.warmed.emit()

    def _train(self, job):
        """Run the job's budget: flat out in chunks of ~1/30 s, or at ``speed`` iterations a second."""
        net, left, last = job.net, job.n_iterations, None
        while left > 0 and not self._control.cancelled:
            speed = self.speed
            budget = left if speed <= 0 else max(1, min(left, round(speed / 30)))
            began, before = time.perf_counter(), net.n_iter_
            for snap in iter_training(net, job.X, job.Y, budget, control=self._control, chunk_seconds=CHUNK_SECONDS,
                                      trace_every=job.trace_every):
                last = self._progress(job, snap, False)
                self.progress.emit(last)
            left -= max(1, net.n_iter_ - before)
            if net.stop_reason_ in ("diverged", "tolerance"):
                break
            if speed > 0:
                self._control.wait(max(0.0, budget / speed - (time.perf_counter() - began)))
        if last is not None and self._pausing.is_set():
            last = Progress(last.snapshot, last.train_accuracy, last.test_accuracy, last.grid, paused=True)
        return last

    def _progress(self, job, snap, paused):
        """The snapshot, with accuracies (every ACCURACY_SECONDS) and the boundary (every GRID_SECONDS).

        Each extra evaluation hands the GIL back and forth with the window's thread, so they are rationed.
        """
        net, now, final = job.net, time.perf_counter(), snap.stop_reason is not None
        train = test = grid = None
        due = now - self._last_accuracy >= min(ACCURACY_SECONDS, self._accuracy_cost / ACCURACY_SHARE)
        if net.output != "linear" and (final or due):
            self._last_accuracy = now
            train = net.score(job.X, job.Y)
            test = net.score(job.X_test, job.Y_test) if job.X_test is not None and job.X_test.shape[1] else None
            self._accuracy_cost = time.perf_counter() - now
        if job.grid_X is not None and (final or now - self._last_grid >= GRID_SECONDS):
            self._last_grid = now
            grid = frozen_copy(net.predict_proba(job.grid_X).reshape((-1, *job.grid_shape)))
        return Progress(snap, train, test, grid, paused)


class WorkerThread:
    """``worker`` (a QObject) living in a QThread of its own named ``name``.

    ``close`` calls the worker's method ``stop`` (a thread-safe flag: the worker's thread may be busy, so a queued
    slot would wait), ends the thread and waits for it. Training, picture reading, sweeps and cost surfaces each
    run in one.
    """

    def __init__(self, worker, name, stop=None):
        self.thread = QThread()
        self.thread.setObjectName(name)
        self.worker = worker
        self._stop = stop
        worker.moveToThread(self.thread)
        self.thread.start()

    def close(self):
        if self._stop is not None:
            getattr(self.worker, self._stop)()
        self.thread.quit()
        return self.thread.wait()
