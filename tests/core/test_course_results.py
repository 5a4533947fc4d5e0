"""The course's published results on cat vs non-cat, reproduced to 6 decimals in float64."""

import h5py
import numpy as np
import pytest

from visualtrainer.core import Network


@pytest.fixture(scope="module")
def cat(cat_train_path):
    """The course's data read directly with h5py (independently of visualtrainer.data): X uint8 (12288, m)."""
    with h5py.File(cat_train_path) as train, h5py.File(cat_train_path.with_name("test_catvnoncat.h5")) as test:
        x, y = train["train_set_x"][:], train["train_set_y"][:]
        xt, yt = test["test_set_x"][:], test["test_set_y"][:]
    return x.reshape(len(x), -1).T, y.reshape(1, -1), xt.reshape(len(xt), -1).T, yt.reshape(1, -1)


def test_logistic_regression_matches_the_course(cat):
    X, Y, Xt, Yt = cat
    net = Network((12288, 1), init="zeros", learning_rate=0.005, dtype="float64").fit(X, Y, 2000)
    published = [0.693147, 0.584508, 0.466949, 0.376007, 0.331463, 0.303273, 0.279880, 0.260042, 0.242941,
                 0.228004, 0.214820, 0.203078, 0.192544, 0.183033, 0.174399, 0.166521, 0.159305, 0.152667,
                 0.146542, 0.140872]
    np.testing.assert_allclose(net.costs_[::100], published, atol=5e-7)
    assert net.score(X, Y) == pytest.approx(99.04306220095694)
    assert net.score(Xt, Yt) == pytest.approx(70.0)
    assert net.stop_reason_ == "max_iterations" and net.n_iter_ == 2000


def test_logistic_regression_float_pixels_give_the_same_costs(cat):
    X, Y, _, _ = cat
    uint8 = Network((12288, 1), init="zeros", learning_rate=0.005, dtype="float64").fit(X, Y, 30)
    floats = Network((12288, 1), init="zeros", learning_rate=0.005, dtype="float64").fit(X / 255.0, Y, 30)
    np.testing.assert_allclose(uint8.costs_, floats.costs_, rtol=1e-12)


def test_two_layer_network_matches_the_course(cat):
    X, Y, Xt, Yt = cat
    net = Network((12288, 7, 1), hidden_activation="relu", init="small", learning_rate=0.0075, dtype="float64",
                  random_state=1).fit(X, Y, 2500)
    assert net.costs_[0] == pytest.approx(0.6930497356599888, abs=1e-9)
    assert net.costs_[100] == pytest.approx(0.6464320953428849, abs=1e-7)
    assert net.costs_[2400] == pytest.approx(0.048554785628770226, abs=1e-6)
    assert net.score(X, Y) == pytest.approx(100.0)
    assert net.score(Xt, Yt) == pytest.approx(72.0)


def test_deep_network_matches_the_course(cat):
    X, Y, Xt, Yt = cat
    net = Network((12288, 20, 7, 5, 1), hidden_activation="relu", init="xavier", learning_rate=0.0075,
                  dtype="float64", random_state=1).fit(X, Y, 2500)
    np.testing.assert_allclose(net.costs_[[0, 100, 200, 2400]], [0.771749, 0.672053, 0.648263, 0.092878], atol=5e-7)
    assert net.score(X, Y) == pytest.approx(98.5645933014, abs=1e-6)
    assert net.score(Xt, Yt) == pytest.approx(80.0)
