"""The exported script, run on its own with numpy only, reproduces the engine's costs."""

import ast
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
    imported = {name.name.split(".")[0] for node in ast.walk(ast.parse(script.read_text()))
                if isinstance(node, (ast.Import, ast.ImportFrom)) for name in node.names}
    assert imported == {"os", "numpy"}  # numpy only
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


def test_no_text_in_the_run_becomes_code(tmp_path):
    """A dataset named to break out of the docstring, and file names with quotes: all stay text; the script runs."""
    data = load_dataset("flower")
    evil = 'x"""\nimport os; os.system("touch PWNED")\n"""\\'
    folder = tmp_path / "it\'s \"here\""
    folder.mkdir()
    script, data_file = export_run(Network((2, 3, 1), random_state=1), data.X_train, data.Y_train, 4,
                                   folder / "a\"b\'c.py", title=f"{evil}: 2 → 3 → 1\nsecond line {{}} \\N")
    module = ast.parse(script.read_text())
    doc = ast.get_docstring(module)
    assert doc.startswith('x"""\n') and "python a\"b'c.py" in doc and "a\"b'c.data.npz" in doc
    kinds = [type(node).__name__ for node in module.body]
    assert kinds.count("Expr") == 1 and kinds[0] == "Expr"  # the docstring: no statement of the title's own
    imported = {name.name for node in ast.walk(module) if isinstance(node, ast.Import) for name in node.names}
    assert imported == {"os", "numpy"}
    constants = [node for node in module.body if isinstance(node, ast.Assign)
                 and not any(isinstance(inner, ast.Call) for inner in ast.walk(node.value))]
    namespace = {}
    exec(compile(ast.Module(constants, []), "constants", "exec"), namespace)
    assert namespace["TITLE"] == f"{evil}: 2 → 3 → 1\nsecond line {{}} \\N"
    assert namespace["DATA_FILE"] == data_file.name
    out = subprocess.run([sys.executable, "-I", str(script)], capture_output=True, text=True, timeout=300,
                         cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert not (tmp_path / "PWNED").exists() and not (folder / "PWNED").exists()
    assert len(np.load(folder / "a\"b'c.costs.npy")) == 4
    assert sorted(p.name for p in folder.iterdir()) == sorted([script.name, data_file.name, "a\"b'c.costs.npy"])


def test_the_docstring_names_the_script_and_its_files(tmp_path):
    data = load_dataset("flower")
    script, _ = export_run(Network((2, 3, 1), random_state=1), data.X_train, data.Y_train, 2, tmp_path / "run.py")
    doc = ast.get_docstring(ast.parse(script.read_text()))
    assert "Needs numpy only: python run.py\n" in doc and "is in run.data.npz" in doc and "go to run.costs.npy" in doc
