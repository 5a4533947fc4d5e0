"""The training loops, run by a team of threads: many steps of forward, backward and update per call.

A step (one batch's update) is shared out in units (``share``): for a wide input, tiles of the first layer's
features, in two stages (Z[1]'s products, then dW[1] and the update of its tile); for a narrow input, blocks of
examples, each through the whole network into the thread's own gradient. The thread that completes a stage does
its serial part: the later layers, the loss and the checks, or adding up the threads' gradients and the update.

Each call runs up to ``run.costs.shape[0]`` iterations (epochs) and stops early when ``run.interrupt[0]`` is set,
when ‖∇J‖ < tol, or when the cost or a parameter is not finite or the cost exceeds ``run.blowup``. A bad cost
(not finite, or blown up) rolls the parameters back to those of the step before (``ROLLED_BACK``), the last whose
cost was still fine; parameters are never left non-finite.

With the optimiser code ``EVALUATE``, a call is the forward pass alone over ``run.order[0]``: A[L] goes to
``shared.outputs`` and J (with its L2 term) to ``run.costs[0]`` (one kernel a kind of network, compiled once).
"""

from .train_narrow import train_narrow
from .train_wide import train_wide

__all__ = ["train_narrow", "train_wide"]
