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
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
        digest.update(str(path.stat().st_mtime_ns).encode())
    return digest.hexdigest()[:12]


# Numba writes its cache beside the source by default, which fails where the package is installed read-only.
# Point it to the user's cache folder unless the caller chose one (numba reads this once, at its import).
if "NUMBA_CACHE_DIR" not in os.environ:
    _cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    os.environ["NUMBA_CACHE_DIR"] = str(_cache_home / "visualtrainer" / "numba" / _sources_digest())


def _wide_vectors():
    """The host's CPU features with 512-bit vectors allowed where it has AVX-512 (None elsewhere).

    LLVM keeps to 256-bit vectors on AVX-512 CPUs unless told otherwise (early ones slowed their clock for wide
    vectors); the kernels are bound by multiply-adds, and 512-bit ones made the first layer's tiles 1.6 times
    as fast (benchmarks/bench_engine.py, README's speed notes).
    """
    try:
        import llvmlite.binding as llvm

        features = llvm.get_host_cpu_features()
    except Exception:  # noqa: BLE001  (no answer: Numba's own choice stands)
        return None
    return features.flatten() + ",-prefer-256-bit" if features.get("avx512f") else None


def _many_registers():
    """Whether the host's vector unit has 32 registers (AVX-512, or Arm's NEON) rather than 16 (AVX2): it decides
    how many sums a kernel's register block may keep."""
    try:
        import llvmlite.binding as llvm

        features = llvm.get_host_cpu_features()
    except Exception:  # noqa: BLE001  (no answer: the smaller block, safe everywhere)
        return False
    return bool(features.get("avx512f") or features.get("neon"))


#: 32 vector registers on this host (see ``_many_registers``).
MANY_REGISTERS = _many_registers()

if "NUMBA_CPU_FEATURES" not in os.environ and (_features := _wide_vectors()):
    os.environ["NUMBA_CPU_FEATURES"] = _features

import numba  # noqa: E402

#: Reassociation lets LLVM vectorise the long dot products; no "nnan"/"ninf", so NaN checks survive.
FASTMATH = {"reassoc", "contract", "nsz", "arcp"}
#: For sums: reassociation vectorises them (the order of the terms changes with the vector width).
DOT = FASTMATH
#: For elementwise work with exp and tanh: no reassociation, which would undo their range reduction.
ELEMENTWISE = {"contract", "nsz", "arcp"}

#: A kernel: compiled once and cached on disk, releasing the GIL so a window stays responsive. Division by zero
#: gives inf or NaN, as in numpy, rather than a check and a branch at every division (which stops vectorising).
jit = functools.partial(numba.njit, cache=True, nogil=True, error_model="numpy")

#: A kernel that makes views of arrays its caller owns and passes them on, and never creates or keeps an array:
#: compiled without Numba's reference counts, as are the kernels it calls. With them, each view passed to a call
#: costs two atomic updates of the viewed array's count (as long as a short tile's arithmetic), and threads working
#: on views of one array contend for its count. Numba refuses to compile such a kernel if it allocates, or if it
#: returns an array other than an argument (a tuple of views goes to a kernel compiled the same way).
borrowing = functools.partial(jit, _nrt=False)
