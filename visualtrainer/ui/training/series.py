"""Growing series as the cost plot keeps and draws them: appended in amortised O(new points), drawn from at most a
few hundred bins however long the run."""

import numpy as np

from ..axes import nice_step


def nice_above(value):
    """The smallest of 1, 2, 5 × 10^k at or above ``value``, and at least 1."""
    return float(nice_step(max(value, 1.0)))


class Series:
    """A growing (x, y) series with amortised doubling: appending costs O(new points)."""

    def __init__(self):
        self._x = np.empty(1024)
        self._y = np.empty(1024)
        self.n = 0

    def extend(self, x, y):
        k = len(x)
        if self.n + k > len(self._x):
            size = max(2 * len(self._x), self.n + k)
            self._x = np.resize(self._x, size)
            self._y = np.resize(self._y, size)
        self._x[self.n : self.n + k] = x
        self._y[self.n : self.n + k] = y
        self.n += k

    @property
    def x(self):
        return self._x[: self.n]

    @property
    def y(self):
        return self._y[: self.n]

    def clear(self):
        self.n = 0


def _drawn(origin, width, lo, hi):
    """(x, y) to draw bins of ``width`` from ``origin``: each bin's low then high point at its start, or one point
    a bin (its value) while the width is 1."""
    x = origin + width * np.arange(len(lo), dtype=np.float64)
    if width == 1:
        return x, lo.copy()
    return np.repeat(x, 2), np.column_stack([lo, hi]).ravel()


def peak_curve(y, max_bins=512):
    """A whole series y of iterations 0, 1, … as ``PeakBins`` draws it, in one go: a point an iteration up to
    ``max_bins`` of them, else each bin's lowest and highest finite y (bins of a power of two, NaN where a bin has
    none). Reads y in place: ten million costs in about 25 ms."""
    y = np.asarray(y, dtype=np.float64)
    n, width = len(y), 1
    while n and (n - 1) // width >= max_bins:
        width *= 2
    k, whole = -(-n // width), n // width
    lo, hi = np.empty(k), np.empty(k)
    rows = y[: whole * width].reshape(whole, width)
    finite = np.isfinite(rows)
    np.fmin.reduce(rows, axis=1, out=lo[:whole], where=finite, initial=np.inf)
    np.fmax.reduce(rows, axis=1, out=hi[:whole], where=finite, initial=-np.inf)
    if k > whole:  # the last bin, part full
        tail = y[whole * width :]
        tail = tail[np.isfinite(tail)]
        lo[-1], hi[-1] = (tail.min(), tail.max()) if len(tail) else (np.inf, -np.inf)
    lo[~np.isfinite(lo)] = np.nan  # a bin of no finite cost
    hi[~np.isfinite(hi)] = np.nan
    return _drawn(0.0, width, lo, hi)


class PeakBins:
    """A growing series as drawn: consecutive x in bins of ``width`` (a power of two), each bin's lowest and
    highest finite y (NaN where it has none).

    The width doubles (neighbouring bins merge) whenever more than ``max_bins`` would be needed, so appending and
    drawing cost the same after ten million iterations as after ten thousand, and every spike still shows.
    """

    def __init__(self, max_bins=512):
        self.max_bins = int(max_bins)
        self.clear()

    def clear(self):
        self.origin, self.width, self.n, self.last_x = None, 1, 0, None
        self.lo, self.hi = np.full(256, np.nan), np.full(256, np.nan)
        self.low, self.high = np.inf, -np.inf  # the lowest and highest finite y so far (merging keeps them)

    def extend(self, x, y):
        """Add the points (x, y), x increasing from past the last one added."""
        x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        if not len(x):
            return
        if self.origin is None:
            self.origin = x[0]
        self.last_x = x[-1]
        while (x[-1] - self.origin) // self.width >= self.max_bins:
            self._merge_pairs()
        bins = ((x - self.origin) // self.width).astype(np.int64)
        y = np.where(np.isfinite(y), y, np.nan)
        starts = np.flatnonzero(np.r_[True, bins[1:] != bins[:-1]])
        where = bins[starts]
        if where[-1] >= len(self.lo):
            size = max(2 * len(self.lo), where[-1] + 1)
            self.lo = np.concatenate([self.lo, np.full(size - len(self.lo), np.nan)])
            self.hi = np.concatenate([self.hi, np.full(size - len(self.hi), np.nan)])
        with np.errstate(invalid="ignore"):
            lows, highs = np.fmin.reduceat(y, starts), np.fmax.reduceat(y, starts)
            self.lo[where] = np.fmin(self.lo[where], lows)
            self.hi[where] = np.fmax(self.hi[where], highs)
        self.low = min(self.low, float(np.fmin.reduce(lows, initial=np.inf)))  # fmin and fmax pass over NaN
        self.high = max(self.high, float(np.fmax.reduce(highs, initial=-np.inf)))
        self.n = max(self.n, int(where[-1]) + 1)

    def _merge_pairs(self):
        k = (self.n + 1) // 2
        lo, hi = np.full(len(self.lo), np.nan), np.full(len(self.hi), np.nan)
        pad = np.full(2 * k - self.n, np.nan)
        lo[:k] = np.fmin(*np.concatenate([self.lo[: self.n], pad]).reshape(k, 2).T)
        hi[:k] = np.fmax(*np.concatenate([self.hi[: self.n], pad]).reshape(k, 2).T)
        self.lo, self.hi, self.n, self.width = lo, hi, k, 2 * self.width

    def curve(self):
        """(x, y) to draw (``_drawn``)."""
        return _drawn(self.origin or 0.0, self.width, self.lo[: self.n], self.hi[: self.n])

    def y_range(self):
        """(lowest, highest) finite y, or None."""
        return (float(self.low), float(self.high)) if self.low <= self.high else None
