"""The part of each step a cost surface's plane does not hold."""

import numpy as np
import pytest

from visualtrainer.core import Network, iter_training
from visualtrainer.core.plane_fit import plane_fit
from visualtrainer.core.surface import PathRecorder, make_plane
from visualtrainer.data import load_dataset


def test_steps_in_the_plane_and_at_right_angles_to_it():
    d1, d2 = np.array([1.0, 1.0, 0.0]), np.array([0.0, 2.0, 0.0])  # spans the x-y plane, not orthonormal
    path = [np.array([0.0, 0.0, 0.0]), np.array([1.0, 2.0, 0.0]), np.array([1.0, 2.0, 3.0]),
            np.array([2.0, 2.0, 4.0]), np.array([2.0, 2.0, 4.0])]
    fit = plane_fit(path, d1, d2)
    assert fit.off[:3] == pytest.approx([0.0, 1.0, np.sqrt(0.5)])
    assert np.isnan(fit.off[3])  # a step of length 0
    lengths = np.array([np.sqrt(5), 3.0, np.sqrt(2)])
    assert fit.mean_off == pytest.approx((0 + 3.0 + 1.0) / lengths.sum())
    assert fit.max_off == pytest.approx(1.0) and not fit.honest


def test_a_path_of_two_parameters_lies_in_its_plane():
    fit = plane_fit(np.array([[0.0, 0.0], [0.5, -1.0], [0.7, -1.5]]), [1.0, 0.0], [0.0, 1.0])
    assert fit.off == pytest.approx([0.0, 0.0]) and fit.honest


def test_a_path_without_steps_and_directions_that_repeat():
    fit = plane_fit(np.zeros((1, 3)), [1.0, 0, 0], [2.0, 0, 0])
    assert fit.off.size == 0 and np.isnan(fit.mean_off)
    fit = plane_fit([[0, 0, 0], [1.0, 1.0, 0]], [1.0, 0, 0], [2.0, 0, 0])  # the plane is one line here
    assert fit.off[0] == pytest.approx(np.sqrt(0.5))
    with pytest.raises(ValueError, match="the plane's directions 3"):
        plane_fit([[0.0, 0.0], [1.0, 1.0]], [1.0, 0, 0], [0, 1.0, 0])


def test_the_pca_plane_of_a_training_path_against_numpy():
    """The flower network's path on its PCA plane: each step's off-plane part, computed here with a projector."""
    data = load_dataset("flower")
    net = Network((2, 4, 1), init="small", learning_rate=1.2, random_state=2, dtype="float64").initialize()
    recorder = PathRecorder(net.theta_.size)
    recorder.add(0, net.theta_)
    for done in range(1, 41):  # θ after every 25 iterations
        for _ in iter_training(net, data.X_train, data.Y_train, 25):
            pass
        recorder.add(25 * done, net.theta_)
    plane = make_plane("pca", net, recorder.points)
    fit = plane_fit(recorder.points, plane.d1, plane.d2)
    D = np.stack([plane.d1, plane.d2], axis=1)
    projector = D @ np.linalg.pinv(D)
    steps = np.diff(recorder.points, axis=0)
    expected = np.linalg.norm(steps - steps @ projector.T, axis=1) / np.linalg.norm(steps, axis=1)
    assert fit.off == pytest.approx(expected, abs=1e-9)
    assert 0 < fit.mean_off < 1
