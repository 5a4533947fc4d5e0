"""How much of the machine other programs take, and the pace the window keeps for it.

The window draws its frames from the cores the training runs on. With a core to spare that costs the training
nothing; when other programs take the cores the training does not (a browser, a compile, a video call on a laptop
of two or four cores), every frame comes out of the training's own time, and the window then draws fewer frames
(``CROWDED``): 20 a second instead of 30, the training's chunks as long, the boundary's output 10 times a second.
And its thread keeps off the training's core (``Placement``): the scheduler wakes it on the core of the thread that
woke it, the training's, and leaves it there (the load the drawing adds is too small to balance), so every frame was
taken from the training; kept off, the window's thread shares the other program's core instead.
"""

import os
import time
from dataclasses import dataclass

from visualtrainer.core import team

#: Another program is crowding the training when it keeps at least this much of a core busy …
CROWDING_CORES = 0.5
#: … and the window goes back to its full pace once other programs keep less than this busy (between the two the
#: pace stays as it was, so that a measure near the line does not switch it back and forth).
CLEAR_CORES = 0.3
#: The load is measured over at least this long.
MEASURE_SECONDS = 1.0


@dataclass(frozen=True)
class Pace:
    """How often a training job hands its progress to the window (``chunk_seconds``) and computes the boundary's
    output over the plot's grid (``grid_seconds``); the window draws a frame for each progress."""

    chunk_seconds: float = 1 / 30
    grid_seconds: float = 1 / 15

    @property
    def frame_ms(self):
        """The least time between two frames, in milliseconds."""
        return round(1000 * self.chunk_seconds)


FULL = Pace()
CROWDED = Pace(chunk_seconds=1 / 20, grid_seconds=1 / 10)


def read_proc_stat(path="/proc/stat"):
    """The machine's (busy, all) CPU seconds since boot, summed over its cores, or None where Linux's /proc/stat
    cannot be read. Busy is all but idle, waiting for input and output, and time stolen by a hypervisor."""
    try:
        with open(path, "rb") as file:
            fields = file.readline().split()
        ticks = [int(value) for value in fields[1:]]
    except (OSError, ValueError):
        return None
    if len(ticks) < 4 or fields[0] != b"cpu":
        return None
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0) + (ticks[7] if len(ticks) > 7 else 0)
    all_ = sum(ticks[:8])  # guest time is counted in user time already
    hertz = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    return (all_ - idle) / hertz, all_ / hertz


#: The cores this process may run on, as it started (None where the system cannot say): the team's count.
PROCESS_CPUS = team.CPUS


def thread_cpu(native_id):
    """The core the thread ``native_id`` (``threading.get_native_id``) of this process ran on last, or None where
    Linux's /proc cannot say."""
    try:
        with open(f"/proc/self/task/{int(native_id)}/stat", "rb") as file:
            text = file.read()
    except (OSError, TypeError, ValueError):
        return None
    fields = text[text.rfind(b")") + 2 :].split()  # from the state on: the name may hold spaces and brackets
    return int(fields[36]) if len(fields) > 36 else None


class Placement:
    """The cores the calling thread (the window's) runs on: all the process's (``release``), or all but one while
    other programs crowd the machine (``keep_off``: the training's). Made and used in that thread."""

    def __init__(self):
        self.off = None

    def keep_off(self, cpu):
        cpus = PROCESS_CPUS
        if cpus is None or cpu is None or cpu == self.off or cpu not in cpus or len(cpus) < 2:
            return
        try:
            os.sched_setaffinity(0, set(cpus) - {cpu})
        except OSError:
            return
        self.off = cpu

    def release(self):
        if self.off is not None:
            self.off = None
            free_thread()


def free_thread():
    """Let the calling thread run on every core the process may use: a thread inherits the cores of the one that
    started it, which may be the window's, kept off one (``Placement``)."""
    if PROCESS_CPUS is not None:
        try:
            os.sched_setaffinity(0, PROCESS_CPUS)
        except OSError:
            pass


def machine_cores():
    """The machine's cores, all of them (what /proc/stat sums over)."""
    return os.cpu_count() or 1


def own_cpu_seconds():
    """CPU seconds this process has used, all its threads."""
    times = os.times()
    return times.user + times.system


class OtherLoad:
    """``cores()``: the cores other programs kept busy on average since the last measure (at least
    MEASURE_SECONDS ago), or None until there is one, or where the machine cannot be asked."""

    def __init__(self, read_machine=read_proc_stat, read_own=own_cpu_seconds, clock=time.monotonic):
        self.read_machine, self.read_own, self.clock = read_machine, read_own, clock
        self._last = None
        self._cores = None
        self.restart()

    def restart(self):
        """Measure from now on (a measure across a pause says nothing of the training's time)."""
        machine = self.read_machine()
        self._last = None if machine is None else (self.clock(), machine[0], self.read_own())
        self._cores = None

    def cores(self):
        if self._last is None:
            return None
        now = self.clock()
        began, busy_before, own_before = self._last
        if now - began >= MEASURE_SECONDS:
            machine = self.read_machine()
            if machine is None:
                self._last = None
                return None
            own = self.read_own()
            self._cores = max(0.0, (machine[0] - busy_before) - (own - own_before)) / (now - began)
            self._last = (now, machine[0], own)
        return self._cores


def pace_for(others, cores, training_cores, before=FULL):
    """The pace for a training of ``training_cores`` threads on a machine of ``cores`` cores while other programs
    keep ``others`` cores busy (None: not known), ``before`` the pace until now: CROWDED when the cores the others
    leave are fewer than the training's and the window's thread need, FULL when the others go quiet."""
    if others is None:
        return before
    if others >= CROWDING_CORES and cores - others < training_cores + 1:
        return CROWDED
    if others < CLEAR_CORES or cores - others >= training_cores + 1:
        return FULL
    return before
