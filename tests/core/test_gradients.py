"""The backward pass against centred differences, and a hand-worked step against plain numpy."""

import itertools
import time

import numpy as np
import pytest

from tests import numpy_course
from tests.core.problems import random_problem
from visualtrainer.core import Network, gradient_check
from visualtrainer.core.training import iter_training

OUTPUT_LOSS = [("sigmoid", "cross_entropy"), ("softmax", "cross_entropy"), ("sigmoid", "mse"), ("softmax", "mse"),
               ("linear", "mse")]
HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu"]


@pytest.mark.parametrize("output_loss, hidden", list(itertools.product(OUTPUT_LOSS, HIDDEN)))
@pytest.mark.parametrize("l2", [0.0, 0.7])
def test_gradient_check_every_combination(output_loss, hidden, l2):
    output, loss = output_loss
    n_y = 3 if output == "softmax" else 1
    X, Y = random_problem(output, n_y)
    net = Network((3, 5, 4, n_y), hidden_activation=hidden, output=output, loss=loss, l2=l2, dtype="float64",
                  random_state=2, init="xavier")
    difference, grad, approx = gradient_check(net, X, Y)
    assert difference < 1e-7
    assert np.linalg.norm(grad) > 1e-3  # a zero gradient would pass trivially


@pytest.mark.parametrize("output, loss", OUTPUT_LOSS)
def test_gradient_check_logistic_regression_and_mixed_hidden(output, loss):
    n_y = 3 if output == "softmax" else 2 if output == "linear" else 1
    X, Y = random_problem(output, n_y, seed=4)
    for dims, hidden in (((3, n_y), []), ((3, 4, 3, 2, n_y), ["relu", "tanh", "leaky_relu"])):
        net = Network(dims, hidden_activation=hidden, output=output, loss=loss, dtype="float64", random_state=5)
        assert gradient_check(net, X, Y)[0] < 1e-7


def test_wide_pixel_input_uses_the_tiled_kernels_and_matches_numpy():
    """A 4096-pixel uint8 input takes the multi-threaded tiled path; its gradient equals numpy's on X/255."""
    rng = np.random.RandomState(3)
    X = rng.randint(0, 256, (4096, 130)).astype(np.uint8)
    Y = rng.randint(0, 2, (1, 130))
    net = Network((4096, 3, 1), hidden_activation="relu", dtype="float64", random_state=1, learning_rate=0.01)
    net.initialize()
    assert net.engine(X, Y).problem.wide  # the tiled path, shared out to the team
    params = {k: v.copy() for k, v in net.params_.items()}
    AL, caches = numpy_course.forward(params, X / 255.0, ["relu", "sigmoid"])
    grads = numpy_course.backward(params, caches, Y.astype(float), ["relu", "sigmoid"])
    assert net.cost(X, Y) == pytest.approx(numpy_course.cost(AL, Y), rel=1e-12)
    net.fit(X, Y, 1)  # one step from the same start: θ1 = θ0 − α·∇J
    for key in ("W1", "b1", "W2", "b2"):
        expected = params[key] - 0.01 * grads["d" + key]
        np.testing.assert_allclose(net.params_[key], expected, rtol=1e-10, atol=1e-14)


def test_the_tiled_gradient_skips_units_that_are_off_and_still_matches_numpy():
    """ReLU units off for whole groups of examples are skipped and the rest paired as they come: two units dead,
    one on for a few examples only, the others on; the step equals numpy's on X/255 whatever the pairing."""
    rng = np.random.RandomState(8)
    X = rng.randint(0, 256, (3000, 61)).astype(np.uint8)
    Y = rng.randint(0, 2, (1, 61))
    net = Network((3000, 7, 1), hidden_activation="relu", dtype="float64", random_state=2, learning_rate=0.05)
    net.initialize()
    params = {k: v.copy() for k, v in net.params_.items()}
    Z = params["W1"] @ (X / 255.0)
    params["b1"][:] = -Z.mean(axis=1, keepdims=True)  # about half the examples on
    params["b1"][[1, 4]] = -Z.max(axis=1)[[1, 4], None] - 1.0  # dead
    params["b1"][5] = -np.sort(Z[5])[-3:-1].mean()  # on for two examples
    net.set_weights(params)
    AL, caches = numpy_course.forward(params, X / 255.0, ["relu", "sigmoid"])
    grads = numpy_course.backward(params, caches, Y.astype(float), ["relu", "sigmoid"])
    assert np.all(grads["dW1"][[1, 4]] == 0) and np.count_nonzero(grads["dW1"][5].any()) == 1
    for _ in iter_training(net, X, Y, 1):  # one step from these parameters (fit would draw new ones)
        pass
    for key in ("W1", "b1", "W2", "b2"):
        np.testing.assert_allclose(net.params_[key], params[key] - 0.05 * grads["d" + key], rtol=1e-10, atol=1e-14)


