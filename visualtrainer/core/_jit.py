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

import numba  # noqa: E402

#: Reassociation lets LLVM vectorise the long dot products; no "nnan"/"ninf", so NaN checks survive.
FASTMATH = {"reassoc", "contract", "nsz", "arcp"}

#: A kernel: compiled once and cached on disk, releasing the GIL so a window stays responsive.
jit = functools.partial(numba.njit, cache=True, nogil=True)
