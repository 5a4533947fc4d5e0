"""The cost over a plane of parameter space: the fast evaluation against direct ones, the planes' geometry."""

import itertools

import numpy as np
import pytest

from tests.core.problems import random_problem
from visualtrainer.core import Network, iter_training
from visualtrainer.core.planes import whole_percent
from visualtrainer.core.surface import (CostSlicer, compute_surface, flat_parameters, grid_range, make_plane,
                                        moving_parameters, parameter_index, parameter_names, pca_plane, project,
                                        random_plane, weight_plane)
from visualtrainer.data import load_dataset

OUTPUT_LOSS = [("sigmoid", "cross_entropy"), ("softmax", "cross_entropy"), ("sigmoid", "mse"), ("linear", "mse")]
HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu"]


def _trained(layer_dims, hidden="tanh", output="sigmoid", loss=None, l2=0.0, pixels=False, iterations=30, seed=0):
    n_y = layer_dims[-1]
    X, Y = random_problem(output, n_y, seed, layer_dims[0], m=23, pixels=pixels)
    net = Network(layer_dims, hidden_activation=hidden, output=output, loss=loss, l2=l2, dtype="float64",
                  learning_rate=0.5 if not pixels else 0.05, random_state=seed)
    net.initialize()
    return net, X, Y, _record(net, X, Y, iterations, 3)


