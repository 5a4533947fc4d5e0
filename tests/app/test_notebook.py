"""The exported notebook, run by a Jupyter kernel (nbclient), reproduces the engine's costs to 1e-9 in float64."""

import json

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from visualtrainer.app.notebook import export_notebook
from visualtrainer.core import Network
from visualtrainer.data import load_dataset

CASES = [
    ("flower", dict(layer_dims=(2, 4, 1), hidden_activation="tanh", init="small", learning_rate=1.2), 300),
    ("moons", dict(layer_dims=(2, 5, 2, 1), hidden_activation="relu", init="he", learning_rate=0.01,
                   optimizer="adam", batch_size=64, l2=0.3, shuffle_seed=10), 40),
    ("spiral", dict(layer_dims=(2, 6, 3), hidden_activation=["leaky_relu"], output="softmax", init="xavier",
                    learning_rate=0.5, optimizer="momentum", batch_size=100), 30),
    ("house", dict(layer_dims=(1, 3, 1), hidden_activation="sigmoid", output="linear", init="xavier",
                   learning_rate=0.1, optimizer="rmsprop", batch_size=16), 30),
]


def run_notebook(path):
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return notebook


def _outputs(notebook):
    return "".join(output.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
                   for output in cell.get("outputs", []))


@pytest.mark.parametrize("dataset, settings, iterations", CASES, ids=[case[0] for case in CASES])
def test_the_notebook_reproduces_the_engines_costs(tmp_path, dataset, settings, iterations):
    data = load_dataset(dataset)
    net = Network(**settings, dtype="float64", random_state=3).fit(data.X_train, data.Y_train, iterations)
    path, data_file = export_notebook(Network(**settings, dtype="float64", random_state=3), data.X_train,
                                      data.Y_train, iterations, tmp_path / "run.ipynb", title="a test run",
                                      print_every=10)
    assert path.name == "run.ipynb" and data_file.name == "run.data.npz"
    ran = run_notebook(path)
    costs = np.load(tmp_path / "run.costs.npy")
    np.testing.assert_allclose(costs, net.costs_, rtol=1e-9, atol=1e-12)
    printed = _outputs(ran)
    assert f"Cost after iteration 0: {net.costs_[0]:.6f}\n" in printed
    headings = [cell.source.splitlines()[0] for cell in ran.cells if cell.cell_type == "markdown"]
    assert headings[2:] == ["## 1. Load the data", "## 2. The activations g[l] and their derivatives",
                            "## 3. Initialise the parameters", "## 4. Forward propagation", "## 5. The cost",
                            "## 6. Backward propagation", "## 7. Update the parameters", "## 8. The training loop",
                            "## 9. The cost curve and the accuracy"]


def test_the_course_logistic_regression_notebook_prints_the_course(tmp_path, cat_train_path):
    data = load_dataset(cat_train_path)
    net = Network((12288, 1), init="zeros", learning_rate=0.005, dtype="float64", random_state=1)
    path, _ = export_notebook(net, data.X_train, data.Y_train, 300, tmp_path / "cats.ipynb")
    printed = _outputs(run_notebook(path))
    assert "Cost after iteration 0: 0.693147\nCost after iteration 100: 0.584508\n" in printed
    assert "Cost after iteration 200: 0.466949\n" in printed


def test_texts_stay_data(tmp_path):
    """A title and file names with quotes and newlines: the notebook is valid, its code unchanged, and it runs."""
    data = load_dataset("flower")
    folder = tmp_path / "it's \"here\""
    folder.mkdir()
    path, data_file = export_notebook(Network((2, 3, 1), random_state=1), data.X_train, data.Y_train, 3,
                                      folder / "a\"b'c.ipynb", title='x"""\nimport os; os.system("touch PWNED")')
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    settings = notebook.cells[2].source
    assert f"DATA_FILE, COSTS_FILE = {data_file.name!r}, {'a' + chr(34) + 'b' + chr(39) + 'c.costs.npy'!r}" in settings
    assert "PWNED" not in "".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    run_notebook(path)
    assert len(np.load(folder / "a\"b'c.costs.npy")) == 3 and not (folder / "PWNED").exists()
    assert json.loads(path.read_text())["metadata"]["kernelspec"]["name"] == "python3"


def test_a_run_without_a_seed_cannot_be_exported(tmp_path):
    with pytest.raises(ValueError, match="needs a seed"):
        export_notebook(Network((2, 3, 1)), np.zeros((2, 4)), np.zeros((1, 4)), 5, tmp_path / "x.ipynb")
