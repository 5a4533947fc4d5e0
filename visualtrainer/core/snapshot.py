"""An immutable picture of training at one moment: what the window draws and the command line prints."""

from dataclasses import dataclass, field

import numpy as np


def frozen_copy(array):
    """A read-only copy of ``array``, safe to hand to another thread."""
    out = np.array(array, copy=True)
    out.flags.writeable = False
    return out


@dataclass(frozen=True)
class Snapshot:
    """Training after ``iteration`` iterations.

    Attributes
    ----------
    iteration : int
        Iterations done so far (counting from the last initialisation).
    cost : float
        J before the latest iteration's update (NaN before the first).
    grad_norm : float
        ‖∇J‖ at that iteration.
    first_iteration : int
        The iteration of ``costs[0]``.
    costs : ndarray (k,)
        The costs of iterations first_iteration … first_iteration + k − 1, new since the previous snapshot.
    params : dict of str to ndarray
        Read-only copies of "W1" (n[1], n[0]), "b1" (n[1], 1), …
    seconds : float
        Time spent in the training loop so far.
    stop_reason : str or None
        None while training goes on; then "max_iterations", "tolerance", "diverged" or "cancelled".
    message : str
        Why it stopped, in words ("" while it goes on).
    trace_iterations, trace : ndarray (k,), ndarray (k, p) or None
        When training was asked for a trace: θ (flat: W1, b1, W2, …) after each of these iterations of the chunk.
    compiled : bool
        Whether the chunk ran on the compiled kernels (False: on numpy, while they compile; ``core.compiling``).
    """

    iteration: int
    cost: float
    grad_norm: float
    first_iteration: int
    costs: np.ndarray
    params: dict = field(repr=False)
    seconds: float = 0.0
    stop_reason: str | None = None
    message: str = ""
    trace_iterations: np.ndarray | None = field(default=None, repr=False)
    trace: np.ndarray | None = field(default=None, repr=False)
    compiled: bool = True

    @property
    def finished(self):
        return self.stop_reason is not None
