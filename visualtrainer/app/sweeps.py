"""Sweeps: the same run once per value of one setting (learning rate, hidden units, initialisation, activation),
trained one after another; each run's costs, accuracy and path come back as it ends."""

from dataclasses import dataclass, replace

import numpy as np

from visualtrainer.core import TrainingControl, iter_training
from visualtrainer.core.activations import HIDDEN
from visualtrainer.core.surface import PATH_POINTS, PathRecorder
from visualtrainer.core.validation import INITS

from .builder import network_for

#: kind -> (what the values are, the default values, as typed)
SWEEPS = {
    "learning rate": ("numbers > 0", "0.01, 0.001, 0.0001"),
    "hidden units": ("whole numbers >= 1 (the first hidden layer's size)", "1, 2, 3, 4, 5, 20, 50"),
    "initialisation": (", ".join(INITS), ", ".join(INITS)),
    "activation": (", ".join(HIDDEN) + " (every hidden layer)", ", ".join(HIDDEN)),
}


def _parse(kind, part):
    """(value, whether it is allowed) for one typed value of a sweep of ``kind``."""
    try:
        if kind == "learning rate":
            value = float(part)
            return value, value > 0 and value == value and value != float("inf")
        if kind == "hidden units":
            value = int(part)
            return value, value >= 1
    except ValueError:
        return None, False
    return part, part in (INITS if kind == "initialisation" else HIDDEN)


def parse_values(kind, text):
    """The values typed for a sweep of ``kind``; ValueError with what is allowed."""
    parts = [part.strip() for part in str(text).split(",") if part.strip()]
    allowed, _ = SWEEPS[kind]
    sweep = f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} sweep"
    if not parts:
        raise ValueError(f"{sweep} needs values separated by commas ({allowed}).")
    values = []
    for part in parts:
        value, ok = _parse(kind, part)
        if not ok:
            raise ValueError(f"{part!r} is not a value for {sweep}; use {allowed}.")
        values.append(value)
    return values


def shown(value):
    """A swept value as written in the chart, the table and the run's name (1.0 as 1)."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def swept_settings(settings, kind, value):
    """``settings`` with one value of the sweep applied."""
    if kind == "learning rate":
        return replace(settings, learning_rate=float(value))
    if kind == "hidden units":
        hidden = list(settings.hidden) or [(int(value), "tanh")]
        return replace(settings, hidden=[(int(value), hidden[0][1])] + hidden[1:])
    if kind == "initialisation":
        return replace(settings, init=value)
    return replace(settings, hidden=[(n, value) for n, _ in settings.hidden] or [(4, value)])


@dataclass(frozen=True)
class SweepRun:
    """One finished run of a sweep: its value and settings, and copies of what came of it."""

    value: object
    settings: object  # app Settings
    layer_dims: tuple
    costs: np.ndarray  # (n_iter,)
    train_accuracy: float | None
    test_accuracy: float | None
    path: tuple  # θ along the run (flat arrays), ending at the trained θ

    @property
    def final_cost(self):
        return float(self.costs[-1]) if len(self.costs) else float("nan")


def sweep(settings, data, kind, values, control=None):
    """Train one run per value from ``settings`` on ``data``: a generator of SweepRun, returning how many ran.

    ``control`` (a TrainingControl) cancels between and within runs; a cancelled run is not reported.
    """
    control = control or TrainingControl()
    done = 0
    for value in values:
        if control.cancelled:
            break
        run = _one_run(swept_settings(settings, kind, value), data, control)
        if run is None:
            break
        yield replace(run, value=value)
        done += 1
    return done


def _one_run(settings, data, control):
    net = network_for(settings, data).initialize()
    n = settings.iterations
    recorder = PathRecorder(net.theta_.size)
    recorder.add(net.n_iter_, net.theta_)
    for snap in iter_training(net, data.X_train, data.Y_train, n, control=control, chunk_seconds=0.1,
                              trace_every=max(1, n // PATH_POINTS)):
        recorder.extend(snap.trace_iterations, snap.trace)
    recorder.add(net.n_iter_, net.theta_)  # the trained θ, traced or not
    if net.stop_reason_ == "cancelled":
        return None
    classify = net.output != "linear"
    train = net.score(data.X_train, data.Y_train) if classify else None
    test = net.score(data.X_test, data.Y_test) if classify and data.X_test is not None else None
    return SweepRun(None, settings, tuple(int(n) for n in net.layer_dims), np.array(net.costs_, dtype=np.float64),
                    train, test, recorder.frozen()[1])
