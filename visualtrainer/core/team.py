"""A team of threads that join the caller in a kernel: the caller is member 0, helpers are 1, 2, ….

``run(kernel, *args)`` hands ``kernel(member, sync, *args)`` to the helpers and runs it in the calling thread too;
the kernel shares its work out itself (``kernels.share``). The caller never waits for a helper to start: a helper
that the machine has put aside joins late or not at all, and the caller and whoever else is running do the work.
So a busy desktop slows the team down by the cores it takes, no more. Threads that call at once (training, a cost
surface, a sweep) take turns.

The team has one member per core this process may use (``NUMBA_NUM_THREADS`` to set it, as for Numba). Helpers run
at the process's priority: a waiting member sleeps rather than spin for long, so a core someone else needs is given
up within about 150 µs. A thread of the same process that needs a core for a while (the window's, to draw) borrows
one (``lend``, ``unlend``) rather than take it from a member in the middle of its work.
"""

import os
import queue
import threading
import time
from contextlib import contextmanager

import numpy as np

from .kernels.atomics import sleep_while, wake
from .kernels.share import LEND, LONG, PARKED, SPIN, sync_size

_lock = threading.Lock()
#: Calls from several threads (training, a cost surface, the course's runs) take turns: each call already has every
#: core, and two teams at once would share them with no one waiting less.
_turns = threading.Lock()
_helpers = []
_waits = threading.local()  # seconds each calling thread has waited for its turn (``turn_waits``)
#: How long a measurement of the size not in use is trusted before it is taken again (or, not measured yet, how
#: long before it is first), doubling each time it is taken and still slower, up to ``SLOW_PROBE_FACTOR`` times;
#: that long at once when that size was at least ``SLOW`` times slower. A switch, or the helpers' share turning
#: uneven, starts again from ``PROBE_SECONDS``. A probe costs about half of ``PROBE_CALL_SECONDS``'s work.
PROBE_SECONDS = 1.0
SLOW_PROBE_FACTOR = 8
SLOW = 1.5
#: How long a measurement of the size not in use lasts, whatever the caller's chunks: it is likely the slower.
PROBE_CALL_SECONDS = 0.05
#: The size in use changes only for one at least this much faster (measurements on a shared machine are noisy;
#: with one core busy the team ran 4% slower than one thread, so this is kept under 4%).
SWITCH_GAIN = 0.97
#: The helpers' share of the team's work is even to within this part of an even share when every member gets its
#: core. A share off by more, either way, in ``UNEVEN_CALLS`` calls in a row, means some member waited for the
#: scheduler: one thread is measured against the team soon. An even share proves nothing, though: with one core
#: busy and the scheduler fair to all, both members slow down alike, and the team ran 6% slower than one thread
#: with shares of 0.48 to 0.55.
HEALTHY_SHARE = 0.9
#: Beside the window, with the machine otherwise idle, about one call in a hundred is uneven alone (the window's
#: thread takes a member's core for a moment); a busy machine's calls are uneven call after call. A probe of one
#: thread costs the team about half of its call's work.
UNEVEN_CALLS = 2
#: A size's cost is the median of its measures of the last ``RECENT_SECONDS`` (at least three, at most
#: ``RECENT_MOST``), each weighted by the units it measured: a tenth of a second of slow calls (another thread of the
#: process busy, a pause and a resume), or a short call after an idle while, does not make the team look slower than
#: one thread, a lasting change does.
RECENT_SECONDS = 0.5
RECENT_MOST = 31
#: A call of the whole team that lent a core (``lend``) for more than this part of its time measures the window's
#: drawing more than the team.
MOSTLY_LENT = 0.5
_choosers = {}
CPUS = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None  # the process's cores, as it started


def size():
    """Members of the team: ``NUMBA_NUM_THREADS`` if set, else the cores this process may run on (as it started: the
    calling thread may be kept off one meanwhile, the window's)."""
    setting = os.environ.get("NUMBA_NUM_THREADS", "")
    cores = max(1, len(CPUS) if CPUS else os.cpu_count() or 1)
    return int(setting) if setting.strip().isdigit() and int(setting) > 0 else cores


def as_background():
    """Mark the calling thread as batch work where the system has the notion (Linux's ``SCHED_BATCH``, same nice
    level): the scheduler then never lets it take a core from an interactive thread that wakes (the window's, whose
    events would otherwise wait a time slice for a core while the training keeps every core), and gives it the same
    share of the machine as before; and free to run on every core of the process (a thread inherits its starter's)."""
    for mark in (lambda: os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0)),
                 lambda: os.sched_setaffinity(0, CPUS)):
        try:
            mark()
        except (AttributeError, OSError, TypeError):  # not Linux, or not allowed
            pass