def _record(net, X, Y, iterations, every):
    """Train ``iterations`` more, keeping θ every ``every`` iterations (and at the start)."""
    path = [net.theta_.astype(np.float64)]
    for _ in range(iterations // every):
        for snap in iter_training(net, X, Y, every):
            pass
        path.append(flat_parameters(snap.params, net.L))
    return np.array(path)


def _numpy_cost(net, X, Y, theta):
    """J(θ) in plain numpy, from the definitions (independent of every kernel)."""
    net2 = Network(**net.get_params())
    net2.initialize()
    net2.theta_[:] = theta
    AL = net2.forward_layers(X)[-1][1]
    Y = np.asarray(Y, dtype=np.float64)
    if net.output == "softmax":
        Y = np.eye(AL.shape[0])[Y[0].astype(int)].T
    m = X.shape[1]
    if (net.loss or ("mse" if net.output == "linear" else "cross_entropy")) == "mse":
        J = 0.5 * np.sum((AL - Y) ** 2) / m
    elif net.output == "softmax":
        J = -np.sum(Y * np.log(AL)) / m
    else:
        J = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m
    squares = sum(np.sum(net2.params_[f"W{l}"] ** 2) for l in range(1, net.L + 1))
    return J + net.l2 / (2 * m) * squares


def test_a_surface_carries_the_projection_its_path_was_projected_with():
    """The window projects each new point of the path with ``surface.projection``, set up where the surface is
    computed: it maps the path's points to the surface's path, and a point on the plane to its offsets."""
    from dataclasses import replace

    net, X, Y, path = _trained((3, 5, 1), "tanh", "sigmoid", None)
    plane = make_plane("pca", net, path, seed=4)
    surface = compute_surface(CostSlicer(net, X, Y), plane, path, grid=5)
    np.testing.assert_allclose(surface.projection(path), surface.path, rtol=0, atol=1e-12)
    point = surface.centre + 0.3 * plane.d1 - 0.2 * plane.d2
    np.testing.assert_allclose(surface.projection([point]), [[0.3, -0.2]], atol=1e-9)
    copy = replace(surface, projection=None)  # a surface made otherwise (read back, say) works its own out
    assert copy.projection is not surface.projection
    np.testing.assert_allclose(copy.projection(path), surface.path, rtol=0, atol=1e-12)


@pytest.mark.parametrize("kind", ["weights", "pca", "random"])
@pytest.mark.parametrize("output_loss, hidden", list(itertools.product(OUTPUT_LOSS, HIDDEN)))
def test_fast_surface_equals_a_full_pass_at_every_grid_point(kind, output_loss, hidden):
    output, loss = output_loss
    n_y = 3 if output == "softmax" else 1
    net, X, Y, path = _trained((3, 5, 4, n_y), hidden, output, loss, l2=0.3)
    slicer = CostSlicer(net, X, Y)
    plane = make_plane(kind, net, path, seed=4)
    surface = compute_surface(slicer, plane, path, grid=9, span=None)
    direct = np.array([[slicer.direct_cost(surface.centre + a * plane.d1 + b * plane.d2) for a in surface.alphas]
                       for b in surface.betas])
    np.testing.assert_allclose(surface.costs, direct, rtol=0, atol=1e-9)
    # and a few points against plain numpy, from the definitions
    for j, i in [(0, 0), (4, 7), (8, 8)]:
        theta = surface.centre + surface.alphas[i] * plane.d1 + surface.betas[j] * plane.d2
        assert surface.costs[j, i] == pytest.approx(_numpy_cost(net, X, Y, theta), abs=1e-9)


@pytest.mark.parametrize("layer_dims", [(40, 1), (40, 6, 1), (40, 5, 3, 1)])
def test_pixels_read_as_uint8_give_the_same_surface_as_a_full_pass(layer_dims):
    net, X, Y, path = _trained(layer_dims, "relu", pixels=True)
    slicer = CostSlicer(net, X, Y)
    for kind in ("pca", "random", "weights"):
        plane = make_plane(kind, net, path, seed=1)
        surface = compute_surface(slicer, plane, path, grid=6)
        direct = np.array([[_numpy_cost(net, X, Y, surface.centre + a * plane.d1 + b * plane.d2)
                            for a in surface.alphas] for b in surface.betas])
        np.testing.assert_allclose(surface.costs, direct, rtol=0, atol=1e-9)


@pytest.mark.parametrize("layer_dims", [(3, 4, 1), (600, 5, 1)])
def test_the_first_layers_stacked_pass_reads_labels_of_its_own_shape(layer_dims):
    """The three first layers (θc, d1, d2) go through one engine of 3·n[1] outputs: it reads a row of labels for
    each, which the kernels do not check. With the network's one row of labels, that read past the array's end (a
    segfault, now and then, in a full test run)."""
    from visualtrainer.core.engine import Engine
    from visualtrainer.core.layout import Layout

    net, X, Y, path = _trained(layer_dims, "relu", pixels=layer_dims[0] > 512)
    slicer = CostSlicer(net, X, Y)
    stacked = slicer._stacked
    assert stacked.problem.Y.shape == (3 * layer_dims[1], X.shape[1])
    assert stacked.problem.data.Y is stacked.problem.Y
    assert slicer.engine.problem.Y.shape == (1, X.shape[1])  # the network's own, untouched
    with pytest.raises(ValueError, match=r"labels of shape \(1, \d+\) for a network of 15 outputs"):
        Engine(Layout.of((layer_dims[0], 15)), [0], "mse", slicer.engine.problem)


def test_the_surface_at_its_centre_is_the_networks_cost():
    net, X, Y, path = _trained((3, 4, 1), l2=0.1)
    slicer = CostSlicer(net, X, Y)
    for kind in ("weights", "pca", "random"):
        plane = make_plane(kind, net, path, seed=2)
        costs = slicer.costs(path[-1], plane, np.array([-0.5, 0.0, 0.5]), np.array([0.0, 0.25]))
        assert costs[0, 1] == pytest.approx(net.cost(X, Y), abs=1e-12)


def test_a_single_parameter_direction_is_that_parameter_changed_by_hand():
    net, X, Y, path = _trained((3, 4, 2, 1), "sigmoid", l2=0.2)
    slicer = CostSlicer(net, X, Y)
    plane = weight_plane(net.layer_dims, ["W2[1,3]", "b1[2]"])
    steps = np.linspace(-2, 2, 5)
    costs = slicer.costs(net.theta_, plane, steps, np.zeros(1))
    for step, cost in zip(steps, costs[0]):
        params = {key: value.copy() for key, value in net.params_.items()}
        params["W2"][1, 3] += step
        changed = Network(**net.get_params()).set_weights(params)
        assert cost == pytest.approx(changed.cost(X, Y), abs=1e-10)
    costs = slicer.costs(net.theta_, plane, np.zeros(1), steps)
    params = {key: value.copy() for key, value in net.params_.items()}
    params["b1"][2, 0] += steps[0]
    assert costs[0, 0] == pytest.approx(Network(**net.get_params()).set_weights(params).cost(X, Y), abs=1e-10)


def test_two_parameter_model_is_drawn_whole_in_its_own_values():
    data = load_dataset("tumor", test_fraction=0.0)
    net = Network((1, 1), learning_rate=1.0, dtype="float64", init="zeros", random_state=0)
    net.initialize()
    path = _record(net, data.X_train, data.Y_train, 300, 10)
    plane = make_plane("weights", net, path)
    assert plane.labels == ("w = W1[0,0]", "b = b1[0]")
    surface = compute_surface(CostSlicer(net, data.X_train, data.Y_train), plane, path, grid=21)
    a_lo, a_hi, b_lo, b_hi = surface.extent
    w_axis = np.linspace(a_lo, a_hi, 21)
    b_axis = np.linspace(b_lo, b_hi, 21)
    x, y = data.X_train[0], data.Y_train[0]
    for j, b in enumerate(b_axis):
        for i, w in enumerate(w_axis):
            z = w * x + b
            J = np.mean(np.logaddexp(0, z) - y * z)  # −y·log σ(z) − (1 − y)·log(1 − σ(z))
            assert surface.costs[j, i] == pytest.approx(J, abs=1e-12)
    # the path starts at w = b = 0 (zeros) and ends where training stopped, in axis values
    shown = surface.path + np.asarray(surface.origin)
    np.testing.assert_allclose(shown[0], [0.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(shown[-1], [net.theta_[0], net.theta_[1]], atol=1e-12)
    assert a_lo < 0 < net.theta_[0] < a_hi and b_lo < 0 < b_hi  # the grid holds the whole path
    assert (a_lo + a_hi) / 2 == pytest.approx(net.theta_[0]) and (b_lo + b_hi) / 2 == pytest.approx(net.theta_[1])
    # a bowl: after a long descent the least cost of the grid sits at its centre, where training ended
    j, i = np.unravel_index(np.argmin(surface.costs), surface.costs.shape)
    assert (j, i) == (10, 10)


def test_pca_plane_is_orthonormal_and_explains_the_paths_variance():
    net, X, Y, path = _trained((3, 5, 1), iterations=40)
    plane = pca_plane(path)
    D = np.stack([plane.d1, plane.d2])
    np.testing.assert_allclose(D @ D.T, np.eye(2), atol=1e-10)
    centred = path - path.mean(axis=0)
    singular = np.linalg.svd(centred, compute_uv=False)
    share = singular**2 / np.sum(singular**2)
    np.testing.assert_allclose(plane.explained, share[:2], rtol=1e-8)
    _, _, Vt = np.linalg.svd(centred, full_matrices=False)
    assert abs(Vt[0] @ plane.d1) == pytest.approx(1.0, abs=1e-8)
    assert plane.labels == tuple(f"PC{k + 1} ({round(100 * share[k])}% of the path)" if 0.01 <= share[k] <= 0.99
                                 else plane.labels[k] for k in range(2))
    assert all(label.startswith(f"PC{k + 1} (") and label.endswith("% of the path)")
               for k, label in enumerate(plane.labels))


@pytest.mark.parametrize("share, text", [(0.0, "0%"), (1e-9, "under 1%"), (0.0099, "under 1%"), (0.01, "1%"),
                                         (0.274, "27%"), (0.276, "28%"), (0.99, "99%"), (0.9901, "over 99%"),
                                         (1.0, "over 99%")])
def test_whole_percent_rounds_and_marks_the_ends(share, text):
    assert whole_percent(share) == text


def test_pca_plane_of_a_short_path_fills_in_an_orthogonal_direction():
    straight = np.outer(np.arange(3.0), np.ones(6))
    plane = pca_plane(straight)
    assert plane.explained == (pytest.approx(1.0), 0.0)
    assert abs(plane.d1 @ plane.d2) < 1e-12 and np.linalg.norm(plane.d2) == pytest.approx(1.0)
    one = pca_plane(np.ones((1, 6)))
    assert one.explained == (0.0, 0.0) and abs(one.d1 @ one.d2) < 1e-12


def test_projected_path_ends_at_the_centre_and_points_on_the_plane_come_back():
    net, X, Y, path = _trained((3, 4, 1))
    for plane in (pca_plane(path), random_plane(path[-1], net.layer_dims, seed=3)):
        xy = project(path, path[-1], plane)
        np.testing.assert_allclose(xy[-1], [0.0, 0.0], atol=1e-12)
        on_plane = path[0] + 0.3 * plane.d1 - 1.7 * plane.d2
        np.testing.assert_allclose(project(on_plane, path[0], plane)[0], [0.3, -1.7], atol=1e-10)


def test_random_plane_is_scaled_neuron_by_neuron_and_leaves_biases_out():
    net, X, Y, path = _trained((3, 4, 2, 1))
    plane = random_plane(net.theta_, net.layer_dims, seed=5)
    other = random_plane(net.theta_, net.layer_dims, seed=6)
    assert not np.allclose(plane.d1, other.d1) and not np.allclose(plane.d1, plane.d2)
    for d in (plane.d1, plane.d2):
        for l in range(1, net.L + 1):
            start = parameter_index(f"W{l}[0,0]", net.layer_dims)
            W = net.params_[f"W{l}"]
            D = d[start : start + W.size].reshape(W.shape)
            np.testing.assert_allclose(np.linalg.norm(D, axis=1), np.linalg.norm(W, axis=1), rtol=1e-12)
            bias = parameter_index(f"b{l}[0]", net.layer_dims)
            assert not np.any(d[bias : bias + W.shape[0]])
    with pytest.raises(ValueError, match="every weight is zero"):
        random_plane(np.zeros_like(net.theta_), net.layer_dims)


def test_parameter_names_index_the_flat_vector_as_params_does():
    net = Network((3, 4, 2), random_state=0).initialize()
    names = parameter_names(net.layer_dims)
    assert len(names) == net.theta_.size and names[:2] == ["W1[0,0]", "W1[0,1]"] and names[12] == "b1[0]"
    for index, name in enumerate(names):
        assert parameter_index(name, net.layer_dims) == index
    net.theta_[parameter_index("W2[1,3]", net.layer_dims)] = 42.0
    net.theta_[parameter_index("b2[1]", net.layer_dims)] = -7.0
    assert net.params_["W2"][1, 3] == 42.0 and net.params_["b2"][1, 0] == -7.0
    assert parameter_index("W[2][1,3]", net.layer_dims) == parameter_index("W2[1, 3]", net.layer_dims)
    assert parameter_index("b2[1,0]", net.layer_dims) == parameter_index("b2[1]", net.layer_dims)


@pytest.mark.parametrize("name, message", [
    ("w1", r"'w1' is not a parameter name; write a weight as W<layer>\[<row>,<column>\]"),
    ("W3[0,0]", r"'W3\[0,0\]': the network's layers with parameters are 1 to 2"),
    ("W1[4,0]", r"'W1\[4,0\]' is outside W1, which is 4×3"),
    ("W1[0,3]", r"outside W1, which is 4×3"),
    ("b2[2]", r"'b2\[2\]' is outside b2, which is 2×1"),
    ("W1[0]", r"a weight needs a row and a column, e.g. W1\[0,0\]"),
    ("b1[0,1]", r"b1 has one column; write b1\[0\]"),
])
def test_bad_parameter_names_say_what_is_wrong(name, message):
    with pytest.raises(ValueError, match=message):
        parameter_index(name, (3, 4, 2))


def test_weight_plane_needs_two_different_parameters():
    with pytest.raises(ValueError, match="pick two different parameters; both are W1\\[0,1\\]"):
        weight_plane((3, 4, 1), ["W1[0,1]", "W1[0,1]"])
    with pytest.raises(ValueError, match="a plane needs two parameters; got 1"):
        weight_plane((3, 4, 1), ["W1[0,1]"])


def test_moving_parameters_are_the_two_with_the_widest_range():
    path = np.array([[0, 0, 0, 0], [1, 0.1, -3, 0], [0.5, 0, -1, 2.5]], dtype=float)
    assert moving_parameters(path) == [2, 3]


def test_grid_range_is_centred_and_holds_the_path_with_a_margin():
    xy = np.array([[4.0, -1.0], [2.0, -0.5], [0.0, 0.0]])
    np.testing.assert_allclose(grid_range(xy), (-5.0, 5.0, -1.25, 1.25))
    np.testing.assert_allclose(grid_range(np.array([[4.0, 0.01], [0, 0]])), (-5.0, 5.0, -0.5, 0.5))  # a tenth
    assert grid_range(xy, span=2.0) == (-2.0, 2.0, -2.0, 2.0)
    assert grid_range(np.zeros((1, 2))) == (-1.25, 1.25, -1.25, 1.25)
    with pytest.raises(ValueError, match="span must be a positive number"):
        grid_range(xy, span=0.0)


def test_surface_reports_plain_values_for_json():
    net, X, Y, path = _trained((3, 4, 1))
    surface = compute_surface(CostSlicer(net, X, Y), make_plane("pca", net, path), path, grid=5)
    report = surface.to_dict()
    assert report["kind"] == "pca" and len(report["axis1"]) == len(report["axis2"]) == 5
    assert np.array(report["costs"]).shape == (5, 5) and len(report["path"]) == len(path)
    assert report["explained_variance"][0] >= report["explained_variance"][1] >= 0
    assert report["seconds"] > 0


def test_path_recorder_thins_evenly_and_always_ends_at_the_latest_point():
    from visualtrainer.core.surface import PathRecorder

    recorder = PathRecorder(3, max_points=8, min_points=2)
    assert recorder.capacity == 8 and len(recorder) == 0 and recorder.latest is None
    for it in range(0, 101):
        recorder.add(it, [it, 2 * it, -it])
    its = recorder.iterations
    assert its[0] == 0 and its[-1] == 100 and len(its) <= 9
    gaps = np.diff(its[:-1])
    assert gaps.min() == gaps.max() == recorder.stride  # evenly spread over the run
    assert its[-2] + recorder.stride > 100 - recorder.stride
    np.testing.assert_array_equal(recorder.points[:, 0], its)
    np.testing.assert_array_equal(recorder.points[-1], [100, 200, -100])
    its_after, points_after = recorder.after(its[-3])
    np.testing.assert_array_equal(its_after, its[-2:])
    np.testing.assert_array_equal(points_after[:, 0], its[-2:])
    assert recorder.after(100)[0].size == 0
    with pytest.raises(ValueError, match="θ has 2 parameters; the path holds 3"):
        recorder.add(101, [1, 2])
    assert PathRecorder(10**6, max_bytes=80 * 10**6).capacity == 16  # at least min_points
    assert PathRecorder(10, max_bytes=10**9).capacity == 400


def test_pca_of_a_long_path_of_a_large_network_uses_an_even_subsample_with_the_last_point():
    from visualtrainer.core.planes import _subsample

    path = np.arange(300 * 5000, dtype=float).reshape(300, 5000)
    picked = _subsample(path, 2e8)
    assert len(picked) == 200 and picked[0][0] == 0 and picked[-1][0] == path[-1, 0]
    assert _subsample(path[:10], 2e8) is not None and len(_subsample(path[:10], 2e8)) == 10
    assert len(_subsample(np.zeros((400, 86_000)), 2e8)) == 48
    assert len(_subsample(np.zeros((400, 86_000)), 5e7)) == 24


def test_pca_of_a_path_in_many_blocks_matches_the_whole_matrix_svd(monkeypatch):
    """The blocked Gram matrix and directions agree with an SVD of the stacked, centred path (float32 points,
    ten blocks of 100 parameters)."""
    from visualtrainer.core import planes
    from visualtrainer.core.planes import _centred_blocks

    monkeypatch.setattr(planes, "PCA_BLOCK_BYTES", 30 * 8 * 100)
    rng = np.random.RandomState(5)
    path = np.cumsum(rng.randn(30, 1000) * np.linspace(3, 0.1, 1000), axis=0).astype(np.float32)
    rows = list(path)
    assert len(list(_centred_blocks(rows))) == 10
    plane = pca_plane(rows)
    centred = path.astype(np.float64) - path.astype(np.float64).mean(axis=0)
    _, singular, Vt = np.linalg.svd(centred, full_matrices=False)
    np.testing.assert_allclose(plane.explained, (singular[:2] ** 2) / np.sum(singular**2), rtol=1e-9)
    assert abs(Vt[0] @ plane.d1) == pytest.approx(1.0, abs=1e-9)
    assert abs(Vt[1] @ plane.d2) == pytest.approx(1.0, abs=1e-9)
