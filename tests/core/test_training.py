"""The training loop: stopping rules, cancelling from another thread, snapshots, optimisers, precision."""

import threading
import time

import numpy as np
import pytest

from visualtrainer.core import ConvergenceWarning, Network, TrainingControl, iter_training
from visualtrainer.core.kernels import bundles as B


def _blobs(m=200, seed=0):
    rng = np.random.RandomState(seed)
    Y = rng.randint(0, 2, (1, m))
    X = rng.randn(2, m) + 2.0 * (Y * 2 - 1)
    return X, Y


def _tiny_flower(m=400, seed=1):
    rng = np.random.RandomState(seed)
    t = rng.rand(m) * 2 * np.pi
    r = 1 + 0.3 * rng.randn(m)
    X = np.vstack([r * np.cos(t), r * np.sin(t)]) * np.where(rng.rand(m) > 0.5, 1, 2)
    Y = (np.hypot(*X) > 1.5).astype(int).reshape(1, -1)
    return X, Y


def test_too_large_learning_rate_stops_as_diverged_and_keeps_finite_parameters():
    X, Y = _blobs()
    net = Network((2, 8, 1), hidden_activation="relu", learning_rate=1e4, dtype="float64", random_state=0)
    net.fit(X * 50, Y, 500)
    assert net.stop_reason_ == "diverged"
    assert "diverged" in net.stop_message_ and "lower the learning rate" in net.stop_message_
    assert net.n_iter_ < 500
    assert np.all(np.isfinite(net.theta_))


def test_regression_with_a_huge_rate_reports_an_infinite_or_exploding_cost():
    rng = np.random.RandomState(0)
    X = rng.rand(1, 50) * 3
    Y = 1.5 * X + 0.5
    net = Network((1, 1), output="linear", learning_rate=5.0, dtype="float64", init="zeros").fit(X, Y, 1000)
    assert net.stop_reason_ == "diverged"
    assert np.all(np.isfinite(net.theta_))
    assert net.costs_[-1] > 100 * max(net.costs_[0], 1)


def test_tolerance_stops_when_the_gradient_norm_falls_below_it():
    X, Y = _blobs()
    net = Network((2, 1), learning_rate=0.5, dtype="float64", tol=1e-3, init="zeros").fit(X, Y, 100000)
    assert net.stop_reason_ == "tolerance"
    assert net.grad_norms_[-1] < 1e-3 <= net.grad_norms_[-2]
    assert "converged" in net.stop_message_
    assert len(net.costs_) == net.n_iter_ + 1  # the stopping iteration's cost is kept


def test_iteration_limit_with_a_tolerance_warns():
    X, Y = _blobs()
    with pytest.warns(ConvergenceWarning, match="still above tol"):
        Network((2, 1), learning_rate=0.01, tol=1e-12, dtype="float64").fit(X, Y, 20)


def test_cost_of_iteration_zero_is_at_the_initial_parameters():
    X, Y = _blobs()
    net = Network((2, 3, 1), random_state=4, dtype="float64").initialize()
    before = net.cost(X, Y)
    net.fit(X, Y, 10)
    assert net.costs_[0] == pytest.approx(before, rel=1e-12)
    assert len(net.costs_) == 10


def test_float32_and_float64_agree_over_the_first_100_costs():
    X, Y = _tiny_flower()
    runs = [Network((2, 4, 1), hidden_activation="tanh", init="small", learning_rate=1.2, dtype=d,
                    random_state=2).fit(X, Y, 100) for d in ("float32", "float64")]
    np.testing.assert_allclose(runs[0].costs_, runs[1].costs_, atol=1e-4)
    assert runs[0].params_["W1"].dtype == np.float32 and runs[1].params_["W1"].dtype == np.float64


def test_an_interrupt_from_another_thread_ends_a_running_call_of_the_loop():
    """The flag is read by the compiled loop at every step: a call asked for a million iterations stops early."""
    X, Y = _tiny_flower()
    net = Network((2, 8, 1), hidden_activation="tanh", dtype="float64", random_state=1).initialize()
    engine = net.engine(X, Y)
    n = 1_000_000
    state = B.State(theta=np.stack([net.theta_] * 2), v=np.zeros((2, net.theta_.size)),
                    s=np.zeros((2, net.theta_.size)), info=np.zeros(3, dtype=np.int64))
    control = TrainingControl()
    run = B.Run(order=np.arange(X.shape[1]).reshape(1, -1), batch=0, tol=0.0, blowup=np.inf,
                interrupt=control.interrupt, first=0, trace_every=0, trace=np.empty((0, net.theta_.size)),
                costs=np.full(n, np.nan), gnorms=np.full(n, np.nan), out=np.array([0, B.RAN_ALL, 0, 0]))
    caller = threading.Thread(target=engine.train, args=(net.optimizer_settings(), state, run, X.shape[1]))
    caller.start()
    while not np.isfinite(run.costs[0]) and caller.is_alive():  # the loop has started
        time.sleep(0.001)
    control.cancel()
    caller.join(timeout=60)
    assert not caller.is_alive()
    assert run.out[B.REASON] == B.INTERRUPTED
    assert 0 < run.out[B.RAN] < n


