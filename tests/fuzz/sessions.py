"""Session files as the window writes them (the same state and arrays as ``SessionActions._session_state``), built
without Qt: for the session file tests and the fuzz suite."""

import numpy as np

from visualtrainer.core import Network
from visualtrainer.core.persistence import network_state
from visualtrainer.data import Dataset, load_dataset

SETTINGS = {"dataset": "flower", "noise": -1.0, "test_fraction": 0.2, "seed": 1, "hidden": [[4, "tanh"]],
            "output": "auto", "loss": "auto", "init": "small", "learning_rate": 1.2, "iterations": 10000, "tol": 0.0,
            "optimizer": "gd", "batch_size": 0, "l2": 0.0, "dtype": "float32"}
VIEW = {"tab": "Cost surface", "example": 3, "speed": 10, "log_cost": False,
        "surface": {"kind": "pca", "grid": 51, "span": 0.0, "log": True, "follow": True, "every": 200}}


def pictures():
    """A small picture set (4×3 RGB, two classes) as the Dataset tab makes them."""
    rng = np.random.RandomState(1)
    pixels = rng.randint(0, 256, (10, 4 * 3 * 3)).astype(np.uint8)
    labels = (np.arange(10) % 2).reshape(1, -1)
    return Dataset("mine", pixels.T, labels, None, None, ("no", "yes"), "binary", (4, 3, 3))


def window_session(embedded=False, iterations=20):
    """(state, arrays, data) of a window trained ``iterations`` steps on the flower (or on ``pictures()``, embedded),
    with a finished pinned run beside the current one, a surface path and accuracies."""
    settings = dict(SETTINGS)
    data = pictures() if embedded else load_dataset("flower", test_fraction=0.2)
    if embedded:
        settings["dataset"] = "/home/me/pictures"
    n_x = data.n_x
    net = Network((n_x, 4, 1), hidden_activation=["tanh"], init="small", learning_rate=1.2,
                  random_state=1).fit(data.X_train, data.Y_train, iterations)
    header, net_arrays = network_state(net)
    size = net.theta_.size
    arrays = {f"net_{key}": value for key, value in net_arrays.items()}
    arrays |= {"accuracy_train": np.array([[10.0, 20.0], [50.0, 70.0]]), "accuracy_test": np.zeros((2, 0)),
               "run1_costs": np.linspace(0.7, 0.3, 12), "run1_path": np.random.RandomState(2).randn(5, size),
               "run2_costs": net.costs_.copy(), "surface_iterations": np.arange(0, 25, 5),
               "surface_path": np.random.RandomState(3).randn(5, size)}
    runs = [{"number": 1, "settings": dict(settings, learning_rate=0.5), "layer_dims": [n_x, 4, 1], "train": 81.5,
             "test": 79.0, "pinned": True, "from_sweep": False, "label": ""},
            {"number": 2, "settings": settings, "layer_dims": [n_x, 4, 1], "train": None, "test": None,
             "pinned": False, "from_sweep": False, "label": ""}]
    state = {"app_version": "0.1.0", "settings": settings,
             "dataset": {"kind": "embedded"} if embedded else {"kind": "builtin"}, "network": header, "runs": runs,
             "view": VIEW}
    return state, arrays, data if embedded else None
