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


def laid_out(array, dtype=None):
    """``array`` as a C-contiguous array in ``dtype`` starting on a 64-byte boundary: itself when it is one, else
    an aligned copy."""
    array = np.asarray(array)
    dtype = np.dtype(dtype or array.dtype)
    if array.dtype == dtype and array.flags.c_contiguous and array.ctypes.data % LINE == 0:
        return array
    return copy(array, dtype)


def pair(row):
    """(2, n′): two copies of ``row`` (n,), each starting on a 64-byte boundary, for the double-buffered training
    state: n′ is n rounded up to whole lines, the columns past n zeros (the kernels use the first n)."""
    row = np.asarray(row)
    per_line = max(1, LINE // row.dtype.itemsize)
    out = empty((2, -(-row.size // per_line) * per_line), row.dtype)
    out[:, row.size :] = 0
    out[0, : row.size] = out[1, : row.size] = row
    return out
