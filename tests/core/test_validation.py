"""Bad settings and bad data get messages that say what was expected, what was given, and what to do."""

import numpy as np
import pytest

from visualtrainer.core import Network, iter_training, load_model, save_model
from visualtrainer.core.validation import (available_memory, check_network, check_shuffle_seeds, check_training_memory,
                                           training_memory)

X = np.random.RandomState(0).randn(2, 10)
Y = (X[0:1] > 0).astype(int)


@pytest.mark.parametrize("settings, error, message", [
    ({"learning_rate": -0.01}, ValueError, r"learning_rate must be a float > 0\.0; got -0\.01\."),
    ({"learning_rate": "fast"}, TypeError, r"learning_rate must be a number; got 'fast'\."),
    ({"layer_dims": (2, 0, 1)}, ValueError, r"layer sizes must be integers >= 1; got 0 for hidden layer 1"),
    ({"hidden_activation": "swish", "layer_dims": (2, 3, 1)}, ValueError,
     r"a hidden activation must be one of sigmoid, tanh, relu, leaky_relu, linear; got 'swish'"),
    ({"hidden_activation": ["relu"], "layer_dims": (2, 3, 3, 1)}, ValueError, r"one name per hidden layer \(2\)"),
    ({"output": "linear", "loss": "cross_entropy"}, ValueError, r"cross_entropy needs a sigmoid or softmax output"),
    ({"init": "glorot"}, ValueError, r"init must be one of zeros, small, xavier, he, large; got 'glorot'"),
    ({"optimizer": "sgd"}, ValueError, r"optimizer must be one of gd, momentum, rmsprop, adam"),
    ({"batch_size": -1}, ValueError, r"batch_size must be an integer >= 0; got -1"),
    ({"l2": -1.0}, ValueError, r"l2 must be a float >= 0\.0"),
    ({"beta1": 1.0}, ValueError, r"beta1 must be a float in \[0, 1\)"),
    ({"dtype": "float16"}, ValueError, r"dtype must be one of float32, float64; got 'float16'"),
])
def test_bad_settings(settings, error, message):
    spec = {"layer_dims": (2, 1), **settings}
    with pytest.raises(error, match=message):
        Network(**spec).fit(X, Y, 5)


def test_init_stores_arguments_unchanged_and_validates_nothing():
    net = Network(layer_dims=(2, 0, 1), learning_rate=-1)
    assert net.learning_rate == -1 and net.layer_dims == (2, 0, 1)


@pytest.mark.parametrize("Xb, Yb, message", [
    (np.zeros((209, 64, 64, 3)), Y, r"X must be 2-D \(n_x, m\); got shape \(209, 64, 64, 3\)\. Flatten"),
    (np.zeros((10, 2)), Y, r"Did you pass X with examples in rows\? Use X\.T"),
    (X, Y[:, :9], r"same number of examples \(columns\); got X \(2, 10\) and Y \(1, 9\)"),
    (X, Y * 2, r"a sigmoid output needs labels 0 or 1"),
    (np.where(X > 1, np.nan, X), Y, r"X holds NaN"),
])
def test_bad_data(Xb, Yb, message):
    with pytest.raises(ValueError, match=message):
        Network((2, 1)).fit(Xb, Yb, 5)


def test_zero_iterations_and_predict_before_fit():
    with pytest.raises(ValueError, match=r"n_iterations must be an integer >= 1; got 0"):
        list(iter_training(Network((2, 1)), X, Y, 0))
    with pytest.raises(ValueError, match=r"Network is not trained yet; call fit\(\) or load weights"):
        Network((2, 1)).predict(X)


def test_saved_model_loads_with_the_same_predictions(tmp_path):
    net = Network((2, 5, 1), hidden_activation="leaky_relu", random_state=3).fit(X, Y, 50)
    save_model(net, tmp_path / "m.npz", extra={"classes": ["a", "b"]})
    again, extra = load_model(tmp_path / "m.npz")
    np.testing.assert_array_equal(again.predict_proba(X), net.predict_proba(X))
    assert again.get_params() == net.get_params() and extra == {"classes": ["a", "b"]}
    np.testing.assert_array_equal(again.costs_, net.costs_)


