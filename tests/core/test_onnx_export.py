"""An exported ONNX model, run by onnxruntime, gives what the network's own predict_proba gives."""

import itertools
import json

import numpy as np
import onnx
import onnxruntime
import pytest

from visualtrainer.core import Network
from visualtrainer.core.onnx_export import export_onnx, onnx_model

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu"]
OUTPUTS = {"sigmoid": 1, "softmax": 3, "linear": 2}  # output -> n_y
#: float64 agrees to rounding; float32 to 1e-5 (the kernels and onnxruntime sum in different orders).
ATOL = {"float32": 1e-5, "float64": 1e-12}


def _data(output, n_x=5, m=40, seed=0):
    """X (n_x, m) and labels Y for ``output``: 0/1 (1, m), classes 0..2 (1, m), or real numbers (2, m)."""
    rng = np.random.RandomState(seed)
    X = rng.randn(n_x, m)
    if output == "sigmoid":
        return X, (X[0:1] * X[1:2] > 0).astype(np.int64)
    if output == "softmax":
        return X, (X[0:1] > 0).astype(np.int64) + (X[1:2] > 0.5)
    return X, np.vstack([X[0] - X[1], np.tanh(X[2])])


def _session(path):
    return onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def _run(path, XT):
    return _session(path).run(["probabilities"], {"X": XT})[0]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("hidden, output", list(itertools.product(HIDDEN, OUTPUTS)))
def test_onnx_model_matches_predict_proba_for_every_activation(tmp_path, hidden, output, dtype):
    X, Y = _data(output)
    net = Network((5, 4, 3, OUTPUTS[output]), hidden_activation=[hidden, "tanh"], output=output, dtype=dtype,
                  learning_rate=0.1, random_state=0).fit(X, Y, 20)
    export_onnx(net, tmp_path / "net.onnx")
    got = _run(tmp_path / "net.onnx", np.ascontiguousarray(X.T, dtype=dtype))
    assert got.dtype == np.dtype(dtype) and got.shape == (40, OUTPUTS[output])
    np.testing.assert_allclose(got, net.predict_proba(X).T, rtol=0, atol=ATOL[dtype])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("layer_dims, hidden, output", [
    ((5, 1), [], "sigmoid"),  # logistic regression: no hidden layer
    ((5, 3), [], "softmax"),
    ((5, 6, 1), "leaky_relu", "sigmoid"),
    ((5, 6, 4, 3, 3), ["relu", "sigmoid", "leaky_relu"], "softmax"),
])
def test_onnx_model_matches_predict_proba_for_any_depth(tmp_path, layer_dims, hidden, output, dtype):
    X, Y = _data(output)
    net = Network(layer_dims, hidden_activation=hidden, output=output, dtype=dtype, learning_rate=0.1,
                  random_state=1).fit(X, Y, 20)
    export_onnx(net, tmp_path / "net.onnx")
    got = _run(tmp_path / "net.onnx", np.ascontiguousarray(X.T, dtype=dtype))
    np.testing.assert_allclose(got, net.predict_proba(X).T, rtol=0, atol=ATOL[dtype])


def test_a_hand_worked_network_gives_the_hand_worked_probability(tmp_path):
    # z = 1·1 − 2·1 + 0.5 = −0.5 and σ(−0.5) = 1 / (1 + e^0.5); z = 1·3 − 2·0 + 0.5 = 3.5.
    net = Network((2, 1), dtype="float64").set_weights({"W1": [[1.0, -2.0]], "b1": [[0.5]]})
    export_onnx(net, tmp_path / "net.onnx")
    got = _run(tmp_path / "net.onnx", np.array([[1.0, 1.0], [3.0, 0.0]]))
    np.testing.assert_allclose(got, [[0.3775406687981454], [0.9706877692486436]], rtol=0, atol=1e-15)