def _serve(member, jobs):
    as_background()
    while True:
        kernel, args = jobs.get()
        _joined[member] = args[0]  # the call's sync array: ``lend`` waits only for a member in the call
        try:
            kernel(member, *args)
        except BaseException:  # noqa: BLE001  (the caller does the work alone; nothing to report here)
            pass
        del kernel, args  # while the thread waits, the call's arrays are not kept alive by it


def _start_helpers(count):
    with _lock:
        while len(_helpers) < count:
            jobs = queue.SimpleQueue()
            member = len(_helpers) + 1
            threading.Thread(target=_serve, args=(member, jobs), name=f"team-{member}", daemon=True).start()
            _helpers.append(jobs)
        return _helpers[:count]


def _forget_helpers_after_fork():
    global _lock, _turns
    _lock, _turns = threading.Lock(), threading.Lock()
    _helpers.clear()


os.register_at_fork(after_in_child=_forget_helpers_after_fork)


def quiet_blas():
    """numpy's BLAS kept to one thread in this process, for a process whose training has the team on every core
    and whose numpy work is on the side (the window's measures, its first training while the kernels compile):
    OpenBLAS's other threads spin for about a tenth of a second after each product they share in, taking a core
    from the team each time."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")


#: Time-stamp cycles a waiting member spins before it naps: about 150 µs at 2.7 GHz, what a stage's end usually
#: takes. A nap lasts 50-100 µs whatever is asked: spinning only 17 µs, the members of 12288-20-7-5-1 napped at most
#: stages' ends, started the next late and made the others wait in turn (0.14 ms a step of 1.28 ms each, against
#: 0.01-0.06 of 1.16 ms with this; cycle counts taken in the kernel). Beside a window too: its thread borrows a core
#: while it draws (``lend``) instead of taking it from a spinning member.
SPIN_CYCLES = 400_000


def new_sync(members, lent=False):
    """A fresh sync array for one call of a team of ``members`` (stage 0 open), its last member lent out or not."""
    sync = np.zeros(sync_size(members), dtype=np.int64)
    sync[SPIN] = SPIN_CYCLES
    sync[LEND] = 1 if lent else 0
    return sync


#: The call running now (``_turns`` lets one run at a time): its sync array and its caller's thread, for ``lend``.
_running = None
_caller = None
_borrowers = set()  # the threads that have a core on loan (``lend``)
_joined = {}
_loaned = 0.0  # seconds of loans ended so far
_loan_began = 0.0
#: How long ``lend`` waits at most for the lent member to stop claiming: a unit of work, in the worst case.
LEND_WAIT_SECONDS = 0.002


def _lent_to_others(caller):
    return bool(_borrowers) and _borrowers != {caller}


def run(kernel, *args, members=None):
    """``kernel(member, sync, *args)`` on ``members`` threads (default: the team's size), this one being member 0.
    A core lent to another thread (``lend``) stays lent; the caller's own loan, if it has one, does not hold back
    its own call.

    Returns what member 0's call returns, once the kernel's work is done.
    """
    global _running, _caller
    members = size() if members is None else max(1, int(members))
    me = threading.get_ident()
    asked = time.perf_counter()
    with _turn(me):
        _waits.seconds = getattr(_waits, "seconds", 0.0) + time.perf_counter() - asked
        with _lock:
            sync = _running = new_sync(members, _lent_to_others(me))
            _caller = me
        try:
            for jobs in _start_helpers(members - 1):
                jobs.put((kernel, (sync, *args)))
            return kernel(0, sync, *args)
        finally:
            with _lock:
                _running = _caller = None
                if sync[LEND]:  # a lent helper sleeping in the call just ended: it goes back to wait for the next
                    _end_loan(sync)
                    wake(sync, PARKED)  # and a borrower waiting for it to park goes on


@contextmanager
def _turn(me):
    """This thread's turn in ``run``. A thread with a core on loan that must wait for another thread's call gives
    the core back meanwhile (it works on nothing while it waits: the call running would otherwise go on a core
    short, the core idle) and has it again for its own call."""
    if not _turns.acquire(blocking=False):
        borrower = me in _borrowers
        if borrower:
            unlend()
        _turns.acquire()
        if borrower:
            lend()  # no call runs while this thread has the turn: the loan is taken again at once
    try:
        yield
    finally:
        _turns.release()


def _end_loan(sync):
    """The last member of the call of ``sync`` claims work again, woken if it sleeps."""
    sync[LEND] = 0
    wake(sync, LEND)


def lend():
    """Take one core from the team for the calling thread until it calls ``unlend``: the team's last member stops
    claiming work (the others do it) and naps. For a thread of this process about to work for a while beside a
    team on every core (the window's, to draw; a cost surface's set-up in numpy): without the loan it takes a
    member's core, and that member, put aside in the middle of a unit, holds up the others at the stage's end
    until it runs again. Returns once the member has stopped claiming (or no call runs, or the member is not in it or
    sleeps through a long part, or ``LEND_WAIT_SECONDS`` passed), having slept, so that the caller wakes on its core."""
    global _loan_began
    me = threading.get_ident()
    with _lock:
        if not _borrowers:
            _loan_began = time.perf_counter()
        _borrowers.add(me)
        sync = _running
        if sync is None or sync.shape[0] - sync_size(0) < 2 or _caller == me:
            return
        if sync[LEND] == 0:
            sync[PARKED] = 0
            sync[LEND] = 1
        if _joined.get(sync.shape[0] - sync_size(0) - 1) is not sync or sync[LONG]:  # not in the call, or asleep
            return  # through a long serial part: it claims nothing (and sees the loan before it claims again)
    deadline = time.perf_counter() + LEND_WAIT_SECONDS
    while sync[PARKED] == 0 and _running is sync and (left := deadline - time.perf_counter()) > 0:
        sleep_while(sync, PARKED, 0, left)  # woken as the member parks (the call's end wakes it too)


def unlend():
    """End the calling thread's loan (``lend``): the last member claims work again at its next nap's end, unless
    another thread has a core on loan."""
    global _loaned
    me = threading.get_ident()
    if me not in _borrowers:
        return
    with _lock:
        _borrowers.discard(me)
        if not _borrowers:
            _loaned += time.perf_counter() - _loan_began
        if _running is not None and not _lent_to_others(_caller):
            _end_loan(_running)


@contextmanager
def borrowing():
    """``with team.borrowing():`` a core lent to this thread (``lend``) for the block."""
    lend()
    try:
        yield
    finally:
        unlend()


def lent():
    """Whether some thread has a core of the team on loan."""
    return bool(_borrowers)


def turn_waits():
    """Seconds the calling thread has waited so far for its turn in ``run`` (another thread's call running)."""
    return getattr(_waits, "seconds", 0.0)


def loaned_seconds():
    """Seconds the team has lent a core (``lend``) so far in this process, the loan going on included."""
    with _lock:
        return _loaned + (time.perf_counter() - _loan_began if _borrowers else 0.0)


class SizeChooser:
    """For a kernel called again and again (training's chunks): the whole team or one thread, whichever has done
    a unit of work faster lately.

    On a busy machine one thread can beat the team: a member that shares a core with another program holds the
    stage it is in until the scheduler gives it the core back. Both sizes are measured (``record``), the faster is
    used (``pick``), and the other is measured again (``probing``) after ``PROBE_SECONDS``, twice that after each
    measure it loses, up to ``SLOW_PROBE_FACTOR`` times that (at once when it was much slower), each time for about
    ``PROBE_CALL_SECONDS``. One thread is first measured when the helpers' share of the work turns uneven
    (``HEALTHY_SHARE``, ``UNEVEN_CALLS`` calls in a row), or after ``PROBE_SECONDS``.
    """

    def __init__(self, full=None, clock=time.perf_counter):
        self.full = size() if full is None else max(1, int(full))
        self.clock = clock
        self.cost = {}  # members -> seconds a unit of work: the recent measures' median, weighted by units
        #: members -> the recent measures (seconds a unit, when taken, units measured): those of the last
        #: ``RECENT_SECONDS``, or the last three
        self.seen = {}
        self.when = {}  # members -> when last measured
        self.born = clock()
        self.current = self.full
        self.probing = False
        self.share = None  # the helpers' share of the team's work, in its last measured call
        self.uneven_calls = 0  # the measured calls in a row whose share was uneven, up to the last
        self.widen = 1  # how much longer than usual the next probe runs
        self.interval = PROBE_SECONDS  # how long a measure of the other size is trusted: doubles as it keeps losing

    def pick(self):
        """Members for the next call; sets ``probing`` when the call is a measurement of the size not in use."""
        self.probing = False
        if self.full == 1 or len(self.seen.get(self.current, ())) < 2:  # a first measure may be a warm-up
            return self.current
        other = 1 if self.current == self.full else self.full
        uneven = self.current == self.full and not self._even()
        if len(self.seen.get(other, ())) < 2:  # a size measured twice at most, the first a warm-up
            trusted = 0.0 if uneven or other in self.seen else self.interval
        else:
            slow = self.cost[other] > SLOW * self.cost[self.current]
            trusted = PROBE_SECONDS * SLOW_PROBE_FACTOR if slow and not uneven else self.interval
        if self.clock() - self.when.get(other, self.born) >= trusted:
            self.probing = True
            return other
        return self.current

    def _even(self):
        return self.uneven_calls < UNEVEN_CALLS

    def _healthy(self, share):
        even = (self.full - 1) / self.full
        return HEALTHY_SHARE * even <= share <= (2 - HEALTHY_SHARE) * even

    def probe_units(self, units):
        """``units`` (a caller's chunk), or fewer when the next call is a probe: about ``PROBE_CALL_SECONDS`` of
        them at the probed size's last cost (the other's when it has none). A training that runs a quarter of a
        second a call would otherwise spend a quarter of every second on the slower size (7% of one thread's speed
        lost with one core busy). A probe too short to measure (``too_short``) makes the next one longer."""
        if not self.probing:
            return units
        other = 1 if self.current == self.full else self.full
        known = self.cost.get(other) or self.cost.get(self.current)  # not measured yet: as fast as the other, say
        if not known:
            return units
        return max(1, min(units, int(self.widen * PROBE_CALL_SECONDS / known)))

    def too_short(self):
        """The last probe ran too briefly to be measured."""
        self.widen *= 4

    def record(self, members, seconds, units, share=None, lent=0.0):
        """A call of ``members`` did ``units`` of work (iterations, say) in ``seconds``, its helpers ``share`` of it,
        the team having lent a core (``lend``) for ``lent`` of its seconds. A call of the whole team lent for most
        of its time is not a measure of the team; otherwise the loan's part is the window's due, as it would be
        with one thread, and the helpers' share is judged on the time they were not lent."""
        if units <= 0 or seconds <= 0:
            return
        part = min(max(lent / seconds, 0.0), 1.0)
        if members == self.full and members > 1:
            if part > MOSTLY_LENT:
                return
            if share is not None:
                was_even, self.share = self._even(), min(1.0, share / (1.0 - part))
                self.uneven_calls = 0 if self._healthy(self.share) else self.uneven_calls + 1
                if was_even and not self._even():
                    self.interval = PROBE_SECONDS  # something changed: the other size may win now
        self.widen = 1
        now = self.clock()
        recent = self.seen.get(members, []) + [(seconds / units, now, units)]
        while len(recent) > 3 and (now - recent[0][1] > RECENT_SECONDS or len(recent) > RECENT_MOST):
            del recent[0]
        self.seen[members] = recent
        self.cost[members] = _weighted_median([(cost, units) for cost, _, units in recent])
        self.when[members] = self.clock()
        if any(len(self.seen.get(size, ())) < 2 for size in (1, self.full)):
            return  # both sizes measured twice before any decision
        best = min(self.cost, key=self.cost.get)
        if self.cost[best] < SWITCH_GAIN * self.cost[self.current]:
            self.current, self.interval = best, PROBE_SECONDS
        elif members != self.current:  # the other size measured and still slower: measure it less often
            self.interval = min(2 * self.interval, PROBE_SECONDS * SLOW_PROBE_FACTOR)


def _weighted_median(measures):
    """The (lower) median of the (value, weight) ``measures``, each value counted its weight's times: a short call (a
    few iterations after an idle while, cold caches and a helper still waking) weighs little beside the long ones."""
    measures = sorted(measures)
    half, seen = sum(weight for _, weight in measures) / 2, 0
    for value, weight in measures:
        seen += weight
        if seen >= half:
            return value
    return measures[-1][0]


def chooser_for(key, full):
    """The SizeChooser of a kind of work (``key``: the network's shape and batch, say), kept for the process's
    life, so that the next run of the same work starts from what was measured."""
    with _lock:
        chooser = _choosers.get(key)
        if chooser is None or chooser.full != full:
            chooser = _choosers[key] = SizeChooser(full)
        return chooser