def test_cancelling_a_training_run_ends_it_with_a_cancelled_snapshot():
    X, Y = _tiny_flower()
    net = Network((2, 50, 50, 1), hidden_activation="tanh", dtype="float64", random_state=1)
    control = TrainingControl()
    snapshots = []
    for snapshot in iter_training(net, X, Y, 10_000_000, control=control):
        snapshots.append(snapshot)
        if len(snapshots) == 3:
            control.cancel()
    assert snapshots[-1].stop_reason == "cancelled" and net.stop_reason_ == "cancelled"
    assert 0 < net.n_iter_ < 10_000_000


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "rmsprop", "adam"])
@pytest.mark.parametrize("batch_size", [0, 64])
def test_divergence_keeps_the_last_parameters_whose_cost_was_fine(optimizer, batch_size):
    """The run that blows up ends on θ from before the bad step, exactly as a run stopped there would have."""
    X, Y = _blobs()
    settings = dict(layer_dims=(2, 8, 1), hidden_activation="relu", optimizer=optimizer, batch_size=batch_size,
                    init="large", learning_rate={"gd": 50.0, "momentum": 50.0, "rmsprop": 5.0, "adam": 1e3}[optimizer],
                    dtype="float64",
                    random_state=0, shuffle_seed=3)
    net = Network(**settings).fit(X * 20, Y, 2000)
    assert net.stop_reason_ == "diverged"
    kept = net.n_iter_
    assert np.all(np.isfinite(net.theta_))
    cost = net.cost(X * 20, Y)
    assert np.isfinite(cost) and cost <= 100 * max(net.costs_[0], 1)
    if batch_size == 0:
        assert cost == pytest.approx(net.costs_[kept], rel=1e-12)  # costs_[k] is J before update k: of these θ
        assert "Kept the parameters of iteration" in net.stop_message_
    if kept > 0 and batch_size == 0:
        again = Network(**settings).fit(X * 20, Y, kept)
        np.testing.assert_array_equal(again.theta_, net.theta_)


def test_snapshots_are_immutable_copies_and_cover_every_iteration():
    X, Y = _blobs()
    net = Network((2, 3, 1), random_state=0, dtype="float64")
    snaps = list(iter_training(net, X, Y, 3000, chunk_seconds=0.001))
    assert len(snaps) > 1 and snaps[-1].stop_reason == "max_iterations" and snaps[-1].iteration == 3000
    assert all(s.stop_reason is None for s in snaps[:-1])
    costs = np.concatenate([s.costs for s in snaps])
    np.testing.assert_array_equal(costs, net.costs_)
    assert [s.first_iteration for s in snaps] == list(np.cumsum([0] + [len(s.costs) for s in snaps[:-1]]))
    first = snaps[0].params["W1"]
    assert not first.flags.writeable
    assert not np.shares_memory(first, net.params_["W1"])
    assert not np.allclose(first, net.params_["W1"])  # later training did not change the old snapshot


def test_a_new_learning_rate_applies_from_the_next_chunk():
    X, Y = _blobs()
    a = Network((2, 1), learning_rate=0.1, dtype="float64", init="zeros")
    b = Network((2, 1), learning_rate=0.1, dtype="float64", init="zeros")
    gen = iter_training(a, X, Y, 10, chunk_seconds=0.0)  # chunks of one iteration
    next(gen)
    a.learning_rate = 0.0
    list(gen)
    b.fit(X, Y, 1)
    np.testing.assert_allclose(a.params_["W1"], b.params_["W1"])  # nothing moved after the rate became 0


def test_chunk_seconds_asked_before_each_chunk_sets_each_chunks_length():
    """The window asks for longer chunks while other programs crowd the machine, in the middle of a run: a function
    for ``chunk_seconds`` is asked before each chunk."""
    X, Y = _blobs()
    net = Network((2, 3, 1), random_state=0, dtype="float64")
    asked = []

    def chunk_seconds():
        asked.append(len(asked))
        return 0.0 if len(asked) <= 4 else 10.0  # one iteration a chunk, then as many as may grow (4x a chunk)

    sizes = [len(s.costs) for s in iter_training(net, X, Y, 200, chunk_seconds=chunk_seconds)]
    assert sizes[:7] == [1, 1, 1, 1, 4, 16, 64] and sum(sizes) == 200 and len(asked) == len(sizes)
    again = Network((2, 3, 1), random_state=0, dtype="float64").fit(X, Y, 200)
    np.testing.assert_array_equal(again.costs_, net.costs_)


