"""Steps on one example or one mini-batch: the training loop's own updates, on the examples it would visit."""

import numpy as np
import pytest

from tests import numpy_course
from visualtrainer.core import Network
from visualtrainer.core.stepping import DEFAULT_BATCH, batch_rows, epoch_order, take_step
from visualtrainer.data import load_dataset


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam"])
def test_every_mini_batch_of_an_epoch_stepped_by_hand_is_the_epoch_trained(optimizer):
    data = load_dataset("moons", seed=3, n_samples=300)
    settings = dict(layer_dims=(2, 5, 2, 1), hidden_activation="relu", init="he", learning_rate=0.01,
                    optimizer=optimizer, batch_size=64, l2=0.2, dtype="float64", random_state=3, shuffle_seed=10)
    trained = Network(**settings).fit(data.X_train, data.Y_train, 3)
    stepped = Network(**settings).fit(data.X_train, data.Y_train, 2)
    seen = []
    for position in range(5):  # 300 examples in batches of 64: five steps make epoch 2
        rows, index, count = batch_rows(stepped, 300, position)
        assert (index, count) == (position, 5)
        seen.extend(rows)
        step = take_step(stepped, data.X_train, data.Y_train, rows)
        assert step.applied and step.cost_after < step.cost + 1.0
    assert sorted(seen) == list(range(300))
    np.testing.assert_allclose(stepped.theta_, trained.theta_, rtol=1e-12, atol=1e-14)
    assert stepped.n_iter_ == 2  # steps on parts of an epoch are not iterations
    np.testing.assert_array_equal(epoch_order(stepped, 300, 2), np.random.RandomState(13).permutation(300))


def test_one_example_is_stochastic_gradient_descent_on_its_loss():
    data = load_dataset("flower")
    net = Network((2, 4, 1), init="small", learning_rate=1.2, dtype="float64", random_state=2).initialize()
    params = {key: value.copy() for key, value in net.params_.items()}
    step = take_step(net, data.X_train, data.Y_train, [17])
    x, y = data.X_train[:, 17:18], data.Y_train[:, 17:18].astype(float)
    _, caches = numpy_course.forward(params, x, ["tanh", "sigmoid"])
    grads = numpy_course.backward(params, caches, y, ["tanh", "sigmoid"])
    for l in (1, 2):
        np.testing.assert_allclose(net.params_[f"W{l}"], params[f"W{l}"] - 1.2 * grads[f"dW{l}"], rtol=1e-12)
        np.testing.assert_allclose(step.layers[l - 1][1]["dW"], grads[f"dW{l}"], rtol=1e-12)
        np.testing.assert_allclose(step.layers[l - 1][1]["update"], -1.2 * grads[f"dW{l}"], rtol=1e-12)
        assert step.layers[l - 1][1]["Z"].shape == (net.layer_dims[l], 1)
    assert step.cost == pytest.approx(numpy_course.cost(caches[-1][2], y), rel=1e-12)
    assert step.cost_after < step.cost and not step.params["W1"].flags.writeable
    assert net.n_iter_ == 0 and len(net.costs_) == 0


def test_a_full_batch_network_steps_through_default_sized_batches_in_order():
    net = Network((2, 3, 1), random_state=0).initialize()
    rows, index, count = batch_rows(net, 150, 4)
    assert count == 3 and index == 1  # wraps round
    np.testing.assert_array_equal(rows, np.arange(DEFAULT_BATCH, 2 * DEFAULT_BATCH))


def test_a_step_that_would_overflow_is_not_taken():
    data = load_dataset("house")
    net = Network((1, 1), output="linear", init="xavier", learning_rate=1e200, dtype="float64",
                  random_state=0).initialize()
    before = net.theta_.copy()
    take_step(net, data.X_train, data.Y_train, [0, 1, 2])  # θ becomes huge: the next step's cost overflows
    step = take_step(net, data.X_train, data.Y_train, [0, 1, 2])
    assert not step.applied and "not taken" in step.message
    assert not np.array_equal(net.theta_, before)
    with pytest.raises(ValueError, match="rows must be examples 0"):
        take_step(net, data.X_train, data.Y_train, [10**6])
