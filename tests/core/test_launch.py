"""Parallel loops started from GIL-free kernels never wait for the GIL; from a thread that holds it, they release it."""

import sys
import threading
import time

import numba
import numpy as np
from numba import prange

import visualtrainer.core  # noqa: F401  (installs the launcher before the kernels below compile)
from visualtrainer.core import _launch

LOOPS = 200


def _loops(state, n):
    """``n`` parallel loops, counting them in state[1] (state[0] = 1 once started, 2 when done)."""
    state[0] = 1
    part = np.zeros(4)
    for k in range(n):
        for t in prange(4):
            part[t] = part[t] + t * 0.5
        state[1] = k + 1
    state[0] = 2
    return part.sum()


nogil_loops = numba.njit(nogil=True, parallel=True)(_loops)
gil_loops = numba.njit(parallel=True)(_loops)  # keeps the GIL, but for its parallel loops


def _long_loop(state, a):
    """One parallel loop long enough to be seen running (state[0] = 1 in it, 2 after)."""
    state[0] = 1
    out = np.zeros(a.shape[0])
    for t in prange(a.shape[0]):
        x = 0.0
        for i in range(50_000_000):
            x = x * 0.9999999 + a[t]
        out[t] = x
    state[0] = 2
    return out.sum()


gil_long_loop = numba.njit(parallel=True)(_long_loop)


def test_install_is_done_once_and_reports_it():
    assert _launch.install() is True
    assert getattr(numba.np.ufunc.parallel.build_gufunc_kernel, "_releases_only_if_held", False)


def test_parallel_loops_of_a_nogil_kernel_run_while_another_thread_holds_the_gil():
    """With Numba's own launcher each of the loops below waited to take the GIL, which this thread keeps (its
    switch interval is set longer than the test): the kernel stalled at its first loop."""
    state = np.zeros(2, dtype=np.int64)
    nogil_loops(np.zeros(2, dtype=np.int64), 1)  # compiled before the GIL is held
    worker = threading.Thread(target=nogil_loops, args=(state, LOOPS))
    interval = sys.getswitchinterval()
    worker.start()
    while state[0] == 0:  # sleeping lets the worker take the GIL to enter the kernel
        time.sleep(0.001)
    sys.setswitchinterval(30.0)
    try:
        deadline = time.perf_counter() + 10.0
        while state[0] != 2 and time.perf_counter() < deadline:  # pure Python: the GIL is never let go here
            pass
        loops_while_held = int(state[1])
    finally:
        sys.setswitchinterval(interval)
    worker.join()
    assert loops_while_held == LOOPS
    assert state[1] == LOOPS


def test_a_kernel_that_holds_the_gil_still_lets_it_go_for_its_parallel_loops():
    """A parallel kernel compiled without nogil holds the GIL, except inside its parallel loops (as before)."""
    gil_long_loop(np.zeros(2, dtype=np.int64), np.ones(1))
    state = np.zeros(2, dtype=np.int64)
    worker = threading.Thread(target=gil_long_loop, args=(state, np.ones(2)))
    seen = set()
    worker.start()
    while worker.is_alive():
        seen.add(int(state[0]))  # this thread runs only while the kernel has let the GIL go
        time.sleep(0.0005)
    worker.join()
    assert 1 in seen
    assert state[0] == 2


def test_a_gil_holding_kernel_gives_the_same_results():
    state = np.zeros(2, dtype=np.int64)
    assert gil_loops(state, 10) == nogil_loops(np.zeros(2, dtype=np.int64), 10) == 10 * 0.5 * (0 + 1 + 2 + 3)
    assert list(state) == [2, 10]
