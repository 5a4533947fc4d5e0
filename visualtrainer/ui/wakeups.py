"""The window's thread runs as soon as it wakes, while the training keeps every core busy.

Linux's scheduler (EEVDF) lets a thread that wakes take a core from a running one only when the woken thread's
deadline comes first. At the default slice the training thread's deadline, set when its turn began, often came
first, and the window's thread, woken by its timer or a frame, waited for the scheduler's next tick (4 ms at 250 Hz):
a 10 ms timer's ticks came 14 ms apart again and again. A slice of its own for the window's thread, the shortest
the kernel allows, puts its deadline first when it wakes (``core.sched``). It gets no more of the machine for it,
and the threads it starts set their own slices (``team.as_background``).
"""

from visualtrainer.core import sched

#: The window thread's slice: the shortest the kernel allows.
SLICE_NS = 100_000


def wake_first():
    """Give the calling thread (the window's) the short slice; whether the kernel took it."""
    return sched.set_thread(None, SLICE_NS)
