"""The command line: the course's printout, the JSON report, saving, and one clear line for every bad input."""

import json
import subprocess
import sys

import h5py
import numpy as np
import pytest

from visualtrainer import cli
from visualtrainer.core import load_model
from visualtrainer.data import load_dataset


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_course_logistic_regression_from_the_command_line(capsys, tmp_path, cat_train_path):
    code, out, _ = run(capsys, "train", "--dataset", str(cat_train_path), "--hidden", "", "--init", "zeros",
                       "--lr", "0.005", "--iterations", "2000", "--dtype", "float64", "--print-every", "100",
                       "--json", str(tmp_path / "r.json"), "--save", str(tmp_path / "m.npz"))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Cost after iteration 0: 0.693147"
    assert lines[19] == "Cost after iteration 1900: 0.140872"
    assert "train accuracy: 99.04 %" in out and "test accuracy: 70.00 %" in out
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["costs"][1] == [100, pytest.approx(0.584508, abs=5e-7)]
    assert report["train_accuracy"] == pytest.approx(99.04306220095694) and report["test_accuracy"] == 70.0
    assert report["stop_reason"] == "max_iterations" and report["iterations_run"] == 2000
    assert report["config"]["layer_dims"] == [12288, 1]
    assert isinstance(report["seconds"], float) and report["seconds"] >= 0  # a duration, whatever the machine's speed
    net, extra = load_model(tmp_path / "m.npz")
    data = load_dataset(cat_train_path)
    assert net.score(data.X_test, data.Y_test) == 70.0 and extra["classes"] == ["non-cat", "cat"]


def test_flower_with_a_test_split_and_json_nulls_for_regression(capsys, tmp_path):
    code, out, _ = run(capsys, "train", "--dataset", "flower", "--test-fraction", "0.25", "--iterations", "300",
                       "--lr", "1.2", "--print-every", "0", "--json", str(tmp_path / "f.json"))
    report = json.loads((tmp_path / "f.json").read_text())
    assert code == 0 and "Cost after" not in out
    assert report["config"]["m_train"] == 300 and report["config"]["m_test"] == 100
    assert len(report["costs"]) == 300 and report["test_accuracy"] is not None
    code, _, _ = run(capsys, "train", "--dataset", "house", "--hidden", "", "--lr", "0.1", "--iterations", "200",
                     "--json", str(tmp_path / "h.json"))
    report = json.loads((tmp_path / "h.json").read_text())
    assert code == 0 and report["train_accuracy"] is None and report["train_rmse"] < 1.0


def test_divergence_is_reported_not_an_error(capsys, tmp_path):
    code, out, _ = run(capsys, "train", "--dataset", "house", "--hidden", "", "--lr", "9", "--iterations", "500",
                       "--json", str(tmp_path / "d.json"))
    assert code == 0 and "diverged" in out
    assert json.loads((tmp_path / "d.json").read_text())["stop_reason"] == "diverged"


@pytest.mark.parametrize("argv, message", [
    (["--dataset", "flowr"], "unknown dataset 'flowr'; choose one of: flower"),
    (["--dataset", "nothere/train_x.h5"], "nothere/train_x.h5: no such file"),
    (["--lr", "-0.01"], "--lr must be > 0; got -0.01"),
    (["--lr", "fast"], "--lr must be a number; got 'fast'"),
    (["--iterations", "0"], "--iterations must be > 0; got 0"),
    (["--hidden", "4,0"], "--hidden takes layer sizes >= 1"),
    (["--activation", "swish"], "unknown activation 'swish'; choose from sigmoid, tanh, relu, leaky_relu"),
    (["--activation", "relu,tanh"], "--activation needs one name or one per hidden layer (1); got 2"),
    (["--optimizer", "sgd"], "invalid choice: 'sgd'"),
    (["--output", "linear", "--loss", "cross_entropy"], "cross_entropy needs a sigmoid or softmax output"),
])
def test_bad_input_gets_one_line_and_exit_2(capsys, argv, message):
    code, out, err = run(capsys, "train", *argv)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_bad_hdf5_file(capsys, tmp_path):
    with h5py.File(tmp_path / "train_bad.h5", "w") as f:
        f["images"] = np.zeros((2, 4, 4, 3), np.uint8)
    code, _, err = run(capsys, "train", "--dataset", str(tmp_path / "train_bad.h5"))
    assert code == 2 and "expected keys train_set_x and train_set_y; found images" in err


def test_gradcheck(capsys):
    for argv in (["--hidden", "5,3", "--activation", "relu"], ["--output", "softmax", "--l2", "0.5"],
                 ["--hidden", "", "--output", "linear"]):
        code, out, _ = run(capsys, "gradcheck", *argv)
        assert code == 0 and out.startswith("difference: ") and float(out.split()[1]) < 1e-7


def test_console_script_runs_without_a_traceback_on_bad_input():
    result = subprocess.run([sys.executable, "-m", "visualtrainer", "train", "--lr", "abc"], capture_output=True,
                            text=True)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "--lr must be a number" in result.stderr


