"""Training through the examples' Gram matrix (kernels.gram) against the direct steps it replaces: the same run to
rounding, every stop and roll-back alike, and used exactly where its updates stay among the examples."""

import numpy as np
import pytest

from visualtrainer.core import Network, engine, iter_training, training
from visualtrainer.core.kernels import bundles as B
from visualtrainer.core.kernels.gram import gram_matrix
from visualtrainer.core.training import TrainingControl

N_X, M = 1024, 53  # wide (tiles of features) and m ≤ n_x / 4: the Gram matrix pays


@pytest.fixture
def pictures():
    rng = np.random.default_rng(7)
    X = rng.integers(0, 256, (N_X, M)).astype(np.uint8)
    Y = (rng.random((1, M)) < 0.5).astype(float)
    return X, Y


@pytest.fixture
def through(monkeypatch):
    """``through(gram)`` sets whether training may use the Gram matrix; ``used`` lists each call's choice."""
    used = []
    choose = engine.Engine._through_gram

    def spy(self, *args):
        used.append(choose(self, *args))
        return used[-1]

    monkeypatch.setattr(engine.Engine, "_through_gram", spy)

    def set_gram(gram):
        monkeypatch.setattr(engine, "GRAM_MOST", 1024 if gram else 0)
        used.clear()
        return used

    return set_gram


def _network(dims=(N_X, 7, 1), **kw):
    settings = dict(hidden_activation="relu", init="small", learning_rate=0.02, dtype="float64", random_state=5)
    return Network(dims, **{**settings, **kw})


def _trained(X, Y, dims, iterations=120, **kw):
    net = _network(dims, **kw)
    net.fit(X, Y, iterations)
    return net


@pytest.mark.parametrize("dims", [(N_X, 1), (N_X, 7, 1), (N_X, 5, 3, 2)])
@pytest.mark.parametrize("batch", [0, M])
def test_gram_steps_are_the_direct_steps(pictures, through, dims, batch):
    X, Y = pictures
    Y = np.vstack([Y, 1 - Y])[: dims[-1]]
    kw = dict(batch_size=batch, shuffle_seed=3 if batch else None)
    if dims[-1] == 2:
        kw["output"] = "softmax"
    through(False)
    direct = _trained(X, Y, dims, **kw)
    used = through(True)
    gram = _trained(X, Y, dims, **kw)
    assert used and all(used)
    np.testing.assert_allclose(gram.theta_, direct.theta_, rtol=0, atol=1e-12)
    np.testing.assert_allclose(gram.costs_, direct.costs_, rtol=1e-12)
    np.testing.assert_allclose(gram.grad_norms_, direct.grad_norms_, rtol=1e-10)
    assert gram.n_iter_ == direct.n_iter_ == 120


def test_gram_steps_in_float32_agree_to_its_rounding(pictures, through):
    X, Y = pictures
    through(False)
    direct = _trained(X, Y, (N_X, 7, 1), dtype="float32")
    used = through(True)
    gram = _trained(X, Y, (N_X, 7, 1), dtype="float32")
    assert all(used)
    np.testing.assert_allclose(gram.costs_, direct.costs_, rtol=2e-5)
    np.testing.assert_allclose(gram.theta_, direct.theta_, atol=2e-5 * np.abs(direct.theta_).max())


def test_a_blow_up_rolls_back_as_the_direct_steps_do(pictures, through):
    X, Y = pictures
    runs = []
    for gram in (False, True):
        used = through(gram)
        net = _trained(X, Y, (N_X, 7, 1), iterations=300, learning_rate=40.0)
        runs.append(net)
        assert all(used) == gram
    direct, gram = runs
    assert direct.stop_reason_ == gram.stop_reason_ and direct.stop_reason_ is not None
    assert direct.n_iter_ == gram.n_iter_ < 300
    np.testing.assert_allclose(gram.theta_, direct.theta_, rtol=1e-9, atol=1e-12)
    assert np.isfinite(gram.theta_).all()


