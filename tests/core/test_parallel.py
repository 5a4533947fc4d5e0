"""Kernel calls that open parallel loops all run in one thread, whichever thread asks."""

import os
import sys
import threading

import numba
import numpy as np
import pytest

from visualtrainer.core import Network, parallel


def _in_threads(fn, n=2):
    results = [None] * n

    def work(i):
        results[i] = fn()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_calls_from_different_threads_run_in_one_other_thread():
    ran_in = _in_threads(lambda: parallel.run(threading.get_ident))
    ran_in.append(parallel.run(threading.get_ident))
    assert len(set(ran_in)) == 1
    assert ran_in[0] != threading.get_ident()


def test_a_serial_call_runs_in_the_callers_thread():
    assert parallel.run(threading.get_ident, parallel=False) == threading.get_ident()


def test_a_call_from_the_compute_thread_itself_runs_at_once():
    """A kernel that calls another does not wait for itself."""
    outer = parallel.run(lambda: parallel.run(threading.get_ident))
    assert outer == parallel.run(threading.get_ident)


def test_the_kernels_exception_reaches_the_caller():
    def fails(value):
        raise ValueError(f"bad {value}")

    with pytest.raises(ValueError, match="bad 3"):
        parallel.run(fails, 3)
    assert parallel.run(sum, [1, 2]) == 3  # and the thread still serves


def _wide_problem(seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randint(0, 256, (4096, 300)).astype(np.uint8)
    Y = (X[:10].mean(axis=0, keepdims=True) > 127).astype(np.float64)
    return X, Y


def test_training_from_another_thread_gives_the_same_costs():
    X, Y = _wide_problem()
    here = Network((4096, 5, 1), learning_rate=0.01, random_state=3)
    assert here.problem(X, Y).n_tiles > 0  # the parallel path
    here.fit(X, Y, 12)
    there = Network((4096, 5, 1), learning_rate=0.01, random_state=3)
    _in_threads(lambda: there.fit(X, Y, 12), n=1)
    np.testing.assert_array_equal(there.costs_, here.costs_)
    np.testing.assert_array_equal(there.predict_proba(X), here.predict_proba(X))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts threads in /proc")
@pytest.mark.skipif(numba.get_num_threads() < 2, reason="one kernel thread opens no pool of helpers")
def test_a_new_thread_that_trains_starts_no_threads_of_its_own():
    """libgomp gives every thread that opens a parallel loop its own pool of helper threads (and once the pools
    outnumber the cores, all of them sleep at every barrier). Here only the compute thread ever opens one."""
    X, Y = _wide_problem(1)
    net = Network((4096, 5, 1), learning_rate=0.01, random_state=0)
    net.fit(X, Y, 2)  # the compute thread and its helpers exist from here on
    before = set(os.listdir("/proc/self/task"))
    during = []

    def train():
        net.fit(X, Y, 3)
        net.predict(X)
        during.append(set(os.listdir("/proc/self/task")))

    _in_threads(train, n=1)
    started = during[0] - before
    assert len(started) == 1  # the training thread itself, and no pool of its own


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux keeps a nice value per thread")
def test_the_compute_thread_yields_the_cores_to_the_window():
    tid = parallel.run(threading.get_native_id)
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert os.getpriority(os.PRIO_PROCESS, tid) == min(19, mine + parallel.NICENESS)


def test_trains_on_all_cores_is_the_tiled_path():
    X, Y = _wide_problem()
    wide = Network((4096, 5, 1))
    assert wide.trains_on_all_cores(X.shape[1]) == (wide.problem(X, Y).n_tiles > 0) is True
    assert Network((2, 4, 1)).trains_on_all_cores(400) is False
    small_batches = Network((4096, 5, 1), batch_size=8, optimizer="adam")
    assert small_batches.trains_on_all_cores(X.shape[1]) == (small_batches.problem(X, Y).n_tiles > 0) is False
