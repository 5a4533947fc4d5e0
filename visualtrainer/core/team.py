"""A team of threads that join the caller in a kernel: the caller is member 0, helpers are 1, 2, ….

``run(kernel, *args)`` hands ``kernel(member, sync, *args)`` to the helpers and runs it in the calling thread too;
the kernel shares its work out itself (``kernels.share``). The caller never waits for a helper to start: a helper
that is busy elsewhere, or that the machine has put aside, joins late or not at all, and the caller and whoever
else is running do the work. So any number of threads (training, a cost surface, a sweep) may call at once, and a
busy desktop slows the team down by the cores it takes, no more.

The team has one member per core this process may use (``NUMBA_NUM_THREADS`` to set it, as for Numba). Helpers run
at the process's priority: a waiting member sleeps rather than spin for long, so a core someone else needs is given
up within tens of microseconds.
"""

import os
import queue
import threading

import numpy as np

from .kernels.share import SYNC_SIZE

_lock = threading.Lock()
_helpers = []


def size():
    """Members of the team: ``NUMBA_NUM_THREADS`` if set, else the cores this process may run on."""
    setting = os.environ.get("NUMBA_NUM_THREADS", "")
    if setting.strip().isdigit() and int(setting) > 0:
        return int(setting)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _serve(member, jobs):
    while True:
        kernel, args = jobs.get()
        try:
            kernel(member, *args)
        except BaseException:  # noqa: BLE001  (the caller does the work alone; nothing to report here)
            pass


def _start_helpers(count):
    with _lock:
        while len(_helpers) < count:
            jobs = queue.SimpleQueue()
            member = len(_helpers) + 1
            threading.Thread(target=_serve, args=(member, jobs), name=f"team-{member}", daemon=True).start()
            _helpers.append(jobs)
        return _helpers[:count]


def _forget_helpers_after_fork():
    global _lock
    _lock = threading.Lock()
    _helpers.clear()


os.register_at_fork(after_in_child=_forget_helpers_after_fork)


def new_sync():
    """A fresh sync array for one call (stage 0 open)."""
    return np.zeros(SYNC_SIZE, dtype=np.int64)


def run(kernel, *args, members=None):
    """``kernel(member, sync, *args)`` on ``members`` threads (default: the team's size), this one being member 0.

    Returns what member 0's call returns, once the kernel's work is done.
    """
    members = size() if members is None else max(1, int(members))
    sync = new_sync()
    for jobs in _start_helpers(members - 1):
        jobs.put((kernel, (sync, *args)))
    return kernel(0, sync, *args)
