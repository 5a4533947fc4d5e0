"""How a team of threads shares a kernel's work: numbered stages, each cut into units that threads claim.

Every thread of the team runs the same kernel. A stage (the forward tiles of one training step, say) has a number
of units, dealt out in equal ranges, one per member; a member claims the next unit of its own range with a
compare-and-swap on its counter (stage << 32 | index in the range), and once its range is done, the next units of
the others' ranges. So in a steady state each member works on the same units step after step (its tiles of the
inputs stay in its core's cache), and no member ever waits for one that has not started: a member the machine
has put aside (a busy desktop) simply does fewer units, and whoever is running does the rest. A finished unit is
counted on ``DONE``; the member that completes a stage's last unit does the stage's serial part and opens the next
stage; the others wait for it.

A process whose own thread needs a core now and then (the window's, to draw) can borrow one: while ``LEND`` is
set the team's last member claims no unit, says so on ``PARKED`` (waking the borrower, who waits for it) and
sleeps until the loan ends (``wait_while`` on ``LEND``: woken by the loan's end, it never takes the core back from
the borrower before); the others do its units.
A member put aside mid-unit by the borrowing thread holds its stage's end until it is scheduled again, so a loan
costs the team one core, where being put aside costs it two.

A waiting thread spins for a while (``SPIN``: the caller's choice, for as long as a stage's end usually takes, the
serial part and the other members' last units), then sleeps in short naps: the core it leaves idle lets the
scheduler move a thread that was put aside mid-unit onto it. A nap lasts 50-100 µs whatever is asked (the kernel's
timer slack), so a member that naps at every stage's end starts the next one late, and the others then wait for it
in turn. A serial part known to be long (many milliseconds: every step of a call through the Gram matrix) says so
(``begin_long``); the others then sleep until it ends (``end_long``) instead of waking about 10,000 times a second,
each wake taking a core from the thread doing the serial part, or from another program, on a busy machine.
"""

from .._jit import jit
from .atomics import (FUTEX, atomic_add, atomic_cas, atomic_load, atomic_store, cycles, sleep_microseconds, spin_pause,
                      wait_while, wake)

#: The sync array: the open stage, the units done, whether the work stopped early, how many time-stamp cycles a
#: waiting thread spins before it naps, whether the last member is lent out, whether it has stopped claiming for
#: it, whether a long serial part runs (``begin_long``), then each member's counter.
STAGE, DONE, STOP, SPIN, LEND, PARKED, LONG, NEXT = range(8)


def sync_size(members):
    """The sync array's length for a team of ``members``."""
    return NEXT + members
_LOW = (1 << 32) - 1
#: Where there is no time-stamp counter, a waiting thread spins at most this many times per 100,000 cycles of
#: ``SPIN`` (a ``pause`` takes 8 ns on this machine, 20-50 ns on others).
SPINS_PER_100K = 5_000
#: The nap, in microseconds.
NAP = 40
#: How long a lent member sleeps at most before it looks at ``LEND`` again: woken when the loan ends where there is
#: a futex (a lost wake-up costs this much at most); elsewhere it naps this long at a time.
LENT_WAIT = 5000 if FUTEX else 60


@jit
def lent(sync, member):
    """Whether ``member`` is lent out: the team's last member, in a team of more than one, while ``LEND`` is set."""
    members = sync.shape[0] - NEXT
    return member > 0 and member == members - 1 and atomic_load(sync, LEND) != 0


@jit
def park(sync):
    """The lent member says it claims nothing more (``PARKED``) and wakes the borrower, who waits for that
    (``team.lend``)."""
    if atomic_load(sync, PARKED) == 0:
        atomic_store(sync, PARKED, 1)
        wake(sync, PARKED)


@jit
def claim(sync, stage, units, member):
    """The next unit of ``stage`` (of ``units``) for ``member``, from its own range first; −1 when none is left
    (or the stage closed, or the member is lent out)."""
    members = sync.shape[0] - NEXT
    if lent(sync, member):
        park(sync)
        return -1
    for r in range(members):
        owner = (member + r) % members
        lo = owner * units // members
        hi = (owner + 1) * units // members
        while True:
            seen = atomic_load(sync, NEXT + owner)
            if (seen >> 32) != stage or lo + (seen & _LOW) >= hi:
                break
            if atomic_cas(sync, NEXT + owner, seen, seen + 1):
                return lo + (seen & _LOW)
    return -1


@jit
def complete(sync, units):
    """Count one unit done; True for the thread that completed the stage's last unit."""
    return (atomic_add(sync, DONE, 1) & _LOW) + 1 == units


@jit
def open_stage(sync, stage):
    """Open ``stage`` for claims (its serial part done): the waiting threads go on."""
    for owner in range(sync.shape[0] - NEXT):
        atomic_store(sync, NEXT + owner, stage << 32)
    atomic_store(sync, DONE, stage << 32)
    atomic_store(sync, STAGE, stage)


@jit
def begin_long(sync):
    """The serial part about to run is long: the waiting threads sleep until ``end_long``."""
    atomic_store(sync, LONG, 1)


@jit
def end_long(sync):
    """The long serial part is over (its next stage opened, or the work stopped): wake the sleepers."""
    atomic_store(sync, LONG, 0)
    wake(sync, LONG)


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
def wait_past(sync, stage, member):
    """``member`` waits until a stage after ``stage`` opens (or the work stops); returns the open stage."""
    budget = sync[SPIN]
    most = budget * SPINS_PER_100K // 100_000
    start = cycles()
    spins = 0
    while True:
        now = atomic_load(sync, STAGE)
        if now > stage or atomic_load(sync, STOP) != 0:
            return now
        if lent(sync, member):  # a loan that begins while it waits (a new one, just as the last ended, say)
            park(sync)
            wait_while(sync, LEND, 1, LENT_WAIT)
        elif atomic_load(sync, LONG) != 0:
            wait_while(sync, LONG, 1, LENT_WAIT)
        elif spins < most and (start == 0 or cycles() - start < budget):
            spin_pause()
            spins += 1
        else:
            sleep_microseconds(NAP)