def test_course_initialisation_notebook_with_a_test_set_drawn_apart(capsys, tmp_path):
    """The course's He initialisation on make_circles: train drawn with seed 1, test (100 points) with seed 2."""
    code, out, _ = run(capsys, "train", "--dataset", "circles", "--samples", "300", "--test-samples", "100",
                       "--test-seed", "2", "--hidden", "10,5", "--activation", "relu", "--init", "he",
                       "--weight-seed", "3", "--lr", "0.01", "--iterations", "15000", "--dtype", "float64",
                       "--print-every", "1000", "--json", str(tmp_path / "he.json"))
    report = json.loads((tmp_path / "he.json").read_text())
    assert code == 0 and out.startswith("Cost after iteration 0: 0.883054\nCost after iteration 1000: 0.687983")
    assert report["costs"][14][1] == pytest.approx(0.07357895962677366, abs=5e-7)
    assert report["train_accuracy"] == pytest.approx(99.3333333, abs=1e-5) and report["test_accuracy"] == 96.0
    code, _, err = run(capsys, "train", "--dataset", "circles", "--test-samples", "100", "--test-fraction", "0.2")
    assert code == 2 and "not both" in err


@pytest.mark.parametrize("optimizer, cost_1000, accuracy", [("gd", 0.668101, 79.6666667),
                                                            ("momentum", 0.668167, 79.6666667),
                                                            ("adam", 0.167845, 94.0)])
def test_course_optimisation_notebook_mini_batches(capsys, tmp_path, optimizer, cost_1000, accuracy):
    """make_moons(300, noise=.2) after np.random.seed(3); He weights from seed 3; batches of 64 shuffled from
    seed 10 (+1 per epoch); α = 0.0007 for 10000 epochs: the course's published costs and accuracies."""
    report_path = tmp_path / f"{optimizer}.json"
    code, _, _ = run(capsys, "train", "--dataset", "moons", "--samples", "300", "--data-seed", "3", "--hidden", "5,2",
                     "--activation", "relu", "--init", "he", "--weight-seed", "3", "--shuffle-seed", "10",
                     "--optimizer", optimizer, "--lr", "0.0007", "--batch-size", "64", "--iterations", "10000",
                     "--dtype", "float64", "--print-every", "1000", "--json", str(report_path))
    report = json.loads(report_path.read_text())
    assert code == 0
    assert report["costs"][1] == [1000, pytest.approx(cost_1000, abs=5e-7)]
    assert report["train_accuracy"] == pytest.approx(accuracy, abs=1e-5)


def test_predict_on_the_course_test_pictures_agrees_with_the_model(capsys, tmp_path, cat_train_path):
    from PIL import Image

    run(capsys, "train", "--dataset", str(cat_train_path), "--hidden", "", "--init", "zeros", "--lr", "0.005",
        "--iterations", "300", "--dtype", "float64", "--print-every", "0", "--save", str(tmp_path / "m.npz"))
    net, _ = load_model(tmp_path / "m.npz")
    data = load_dataset(cat_train_path)
    paths = []
    for i in range(data.m_test):
        paths.append(str(tmp_path / f"test_{i}.png"))
        Image.fromarray(data.X_test[:, i].reshape(64, 64, 3)).save(paths[-1])
    (tmp_path / "notes.png").write_text("not a picture")
    code, out, err = run(capsys, "predict", "--model", str(tmp_path / "m.npz"), "--json", *paths,
                         str(tmp_path / "notes.png"))
    results = json.loads(out)
    expected = net.predict(data.X_test)[0]
    assert [r["class"] for r in results[:-1]] == [data.classes[k] for k in expected]
    assert all(abs(sum(r["probabilities"].values()) - 1) < 1e-9 for r in results[:-1])
    assert code == 2 and "not a readable image" in err and "error" in results[-1]
    code, out, _ = run(capsys, "predict", "--model", str(tmp_path / "m.npz"), paths[0])
    assert code == 0 and out.startswith(f"{paths[0]}: {data.classes[expected[0]]} (")


def test_train_exports_the_model_as_onnx(capsys, tmp_path):
    import onnx
    import onnxruntime

    code, out, _ = run(capsys, "train", "--dataset", "moons", "--hidden", "5", "--activation", "relu", "--iterations", "50",
                       "--dtype", "float64", "--print-every", "0", "--save", str(tmp_path / "m.npz"),
                       "--onnx", str(tmp_path / "m.onnx"))
    assert code == 0 and f"ONNX model written to {tmp_path / 'm.onnx'}" in out
    net, _ = load_model(tmp_path / "m.npz")
    data = load_dataset("moons", test_fraction=0.2)
    session = onnxruntime.InferenceSession(str(tmp_path / "m.onnx"), providers=["CPUExecutionProvider"])
    (proba,) = session.run(None, {"X": np.ascontiguousarray(data.X_test.T)})
    np.testing.assert_allclose(proba, net.predict_proba(data.X_test).T, atol=1e-5)
    names = {p.key: p.value for p in onnx.load(tmp_path / "m.onnx").metadata_props}
    assert json.loads(names["class_names"]) == list(data.classes)
