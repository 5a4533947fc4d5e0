"""The compiled kernels, ready or not, and compiling them in the background while numpy does the work.

Numba compiles a kernel the first time it is called with new argument types (10-20 s for a kind of network on
two cores) and keeps it in its cache folder; later launches load it in a fraction of a second. So that a first
launch trains at once, ``background()`` turns on a mode in which training and cost surfaces use the numpy
reference engine (``core.reference``) for a kind whose kernels are not compiled yet, and a process of its own
compiles them (at the same priority: numpy training keeps the other core busy, and a lower priority starved the
compiler until the run was over); the work switches to the kernels at the next chunk once they are ready.

A kind is what the kernels are compiled for: the training loop for a layout (wide pixels or narrow inputs), the
parameters' dtype and the inputs' dtype; or a cost surface's kernels. ``compiled(kind)`` answers from a marker file
the compiling process writes into Numba's cache folder when it is done (or from this process, once it has run them);
``ready(kind)`` also waits, on numpy, while another process compiles.
"""

import os
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # not a POSIX system: no lock between processes
    fcntl = None

#: Runs expected to end sooner than this on numpy are not worth compiling for (the command line's short runs).
WORTH_COMPILING_SECONDS = 4.0

_lock = threading.Lock()
_background = False
_eager = False
_loaded = set()  # kinds whose kernels this process has run
_compiling = {}  # kind -> the compiling process


def background(on=True, eager=False):
    """Use numpy until the kernels of a kind are compiled (in a process of their own), rather than compile them
    in the calling thread: for the window and the command line. Off by default (a library compiles on first use).

    ``eager`` starts compiling a kind as soon as it is first needed (the window: more work will follow); otherwise
    only for a training run expected to last longer than ``WORTH_COMPILING_SECONDS`` (the command line).
    """
    global _background, _eager
    _background, _eager = bool(on), bool(on and eager)


def in_background():
    return _background


def eager():
    return _eager


def training_kind(engine):
    """The kind of the training kernels an ``engine.Engine`` runs."""
    problem = engine.problem
    inputs = problem.data.XT.dtype if problem.wide else problem.data.X.dtype
    return f"train-{'wide' if problem.wide else 'narrow'}-{engine.dtype.name}-{inputs.name}"


def surface_kind(engine):
    """The kind of the cost-surface kernels for a (float64) ``engine.Engine``."""
    return "surface-" + training_kind(engine).split("-", 1)[1]


def _marker(kind):
    import numba

    from . import _jit  # noqa: F401  (the cache folder)

    folder = Path(os.environ["NUMBA_CACHE_DIR"]) / "ready"
    return folder / f"{kind}-numba{numba.__version__}"


_held = [0, None]  # calls in this process inside compile_lock, and the locked file


@contextmanager
def compile_lock(kind, wait=True):
    """Held around a call that may compile the kernels of ``kind`` (they have not run in this process): one
    process at a time compiles into Numba's cache. Two processes adding to the cache of one function at once each
    number their new file from the index they read, and the second overwrites the first's code under a name the
    index gives to another signature: whoever loads it later runs the wrong code (a crash). Within a process
    Numba compiles one thing at a time already, so the lock is the process's, taken once however many calls
    (threads, nested calls) are inside it. Yields whether it is held: with ``wait`` False, False at once when
    another process holds it."""
    if kind in _loaded or fcntl is None:
        yield True
        return
    with _lock:
        taken = True
        if _held[0] == 0:
            try:
                path = _lock_path()
                path.parent.mkdir(parents=True, exist_ok=True)
                handle = open(path, "a+")
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    handle.close()
                    taken = False
                else:
                    _held[1] = handle
            except OSError:  # a read-only cache folder: nothing is written into it either
                _held[1] = None
        if taken:
            _held[0] += 1
    if not taken:
        yield False
        return
    try:
        yield True
    finally:
        with _lock:
            _held[0] -= 1
            if _held[0] == 0 and _held[1] is not None:
                fcntl.flock(_held[1], fcntl.LOCK_UN)
                _held[1].close()
                _held[1] = None


def compiled(kind):
    """Whether the kernels of ``kind`` are compiled (in this process, or in Numba's cache)."""
    if kind in _loaded:
        return True
    try:
        return _marker(kind).exists()
    except OSError:
        return False


def ready(kind):
    """Whether the kernels of ``kind`` can run now: compiled, and, when this process has not run them yet, no other
    process compiling meanwhile (loading them takes ``compile_lock``, which would wait for it: 10-20 s of a first
    launch's window training nothing, where numpy trains meanwhile)."""
    return compiled(kind) and (kind in _loaded or not _locked_elsewhere())


def _locked_elsewhere():
    """Whether another process holds the compile lock now."""
    if fcntl is None or _held[0] > 0:
        return False
    try:
        with open(_lock_path(), "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
    except OSError:
        return False
    return False


def _lock_path():
    return _marker("any").parent.parent / "compiling.lock"


def loaded(kind):
    """This process has run the kernels of ``kind``: they are compiled."""
    with _lock:
        if kind in _loaded:
            return
        _loaded.add(kind)
    try:
        marker = _marker(kind)
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:  # a read-only cache folder: this process still knows
        pass


def compiling(kind):
    """Whether a process is compiling ``kind`` right now."""
    with _lock:
        process = _compiling.get(kind)
        return process is not None and process.poll() is None


def start(kind):
    """Compile the kernels of ``kind`` in a process of their own, unless they are ready or being compiled; it dies
    with this one. Returns whether one was started."""
    with _lock:
        if kind in _loaded or (kind in _compiling and _compiling[kind].poll() is None):
            return False
        if compiled(kind):
            return False
        _compiling[kind] = subprocess.Popen(
            [sys.executable, "-m", "visualtrainer.core.compile_worker", kind, str(os.getpid())],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ))
        return True


def wait(kind, timeout=None):
    """Wait for a compiling process of ``kind`` to end; returns whether the kind is ready."""
    with _lock:
        process = _compiling.get(kind)
    if process is not None:
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            return False
    return ready(kind)
