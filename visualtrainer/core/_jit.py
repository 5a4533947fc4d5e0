"""Numba settings shared by every kernel: a writable cache folder, cached, GIL-free compiled code."""

import functools
import hashlib
import os
from pathlib import Path


def _sources_digest():
    """A digest of the kernels' sources and their times: Numba's cache of a kernel embeds (or links to) the
    kernels it calls, but is only invalidated when the kernel's own file changes, so a mix of fresh and stale
    entries can crash. Each state of the sources gets a folder of its own, compiled consistently."""
    digest = hashlib.sha1()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
        digest.update(str(path.stat().st_mtime_ns).encode())
    return digest.hexdigest()[:12]


# Numba writes its cache beside the source by default, which fails where the package is installed read-only.
# Point it to the user's cache folder unless the caller chose one (numba reads this once, at its import).
if "NUMBA_CACHE_DIR" not in os.environ:
    _cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    os.environ["NUMBA_CACHE_DIR"] = str(_cache_home / "visualtrainer" / "numba" / _sources_digest())

# libgomp (Numba's "omp" layer) lets its threads spin this many times for the next parallel loop before they sleep
# (its default is 300,000). The compute thread hands a finished chunk back between two loops, and with the default
# the kernel threads were asleep at the start of every chunk: in the window, whose chunks are short, the cat network
# trained at 74-85% of its headless speed with the default (median 78%, 6 rounds of benchmarks/bench_window.py) and
# at 77-86% with 1 or 10 million (median 81%, 14 rounds). The spin ends about 10 ms after the last loop (10 million:
# 150 ms); libgomp reads it once, when it loads.
os.environ.setdefault("GOMP_SPINCOUNT", "1000000")

import numba  # noqa: E402

from . import _launch  # noqa: E402

# Parallel loops started from our GIL-free kernels no longer wait for the GIL, which the window's thread holds
# while it draws (installed before any kernel is compiled or loaded from the cache).
_launch.install()

#: Reassociation lets LLVM vectorise the long dot products; no "nnan"/"ninf", so NaN checks survive.
FASTMATH = {"reassoc", "contract", "nsz", "arcp"}

#: A kernel: compiled once and cached on disk, releasing the GIL so a window stays responsive.
jit = functools.partial(numba.njit, cache=True, nogil=True)
