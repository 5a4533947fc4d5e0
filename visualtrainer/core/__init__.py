"""The engine: networks, their training loop and its snapshots (numpy + Numba; no Qt here)."""

from . import _jit  # noqa: F401  (sets Numba's cache folder before anything compiles)
from .gradcheck import gradient_check
from .network import Network
from .persistence import load_model, save_model
from .snapshot import Snapshot
from .training import ConvergenceWarning, TrainingControl, iter_training

__all__ = ["Network", "Snapshot", "TrainingControl", "ConvergenceWarning", "iter_training", "gradient_check",
           "save_model", "load_model"]
