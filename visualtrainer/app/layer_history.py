"""How each layer was doing over a run, for the Layers tab: the histograms of its weights, gradients and activations
as heat strips with the iteration along x, and its dead or saturated share and gradient norm as lines.

Measures come at irregular iterations (rationed by time while training runs); the strips keep COLUMNS columns over
the iterations so far, each showing the latest measure taken in its span of iterations (or, where none was, the
one before it), and halve their resolution (every other column) when the run outgrows them.
"""

import numpy as np

from visualtrainer.core.layer_stats import layer_stats

COLUMNS = 240
KINDS = ("weights", "gradients", "activations")


class LayerHistory:
    """``add(iteration, [LayerStats per layer])``; ``strip(l, kind)`` → (bins, COLUMNS) image and the iterations it
    spans; ``lines(kind)`` → [(iterations, values)] per layer for "dead", "saturated" and "grad_norm"."""

    def __init__(self, n_layers=0, span=100):
        self.n_layers = n_layers
        self.width = max(1, int(np.ceil(span / COLUMNS)))  # iterations a column spans
        self._strips = {}  # (l, kind) -> (bins, COLUMNS), NaN where nothing was measured
        self._filled = -1  # the last column with a measure
        self.iterations = []
        self._lines = {"dead": [], "saturated": [], "grad_norm": []}

    def __len__(self):
        return len(self.iterations)

    def add(self, iteration, stats):
        """The measures ``stats`` ([LayerStats] for l = 1 … L) taken after ``iteration`` iterations."""
        iteration = int(iteration)
        while iteration >= COLUMNS * self.width:
            self._halve()
        column = iteration // self.width
        for l, layer in enumerate(stats, start=1):
            for kind in KINDS:
                values = getattr(layer, kind)
                strip = self._strips.get((l, kind))
                if strip is None or strip.shape[0] != values.size:
                    strip = self._strips[(l, kind)] = np.full((values.size, COLUMNS), np.nan)
                if 0 <= self._filled < column - 1:  # the columns since the last measure hold that one
                    strip[:, self._filled + 1 : column] = strip[:, self._filled][:, None]
                strip[:, column] = values
        self._filled = max(self._filled, column)
        self.iterations.append(iteration)
        for name in self._lines:
            self._lines[name].append([getattr(layer, name) for layer in stats])

    def _halve(self):
        """Twice the iterations a column: column j takes the later of columns 2j and 2j + 1."""
        for key, strip in self._strips.items():
            merged = np.full_like(strip, np.nan)
            later = strip[:, 1::2].copy()
            earlier = strip[:, 0::2]
            later[np.isnan(later)] = earlier[np.isnan(later)]
            merged[:, : COLUMNS // 2] = later
            self._strips[key] = merged
        self._filled = self._filled // 2 if self._filled >= 0 else -1
        self.width *= 2

    def strip(self, l, kind):
        """(bins, COLUMNS) shares (NaN before the first measure and past the last), and the iterations the
        columns span: (0, COLUMNS·width)."""
        strip = self._strips.get((l, kind))
        return strip, (0, COLUMNS * self.width)

    def lines(self, name):
        """[(iterations (k,), values (k,))] per layer for "dead", "saturated" or "grad_norm" (NaN where a layer
        has no such measure)."""
        its = np.asarray(self.iterations, dtype=np.float64)
        rows = self._lines[name]
        out = []
        for l in range(self.n_layers):
            values = np.array([np.nan if row[l] is None else row[l] for row in rows], dtype=np.float64)
            out.append((its, values))
        return out


def measure_layers(settings, params, X, Y, iteration, control=None):
    """(iteration, [LayerStats]) of a network with ``settings`` (``Network.get_params()``) and ``params`` on the
    examples X, Y: a job for a worker's thread."""
    from visualtrainer.core import Network

    return iteration, layer_stats(Network(**settings), X, Y, params)


def sample_columns(m, limit, seed=0):
    """The examples a measure looks at: all m when there are at most ``limit``, else ``limit`` drawn once (sorted)."""
    if m <= limit:
        return np.arange(m)
    return np.sort(np.random.RandomState(seed).choice(m, limit, replace=False))