def test_the_batch_size_is_free(tmp_path):
    X, Y = _data("softmax", m=50)
    net = Network((5, 4, 3), output="softmax", random_state=0).fit(X, Y, 20)
    export_onnx(net, tmp_path / "net.onnx")
    session = _session(tmp_path / "net.onnx")
    XT = np.ascontiguousarray(X.T, dtype=np.float32)
    for rows in (slice(0, 1), slice(0, 7), slice(None)):
        got = session.run(None, {"X": XT[rows]})[0]
        np.testing.assert_allclose(got, net.predict_proba(X[:, rows]).T, rtol=0, atol=1e-5)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_the_pixel_model_takes_uint8_and_scales_by_1_over_255_inside(tmp_path, dtype):
    rng = np.random.RandomState(3)
    X = rng.randint(0, 256, size=(12, 30)).astype(np.uint8)
    Y = (X[0:1] > X[1:2]).astype(np.int64)
    net = Network((12, 5, 1), hidden_activation="relu", dtype=dtype, learning_rate=0.1, random_state=0).fit(X, Y, 20)
    expected = net.predict_proba(X).T  # Network reads a uint8 X as pixels and scales it by 1/255 itself
    export_onnx(net, tmp_path / "pixels.onnx", pixels=True)
    inputs = _session(tmp_path / "pixels.onnx").get_inputs()
    assert [(i.name, i.type, i.shape) for i in inputs] == [("X", "tensor(uint8)", ["m", 12])]
    np.testing.assert_allclose(_run(tmp_path / "pixels.onnx", np.ascontiguousarray(X.T)), expected, rtol=0,
                               atol=ATOL[dtype])
    # The float model wants the pixels divided by 255 first.
    export_onnx(net, tmp_path / "floats.onnx")
    np.testing.assert_allclose(_run(tmp_path / "floats.onnx", (X.T / 255.0).astype(dtype)), expected, rtol=0,
                               atol=ATOL[dtype])


def test_the_model_names_its_input_output_layers_and_classes(tmp_path):
    X, Y = _data("sigmoid")
    net = Network((5, 4, 3, 1), hidden_activation=["relu", "tanh"], output="sigmoid", random_state=0).fit(X, Y, 20)
    export_onnx(net, tmp_path / "net.onnx", class_names=["non-cat", "cat"])
    model = onnx.load(tmp_path / "net.onnx")
    onnx.checker.check_model(model, full_check=True)
    assert model.producer_name == "visualtrainer"
    assert "dense 4, relu -> dense 3, tanh -> dense 1, sigmoid" in model.doc_string
    metadata = {prop.key: prop.value for prop in model.metadata_props}
    assert json.loads(metadata["class_names"]) == ["non-cat", "cat"]
    assert json.loads(metadata["layer_dims"]) == [5, 4, 3, 1]
    assert json.loads(metadata["activations"]) == ["relu", "tanh", "sigmoid"]
    assert metadata["dtype"] == "float32" and metadata["input"] == "float32" and metadata["n_iter"] == "20"
    session = _session(tmp_path / "net.onnx")
    assert [(i.name, i.type, i.shape) for i in session.get_inputs()] == [("X", "tensor(float)", ["m", 5])]
    assert [(o.name, o.type, o.shape) for o in session.get_outputs()] == [("probabilities", "tensor(float)", ["m", 1])]


def test_onnx_model_returns_what_export_onnx_writes(tmp_path):
    X, Y = _data("softmax")
    net = Network((5, 3), output="softmax", dtype="float64", random_state=0).fit(X, Y, 20)
    written = export_onnx(net, tmp_path / "net.onnx", class_names=["a", "b", "c"])
    assert onnx.load(tmp_path / "net.onnx") == written == onnx_model(net, ["a", "b", "c"])


def test_an_untrained_network_is_refused():
    with pytest.raises(ValueError, match=r"Network is not trained yet; call fit\(\) or load weights before exporting"):
        onnx_model(Network((5, 4, 1)))


@pytest.mark.parametrize("layer_dims, output, names, message", [
    ((5, 1), "sigmoid", ["cat"], r"class_names must hold 2 names for a sigmoid output with n_y = 1.*got 1: \['cat'\]"),
    ((5, 3), "softmax", ["a", "b"], r"class_names must hold 3 names for a softmax output with n_y = 3"),
    ((5, 2), "linear", ["a", "b"], r"class_names are for a sigmoid or softmax output; this network's output is linear"),
])
def test_class_names_that_do_not_fit_the_output_are_refused(layer_dims, output, names, message):
    X, Y = _data(output)
    net = Network(layer_dims, output=output, random_state=0).fit(X, Y if output != "linear" else Y[:2], 2)
    with pytest.raises(ValueError, match=message):
        onnx_model(net, names)