def test_one_hand_worked_step_of_logistic_regression():
    """w = 0, b = 0: a = σ(0) = ½, so dw = X(a − y)ᵀ/m and db = mean(a − y), worked by hand."""
    X = np.array([[1.0, 2.0, -1.0], [3.0, 0.5, -2.0]])
    Y = np.array([[1, 0, 1]])
    net = Network((2, 1), init="zeros", learning_rate=0.1, dtype="float64").fit(X, Y, 1)
    a_minus_y = np.array([-0.5, 0.5, -0.5])
    dw = X @ a_minus_y / 3  # [(-0.5 + 1 + 0.5)/3, (-1.5 + 0.25 + 1)/3]
    np.testing.assert_allclose(net.params_["W1"], -0.1 * dw.reshape(1, 2))
    np.testing.assert_allclose(net.params_["b1"], [[-0.1 * a_minus_y.mean()]])
    assert net.costs_[0] == pytest.approx(np.log(2))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_a_tiled_run_gives_the_same_numbers_bitwise_whatever_threads_do_it(dtype, monkeypatch):
    """Each tile's share of Z[1] is summed in tile order, so one thread and a team of two (claiming tiles as they
    come) reach the same parameters to the last bit; summed by thread, float32 runs differed by 3e-8 after 300
    steps, and from one run to the next."""
    from visualtrainer.core import team

    rng = np.random.RandomState(5)
    X = rng.randint(0, 256, (12288, 53)).astype(np.uint8)
    Y = rng.randint(0, 2, (1, 53))
    results = []
    for members in (1, 2, 2):
        monkeypatch.setattr(team.SizeChooser, "pick", lambda self, members=members: members)
        net = Network((12288, 5, 1), hidden_activation="relu", dtype=dtype, random_state=1, learning_rate=0.01)
        assert net.initialize().engine(X, Y).problem.wide and net.engine(X, Y).members(53) == 2
        net.fit(X, Y, 40)
        results.append((net.theta_.copy(), net.costs_.copy()))
    for theta, costs in results[1:]:
        assert np.array_equal(theta, results[0][0]) and np.array_equal(costs, results[0][1])


@pytest.mark.parametrize("units", [2, 6])  # pixels read as stored, or converted once a tile
def test_every_array_a_call_of_the_loop_was_given_is_freed_after_it(units, monkeypatch):
    """Every array a call of the training loop was given (the state, the pixels, the labels, the costs) is freed
    once the network is gone, after runs on one thread and on two, through the wide loop's uncounted kernels
    (``_jit.borrowing``): a team helper kept its last call's arrays until the next call."""
    import gc
    import weakref

    from visualtrainer.core import team
    from visualtrainer.core.engine import Engine

    given = []
    train = Engine.train

    def watched_train(self, opt, state, run, batch, members=None):
        given.extend(weakref.ref(a) for a in (state.theta, state.v, state.s, self.problem.data.XT, self.problem.Y,
                                              run.costs))
        return train(self, opt, state, run, batch, members)

    monkeypatch.setattr(Engine, "train", watched_train)
    rng = np.random.RandomState(2)
    X = rng.randint(0, 256, (12288, 21)).astype(np.uint8)
    Y = rng.randint(0, 2, (1, 21))
    for members in (1, 2):
        monkeypatch.setattr(team.SizeChooser, "pick", lambda self, members=members: members)
        net = Network((12288, units, 1), hidden_activation="relu", dtype="float32", random_state=1, l2=0.1,
                      optimizer="adam")
        assert net.initialize().engine(X, Y).problem.wide
        net.fit(X, Y, 30)
        assert np.isfinite(net.theta_).all()
    del net
    deadline = time.perf_counter() + 10  # a helper lets go of its call's arrays as it leaves the kernel, a moment
    while True:  # after the caller returns (later on a loaded machine); kept until the next call was the bug
        gc.collect()
        alive = [ref for ref in given if ref() is not None]
        if not alive or time.perf_counter() > deadline:
            break
        time.sleep(0.01)
    assert given and alive == []
