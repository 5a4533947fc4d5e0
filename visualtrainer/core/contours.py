"""Contour lines of a grid of values, by marching squares, compiled: a few levels on 101×101 in well under 1 ms.

Lines come out as separate segments (x0, y0, x1, y1), each with its level's index, ready to draw in one go.
"""

import numpy as np

from . import compiling
from ._jit import jit

#: The compiled kernel's kind for ``core.compiling`` (one signature, whatever the network).
KIND = "contours"


def contour_levels(values, count, log=False):
    """``count`` levels spread evenly between the least and the largest finite value (in log10 if ``log``)."""
    finite = np.asarray(values, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    if log:
        finite = finite[finite > 0]
    if finite.size == 0 or count < 1:
        return np.zeros(0)
    low, high = finite.min(), finite.max()
    if high <= low:
        return np.zeros(0)
    if log:
        return np.logspace(np.log10(low), np.log10(high), count + 2)[1:-1]
    return np.linspace(low, high, count + 2)[1:-1]


@jit
def _edge_point(v0, v1, level, x0, y0, x1, y1):
    t = (level - v0) / (v1 - v0)
    return x0 + t * (x1 - x0), y0 + t * (y1 - y0)


@jit
def contour_segments(Z, xs, ys, levels):
    """Segments of the lines Z = level for each level, with Z[j, i] the value at (xs[i], ys[j]).

    Returns (segments (k, 4) as x0, y0, x1, y1; level index (k,)). Along each cell edge the value is taken as
    linear, so every end point lies on an edge where that interpolation equals the level; a cell whose four
    corners alternate (a saddle) is split the way its centre's value says. Cells with a non-finite corner are
    left out.
    """
    ny, nx = Z.shape
    out = np.empty(((nx - 1) * (ny - 1) * 2 * levels.shape[0], 4))
    which = np.empty(out.shape[0], dtype=np.int64)
    ex = np.empty(4)
    ey = np.empty(4)
    k = 0
    for n in range(levels.shape[0]):
        level = levels[n]
        for j in range(ny - 1):
            for i in range(nx - 1):
                v00, v10, v11, v01 = Z[j, i], Z[j, i + 1], Z[j + 1, i + 1], Z[j + 1, i]
                if not (np.isfinite(v00) and np.isfinite(v10) and np.isfinite(v11) and np.isfinite(v01)):
                    continue
                a00, a10, a11, a01 = v00 > level, v10 > level, v11 > level, v01 > level
                if a00 == a10 and a10 == a11 and a11 == a01:
                    continue
                x0, x1, y0, y1 = xs[i], xs[i + 1], ys[j], ys[j + 1]
                # edges: 0 bottom (00-10), 1 right (10-11), 2 top (01-11), 3 left (00-01)
                crossed = 0
                if a00 != a10:
                    ex[0], ey[0] = _edge_point(v00, v10, level, x0, y0, x1, y0)
                    crossed |= 1
                if a10 != a11:
                    ex[1], ey[1] = _edge_point(v10, v11, level, x1, y0, x1, y1)
                    crossed |= 2
                if a01 != a11:
                    ex[2], ey[2] = _edge_point(v01, v11, level, x0, y1, x1, y1)
                    crossed |= 4
                if a00 != a01:
                    ex[3], ey[3] = _edge_point(v00, v01, level, x0, y0, x0, y1)
                    crossed |= 8
                if crossed == 15:  # a saddle: the corners unlike the centre are cut off
                    centre_above = (v00 + v10 + v11 + v01) * 0.25 > level
                    pairs = ((0, 3), (1, 2)) if a00 != centre_above else ((0, 1), (2, 3))
                    for p, q in pairs:
                        out[k, 0], out[k, 1], out[k, 2], out[k, 3] = ex[p], ey[p], ex[q], ey[q]
                        which[k] = n
                        k += 1
                    continue
                first = -1
                for e in range(4):
                    if crossed & (1 << e):
                        if first < 0:
                            first = e
                        else:
                            out[k, 0], out[k, 1], out[k, 2], out[k, 3] = ex[first], ey[first], ex[e], ey[e]
                            which[k] = n
                            k += 1
    return out[:k].copy(), which[:k].copy()


def segments(Z, xs, ys, levels):
    """``contour_segments`` of float64 Z, xs, ys, levels, through the compiled kernel once it is ready; before that
    (``compiling.background``: a first launch) each level through ``level_segments`` in numpy while a process of
    its own compiles the kernel, so that no thread of the window's process compiles it (0.7-1.6 s, while the
    window's event loop stalled 40-50 ms at a time)."""
    if compiling.in_background() and not compiling.ready(KIND):
        if compiling.eager():
            compiling.start(KIND)
        parts = [level_segments(Z, xs, ys, level) for level in levels]
        which = np.repeat(np.arange(len(parts), dtype=np.int64), [len(p) for p in parts])
        return (np.concatenate(parts) if parts else np.zeros((0, 4))), which
    out = contour_segments(Z, xs, ys, levels)
    compiling.loaded(KIND)
    return out


def level_segments(Z, xs, ys, level):
    """The segments of the one line Z = ``level``, as ``contour_segments`` draws them (the same points, the same
    saddle rule, in another order), in numpy: for a thread that must not load a compiled kernel (the window's,
    drawing the decision boundary 15 times a second, where pyqtgraph's isocurve took 8-10 ms a time).
    Returns (k, 4) as x0, y0, x1, y1."""
    Z = np.asarray(Z, dtype=np.float64)
    if Z.ndim != 2 or min(Z.shape) < 2:
        return np.zeros((0, 4))
    xs, ys = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
    above = Z > level
    ok = np.isfinite(Z[:-1, :-1]) & np.isfinite(Z[:-1, 1:]) & np.isfinite(Z[1:, 1:]) & np.isfinite(Z[1:, :-1])
    # edges: 0 bottom (00-10), 1 right (10-11), 2 top (01-11), 3 left (00-01), each crossed where its ends differ
    across, up = above[:, :-1] != above[:, 1:], above[:-1, :] != above[1:, :]
    j, i = np.nonzero(ok & (across[:-1] | across[1:] | up[:, :-1] | up[:, 1:]))  # the cells the line goes through
    crossed = np.stack([across[j, i], up[j, i + 1], across[j + 1, i], up[j, i]])
    v00, v10, v11, v01 = Z[j, i], Z[j, i + 1], Z[j + 1, i + 1], Z[j + 1, i]
    x0, x1, y0, y1 = xs[i], xs[i + 1], ys[j], ys[j + 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        ex = np.stack([x0 + (level - v00) / (v10 - v00) * (x1 - x0), x1, x0 + (level - v01) / (v11 - v01) * (x1 - x0),
                       x0])
        ey = np.stack([y0, y0 + (level - v10) / (v11 - v10) * (y1 - y0), y1,
                       y0 + (level - v00) / (v01 - v00) * (y1 - y0)])
    count = crossed.sum(axis=0)
    two, saddle = np.nonzero(count == 2)[0], np.nonzero(count == 4)[0]
    first = np.argmax(crossed[:, two], axis=0)  # a two-crossing cell: from its first edge to its second
    second = 3 - np.argmax(crossed[::-1, two], axis=0)
    # a saddle: the corners unlike the centre are cut off, by the edges 0-3 and 1-2, else 0-1 and 2-3
    cut = (v00[saddle] > level) != ((v00 + v10 + v11 + v01)[saddle] * 0.25 > level)
    ends = [(first, second, two), (np.zeros(len(cut), dtype=np.int64), np.where(cut, 3, 1), saddle),
            (np.where(cut, 1, 2), np.where(cut, 2, 3), saddle)]
    return np.concatenate([np.column_stack([ex[p, cells], ey[p, cells], ex[q, cells], ey[q, cells]])
                           for p, q, cells in ends])
