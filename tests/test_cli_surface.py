"""`visualtrainer surface`: the grid of costs, the axes and the path as JSON, a PNG, and clear errors."""

import json

import numpy as np
import pytest
from PIL import Image

from visualtrainer import cli
from visualtrainer.core import load_model


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


TUMOR = ("--dataset", "tumor", "--hidden", "", "--init", "zeros", "--lr", "1.0", "--iterations", "300",
         "--dtype", "float64")


def test_two_parameter_surface_is_the_exact_cost_and_the_path_ends_at_the_trained_weights(capsys, tmp_path):
    code, out, _ = run(capsys, "surface", *TUMOR, "--directions", "weights", "--grid", "15",
                       "--json", str(tmp_path / "s.json"))
    assert code == 0 and "plane: w = W1[0,0] × b = b1[0]; 15×15 grid" in out
    report = json.loads((tmp_path / "s.json").read_text())
    assert run(capsys, "train", *TUMOR, "--save", str(tmp_path / "m.npz"))[0] == 0
    net, _ = load_model(tmp_path / "m.npz")
    w_end, b_end = float(net.params_["W1"][0, 0]), float(net.params_["b1"][0, 0])
    np.testing.assert_allclose(report["path"][-1], [w_end, b_end], atol=1e-12)
    np.testing.assert_allclose(report["path"][0], [0.0, 0.0], atol=1e-12)
    assert report["path_iterations"][0] == 0 and report["path_iterations"][-1] == 300
    w_axis, b_axis = np.array(report["axis1"]), np.array(report["axis2"])
    assert w_axis[7] == pytest.approx(w_end) and b_axis[7] == pytest.approx(b_end)  # centred on the end
    from visualtrainer.data import load_dataset

    data = load_dataset("tumor")
    x, y = data.X_train[0], data.Y_train[0]
    costs = np.array(report["costs"])
    for j in (0, 5, 14):
        for i in (0, 9, 14):
            z = w_axis[i] * x + b_axis[j]
            assert costs[j, i] == pytest.approx(np.mean(np.logaddexp(0, z) - y * z), abs=1e-12)
    assert report["kind"] == "weights" and report["explained_variance"] is None
    assert isinstance(report["seconds"], float) and report["seconds"] >= 0  # a duration, whatever the machine's speed


def test_linear_regression_on_one_feature_draws_half_the_mean_squared_error_exactly(capsys, tmp_path):
    code, out, _ = run(capsys, "surface", "--dataset", "house", "--hidden", "", "--lr", "0.1", "--iterations", "200",
                       "--init", "zeros", "--dtype", "float64", "--grid", "9", "--json", str(tmp_path / "h.json"))
    assert code == 0 and "plane: w = W1[0,0] × b = b1[0]" in out  # two parameters: exact, without being asked
    report = json.loads((tmp_path / "h.json").read_text())
    from visualtrainer.data import load_dataset

    data = load_dataset("house")
    x, y = data.X_train[0], data.Y_train[0]
    costs = np.array(report["costs"])
    for j, b in enumerate(report["axis2"]):
        for i, w in enumerate(report["axis1"]):
            assert costs[j, i] == pytest.approx(0.5 * np.mean((w * x + b - y) ** 2), rel=1e-12)


def test_pca_surface_with_a_picture(capsys, tmp_path):
    png = tmp_path / "flower.png"
    code, out, _ = run(capsys, "surface", "--dataset", "flower", "--lr", "1.2", "--init", "small",
                       "--iterations", "400", "--grid", "21", "--png", str(png), "--json", str(tmp_path / "f.json"))
    assert code == 0 and f"wrote {png}" in out
    report = json.loads((tmp_path / "f.json").read_text())
    shares = report["explained_variance"]
    assert 1.0 >= shares[0] >= shares[1] >= 0 and shares[0] + shares[1] <= 1.0 + 1e-12
    assert report["labels"][0].startswith("PC1 (") and np.allclose(report["path"][-1], [0, 0], atol=1e-9)
    assert len(report["path"]) > 100
    picture = Image.open(png)
    assert picture.size == (900, 700)
    assert len(picture.convert("RGB").getcolors(maxcolors=1 << 20)) > 200  # a heatmap, not a blank


def test_named_weights_and_random_directions(capsys, tmp_path):
    code, out, _ = run(capsys, "surface", "--dataset", "moons", "--hidden", "3", "--lr", "0.5", "--iterations", "50",
                       "--grid", "5", "--directions", "weights:W1[2,1],b2[0]", "--json", str(tmp_path / "w.json"))
    assert code == 0 and "plane: W1[2,1] × b2[0]" in out
    code, out, _ = run(capsys, "surface", "--dataset", "moons", "--hidden", "3", "--lr", "0.5", "--iterations", "50",
                       "--grid", "5", "--directions", "random", "--span", "0.5", "--json", str(tmp_path / "r.json"))
    report = json.loads((tmp_path / "r.json").read_text())
    assert code == 0 and report["axis1"][0] == -0.5 and report["axis2"][-1] == 0.5
    assert report["labels"] == ["random direction 1", "random direction 2"]


@pytest.mark.parametrize("argv, message", [
    (["--directions", "sideways"], "--directions takes pca, random, weights or weights:NAME,NAME; got 'sideways'"),
    (["--directions", "pca:W1[0,0],b1[0]"], "only weights takes parameter names"),
    (["--directions", "weights:W1[0,0]"], "weights: takes two parameter names separated by a comma"),
    (["--directions", "weights:W1[0,0],W9[0,0]"], "'W9[0,0]': the network's layers with parameters are 1 to 2"),
    (["--directions", "weights:W1[0,0],W1[0,5]"], r"'W1[0,5]' is outside W1, which is 4×2"),
    (["--directions", "weights:b1[1],b1[1]"], "pick two different parameters; both are b1[1]"),
    (["--grid", "1"], "--grid must be > 1; got 1"),
    (["--span", "-2"], "--span must be > 0; got -2"),
    (["--init", "zeros", "--directions", "random"], "every weight is zero"),
])
def test_bad_surface_options_get_one_line_and_exit_2(capsys, argv, message):
    code, out, err = run(capsys, "surface", "--iterations", "3", "--grid", "5", *argv)
    assert code == 2 and message in err and err.count("\n") == 1 and "Traceback" not in err
