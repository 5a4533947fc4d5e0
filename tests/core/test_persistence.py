"""A network's saved state brings it back exactly: training resumed from it goes on as if it had never stopped."""

import numpy as np
import pytest

from visualtrainer.core import Network, iter_training
from visualtrainer.core.persistence import network_state, restore_network


def _data(m=60, n_x=3, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randn(n_x, m)
    return X, (X[0:1] * X[1:2] > 0).astype(np.int64)


@pytest.mark.parametrize("optimizer, batch_size", [("gd", 0), ("momentum", 16), ("rmsprop", 0), ("adam", 16)])
def test_training_resumed_from_a_saved_state_matches_training_straight_through(optimizer, batch_size):
    X, Y = _data()
    settings = dict(layer_dims=(3, 5, 1), hidden_activation="relu", learning_rate=0.01, optimizer=optimizer,
                    batch_size=batch_size, dtype="float64", random_state=2)
    straight = Network(**settings).fit(X, Y, 50)
    first = Network(**settings).fit(X, Y, 30)
    header, arrays = network_state(first)
    resumed = restore_network(header, {key: np.array(value) for key, value in arrays.items()})
    assert resumed.n_iter_ == 30 and resumed is not first
    for _ in iter_training(resumed, X, Y, 20):
        pass
    np.testing.assert_array_equal(resumed.costs_, straight.costs_)
    np.testing.assert_array_equal(resumed.theta_, straight.theta_)


def test_a_state_that_does_not_fit_is_refused():
    X, Y = _data()
    net = Network((3, 4, 1), random_state=0).fit(X, Y, 5)
    header, arrays = network_state(net)
    with pytest.raises(ValueError, match="costs do not fit"):
        restore_network(header, arrays | {"costs": arrays["costs"][:3]})
    with pytest.raises(ValueError, match="optimiser's state does not fit"):
        restore_network(header, arrays | {"velocity": np.zeros(3)})
    with pytest.raises(ValueError, match="W1 must have shape"):
        restore_network(header, arrays | {"W1": np.zeros((2, 3))})
    with pytest.raises(ValueError, match="incomplete"):
        restore_network(header, {k: v for k, v in arrays.items() if k != "squares"})
    with pytest.raises(ValueError, match="no parameters yet"):
        network_state(Network((3, 1)))
