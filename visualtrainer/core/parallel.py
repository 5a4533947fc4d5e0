"""One thread runs every kernel call that opens parallel loops, whichever thread asks for it.

Numba hands parallel loops to a threading layer, and neither layer found on a plain Linux install copes well with
several threads launching them:

- "omp" (libgomp) gives each launching thread a pool of its own, and once the pools' threads outnumber the cores,
  every pool waits at its barriers by sleeping instead of spinning. Training the 12288-7-1 cat network from a
  second thread, after the first had launched one parallel loop, ran 14% slower on 2 cores (and 0% slower when
  the training thread was the only one ever to launch).
- "workqueue", used where OpenMP is missing, is not thread-safe: two threads launching at once can abort.

So the window's training, surface, sweep and picture threads, and the command line, all queue such calls here and
wait for them. The kernels read their interrupt flags at every batch, so cancelling still ends a call within one.
Calls that stay serial (small networks: ``Network._tiles`` is 0) run in the caller's thread, with no hand-over.

The thread runs at a lower priority (``NICENESS``): with the window drawing beside two busy kernel threads on two
cores, the window's longest stall fell from 43–59 ms to 25–29 ms and training kept its speed.
"""

import os
import queue
import sys
import threading

#: The compute thread's nice value above the process's (Linux): the window's thread, and the rest of the desktop,
#: get the cores first when they need them, so drawing is never kept waiting by the training.
NICENESS = 10

_jobs = queue.SimpleQueue()
_lock = threading.Lock()
_thread = None


def _serve():
    if sys.platform.startswith("linux"):
        # Linux keeps a nice value per thread; the kernels' own threads, started from this one, inherit it.
        try:
            me = threading.get_native_id()
            os.setpriority(os.PRIO_PROCESS, me, os.getpriority(os.PRIO_PROCESS, me) + NICENESS)
        except OSError:  # not allowed here: run at the process's priority
            pass
    while True:
        kernel, args, done, box = _jobs.get()
        try:
            box.append((True, kernel(*args)))
        except BaseException as error:  # handed to the caller, raised in its own thread
            box.append((False, error))
        done.set()


def _compute_thread():
    global _thread
    with _lock:
        if _thread is None:
            _thread = threading.Thread(target=_serve, name="compute", daemon=True)
            _thread.start()
        return _thread


def _forget_thread_after_fork():
    global _thread, _jobs, _lock
    _thread, _jobs, _lock = None, queue.SimpleQueue(), threading.Lock()


os.register_at_fork(after_in_child=_forget_thread_after_fork)


def run(kernel, *args, parallel=True):
    """``kernel(*args)``, run in the compute thread when ``parallel`` (it may open parallel loops), else here.

    Blocks until it returns, and returns its result or raises its exception.
    """
    if not parallel or threading.current_thread() is _thread:
        return kernel(*args)
    _compute_thread()
    done, box = threading.Event(), []
    _jobs.put((kernel, args, done, box))
    done.wait()
    ok, value = box[0]
    if ok:
        return value
    raise value

