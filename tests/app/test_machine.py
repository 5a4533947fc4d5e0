"""The load other programs put on the machine, and the pace the window keeps for it."""

import subprocess
import sys
import time

import pytest

from visualtrainer.app.machine import (CROWDED, FULL, MEASURE_SECONDS, OtherLoad, Pace, pace_for, read_proc_stat)


def test_the_machines_busy_seconds_are_all_but_idle_io_wait_and_stolen_time(tmp_path):
    stat = tmp_path / "stat"  # user nice system idle iowait irq softirq steal guest guest_nice
    stat.write_text("cpu  500 20 80 1000 40 5 15 60 30 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n")
    busy, whole = read_proc_stat(str(stat))
    hertz = __import__("os").sysconf("SC_CLK_TCK")
    assert busy == pytest.approx((500 + 20 + 80 + 5 + 15) / hertz)  # guest time is in user time already
    assert whole == pytest.approx((500 + 20 + 80 + 1000 + 40 + 5 + 15 + 60) / hertz)
    assert read_proc_stat(str(tmp_path / "missing")) is None
    (tmp_path / "odd").write_text("intr 1 2 3\n")
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


def test_a_crowded_pace_draws_fewer_frames_and_grids():
    assert (FULL.frame_ms, CROWDED.frame_ms) == (33, 50)
    assert CROWDED.grid_seconds > FULL.grid_seconds and Pace() == FULL
