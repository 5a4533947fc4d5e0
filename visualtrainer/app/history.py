"""What a network's training has left behind for the window: the accuracy points and the descent path."""

import numpy as np

from visualtrainer.core.surface import PathRecorder, flat_parameters


class CostHistory:
    """Every iteration's cost as the snapshots bring it (the window's copy of ``net.costs_``), in blocks of
    ``BLOCK`` values: it grows without copying what it holds (a buffer doubled when full copied tens of megabytes
    in the window's thread, once a run had millions of iterations)."""

    BLOCK = 1 << 18

    def __init__(self, costs=()):
        self._blocks = []
        self.n = 0
        self.add(0, np.asarray(costs, dtype=np.float64))

    def add(self, first, costs):
        """The costs of iterations first, first + 1, … (what came after ``first`` before is replaced)."""
        costs = np.asarray(costs, dtype=np.float64)
        end = first + len(costs)
        while len(self._blocks) * self.BLOCK < end:
            self._blocks.append(np.empty(self.BLOCK))
        done = 0
        while done < len(costs):
            block, at = divmod(first + done, self.BLOCK)
            k = min(self.BLOCK - at, len(costs) - done)
            self._blocks[block][at : at + k] = costs[done : done + k]
            done += k
        self.n = end

    def values(self):
        """(n,) the costs so far (a copy)."""
        whole, rest = divmod(self.n, self.BLOCK)
        parts = self._blocks[:whole] + ([self._blocks[whole][:rest]] if rest else [])
        return np.concatenate(parts) if parts else np.zeros(0)


class AccuracyHistory:
    """Train and test accuracy in percent, each as (iterations, values), in the order they were measured."""

    def __init__(self, train=None, test=None):
        empty = np.zeros((2, 0))
        self.train = [list(row) for row in (empty if train is None else np.asarray(train, dtype=np.float64))]
        self.test = [list(row) for row in (empty if test is None else np.asarray(test, dtype=np.float64))]

    def add(self, iteration, train, test=None):
        self.train[0].append(float(iteration))
        self.train[1].append(float(train))
        if test is not None:
            self.test[0].append(float(iteration))
            self.test[1].append(float(test))

    def arrays(self):
        """(train, test), each a (2, k) array: iterations in row 0, percents in row 1."""
        return (np.array(self.train, dtype=np.float64).reshape(2, -1),
                np.array(self.test, dtype=np.float64).reshape(2, -1))

    @property
    def latest(self):
        """(train, test): the last accuracy of each, or None."""
        return tuple(series[1][-1] if series[1] else None for series in (self.train, self.test))


class DescentPath:
    """θ along the current network's training, for the cost surface: the points the loop traced, then the latest
    snapshot's θ, flattened only when asked for (``flush``) rather than at every snapshot (a large network's θ,
    copied thirty times a second, would take memory bandwidth from the training)."""

    def __init__(self):
        self.recorder = None
        self._pending = None
        self._layers = 0

    def start(self, theta, iteration, n_layers, trail=None):
        """A new path at θ (p,) after ``iteration`` iterations; ``trail`` = (iterations, points (k, p)) the way
        the network came (an opened session's), the points before ``iteration`` kept."""
        self.recorder = PathRecorder(theta.size)
        self._pending, self._layers = None, n_layers
        if trail is not None:
            iterations, points = np.asarray(trail[0]), trail[1]
            self.recorder.extend(iterations[iterations < iteration], points[iterations < iteration])
        self.recorder.add(iteration, theta)

    def add_snapshot(self, snap):
        """Keep the snapshot's traced θ; its own θ waits for ``flush``."""
        if snap.trace is not None and snap.trace.shape[1:] == (self.recorder.n_params,):
            self.recorder.extend(snap.trace_iterations, snap.trace)
        self._pending = snap

    def flush(self):
        """Record the latest snapshot's θ."""
        snap, self._pending = self._pending, None
        if snap is not None:
            theta = flat_parameters(snap.params, self._layers)
            theta.flags.writeable = False
            self.recorder.add(snap.iteration, theta)

    @property
    def n_params(self):
        return self.recorder.n_params

    def frozen(self):
        """(iterations, points) as tuples, the latest θ last (see PathRecorder.frozen)."""
        self.flush()
        return self.recorder.frozen()

    def after(self, iteration):
        self.flush()
        return self.recorder.after(iteration)

    @property
    def latest(self):
        self.flush()
        return self.recorder.latest

    @property
    def iterations(self):
        self.flush()
        return self.recorder.iterations

    @property
    def points(self):
        self.flush()
        return self.recorder.points
