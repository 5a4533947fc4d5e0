"""Every training run kept side by side: each run's settings, costs, accuracy and path; runs pinned to be compared."""

from dataclasses import dataclass, field

import numpy as np

from .events import Event

MAX_RUNS = 40  # the oldest unpinned runs make room beyond this


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
        """A new run of the window's own (a new network); returns it. The oldest unpinned runs go beyond MAX_RUNS."""
        run = Run(self._next_number(), dict(settings), tuple(int(n) for n in layer_dims))
        self.runs.append(run)
        while len(self.runs) > MAX_RUNS:
            oldest = next((r for r in self.runs if not r.pinned and r is not run), None)
            if oldest is None:
                break
            self.runs.remove(oldest)
        self.changed.emit()
        return run

    def add_run(self, settings, layer_dims, costs, train=None, test=None, path=(), pinned=True, label=""):
        """A finished run from elsewhere (a sweep): kept below the current one, pinned to be compared."""
        run = Run(self._next_number(), dict(settings), tuple(int(n) for n in layer_dims),
                  np.array(costs, dtype=np.float64), train, test, tuple(path), pinned, from_sweep=True, label=label)
        self.runs.append(run)
        self.changed.emit()
        if pinned:
            self.pins_changed.emit()
        return run

    def set_runs(self, runs):
        """Replace the whole list (an opened session's runs)."""
        self.runs = [run for run in runs if run is not None]
        self.changed.emit()
        self.pins_changed.emit()

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
            run.path = path
        self.changed.emit()

    def set_pinned(self, number, pinned=True):
        for run in self.runs:
            if run.number == number:
                run.pinned = bool(pinned)
        self.changed.emit()
        self.pins_changed.emit()

    def pinned(self):
        return [run for run in self.runs if run.pinned]

    def others_pinned(self):
        """The pinned runs other than the current one (whose paths are drawn beside the current path)."""
        current = self.current
        return [run for run in self.pinned() if run is not current]
