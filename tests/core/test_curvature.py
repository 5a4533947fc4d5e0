"""λmax of the Hessian by power iteration on gradient differences, against Hessians worked out independently."""

import numpy as np
import pytest

from tests.core.problems import random_problem
from visualtrainer.core import Network
from visualtrainer.core.curvature import curvature, gradient_of, hessian_vector, sharpest


def finite_difference_hessian(engine, theta, l2=0.0, h=1e-5):
    """H[:, p] = (∇J(θ + h·e_p) − ∇J(θ − h·e_p)) / 2h for every parameter p, made symmetric."""
    P = theta.size
    H = np.empty((P, P))
    for p in range(P):
        step = np.zeros(P)
        step[p] = h
        H[:, p] = (engine.gradient(theta + step, l2)[1] - engine.gradient(theta - step, l2)[1]) / (2 * h)
    return (H + H.T) / 2


@pytest.mark.parametrize("hidden, output, l2", [("tanh", "sigmoid", 0.0), ("sigmoid", "softmax", 0.5),
                                                ("tanh", "linear", 0.0)])
def test_the_sharpest_curvature_matches_a_finite_difference_hessian(hidden, output, l2):
    n_y = 3 if output == "softmax" else 1
    X, Y = random_problem(output, n_y, seed=3, n_x=3, m=12)
    net = Network((3, 5, 4, n_y), hidden_activation=hidden, output=output, l2=l2, dtype="float64", random_state=4,
                  init="xavier", learning_rate=0.5).fit(X, Y, 30)
    engine = net.engine(X, Y)
    expected = np.linalg.eigvalsh(finite_difference_hessian(engine, net.theta_.copy(), l2)).max()
    found = curvature(net, X, Y, iterations=2000, rtol=1e-5)
    assert found.converged
    assert found.value == pytest.approx(expected, rel=1e-4)
    assert found.gradients == 2 * found.iterations  # two gradients a Hessian-vector product


def test_logistic_regression_against_its_exact_hessian():
    """J(w, b) of logistic regression has H = (1/m)·X̃·diag(a(1 − a))·X̃ᵀ, X̃ = X with a row of ones (for b)."""
    rng = np.random.RandomState(0)
    X = rng.randn(4, 50)
    Y = (rng.rand(1, 50) > 0.5).astype(float)
    net = Network((4, 1), init="zeros", learning_rate=0.1, dtype="float64").fit(X, Y, 20)
    w, b = net.params_["W1"], net.params_["b1"]
    a = 1 / (1 + np.exp(-(w @ X + b)))
    Xt = np.vstack([X, np.ones((1, 50))])
    H = (Xt * (a * (1 - a))) @ Xt.T / 50
    found = curvature(net, X, Y, iterations=500, rtol=1e-6)
    assert found.converged and found.value == pytest.approx(np.linalg.eigvalsh(H).max(), rel=1e-6)
    v = found.vector
    assert abs(v @ H @ v) == pytest.approx(found.value, rel=1e-6) and np.linalg.norm(v) == pytest.approx(1.0)


def test_a_negative_eigenvalue_larger_in_magnitude_does_not_hide_the_largest():
    """A quadratic J = ½θᵀAθ with eigenvalues −5, 1 and 2: plain power iteration finds −5; λmax is 2."""
    Q, _ = np.linalg.qr(np.random.RandomState(1).randn(3, 3))
    A = Q @ np.diag([-5.0, 1.0, 2.0]) @ Q.T
    found = sharpest(lambda theta: A @ theta, np.array([0.3, -0.2, 0.1]), iterations=500, rtol=1e-10)
    assert found.value == pytest.approx(2.0, rel=1e-8)
    assert np.allclose(A @ found.vector, 2.0 * found.vector, atol=1e-6)


def test_the_hessian_vector_product_of_a_quadratic_is_exact():
    A = np.array([[2.0, 0.5], [0.5, 1.0]])
    v = np.array([0.6, 0.8])
    assert np.allclose(hessian_vector(lambda t: A @ t, np.array([3.0, -1.0]), v, 1e-3), A @ v, atol=1e-12)


def test_a_warm_start_near_another_eigenvector_still_finds_the_sharpest():
    """Started at the second eigenvector of a quadratic: the random part it is given grows into the first."""
    Q, _ = np.linalg.qr(np.random.RandomState(2).randn(4, 4))
    A = Q @ np.diag([3.0, 2.7, 1.0, 0.5]) @ Q.T
    found = sharpest(lambda theta: A @ theta, np.zeros(4), start=Q[:, 1], iterations=500, rtol=1e-8)
    assert found.value == pytest.approx(3.0, rel=1e-10) and found.converged
    X, Y = random_problem("sigmoid", 1, seed=5, n_x=3, m=10)
    net = Network((3, 4, 1), dtype="float64", random_state=1, learning_rate=0.5).fit(X, Y, 10)
    first = curvature(net, X, Y, iterations=1000, rtol=1e-6)
    again = curvature(net, X, Y, start=first.vector, iterations=1000, rtol=1e-6)
    assert again.iterations < first.iterations and again.value == pytest.approx(first.value, rel=1e-8)


def test_the_engines_gradient_is_what_it_differentiates():
    """float32 networks are measured in float64: the same λmax from a float32 network's settings."""
    X, Y = random_problem("sigmoid", 1, seed=6, n_x=3, m=10)
    net64 = Network((3, 4, 1), dtype="float64", random_state=1).initialize()
    net32 = Network((3, 4, 1), dtype="float32", random_state=1).initialize()
    theta = net64.theta_.copy()
    a = curvature(net64, X, Y, iterations=500, rtol=1e-6).value
    b = curvature(net32, X, Y, theta=theta, iterations=500, rtol=1e-6).value
    assert a == pytest.approx(b, rel=1e-9)
    engine = net64.engine(X, Y)
    assert np.allclose(gradient_of(engine)(theta), engine.gradient(theta)[1])


def test_a_cost_that_overflows_is_said_in_one_sentence():
    with pytest.raises(ValueError, match="not finite at these parameters"):
        sharpest(lambda theta: np.full_like(theta, np.nan), np.ones(3))
