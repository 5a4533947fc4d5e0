"""Per-layer histograms, dead and saturated units and gradient norms, against numpy worked out here."""

import numpy as np
import pytest

from tests import numpy_course
from visualtrainer.core import Network
from visualtrainer.core.layer_stats import (LINEAR_BINS, LOG_BINS, LOG_LOW, LOG_STEP, layer_stats, linear_histogram,
                                            log_histogram)


def test_log_histogram_bins_magnitudes_and_zeros():
    shares = log_histogram([0.0, 0.0, 1.0, -1.0, 1e-3, 1e30, 1e-30, np.nan])
    assert shares.shape == (LOG_BINS,) and shares.sum() == pytest.approx(1.0)
    assert shares[0] == pytest.approx(2 / 7)  # the exact zeros (NaN left out)
    one = 1 + int((0 - LOG_LOW) / LOG_STEP)
    assert shares[one] == pytest.approx(2 / 7)  # |±1| = 10^0
    assert shares[1 + int((-3 - LOG_LOW) / LOG_STEP)] == pytest.approx(1 / 7)
    assert shares[-1] == pytest.approx(1 / 7) and shares[1] == pytest.approx(1 / 7)  # beyond the range: the ends


def test_linear_histogram_over_a_range():
    shares = linear_histogram([-1.0, -0.99, 0.0, 0.5, 1.0, 2.0], -1.0, 1.0)
    assert shares.shape == (LINEAR_BINS,)
    assert shares[0] == pytest.approx(2 / 6) and shares[-1] == pytest.approx(2 / 6)
    assert shares[LINEAR_BINS // 2] == pytest.approx(1 / 6)


def test_dead_units_saturated_units_and_gradient_norms_against_the_course_code():
    rng = np.random.RandomState(0)
    X = rng.randn(3, 40)
    Y = (rng.rand(1, 40) > 0.5).astype(float)
    net = Network((3, 6, 4, 1), hidden_activation=["relu", "tanh"], random_state=1, dtype="float64").initialize()
    params = {key: value.copy() for key, value in net.params_.items()}
    params["b1"][:2] = -100.0  # two ReLU units that never fire: dead
    params["W2"][:1] *= 1000.0  # one tanh unit pushed into its tails
    stats = layer_stats(net, X, Y, params)
    assert [s.dead for s in stats] == [pytest.approx(2 / 6), None, None]
    _, caches = numpy_course.forward(params, X, ["relu", "tanh", "sigmoid"])
    A2 = caches[1][2]
    tails = (np.abs(A2) > 0.99).mean(axis=1) >= 0.9
    assert stats[1].saturated == pytest.approx(tails.mean()) and stats[1].saturated >= 0.25
    A3 = caches[2][2]
    assert stats[2].saturated == pytest.approx(float(((A3 < 0.01) | (A3 > 0.99)).mean(axis=1)[0] >= 0.9))
    grads = numpy_course.backward(params, caches, Y, ["relu", "tanh", "sigmoid"])
    assert [s.grad_norm for s in stats] == pytest.approx([np.linalg.norm(grads[f"dW{l}"]) for l in (1, 2, 3)])
    for l, s in enumerate(stats, start=1):
        np.testing.assert_allclose(s.weights, log_histogram(params[f"W{l}"]))
        np.testing.assert_allclose(s.gradients, log_histogram(grads[f"dW{l}"]), atol=1e-12)
    assert stats[0].activations.shape == (LOG_BINS,) and stats[1].activations.shape == (LINEAR_BINS,)
    np.testing.assert_allclose(stats[1].activations, linear_histogram(A2, -1.0, 1.0))


def test_zeros_initialisation_shows_as_zero_weights_and_gradients_below_the_output():
    rng = np.random.RandomState(1)
    X, Y = rng.randn(4, 20), (rng.rand(1, 20) > 0.5).astype(float)
    net = Network((4, 5, 3, 1), hidden_activation="relu", init="zeros", dtype="float64").initialize()
    stats = layer_stats(net, X, Y, net.params_)
    assert all(s.weights[0] == 1.0 for s in stats)  # every weight exactly 0
    assert stats[0].grad_norm == 0.0 and stats[1].grad_norm == 0.0  # nothing flows back through W = 0
    assert stats[0].dead == 1.0  # z = 0 everywhere: ReLU passes nothing


def test_uint8_pixels_are_measured_as_the_course_code_measures_scaled_pixels():
    rng = np.random.RandomState(2)
    X = rng.randint(0, 256, size=(30, 37)).astype(np.uint8)
    Y = (rng.rand(1, 37) > 0.5).astype(float)
    net = Network((30, 5, 1), hidden_activation="relu", init="xavier", random_state=3, dtype="float64").initialize()
    stats = layer_stats(net, X, Y, net.params_)
    _, caches = numpy_course.forward(net.params_, X / 255.0, ["relu", "sigmoid"])
    grads = numpy_course.backward(net.params_, caches, Y, ["relu", "sigmoid"])
    assert [s.grad_norm for s in stats] == pytest.approx([np.linalg.norm(grads[f"dW{l}"]) for l in (1, 2)], rel=1e-12)
    assert stats[0].dead == pytest.approx(float(np.mean((caches[0][1] <= 0).all(axis=1))))
    np.testing.assert_allclose(stats[0].gradients, log_histogram(grads["dW1"]), atol=1e-12)
    np.testing.assert_allclose(stats[0].activations, log_histogram(caches[0][2]), atol=1e-12)
