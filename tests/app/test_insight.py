"""The window's side measures as jobs: what they compute, and that they take no core from a training."""

import numpy as np

from visualtrainer.app.insight import fit_plane
from visualtrainer.core import team
from visualtrainer.core.plane_fit import plane_fit


def test_the_plane_fit_of_a_path_borrows_a_core_and_matches_the_stacked_path():
    """A path's fit as the window asks for it (a tuple of θ) is the fit of the stacked path, measured with a core on
    loan from the training team (its passes over a hundred megabytes would otherwise take a member's core)."""
    rng = np.random.default_rng(3)
    points = tuple(np.cumsum(rng.standard_normal((30, 500)), axis=0))
    d1, d2 = rng.standard_normal(500), rng.standard_normal(500)
    before = team.loaned_seconds()
    fit = fit_plane(points, d1, d2)
    assert team.loaned_seconds() > before and not team.lent()
    stacked = plane_fit(np.vstack(points), d1, d2)
    np.testing.assert_allclose(fit.off, stacked.off, rtol=1e-12)
    steps = np.diff(np.vstack(points), axis=0)  # by hand: each step's part off the plane over its length
    Q, _ = np.linalg.qr(np.stack([d1, d2], axis=1))
    off = np.linalg.norm(steps - steps @ Q @ Q.T, axis=1) / np.linalg.norm(steps, axis=1)
    np.testing.assert_allclose(fit.off, off, rtol=1e-9)
