"""The load other programs put on the machine, and the pace the window keeps for it."""

import os
import subprocess
import sys
import threading
import time

import pytest

from visualtrainer.app.machine import (CROWDED, FULL, MEASURE_SECONDS, PROCESS_CPUS, OtherLoad, Placement,
                                       free_thread, pace_for, read_proc_stat, thread_cpu)


def test_the_machines_busy_seconds_are_all_but_idle_io_wait_and_stolen_time(tmp_path):
    stat = tmp_path / "stat"  # user nice system idle iowait irq softirq steal guest guest_nice
    stat.write_text("cpu  500 20 80 1000 40 5 15 60 30 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n")
    busy, whole = read_proc_stat(str(stat))
    hertz = __import__("os").sysconf("SC_CLK_TCK")
    assert busy == pytest.approx((500 + 20 + 80 + 5 + 15) / hertz)  # guest time is in user time already
    assert whole == pytest.approx((500 + 20 + 80 + 1000 + 40 + 5 + 15 + 60) / hertz)
    assert read_proc_stat(str(tmp_path / "missing")) is None
    for odd in ("intr 1 2 3\n", "cpu 1 2 x 4 5\n", "cpu 1 2\n", ""):
        (tmp_path / "odd").write_text(odd)
        assert read_proc_stat(str(tmp_path / "odd")) is None


class _Machine:
    """A machine whose busy seconds and this process's own the test sets."""

    def __init__(self):
        self.now = self.busy = self.own = 0.0

    def advance(self, seconds, others, own):
        self.now += seconds
        self.busy += (others + own) * seconds
        self.own += own * seconds


def test_other_programs_load_is_the_machines_busy_time_less_this_process_own():
    m = _Machine()
    load = OtherLoad(lambda: (m.busy, 1e9), lambda: m.own, lambda: m.now)
    assert load.cores() is None  # nothing measured yet
    m.advance(MEASURE_SECONDS / 2, others=1.0, own=1.2)
    assert load.cores() is None  # not long enough yet
    m.advance(MEASURE_SECONDS / 2, others=1.0, own=1.2)
    assert load.cores() == pytest.approx(1.0)
    m.advance(0.3, others=0.0, own=2.0)
    assert load.cores() == pytest.approx(1.0)  # kept until the next measure is due
    m.advance(0.9, others=0.0, own=2.0)
    assert load.cores() == pytest.approx(0.0, abs=1e-9)  # the training alone: nobody else
    load.restart()
    assert load.cores() is None
    unknown = OtherLoad(lambda: None, lambda: 0.0, lambda: m.now)
    m.advance(5, others=1.0, own=0.0)
    assert unknown.cores() is None


def test_a_spinning_program_is_seen():
    if read_proc_stat() is None:
        pytest.skip("no /proc/stat here")
    load = OtherLoad()
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        began = time.monotonic()
        while time.monotonic() - began < MEASURE_SECONDS + 0.2:
            sum(range(1000))  # this process busy too: not counted
        others = load.cores()
    finally:
        spinner.kill()
        spinner.wait()
    assert others is not None and others >= 0.6  # the spinner's core (and whatever else the machine ran)


@pytest.mark.parametrize("others, cores, training, before, pace", [
    (1.0, 2, 1, FULL, CROWDED),  # the flower on one thread, a program on the other core: nothing left to draw on
    (1.0, 2, 2, FULL, CROWDED),  # the cat on the whole team
    (0.0, 2, 2, FULL, FULL),  # the team takes every core but nobody else: the window borrows one (``loans``)
    (1.0, 8, 1, FULL, FULL),  # cores to spare
    (1.0, 8, 8, FULL, CROWDED),
    (0.4, 2, 1, FULL, FULL), (0.4, 2, 1, CROWDED, CROWDED),  # between the lines: as it was
    (0.2, 2, 1, CROWDED, FULL),
    (None, 2, 1, CROWDED, CROWDED), (None, 2, 1, FULL, FULL),  # not known: as it was
])
def test_the_pace_is_crowded_when_other_programs_leave_too_few_cores(others, cores, training, before, pace):
    assert pace_for(others, cores, training, before) == pace


def _in_a_thread(function):
    """``function()``'s value, called in a thread of its own (the cores it keeps off stay with that thread)."""
    out = []
    thread = threading.Thread(target=lambda: out.append(function()))
    thread.start()
    thread.join(10)
    return out[0]


def test_a_threads_core_is_one_of_the_processs():
    if PROCESS_CPUS is None or thread_cpu(threading.get_native_id()) is None:
        pytest.skip("no /proc here")
    assert _in_a_thread(lambda: thread_cpu(threading.get_native_id())) in PROCESS_CPUS
    assert thread_cpu(2**31 - 7) is None and thread_cpu(None) is None


def test_a_thread_kept_off_a_core_runs_on_the_others_and_its_threads_get_them_all_back():
    if PROCESS_CPUS is None or len(PROCESS_CPUS) < 2:
        pytest.skip("one core, or no affinity, here")
    off = max(PROCESS_CPUS)

    def kept_off():
        placement = Placement()
        placement.keep_off(off)
        kept = os.sched_getaffinity(0)
        started = _in_a_thread(lambda: os.sched_getaffinity(0))  # inherits the cores of the thread that started it
        freed = _in_a_thread(lambda: (free_thread(), os.sched_getaffinity(0))[1])
        placement.keep_off(None)  # not known: as it was
        unknown = os.sched_getaffinity(0)
        placement.release()
        return kept, started, freed, unknown, os.sched_getaffinity(0)

    kept, started, freed, unknown, released = _in_a_thread(kept_off)
    assert kept == started == unknown == set(PROCESS_CPUS) - {off}
    assert freed == released == set(PROCESS_CPUS)
