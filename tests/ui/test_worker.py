"""The one worker pattern on its own: jobs run in order in the worker's thread; what they yield and return comes
with their generation; an exception becomes one line; cancel reaches a running job at once."""

import os
import sys

import pytest
from PySide6.QtCore import QObject, Signal, Slot

from visualtrainer.ui.worker import Worker


class Receiver(QObject):
    """Takes a worker's results in the test's thread (as the window's parts do), noting each as (kind, result)."""

    got = Signal(str, object)

    def __init__(self, worker):
        super().__init__()
        self.results = []
        worker.yielded.connect(self.on_yielded)
        worker.finished.connect(self.on_finished)
        worker.failed.connect(self.on_failed)

    def _note(self, kind, result):
        self.results.append((kind, result.generation, result.value))
        self.got.emit(kind, result)

    @Slot(object)
    def on_yielded(self, result):
        self._note("yielded", result)

    @Slot(object)
    def on_finished(self, result):
        self._note("finished", result)

    @Slot(object)
    def on_failed(self, result):
        self._note("failed", result)


@pytest.fixture
def worker(qapp):
    w = Worker("test")
    yield w
    assert w.close() and w.thread.isFinished()


def _ended(receiver, count):
    return lambda: sum(kind != "yielded" for kind, *_ in receiver.results) >= count


def _counting(n, control):
    for i in range(n):
        yield i
    return f"counted {n}"


def _failing(error, control):
    raise error


def _until_cancelled(control):
    while not control.wait(10):  # woken at once by cancel
        pass
    return "cancelled"


def test_a_job_yields_in_order_and_returns_with_its_generation(qtbot, worker):
    receiver = Receiver(worker)
    worker.start(_counting, 4, generation=7)
    qtbot.waitUntil(_ended(receiver, 1), timeout=10_000)
    assert receiver.results == [("yielded", 7, 0), ("yielded", 7, 1), ("yielded", 7, 2), ("yielded", 7, 3),
                                ("finished", 7, "counted 4")]
    assert not worker.busy


def test_an_expected_exception_becomes_its_own_message(qtbot, worker, log_here):
    receiver = Receiver(worker)
    job = worker.start(_failing, ValueError("learning_rate must be > 0; got -5."), generation=2)
    qtbot.waitUntil(_ended(receiver, 1), timeout=10_000)
    assert receiver.results == [("failed", 2, "learning_rate must be > 0; got -5.")] and job.done.is_set()
    assert not log_here.exists()


@pytest.mark.parametrize("error", [RuntimeError("boom"), MemoryError("boom"), KeyError("boom")])
def test_an_unexpected_exception_becomes_one_sentence_naming_the_log(qtbot, worker, log_here, error):
    receiver = Receiver(worker)
    worker.start(_failing, error, generation=2)
    qtbot.waitUntil(_ended(receiver, 1), timeout=10_000)
    [(kind, generation, message)] = receiver.results
    assert (kind, generation) == ("failed", 2) and "\n" not in message and message.endswith(f"details in {log_here}.")
    assert "boom" in message
    log = log_here.read_text()
    assert "Traceback" in log and "_failing" in log and type(error).__name__ in log


def test_cancel_reaches_a_running_job_and_jobs_run_in_turn(qtbot, worker):
    receiver = Receiver(worker)
    first = worker.start(_until_cancelled, generation=1)
    second = worker.start(_counting, 2, generation=2)
    assert worker.busy and not second.done.is_set()
    first.cancel()
    qtbot.waitUntil(_ended(receiver, 2), timeout=10_000)
    assert [(kind, generation, value) for kind, generation, value in receiver.results if kind == "finished"] == \
           [("finished", 1, "cancelled"), ("finished", 2, "counted 2")]
    assert first.done.is_set() and second.done.is_set() and not worker.busy


def test_idle_only_once_the_result_is_posted_to_the_window(qtbot, worker):
    """A job leaves the worker's list before its result is posted: not busy then, but not idle either; once idle,
    the events already posted hold the result."""
    from PySide6.QtWidgets import QApplication

    receiver, seen = Receiver(worker), []
    ended = worker._runner._ended

    def ended_noting(job):  # in the worker's thread, between the job's end and its result being posted
        ended(job)
        seen.append((worker.busy, worker.idle))

    worker._runner._ended = ended_noting
    assert worker.idle
    job = worker.start(_counting, 2, generation=3)
    assert job.done.wait(10) and seen == [(False, False)] and worker.idle
    QApplication.sendPostedEvents()
    assert receiver.results[-1] == ("finished", 3, "counted 2")


def _policy(control):
    return os.sched_getscheduler(0)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SCHED_BATCH is Linux's")
def test_a_job_runs_as_batch_work_so_the_windows_thread_takes_a_core_from_it_at_once(qtbot, worker):
    receiver = Receiver(worker)
    worker.start(_policy)
    qtbot.waitUntil(_ended(receiver, 1), timeout=10_000)
    assert receiver.results == [("finished", 0, os.SCHED_BATCH)]
    assert os.sched_getscheduler(0) == os.SCHED_OTHER  # the window's own thread is left as it was
