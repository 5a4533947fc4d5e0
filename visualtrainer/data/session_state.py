"""The JSON part of a session file checked value by value: the settings, the runs and the view.

Each check returns a clean copy (known keys checked, unknown keys kept as they are) or raises ValueError saying
which value is wrong and what it should be, so that a window never applies a value it would choke on later.
"""

import math
import numbers

from visualtrainer.core.activations import HIDDEN, OUTPUTS
from visualtrainer.core.validation import DTYPES, INITS, LOSSES, MAX_LAYERS, MAX_SEED, MAX_SIZE, OPTIMIZERS

#: The most runs a session may hold (the window keeps 40 unpinned ones, and pinned ones beside them).
MAX_RUNS = 1000
_MAX_INT = 2**31 - 1  # what a spin box holds


def _real(low=None, high=None, strict=False):
    def check(value):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not _finite(value):
            return "a finite number"
        if low is not None and (value <= low if strict else value < low):
            return f"a number {'>' if strict else '>='} {low}"
        if high is not None and value >= high:
            return f"a number below {high}"
        return None
    return check


def _finite(value):
    try:
        return math.isfinite(float(value))
    except (OverflowError, TypeError, ValueError):
        return False


def _integer(low=0, high=_MAX_INT):
    def check(value):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= value <= high:
            return f"an integer in {low} … {high}"
        return None
    return check


def _one_of(*allowed):
    return lambda value: None if isinstance(value, str) and value in allowed else f"one of {', '.join(allowed)}"


def _text(limit=4096):
    return lambda value: None if isinstance(value, str) and len(value) <= limit and "\0" not in value else "a text"


def _boolean(value):
    return None if isinstance(value, bool) else "true or false"


def _hidden(value):
    if not isinstance(value, list) or len(value) > MAX_LAYERS - 1:
        return f"a list of at most {MAX_LAYERS - 1} [units, activation] pairs"
    for layer in value:
        if not isinstance(layer, (list, tuple)) or len(layer) != 2 or _integer(1, MAX_SIZE)(layer[0]) or \
                layer[1] not in HIDDEN:
            return f"a list of [units >= 1, activation ({', '.join(HIDDEN)})] pairs"
    return None


SETTINGS = {
    "dataset": _text(), "noise": _real(), "test_fraction": _real(0, 1), "seed": _integer(0, MAX_SEED),
    "hidden": _hidden, "output": _one_of("auto", *OUTPUTS), "loss": _one_of("auto", *LOSSES),
    "init": _one_of(*INITS), "learning_rate": _real(0, strict=True), "iterations": _integer(1),
    "tol": _real(0), "optimizer": _one_of(*OPTIMIZERS), "batch_size": _integer(0, MAX_SIZE), "l2": _real(0),
    "dtype": _one_of(*DTYPES),
}
RUN = {"number": _integer(1), "train": lambda v: None if v is None else _real()(v),
       "test": lambda v: None if v is None else _real()(v), "pinned": _boolean, "from_sweep": _boolean,
       "label": _text(1000)}
VIEW = {"tab": _text(200), "example": _integer(), "speed": _integer(), "log_cost": _boolean}
SURFACE_VIEW = {"kind": lambda v: None if v is None else _text(100)(v), "grid": _integer(), "span": _real(),
                "log": _boolean, "follow": _boolean, "every": _integer()}


def _checked(values, checks, where, required=()):
    if not isinstance(values, dict):
        raise ValueError(f"{where} are not a mapping")
    for key in required:
        if key not in values:
            raise ValueError(f"{where} have no {key}")
    for key, check in checks.items():
        if key in values:
            wrong = check(values[key])
            if wrong:
                raise ValueError(f"{where}: {key} must be {wrong}; got {_shown(values[key])}")
    return dict(values)


def _shown(value):
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def check_settings(settings, where="the settings", required=()):
    """A copy of the window's settings dict, each known value checked (missing ones take the window's defaults)."""
    clean = _checked(settings, SETTINGS, where, required)
    if "hidden" in clean:
        clean["hidden"] = [[int(n), str(a)] for n, a in clean["hidden"]]
    return clean


def check_runs(runs):
    """The runs' states (``Run.to_state``), each checked, numbers unique; layer_dims as a tuple of ints."""
    if not isinstance(runs, list) or len(runs) > MAX_RUNS:
        raise ValueError(f"its runs are not a list of at most {MAX_RUNS}")
    clean, numbers_seen = [], set()
    for k, run in enumerate(runs):
        run = _checked(run, RUN, f"run {k + 1}", required=("number", "settings", "layer_dims"))
        if run["number"] in numbers_seen:
            raise ValueError(f"two runs are numbered {run['number']}")
        numbers_seen.add(run["number"])
        run["settings"] = check_settings(run["settings"], f"run {run['number']}'s settings",
                                         required=("dataset", "learning_rate", "optimizer"))
        dims = run["layer_dims"]
        if not isinstance(dims, list) or not 2 <= len(dims) <= MAX_LAYERS + 1 or \
                any(_integer(1, MAX_SIZE)(n) for n in dims):
            raise ValueError(f"run {run['number']}'s layer sizes are not a list of sizes >= 1")
        run["layer_dims"] = tuple(int(n) for n in dims)
        clean.append(run)
    return clean


def check_view(view):
    """The view's choices (tab, example, speed, cost scale, the surface's controls), checked."""
    view = _checked(view, VIEW, "its view")
    if "surface" in view:
        view["surface"] = _checked(view["surface"], SURFACE_VIEW, "its surface view")
    return view
