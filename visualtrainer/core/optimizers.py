"""The optimisers by name, their codes in the kernels, and the state each carries from one step to the next."""

from dataclasses import dataclass

import numpy as np

from .kernels.optim import ADAM, GD, MOMENTUM, RMSPROP

#: Name → the kernels' code (``kernels/optim.py`` computes each step).
CODES = {"gd": GD, "momentum": MOMENTUM, "rmsprop": RMSPROP, "adam": ADAM}


@dataclass
class OptimizerState:
    """What an optimiser remembers between steps, laid out like θ.

    velocity (P,): momentum's and Adam's moving average of the gradient; squares (P,): RMSProp's and Adam's of its
    square; updates: the steps taken (Adam's t, for its bias correction).
    """

    velocity: np.ndarray
    squares: np.ndarray
    updates: int = 0

    @classmethod
    def zeros_like(cls, theta):
        return cls(np.zeros_like(theta), np.zeros_like(theta), 0)
