"""Arrays whose data start on a 64-byte boundary (a cache line, a 512-bit vector).

numpy's large arrays start 16 bytes into a page, so every 512-bit load of one straddles two cache lines and costs
two loads: the first layer's kernels, which load two vectors a multiply-add cycle, ran 25-30% slower on such
arrays (benchmarks/bench_first_layer.py, README's speed notes). Their inputs, parameters and scratch start on a
line instead.
"""

import numpy as np

LINE = 64


def empty(shape, dtype):
    """An uninitialised C-contiguous array of ``shape`` starting on a 64-byte boundary."""
    dtype = np.dtype(dtype)
    count = int(np.prod(shape, dtype=np.int64))
    raw = np.empty(count * dtype.itemsize + LINE, dtype=np.uint8)
    skip = -raw.ctypes.data % LINE
    return raw[skip : skip + count * dtype.itemsize].view(dtype).reshape(shape)


def copy(array, dtype=None):
    """A C-contiguous copy of ``array`` (in ``dtype``) starting on a 64-byte boundary."""
    out = empty(np.shape(array), dtype or np.asarray(array).dtype)
    out[...] = array
    return out


def pair(row):
    """(2, n): two copies of ``row``, the first starting on a 64-byte boundary (the double-buffered state)."""
    out = empty((2, np.size(row)), np.asarray(row).dtype)
    out[0] = out[1] = row
    return out