def test_training_resumes_where_it_stopped():
    X, Y = _blobs()
    whole = Network((2, 3, 1), random_state=3, dtype="float64").fit(X, Y, 40)
    parts = Network((2, 3, 1), random_state=3, dtype="float64")
    list(iter_training(parts, X, Y, 15))
    list(iter_training(parts, X, Y, 25))
    np.testing.assert_allclose(parts.costs_, whole.costs_, rtol=1e-12)
    assert parts.n_iter_ == 40


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "rmsprop", "adam"])
@pytest.mark.parametrize("batch_size", [0, 64])
def test_every_optimizer_lowers_the_cost(optimizer, batch_size):
    X, Y = _tiny_flower()
    lr = 0.5 if optimizer in ("gd", "momentum") else 0.01
    net = Network((2, 8, 1), hidden_activation="tanh", optimizer=optimizer, batch_size=batch_size,
                  learning_rate=lr, random_state=1, dtype="float64").fit(X, Y, 300)
    assert net.costs_[-1] < 0.8 * net.costs_[0]
    assert net.score(X, Y) > 75


def test_adam_step_matches_its_formula():
    X, Y = _blobs(20)
    net = Network((2, 1), optimizer="adam", learning_rate=0.1, init="zeros", dtype="float64").initialize()
    problem_grad = _gradient(net, X, Y)
    net.fit(X, Y, 1)
    v, s = 0.1 * problem_grad, 0.001 * problem_grad**2
    expected = -0.1 * (v / 0.1) / (np.sqrt(s / 0.001) + 1e-8)
    np.testing.assert_allclose(net.theta_, expected, rtol=1e-9)


def _gradient(net, X, Y):
    from visualtrainer.core import gradient_check
    return gradient_check(net, X, Y)[1]


def test_mini_batches_are_shuffled_with_the_seed():
    X, Y = _blobs(100)
    runs = [Network((2, 1), batch_size=16, random_state=s, dtype="float64", init="zeros").fit(X, Y, 3)
            for s in (7, 7, 8)]
    np.testing.assert_array_equal(runs[0].theta_, runs[1].theta_)
    assert not np.allclose(runs[0].theta_, runs[2].theta_)


def test_softmax_learns_three_classes():
    rng = np.random.RandomState(0)
    Y = rng.randint(0, 3, (1, 300))
    centres = np.array([[0, 3, -3], [3, -2, -2]])
    X = centres[:, Y[0]] + 0.7 * rng.randn(2, 300)
    net = Network((2, 6, 3), hidden_activation="relu", output="softmax", learning_rate=0.3, random_state=0)
    net.fit(X, Y, 500)
    proba = net.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=0), 1.0, rtol=1e-5)
    assert net.score(X, Y) > 95


@pytest.mark.parametrize("batch_size", [0, 5])
def test_trace_holds_theta_after_every_kth_iteration(batch_size):
    rng = np.random.RandomState(3)
    X, Y = rng.randn(2, 12), rng.randint(0, 2, (1, 12))
    net = Network((2, 3, 1), learning_rate=0.3, batch_size=batch_size, dtype="float64", random_state=1).initialize()
    its, thetas = [], []
    for part in (4, 9):  # two calls: the trace keeps counting from where the network is
        for snap in iter_training(net, X, Y, part, trace_every=3, chunk_seconds=1e-9):
            its += list(snap.trace_iterations)
            thetas += list(snap.trace)
    assert its == [3, 6, 9, 12]
    for it, theta in zip(its, thetas):
        alone = Network((2, 3, 1), learning_rate=0.3, batch_size=batch_size, dtype="float64", random_state=1)
        alone.fit(X, Y, it)
        np.testing.assert_array_equal(theta, alone.theta_)
    assert next(iter_training(net, X, Y, 2)).trace is None  # no trace unless asked


@pytest.mark.parametrize("output", ["sigmoid", "softmax", "linear"])
def test_score_and_cost_from_one_pass_are_the_accuracy_and_cost_counted_in_numpy(output):
    """The window's test measures come from one forward pass: the same accuracy (or RMSE) and J as numpy's."""
    rng = np.random.RandomState(3)
    X = rng.randn(3, 90)
    if output == "softmax":
        Y = np.eye(3)[rng.randint(0, 3, 90)].T
    elif output == "linear":
        Y = rng.randn(1, 90)
    else:
        Y = rng.randint(0, 2, (1, 90))
    net = Network((3, 5, Y.shape[0]), hidden_activation="tanh", output=output, l2=0.3, random_state=2,
                  dtype="float64").fit(X, Y, 20)
    AL = net.forward_layers(X)[-1][1]
    if output == "sigmoid":
        expected = np.mean((AL > 0.5) == Y) * 100
    elif output == "softmax":
        expected = np.mean(AL.argmax(axis=0) == Y.argmax(axis=0)) * 100
    else:
        expected = np.sqrt(np.mean((AL - Y) ** 2))
    score, cost = net.score_and_cost(X, Y)
    assert score == pytest.approx(expected, abs=1e-9) and score == net.score(X, Y)
    assert cost == pytest.approx(net.cost(X, Y), rel=1e-12)
    if output == "sigmoid":
        l2 = 0.3 / (2 * 90) * sum(np.sum(w ** 2) for k, w in net.params_.items() if k.startswith("W"))
        bce = -np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))
        assert cost == pytest.approx(bce + l2, rel=1e-9)
