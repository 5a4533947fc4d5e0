"""The computation graph's derivatives against finite differences of the loss and of the network's cost."""

import itertools

import numpy as np
import pytest

from visualtrainer.core import Network
from visualtrainer.core.graph import example_graph, layer_graph


def _loss(w, b, x, y):
    a = 1 / (1 + np.exp(-(w @ x + b)))
    return -(y * np.log(a) + (1 - y) * np.log(1 - a))


@pytest.mark.parametrize("y", [0, 1])
def test_one_example_graph_derivatives_are_finite_differences(y):
    rng = np.random.RandomState(y)
    net = Network((5, 1), dtype="float64", random_state=0, init="xavier").initialize()
    x = rng.randn(5)
    node = example_graph(net, x, y)
    w, b, eps = node["w"], node["b"], 1e-6
    assert node["z"] == pytest.approx(w @ x + b) and node["a"] == pytest.approx(1 / (1 + np.exp(-node["z"])))
    assert node["loss"] == pytest.approx(_loss(w, b, x, y), rel=1e-12)
    for i in range(5):
        step = np.eye(5)[i] * eps
        assert node["dw"][i] == pytest.approx((_loss(w + step, b, x, y) - _loss(w - step, b, x, y)) / (2 * eps),
                                              rel=1e-6, abs=1e-9)
    assert node["db"] == pytest.approx((_loss(w, b + eps, x, y) - _loss(w, b - eps, x, y)) / (2 * eps),
                                      rel=1e-6, abs=1e-9)
    a = node["a"]
    L_of_a = lambda a: -(y * np.log(a) + (1 - y) * np.log(1 - a))  # noqa: E731
    assert node["da"] == pytest.approx((L_of_a(a + eps) - L_of_a(a - eps)) / (2 * eps), rel=1e-6)
    assert node["dz"] == pytest.approx(a - y)


def test_one_example_graph_reads_pixels_and_refuses_networks():
    net = Network((3, 1), dtype="float64", random_state=0).initialize()
    node = example_graph(net, np.array([255, 0, 51], dtype=np.uint8), 1)
    np.testing.assert_allclose(node["x"], [1.0, 0.0, 0.2])
    with pytest.raises(ValueError, match="logistic regression"):
        example_graph(Network((3, 2, 1), random_state=0).initialize(), np.zeros(3), 1)


@pytest.mark.parametrize("output_loss, hidden", list(itertools.product(
    [("sigmoid", None), ("softmax", None), ("linear", None), ("sigmoid", "mse")], ["tanh", "relu", "sigmoid"])))
def test_layer_graph_gradients_are_finite_differences_of_the_networks_cost(output_loss, hidden):
    output, loss = output_loss
    n_y = 3 if output == "softmax" else 1
    rng = np.random.RandomState(1)
    X = rng.randn(4, 11)
    Y = rng.randint(0, n_y if output == "softmax" else 2, (1, 11)) if output != "linear" else rng.randn(1, 11)
    net = Network((4, 5, 3, n_y), hidden_activation=hidden, output=output, loss=loss, l2=0.2, dtype="float64",
                  random_state=2, init="xavier").initialize()
    layers, J = layer_graph(net, X, Y)
    assert J == pytest.approx(net.cost(X, Y), rel=1e-10)
    eps = 1e-6
    for l, layer in layers:
        assert layer["Z"].shape == layer["A"].shape == layer["dZ"].shape == (net.layer_dims[l], 11)
        for key, shape in ((f"W{l}", layer["dW"].shape), (f"b{l}", layer["db"].shape)):
            assert net.params_[key].shape == shape
            grad = layer["dW"] if key[0] == "W" else layer["db"]
            for index in [(0, 0), (shape[0] - 1, shape[1] - 1)]:
                original = net.params_[key][index]
                net.params_[key][index] = original + eps
                plus = net.cost(X, Y)
                net.params_[key][index] = original - eps
                minus = net.cost(X, Y)
                net.params_[key][index] = original
                assert grad[index] == pytest.approx((plus - minus) / (2 * eps), abs=1e-7)
