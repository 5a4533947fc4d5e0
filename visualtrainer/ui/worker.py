"""The one worker pattern, and the only QThread code: a ``Worker`` runs jobs one after another in a QThread of its
own and posts what they yield and return to the window's thread. Training, sweeps, cost surfaces and picture
reading each have one.

A job is a function called in the worker's thread as ``function(*args, control=control)``; a generator function's
values come out as ``yielded``, its return value (or a plain function's) as ``finished``, an exception as ``failed``
(one sentence, ``errors.sentence``: the window shows it, never a traceback; an unexpected error's details go to the
log the sentence names). Every result carries the generation its job was started with,
so that the window drops a result of a job started before a reset with one comparison.

The job keeps the worker's thread busy, so queued slots would wait behind it: requests reach a running job through
thread-safe objects instead, its ``control`` (a TrainingControl: cancel, read by the compiled loop at every batch)
and whatever the job was given (the training's Mailbox).
"""

import inspect
import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, QThread, Signal, Slot

from visualtrainer.core import TrainingControl
from visualtrainer.core.team import as_background

from .errors import sentence


@dataclass(frozen=True)
class Result:
    """A value a job yielded or returned (or a failure's message), stamped with the job's generation."""

    generation: int
    value: object


class Job:
    """A job handed to a Worker; ``cancel`` works from any thread, ``done`` is set once the job has ended."""

    def __init__(self, function, args, generation):
        self.function, self.args, self.generation = function, args, generation
        self.control = TrainingControl()
        self.running = threading.Event()  # set once the job has begun in the worker's thread
        self.done = threading.Event()

    def cancel(self):
        self.control.cancel()

    @property
    def cancelled(self):
        return self.control.cancelled


class _Runner(QObject):
    """The part of a Worker that lives in its thread: runs each job it is sent and posts the results."""

    yielded = Signal(object)
    finished = Signal(object)
    failed = Signal(object)
    run = Signal(object)

    def __init__(self, ended):
        super().__init__()
        self._ended = ended
        self.native_id = None  # the thread's id for the system, once it has run a job
        self.run.connect(self._execute)

    @Slot(object)
    def _execute(self, job):
        signal, value = self.finished, None
        as_background()  # the window's thread takes a core from a job at once when it wakes; every core
        self.native_id = threading.get_native_id()
        job.running.set()
        try:
            out = job.function(*job.args, control=job.control)
            value = yield_all(out, lambda item: self.yielded.emit(Result(job.generation, item))) \
                if inspect.isgenerator(out) else out
        except Exception as error:  # noqa: BLE001  (the window shows the text, never a traceback)
            signal, value = self.failed, sentence(error)
        finally:
            self._ended(job)
        signal.emit(Result(job.generation, value))
        job.done.set()  # after the result is posted: a thread woken by ``done`` finds it in the queue


class Worker:
    """Runs jobs in the QThread named ``name``, in the order they were started. ``yielded``, ``finished`` and
    ``failed`` are Qt signals carrying a ``Result``: connect them to slots of objects in the window's thread
    (queued). The Worker itself is a plain object, so its methods run in the thread that calls them."""

    def __init__(self, name):
        self.thread = QThread()
        self.thread.setObjectName(name)
        self._lock = threading.Lock()
        self._jobs = []
        self._last = None  # the job started last
        self._runner = _Runner(self._ended)
        self._runner.moveToThread(self.thread)
        self.yielded, self.finished, self.failed = self._runner.yielded, self._runner.finished, self._runner.failed
        self.thread.start()

    def start(self, function, *args, generation=0):
        """Queue ``function(*args, control=…)`` to run after the jobs before it; returns its Job."""
        job = Job(function, args, generation)
        with self._lock:
            self._jobs.append(job)
            self._last = job
        self._runner.run.emit(job)
        return job

    def cancel(self):
        """Cancel every job started and not yet ended (each ends at its next check)."""
        with self._lock:
            jobs = list(self._jobs)
        for job in jobs:
            job.cancel()

    @property
    def native_id(self):
        """The system's id of the worker's thread (``threading.get_native_id``), once it has run a job, or None."""
        return self._runner.native_id

    @property
    def busy(self):
        """Whether a job is running or waiting its turn (its result may still be on its way to the window's thread
        when it has just ended)."""
        with self._lock:
            return bool(self._jobs)

    @property
    def idle(self):
        """Whether every job started has ended and its result is posted to the window's thread (it arrives with the
        next events processed there): what a test or a benchmark waits for before it looks at the window."""
        with self._lock:
            return not self._jobs and (self._last is None or self._last.done.is_set())

    @property
    def current(self):
        """The job running now, or None."""
        with self._lock:
            return next((job for job in self._jobs if job.running.is_set()), None)

    def close(self):
        """Cancel the jobs, end the thread and wait for it; returns whether it ended. Jobs still waiting their turn
        never run."""
        self.cancel()
        self.thread.quit()
        ended = self.thread.wait()
        with self._lock:
            never, self._jobs = self._jobs, []
        for job in never:
            job.done.set()
        return ended

    def _ended(self, job):  # in the worker's thread, before the job's result is posted (then ``done`` is set)
        with self._lock:
            self._jobs.remove(job)


def yield_all(generator, emit):
    """Pass each value of ``generator`` to ``emit``; return the generator's return value."""
    while True:
        try:
            item = next(generator)
        except StopIteration as stop:
            return stop.value
        emit(item)
