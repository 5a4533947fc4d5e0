"""A measure taken in a worker's thread of its own, one at a time and rationed: the next starts no sooner than
``gap`` seconds after the last ended, nor before the measures have had more than ``share`` of the time (judged by
the shorter of the last two; a first one, which may also load kernels, is not judged), but never more than ``longest`` seconds later;
a request made meanwhile waits, and only the latest waits (it reads the state when it starts, so it measures the
latest). A measure borrows a core of the training team while it runs (``core.team.borrowing``): beside a training on
every core its numpy work would otherwise take a member's core in the middle of a unit."""

import time

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from visualtrainer.core import team

from ..worker import Worker


def _borrowing(function):
    """``function`` (a plain one, not a generator) run with a core of the training team on loan."""
    def borrowed(*args, **kwargs):
        with team.borrowing():
            return function(*args, **kwargs)
    return borrowed


class RationedJob(QObject):
    """``request(make)``: ``make()`` → (function, args) or None, called when the job can start (``function`` a plain
    one, run with a core borrowed); ``done(value)`` for jobs of the current ``generation`` (``reset`` starts a new
    one: older results are dropped)."""

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, name, share, gap, longest, parent=None, clock=time.perf_counter):
        super().__init__(parent)
        self.share, self.gap, self.longest, self.clock = share, gap, longest, clock
        self._last_seconds = None
        self.worker = Worker(name)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.generation = 0
        self.runs = 0  # measures taken (for tests and benchmarks)
        self._make = None
        self._running = False
        self._began = self._next = 0.0
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._try)

    @property
    def busy(self):
        return self._running or self._make is not None

    def request(self, make, now=False):
        """Measure as soon as the ration allows (``now``: without waiting for it)."""
        self._make = make
        if now:
            self._next = 0.0
        self._try()

    def reset(self):
        """A new network: results of jobs started before are dropped, and nothing waits."""
        self.generation += 1
        self._make = None
        self._next = 0.0
        self._last_seconds = None
        self._timer.stop()

    def close(self):
        self._make = None
        self._timer.stop()
        return self.worker.close()

    def _try(self):
        if self._running or self._make is None:
            return
        wait = self._next - self.clock()
        if wait > 0:
            if not self._timer.isActive():
                self._timer.start(int(wait * 1000) + 1)
            return
        make, self._make = self._make, None
        job = make()
        if job is None:
            return
        function, args = job
        self._running, self._began = True, self.clock()
        self.worker.start(_borrowing(function), *args, generation=self.generation)

    def _ended(self):
        self._running = False
        end = self.clock()
        seconds = end - self._began
        judged = 0.0 if self._last_seconds is None else min(seconds, self._last_seconds)
        self._last_seconds = seconds
        self._next = end + min(self.longest, max(self.gap, judged * (1 / self.share - 1)))
        self.runs += 1

    @Slot(object)
    def _on_finished(self, result):
        self._ended()
        if result.generation == self.generation:
            self.done.emit(result.value)
        self._try()

    @Slot(object)
    def _on_failed(self, result):
        self._ended()
        if result.generation == self.generation:
            self.failed.emit(result.value)
        self._try()