def test_calls_in_chunks_carry_on_where_the_last_ended(pictures, through):
    """Each snapshot ends a call: W[1] is formed, and the next call starts from it (and can roll back into it)."""
    X, Y = pictures
    thetas = []
    for gram in (False, True):
        through(gram)
        net = _network()
        seen = [snap.iteration for snap in iter_training(net, X, Y, 90, TrainingControl(), chunk_iterations=25)]
        assert seen[-1] == 90 and len(seen) >= 4
        thetas.append(net.theta_.copy())
    np.testing.assert_allclose(thetas[1], thetas[0], rtol=0, atol=1e-12)


@pytest.mark.parametrize("kw", [dict(optimizer="momentum"), dict(optimizer="adam"), dict(l2=0.5), dict(l1=0.1),
                                dict(batch_size=16)])
def test_updates_that_leave_the_examples_span_steps_directly(pictures, through, kw):
    X, Y = pictures
    used = through(True)
    _trained(X, Y, (N_X, 7, 1), iterations=3, **kw)
    assert used and not any(used)


def test_the_gram_matrix_is_that_of_the_scaled_pixels(pictures):
    X, Y = pictures
    problem = engine.Problem(X, Y, np.float64, (N_X, 7, 1), repeated=True)
    Xs = X / 255.0
    np.testing.assert_allclose(problem.gram, Xs.T @ Xs, rtol=1e-14)
    assert problem.gram_pays(N_X) and not engine.Problem(X[:100], Y, np.float64, (100, 7, 1)).gram_pays(100)


def test_a_bad_cost_at_a_calls_first_step_rolls_back_into_the_last_calls_parameters(pictures, through):
    """The previous buffer, formed at the end of the call before (its C is that call's last but one), is where a
    bad cost at the next call's first step takes the parameters back to."""
    X, Y = pictures
    thetas = []
    for gram in (False, True):
        used = through(gram)
        net = _network(learning_rate=0.05)
        net.fit(X, Y, 1)
        loop = training._Loop(net, X, Y, TrainingControl(), 0)
        loop.chunk(6, 20)
        loop.blowup = -1.0  # every cost from here on is "blown up"
        run, _ = loop.chunk(6, 14)
        assert all(used) == gram and run.out[B.ROLLED_BACK] == 1 and run.out[B.RAN] == -1
        thetas.append(net.theta_.copy())
    np.testing.assert_allclose(thetas[1], thetas[0], rtol=0, atol=1e-12)


def test_traced_parameters_are_the_direct_steps(pictures, through):
    """θ every few iterations (the cost surface's path): each traced θ's W[1] is formed at its call's end."""
    X, Y = pictures
    traces = []
    for gram in (False, True):
        used = through(gram)
        net = _network()
        snaps = list(iter_training(net, X, Y, 40, TrainingControl(), trace_every=3, chunk_iterations=10))
        assert all(used) == gram
        traces.append((np.concatenate([s.trace_iterations for s in snaps if s.trace_iterations is not None]),
                       np.concatenate([s.trace for s in snaps if s.trace is not None])))
    (its_direct, direct), (its_gram, gram) = traces
    np.testing.assert_array_equal(its_gram, its_direct)
    assert len(its_gram) == 13
    np.testing.assert_allclose(gram, direct, rtol=0, atol=1e-12)


@pytest.mark.parametrize("m, n_x", [(37, 700), (4, 256), (9, 513)])
def test_the_gram_matrix_of_pixels_is_exact(m, n_x):
    """Integer sums in float32 tiles, float64 between them: exactly XᵀX, even for the brightest pixels."""
    rng = np.random.default_rng(m)
    X = rng.integers(0, 256, (n_x, m)).astype(np.uint8)
    X[:, 0] = 255
    K = np.zeros((m, m))
    gram_matrix(np.ascontiguousarray(X.T), K)
    np.testing.assert_array_equal(K, X.T.astype(np.int64) @ X.astype(np.int64))
