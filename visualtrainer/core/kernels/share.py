"""How a team of threads shares a kernel's work: numbered stages, each cut into units that threads claim.

Every thread of the team runs the same kernel. A stage (the forward tiles of one training step, say) has a number
of units; a thread claims the next unit with a compare-and-swap on ``NEXT`` = (stage << 32 | unit), works on it,
and counts it done on ``DONE``. The thread that completes a stage's last unit does the stage's serial part and opens
the next stage; the others wait for it. So no thread ever waits for one that has not started: a thread the machine
has put aside (a busy desktop) simply claims fewer units, and whoever is running finishes the work.

A waiting thread spins briefly, then sleeps in short naps: the core it leaves idle lets the scheduler move a thread
that was put aside mid-unit onto it.
"""

from .._jit import jit
from .atomics import atomic_add, atomic_cas, atomic_load, atomic_store, sleep_microseconds, spin_pause

#: The sync array: the open stage, the next unit to claim, the units done, and whether the work stopped early.
STAGE, NEXT, DONE, STOP = range(4)
SYNC_SIZE = 4
_LOW = (1 << 32) - 1
#: Spins (a few tens of nanoseconds each) before a waiting thread naps, and the nap in microseconds.
SPINS = 2000
NAP = 40


@jit
def claim(sync, stage, units):
    """The next unit of ``stage`` (of ``units``) for this thread, or −1 when none is left (or the stage closed)."""
    while True:
        seen = atomic_load(sync, NEXT)
        if (seen >> 32) != stage or (seen & _LOW) >= units:
            return -1
        if atomic_cas(sync, NEXT, seen, seen + 1):
            return seen & _LOW


@jit
def complete(sync, units):
    """Count one unit done; True for the thread that completed the stage's last unit."""
    return (atomic_add(sync, DONE, 1) & _LOW) + 1 == units


@jit
def open_stage(sync, stage):
    """Open ``stage`` for claims (its serial part done): the waiting threads go on."""
    atomic_store(sync, NEXT, stage << 32)
    atomic_store(sync, DONE, stage << 32)
    atomic_store(sync, STAGE, stage)


@jit
def stop(sync, stage):
    """End the work early (after the serial part of ``stage``): every thread leaves its loop."""
    atomic_store(sync, STOP, 1)
    atomic_store(sync, STAGE, stage + 1)


@jit
def stopped(sync):
    return atomic_load(sync, STOP) != 0


@jit
def current_stage(sync):
    return atomic_load(sync, STAGE)


@jit
def wait_past(sync, stage):
    """Wait until a stage after ``stage`` opens (or the work stops); returns the open stage."""
    spins = 0
    while True:
        now = atomic_load(sync, STAGE)
        if now > stage or atomic_load(sync, STOP) != 0:
            return now
        if spins < SPINS:
            spin_pause()
            spins += 1
        else:
            sleep_microseconds(NAP)
