"""Each input's contribution to the predicted class's logit: exact for logistic regression, gradient × input
deeper, checked against the logit itself and against centred differences."""

import numpy as np
import pytest

from visualtrainer.core import Network
from visualtrainer.core.attribution import attribute, pixel_map, top_regions


def _pictures(k=6, seed=0):
    rng = np.random.RandomState(seed)
    return rng.randint(0, 256, (4 * 5 * 3, k)).astype(np.uint8), rng.randint(0, 2, (1, k))


def test_logistic_regression_contributions_sum_to_the_logit_minus_the_bias():
    X, Y = _pictures()
    net = Network((60, 1), init="xavier", random_state=3, dtype="float64").initialize()
    net.params_["b1"][:] = 0.37
    found = attribute(net.layer_dims, net.activations, net.params_, X)
    z = (net.params_["W1"] @ (X / 255.0) + 0.37)[0]
    assert found.exact
    np.testing.assert_array_equal(found.classes, (z > 0).astype(int))
    sign = np.where(z > 0, 1.0, -1.0)
    np.testing.assert_allclose(found.logits, sign * z, rtol=1e-12)
    np.testing.assert_allclose(found.contributions.sum(axis=0), found.logits - found.bias, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(found.contributions, sign * net.params_["W1"].T * (X / 255.0), rtol=1e-12)
    assert (found.logits > 0).all()  # signed towards the predicted class


def test_a_relu_network_without_biases_is_explained_whole():
    """z of a ReLU network with b = 0 is homogeneous in x: Σ x_i·∂z/∂x_i = z (Euler)."""
    X, _ = _pictures(seed=1)
    net = Network((60, 8, 5, 1), hidden_activation="relu", init="he", random_state=2, dtype="float64").initialize()
    found = attribute(net.layer_dims, net.activations, net.params_, X)
    assert not found.exact
    np.testing.assert_allclose(found.contributions.sum(axis=0), found.logits, rtol=1e-10)


@pytest.mark.parametrize("hidden, output", [("tanh", "sigmoid"), ("sigmoid", "softmax"), ("leaky_relu", "sigmoid")])
def test_gradient_times_input_against_centred_differences(hidden, output):
    rng = np.random.RandomState(5)
    X = rng.randn(6, 4)
    n_y = 3 if output == "softmax" else 1
    net = Network((6, 5, 4, n_y), hidden_activation=hidden, output=output, random_state=4,
                  dtype="float64").initialize()
    for l in (1, 2, 3):
        net.params_[f"b{l}"][:] = rng.randn(*net.params_[f"b{l}"].shape)
    found = attribute(net.layer_dims, net.activations, net.params_, X)

    def logit(x, j):
        Z = net.forward_layers(x.reshape(-1, 1))[-1][0][:, 0]
        if output == "softmax":
            return Z[found.classes[j]]
        return Z[0] if found.classes[j] == 1 else -Z[0]

    eps = 1e-6
    for j in range(X.shape[1]):
        assert logit(X[:, j], j) == pytest.approx(found.logits[j], rel=1e-12)
        grad = np.array([(logit(X[:, j] + eps * e, j) - logit(X[:, j] - eps * e, j)) / (2 * eps) for e in np.eye(6)])
        np.testing.assert_allclose(found.contributions[:, j], X[:, j] * grad, rtol=1e-6, atol=1e-9)


def test_pixels_sum_their_channels_in_the_course_files_order():
    contributions = np.arange(2 * 60, dtype=float).reshape(2, 60).T  # (n_x, k): feature (row·5 + col)·3 + channel
    maps = pixel_map(contributions, (4, 5, 3))
    assert maps.shape == (2, 4, 5)
    assert maps[0, 1, 2] == (7 * 3) * 3 + 3  # features 21, 22, 23
    assert maps[1, 0, 0] == 60 + 61 + 62


def test_the_heaviest_regions_come_first_with_their_bounds():
    values = np.zeros((20, 20))
    values[2:5, 3:7] = 1.0  # a large block of evidence
    values[14:16, 14:16] = 2.0  # a smaller one, stronger per pixel
    values[10, 0] = -5.0  # evidence against: never a region
    regions = top_regions(values, count=3, share=0.6, radius=0)
    assert [region[:4] for region in regions] == [(2, 3, 5, 7), (14, 14, 16, 16)]
    assert regions[0][4] == pytest.approx(12.0) and regions[1][4] == pytest.approx(8.0)
    assert top_regions(-np.ones((8, 8))) == []
    for top, left, bottom, right, _ in top_regions(values, count=3, share=0.3, radius=1):
        # each within a pixel (the smoothing) of one of the two blocks
        assert any(abs(top - t) <= 1 and abs(left - lf) <= 1 and abs(bottom - b) <= 1 and abs(right - r) <= 1
                   for t, lf, b, r in ((2, 3, 5, 7), (14, 14, 16, 16)))
