"""Every training run kept side by side: each run's settings, costs, accuracy and path; runs pinned to be compared.

The list is bounded, so that a long session does not fill the memory: at most MAX_RUNS runs (the oldest unpinned
runs make room first, then the oldest sweep runs, then the oldest pinned ones), and the runs' paths share
PATHS_BYTES, each thinned evenly (first and last points kept) to its share: the current and pinned runs, whose paths
are drawn, get PINNED_WEIGHT times the share of the others.
"""

from dataclasses import dataclass, field

import numpy as np

from .events import Event

MAX_RUNS = 40
PATH_POINTS = 200  # a run keeps at most this many θ along its path …
PATHS_BYTES = 128 * 2**20  # … and the runs' paths together at most this many bytes
PINNED_WEIGHT = 4


def thinned(path, max_bytes, max_points=PATH_POINTS):
    """At most ``max_points`` of ``path`` (a sequence of flat θ) in at most ``max_bytes`` (never fewer than the first
    and last), evenly spread; each point an array of its own (not a view keeping a larger array alive)."""
    if len(path) == 0:
        return ()
    size = max(path[0].nbytes, 1)
    k = int(min(len(path), max_points, max(2, max_bytes // size)))
    kept = np.unique(np.linspace(0, len(path) - 1, k).round().astype(int))
    return tuple(point if point.base is None and not point.flags.writeable else _owned(point)
                 for point in (path[i] for i in kept))


def _owned(point):
    point = np.array(point)
    point.flags.writeable = False
    return point


def path_bytes(path):
    return sum(point.nbytes for point in path)


@dataclass
class Run:
    """One training run: how it was set up and what came of it (``costs`` grows as it trains)."""

    number: int
    settings: dict
    layer_dims: tuple
    costs: np.ndarray = field(default_factory=lambda: np.zeros(0))
    train_accuracy: float | None = None
    test_accuracy: float | None = None
    path: tuple = ()  # θ along the way (a tuple of flat arrays), for the cost surface
    pinned: bool = False
    from_sweep: bool = False
    label: str = ""  # what sets the run apart (a sweep's value); else its dataset, α and optimiser

    def to_state(self):
        """The run as JSON-able values (its costs and path are arrays, saved beside them)."""
        return {"number": self.number, "settings": self.settings, "layer_dims": list(self.layer_dims),
                "train": self.train_accuracy, "test": self.test_accuracy, "pinned": self.pinned,
                "from_sweep": self.from_sweep, "label": self.label}

    @classmethod
    def from_state(cls, state, costs, path=()):
        """The Run of ``to_state`` with its costs (k,) and path (a sequence of flat θ)."""
        return cls(int(state["number"]), dict(state["settings"]), tuple(int(n) for n in state["layer_dims"]),
                   np.asarray(costs, dtype=np.float64), state.get("train"), state.get("test"), tuple(path),
                   bool(state.get("pinned")), bool(state.get("from_sweep")), str(state.get("label") or ""))

    @property
    def name(self):
        if self.label:
            return f"#{self.number} {self.label}"
        s = self.settings
        return f"#{self.number} {s['dataset'].split('/')[-1]} α={s['learning_rate']:g} {s['optimizer']}"


class RunList:
    """The runs, oldest first. ``changed`` after any change; ``pins_changed`` when the pinned runs may differ."""

    def __init__(self):
        self.runs = []
        self.changed = Event()
        self.pins_changed = Event()

    def _next_number(self):
        return max(run.number for run in self.runs) + 1 if self.runs else 1

    def start_run(self, settings, layer_dims):
        """A new run of the window's own (a new network); returns it."""
        run = Run(self._next_number(), dict(settings), tuple(int(n) for n in layer_dims))
        self.runs.append(run)
        self._bound()
        self.changed.emit()
        return run

    def add_run(self, settings, layer_dims, costs, train=None, test=None, path=(), pinned=True, label=""):
        """A finished run from elsewhere (a sweep): kept below the current one, pinned to be compared."""
        run = Run(self._next_number(), dict(settings), tuple(int(n) for n in layer_dims),
                  np.array(costs, dtype=np.float64), train, test, tuple(path), pinned, from_sweep=True, label=label)
        self.runs.append(run)
        pins = self._bound()
        self.changed.emit()
        if pinned or pins:
            self.pins_changed.emit()
        return run

    def set_runs(self, runs):
        """Replace the whole list (an opened session's runs)."""
        self.runs = [run for run in runs if run is not None]
        self._bound()
        self.changed.emit()
        self.pins_changed.emit()

    def _bound(self):
        """Keep MAX_RUNS runs and PATHS_BYTES of paths (see the module's docstring); whether a pinned run's path
        changed or a pinned run went."""
        current, pins = self.current, False
        while len(self.runs) > MAX_RUNS:
            for wanted in (lambda r: not r.pinned, lambda r: r.from_sweep, lambda r: True):
                oldest = next((r for r in self.runs if r is not current and wanted(r)), None)
                if oldest is not None:
                    pins |= oldest.pinned
                    self.runs.remove(oldest)
                    break
        weights = [PINNED_WEIGHT if run.pinned or run is current else 1 for run in self.runs]
        unit = PATHS_BYTES / max(1, sum(weight for run, weight in zip(self.runs, weights) if run.path))
        for run, weight in zip(self.runs, weights):
            if run.path:
                path = thinned(run.path, int(unit * weight))
                if len(path) != len(run.path) or any(a is not b for a, b in zip(path, run.path)):
                    pins |= run.pinned and run is not current
                    run.path = path
        return pins

    @property
    def current(self):
        """The window's own run (the newest one it started; sweep runs sit below it)."""
        own = [run for run in self.runs if not run.from_sweep]
        return own[-1] if own else None

    def update_current(self, costs, train=None, test=None, path=()):
        """What the current run has come to: its costs (k,), accuracies and path (when there is one)."""
        run = self.current
        if run is None:
            return
        run.costs = np.array(costs, dtype=np.float64)
        run.train_accuracy, run.test_accuracy = train, test
        if path:
            run.path = tuple(path)
        pins = self._bound()
        self.changed.emit()
        if pins:
            self.pins_changed.emit()

    def set_pinned(self, number, pinned=True):
        for run in self.runs:
            if run.number == number:
                run.pinned = bool(pinned)
        self._bound()
        self.changed.emit()
        self.pins_changed.emit()

    def pinned(self):
        return [run for run in self.runs if run.pinned]

    def others_pinned(self):
        """The pinned runs other than the current one (whose paths are drawn beside the current path)."""
        current = self.current
        return [run for run in self.pinned() if run is not current]
