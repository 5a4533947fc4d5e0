"""The numpy reference engine against the compiled kernels: the same costs and parameters, step after step."""

import numpy as np
import pytest

from visualtrainer.core import Network
from visualtrainer.core.kernels import bundles as B
from visualtrainer.core.reference import ReferenceEngine

from .problems import random_problem


def _pair(net, X, Y):
    compiled = net.engine(X, Y)
    reference = ReferenceEngine(compiled.layout, net._codes(), compiled.spec.loss, compiled.problem)
    return compiled, reference


def _run(engine, net, m, n, batch_size, order, blowup=np.inf):
    theta = net.theta_
    state = B.State(theta=np.stack([theta, theta]), v=np.zeros((2, theta.size), dtype=theta.dtype),
                    s=np.zeros((2, theta.size), dtype=theta.dtype), info=np.zeros(3, dtype=np.int64))
    run = B.Run(order=order, batch=batch_size, tol=0.0, blowup=blowup, interrupt=np.zeros(1, dtype=np.int64),
                first=0, trace_every=3, trace=np.empty((n // 3, theta.size), dtype=theta.dtype),
                costs=np.full(n, np.nan), gnorms=np.full(n, np.nan), out=np.array([0, B.RAN_ALL, 0, 0]))
    engine.train(net.optimizer_settings(), state, run, batch_size or m)
    return run, state


CASES = [  # layer dims, hidden, output, optimizer, batch, l2, wide
    ((3, 5, 1), "tanh", "sigmoid", "gd", 0, 0.0, False),
    ((3, 5, 4, 3), "relu", "softmax", "momentum", 16, 0.1, False),
    ((2, 6, 2), "leaky_relu", "linear", "rmsprop", 0, 0.0, False),
    ((2, 4, 1), "sigmoid", "sigmoid", "adam", 20, 0.05, False),
    ((600, 5, 1), "relu", "sigmoid", "gd", 0, 0.3, True),
    ((700, 3, 2, 1), "tanh", "sigmoid", "adam", 32, 0.0, True),
    ((600, 3, 4), "relu", "softmax", "rmsprop", 0, 0.0, True),  # the output the widest layer after the input
]


@pytest.mark.parametrize("dims, hidden, output, optimizer, batch_size, l2, wide", CASES)
def test_reference_and_kernels_agree_in_float64_step_after_step(dims, hidden, output, optimizer, batch_size, l2,
                                                                 wide):
    n_y = dims[-1]
    X, Y = random_problem(output, n_y, seed=7, n_x=dims[0], m=90)
    if wide:
        X = np.random.RandomState(1).randint(0, 256, (dims[0], 90)).astype(np.uint8)
    net = Network(dims, hidden_activation=hidden, output=output, optimizer=optimizer, batch_size=batch_size, l2=l2,
                  learning_rate=0.05 if optimizer in ("gd", "momentum") else 0.01, dtype="float64",
                  random_state=3).initialize()
    compiled, reference = _pair(net, X, Y)
    assert compiled.problem.wide == wide
    if wide:  # a batch's deltas are room for layers 1 to L, not for the pixels (dA[0] is never formed)
        assert compiled.shared(90, 2).d1.size == max(dims[1:]) * 90
    order = np.stack([np.random.RandomState(e).permutation(90) for e in range(12)])
    run_c, state_c = _run(compiled, net, 90, 12, batch_size, order)
    run_r, state_r = _run(reference, net, 90, 12, batch_size, order)
    np.testing.assert_allclose(run_r.costs, run_c.costs, rtol=1e-12)
    np.testing.assert_allclose(run_r.gnorms, run_c.gnorms, rtol=1e-10)
    np.testing.assert_allclose(run_r.trace, run_c.trace, rtol=1e-10, atol=1e-13)
    np.testing.assert_array_equal(run_r.out, run_c.out)
    np.testing.assert_array_equal(state_r.info, state_c.info)
    cur = state_c.info[B.CURRENT]
    np.testing.assert_allclose(state_r.theta[cur], state_c.theta[cur], rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("wide", [False, True])
def test_reference_evaluate_and_gradient_match_the_kernels(wide):
    X, Y = random_problem("sigmoid", 1, seed=2, n_x=800 if wide else 4, m=50)
    net = Network((X.shape[0], 6, 1), hidden_activation="tanh", dtype="float64", l2=0.2, random_state=1).initialize()
    compiled, reference = _pair(net, X, Y)
    AL_c, J_c = compiled.evaluate(net.theta_, 0.2, with_cost=True)
    AL_r, J_r = reference.evaluate(net.theta_, 0.2, with_cost=True)
    np.testing.assert_allclose(AL_r, AL_c, rtol=1e-12)
    assert J_r == pytest.approx(J_c, rel=1e-12)
    (J1, g_c), (J2, g_r) = compiled.gradient(net.theta_, 0.2), reference.gradient(net.theta_, 0.2)
    assert J1 == pytest.approx(J2, rel=1e-12)
    np.testing.assert_allclose(g_r, g_c, rtol=1e-10, atol=1e-14)


def test_reference_rolls_back_a_blown_up_step_as_the_kernels_do():
    X, Y = random_problem("sigmoid", 1, seed=4, n_x=2, m=60)
    net = Network((2, 8, 1), hidden_activation="relu", learning_rate=80.0, init="large", dtype="float64",
                  random_state=0).initialize()
    compiled, reference = _pair(net, X * 20, Y)
    order = np.arange(60).reshape(1, 60)
    blowup = 100 * max(compiled.evaluate(net.theta_, with_cost=True)[1], 1.0)
    run_c, state_c = _run(compiled, net, 60, 12, 0, order, blowup)
    run_r, state_r = _run(reference, net, 60, 12, 0, order, blowup)
    assert run_c.out[B.REASON] in (B.BLEW_UP, B.NONFINITE_COST) and run_c.out[B.ROLLED_BACK] == 1
    np.testing.assert_array_equal(run_r.out, run_c.out)
    np.testing.assert_array_equal(state_r.info, state_c.info)


@pytest.mark.parametrize("wide", [False, True])
def test_the_l1_term_matches_the_reference_and_finite_differences(wide):
    X, Y = random_problem("sigmoid", 1, seed=5, n_x=700 if wide else 3, m=40)
    if wide:
        X = np.random.RandomState(2).randint(0, 256, (700, 40)).astype(np.uint8)
    net = Network((X.shape[0], 4, 1), hidden_activation="tanh", dtype="float64", l1=0.3, l2=0.1,
                  random_state=1).initialize()
    compiled, reference = _pair(net, X, Y)
    (J_c, g_c), (J_r, g_r) = compiled.gradient(net.theta_, 0.1, 0.3), reference.gradient(net.theta_, 0.1, 0.3)
    weights = np.concatenate([net.params_["W1"].ravel(), net.params_["W2"].ravel()])
    plain = compiled.evaluate(net.theta_, with_cost=True)[1]
    assert J_c == pytest.approx(plain + (0.05 * weights @ weights + 0.3 * np.abs(weights).sum()) / 40, rel=1e-12)
    assert J_r == pytest.approx(J_c, rel=1e-12)
    np.testing.assert_allclose(g_r, g_c, rtol=1e-10, atol=1e-14)
    # the gradient against centred differences, at weights away from 0 (where |w| has no derivative)
    rng = np.random.RandomState(0)
    for p in rng.choice(net.theta_.size, 12, replace=False):
        step = np.zeros_like(net.theta_)
        step[p] = 1e-6
        plus = compiled.evaluate(net.theta_ + step, 0.1, with_cost=True, l1=0.3)[1]
        minus = compiled.evaluate(net.theta_ - step, 0.1, with_cost=True, l1=0.3)[1]
        assert (plus - minus) / 2e-6 == pytest.approx(g_c[p], rel=1e-5, abs=1e-9)


def test_l1_training_drives_useless_weights_towards_zero():
    rng = np.random.RandomState(0)
    X = rng.randn(6, 200)
    Y = (X[0:1] > 0).astype(int)  # only the first feature matters
    plain = Network((6, 1), learning_rate=0.5, dtype="float64", random_state=0).fit(X, Y, 300)
    sparse = Network((6, 1), learning_rate=0.5, l1=0.2, dtype="float64", random_state=0).fit(X, Y, 300)
    assert np.abs(sparse.params_["W1"][0, 1:]).sum() < 0.5 * np.abs(plain.params_["W1"][0, 1:]).sum()