def test_bad_model_files(tmp_path):
    with pytest.raises(ValueError, match="no such file"):
        load_model(tmp_path / "missing.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="not a readable model file"):
        load_model(tmp_path / "junk.npz")
    net = Network((2, 1)).fit(X, Y, 2)
    save_model(net, tmp_path / "ok.npz")
    data = (tmp_path / "ok.npz").read_bytes()
    (tmp_path / "cut.npz").write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="not a readable model file"):
        load_model(tmp_path / "cut.npz")


@pytest.mark.parametrize("settings, error, message", [
    ({"layer_dims": (2, 2**31, 1)}, ValueError, r"layer sizes must be at most 2,147,483,647; got 2147483648 for "
                                                r"hidden layer 1"),
    ({"layer_dims": (2,) * 70}, ValueError, r"at most 63 hidden layers between; got 70 sizes"),
    ({"layer_dims": 7}, TypeError, r"layer_dims must be a sequence of layer sizes"),
    ({"batch_size": 2**63}, ValueError, r"batch_size must be an integer in 0 … 2147483647; got 9223372036854775808"),
    ({"random_state": 2**32}, ValueError, r"random_state must be an integer in 0 … 4294967295"),
    ({"shuffle_seed": 2**32 - 1}, ValueError, r"shuffle_seed must be an integer in 0 … 4294967294"),
    ({"learning_rate": 10**400}, TypeError, r"learning_rate must be a number; got 1000000000000"),
    ({"l2": "x" * 1000}, TypeError, r"l2 must be a number; got 'xxxxx.*\.\.\.\.$"),
])
def test_settings_out_of_any_range(settings, error, message):
    with pytest.raises(error, match=message):
        check_network(Network(**({"layer_dims": (2, 1)} | settings)))


def test_shuffle_seeds_must_stay_seeds_for_every_epoch():
    net = Network((2, 1), batch_size=4, shuffle_seed=2**32 - 11)
    check_shuffle_seeds(net, 10)
    with pytest.raises(ValueError, match=r"got shuffle seed 4294967285 and 11 epochs\. Use a shuffle seed of at most "
                                         r"4,294,967,284"):
        check_shuffle_seeds(net, 11)
    check_shuffle_seeds(Network((2, 1), shuffle_seed=2**32 - 2), 10**6)  # full batch: no shuffling


def test_the_memory_training_needs_counted_by_hand():
    """2-3-1 on 10 examples in float64, 5 iterations: P = 3·3 + 1·4 = 13 parameters."""
    parameters, activations, data = training_memory((2, 3, 1), 10, "float64", iterations=5)
    assert parameters == 6 * 13 * 8 + 2 * 8 * 6  # θ, gradient, averages, saved, snapshot; the float64 draw of W1
    assert activations == (2 * (3 + 1) + 2 * 3) * 10 * 8  # Z and A, two buffers as wide as the widest layer
    assert data == 2 * 10 * 8 + 1 * 10 * 8 + 2 * 2 * 8 * 5  # X, Y, costs and gradient norms (doubling)
    assert training_memory((12288, 7, 1), 209, "float32", pixels=True)[2] == 209 * 4  # uint8 X is not copied
    with pytest.raises(ValueError, match=r"training the 2 → 3 → 1 network on 10 examples would need about 2\.2 KB "
                                         r"\(720 bytes for its 13 parameters.*more than the 1\.0 KB available"):
        check_training_memory((2, 3, 1), 10, "float64", iterations=5, available=1000)
    check_training_memory((2, 3, 1), 10, "float64", iterations=5, available=2240)


def test_the_memory_available_is_a_positive_count_here():
    available = available_memory()
    assert available is None or 0 < available < 2**50
