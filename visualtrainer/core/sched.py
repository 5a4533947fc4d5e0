"""The calling thread's place in Linux's scheduler: its policy and its slice (``sched_setattr``).

A slice (kernel 6.12 on, EEVDF) decides the order of turns on a core, not their share: a thread that wakes takes the
core from a running one when its deadline, now plus its slice, comes first. A thread inherits its slice from the
thread that started it, so a thread given a short one (the window's) starts others with it too: they set theirs.
"""

import ctypes
import os
import platform
import threading

#: ``sched_setattr``'s number on the machines that have it.
_SYSCALLS = {"x86_64": 314, "aarch64": 274}


class _Attr(ctypes.Structure):
    """``struct sched_attr`` as the kernel's first version of it (48 bytes)."""

    _fields_ = [("size", ctypes.c_uint32), ("policy", ctypes.c_uint32), ("flags", ctypes.c_uint64),
                ("nice", ctypes.c_int32), ("priority", ctypes.c_uint32), ("runtime", ctypes.c_uint64),
                ("deadline", ctypes.c_uint64), ("period", ctypes.c_uint64)]


def set_thread(policy=None, slice_ns=0):
    """Give the calling thread ``policy`` (``os.SCHED_OTHER`` or ``os.SCHED_BATCH``; None: keep its own) and a slice
    of ``slice_ns`` nanoseconds (0: the system's default), at its nice level; whether the kernel took them. Where
    ``sched_setattr`` cannot be asked (not Linux, another machine) only the policy is set, by ``sched_setscheduler``;
    False where neither can be."""
    try:
        policy = os.sched_getscheduler(0) if policy is None else policy
        if policy not in (os.SCHED_OTHER, getattr(os, "SCHED_BATCH", os.SCHED_OTHER)):
            return False
        number = _SYSCALLS.get(platform.machine())
        if number is not None:
            attr = _Attr(ctypes.sizeof(_Attr), policy, 0, os.getpriority(os.PRIO_PROCESS, 0), 0, slice_ns, 0, 0)
            if ctypes.CDLL(None, use_errno=True).syscall(number, 0, ctypes.byref(attr), 0) == 0:
                return True
        if slice_ns:
            return False
        os.sched_setscheduler(0, policy, os.sched_param(0))
        return True
    except (AttributeError, OSError):  # not Linux, or not allowed
        return False


def thread_slice(thread_id=None):
    """The slice in nanoseconds of the thread ``thread_id`` of this process (its native id; None: the calling
    thread) as the kernel reports it (``/proc``'s ``se.slice``), or None."""
    try:
        with open(f"/proc/self/task/{thread_id or threading.get_native_id()}/sched") as sched:
            for line in sched:
                if line.startswith("se.slice"):
                    return int(float(line.split(":")[1]))
    except (OSError, ValueError):
        pass
    return None
