"""The exported script, run on its own with numpy only, reproduces the engine's costs."""

import subprocess
import sys

import numpy as np
import pytest

from visualtrainer.core import Network
from visualtrainer.core.script import export_run
from visualtrainer.data import load_dataset

CASES = [
    ("flower", dict(layer_dims=(2, 4, 1), hidden_activation="tanh", init="small", learning_rate=1.2), 300),
    ("moons", dict(layer_dims=(2, 5, 2, 1), hidden_activation="relu", init="he", learning_rate=0.01,
                   optimizer="adam", batch_size=64, l2=0.3, shuffle_seed=10), 40),
    ("spiral", dict(layer_dims=(2, 6, 3), hidden_activation=["leaky_relu"], output="softmax", init="xavier",
                    learning_rate=0.5, optimizer="momentum", batch_size=100), 60),
    ("house", dict(layer_dims=(1, 3, 1), hidden_activation="sigmoid", output="linear", init="xavier",
                   learning_rate=0.1, optimizer="rmsprop", batch_size=16), 50),
    ("circles", dict(layer_dims=(2, 4, 1), hidden_activation="tanh", output="sigmoid", loss="mse", init="large",
                     learning_rate=0.05), 80),
]


@pytest.mark.parametrize("dataset, settings, iterations", CASES, ids=[case[0] for case in CASES])
def test_the_exported_script_reproduces_the_engines_costs(tmp_path, dataset, settings, iterations):
    data = load_dataset(dataset)
    net = Network(**settings, dtype="float64", random_state=3).fit(data.X_train, data.Y_train, iterations)
    script, data_file = export_run(Network(**settings, dtype="float64", random_state=3), data.X_train,
                                   data.Y_train, iterations, tmp_path / "run.py", print_every=10)
    assert script.exists() and data_file.name == "run.data.npz"
    text = script.read_text()
    assert "import numpy as np" in text and "visualtrainer" not in text.split('"""', 2)[2]  # numpy only
    out = subprocess.run([sys.executable, "-I", str(script)], capture_output=True, text=True, timeout=300,
                         cwd=tmp_path / "..")
    assert out.returncode == 0, out.stderr
    costs = np.load(tmp_path / "run.costs.npy")
    assert len(costs) == iterations
    np.testing.assert_allclose(costs, net.costs_, rtol=1e-9, atol=1e-12)
    lines = out.stdout.splitlines()
    assert lines[0] == f"Cost after iteration 0: {net.costs_[0]:.6f}"


def test_a_run_without_a_seed_cannot_be_exported(tmp_path):
    with pytest.raises(ValueError, match="needs a seed"):
        export_run(Network((2, 3, 1)), np.zeros((2, 4)), np.zeros((1, 4)), 5, tmp_path / "x.py")
