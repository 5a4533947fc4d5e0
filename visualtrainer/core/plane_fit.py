"""How far a descent path leaves the plane a cost surface is drawn on: the part of each step the plane does not
hold. The picture of J over a plane and of the path projected onto it is honest where the steps lie in the plane;
where most of each step is off it, the drawn path is a shadow of one that runs through other dimensions."""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PlaneFit:
    """The path's steps against the plane spanned by d1, d2.

    off : ndarray (k − 1,)
        For each step between two recorded points, ‖its part off the plane‖ / ‖the step‖ (0: in the plane,
        1: at right angles to it); NaN for a step of length 0.
    mean_off : float
        The steps' off-plane parts over their lengths, summed: Σ‖off_k‖ / Σ‖step_k‖ (NaN without a step).
    max_off : float
        The largest ``off`` (NaN without a step).
    """

    off: np.ndarray
    mean_off: float
    max_off: float

    @property
    def honest(self):
        """Whether the plane holds most of every step (each step at most a third off it, on average a tenth)."""
        return bool(np.isfinite(self.mean_off) and self.mean_off <= 0.1 and self.max_off <= 1 / 3)


def plane_fit(points, d1, d2):
    """The ``PlaneFit`` of a path ``points`` (k, P) (or a sequence of k θ) against the plane spanned by d1, d2 (P,)
    (any two independent directions: their orthonormal basis is taken)."""
    D = np.stack([np.asarray(d1, dtype=np.float64), np.asarray(d2, dtype=np.float64)], axis=1)
    if D.shape[0] == 0:
        raise ValueError("the plane's directions are empty; give two directions with the network's parameters.")
    Q, R = np.linalg.qr(D)
    Q = Q[:, np.abs(np.diag(R)) > 1e-12 * max(1.0, np.abs(R).max())]  # a direction that repeats the other spans nothing
    rows = list(points)
    lengths, outside = np.zeros(max(len(rows) - 1, 0)), np.zeros(max(len(rows) - 1, 0))
    if len(rows) > 1:  # a step at a time: a few hundred θ of a picture network are a hundred megabytes
        previous = _row(rows[0], D.shape[0])
        step, shadow = np.empty_like(previous), np.empty_like(previous)
        for k, row in enumerate(rows[1:]):
            current = _row(row, D.shape[0])
            np.subtract(current, previous, out=step)
            lengths[k] = np.sqrt(step @ step)
            np.dot(Q, Q.T @ step, out=shadow)
            step -= shadow  # directly: lengths² − inside² cancels
            outside[k] = np.sqrt(step @ step)
            previous = current
    with np.errstate(invalid="ignore", divide="ignore"):
        off = np.where(lengths > 0, outside / lengths, np.nan)
    moved = lengths > 0
    mean_off = float(outside[moved].sum() / lengths[moved].sum()) if moved.any() else float("nan")
    max_off = float(np.nanmax(off)) if moved.any() else float("nan")
    return PlaneFit(off, mean_off, max_off)


def _row(theta, size):
    row = np.asarray(theta, dtype=np.float64).ravel()
    if row.size != size:
        raise ValueError(f"the path's points have {row.size} parameters; the plane's directions {size}.")
    return row
