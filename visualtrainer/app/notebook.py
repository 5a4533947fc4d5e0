"""A training run exported as a Jupyter notebook in the course's cells: load the data, initialise, forward, cost,
backward, update, the training loop, the plots. Run in float64 it reproduces the app's costs to 1e-9: the same
initial weights (``RandomState(seed).randn`` in order), the same order of examples, the same updates.

Written with nbformat (the format's own library); the data goes beside it (``<stem>.data.npz``) and the costs it
computes into ``<stem>.costs.npy``. Every text (the title, the file names) enters the code as a Python literal made
by repr, so whatever it holds stays data.
"""

from pathlib import Path

import nbformat
import numpy as np

from visualtrainer.core.files import atomic_write
from visualtrainer.core.script import UPDATE_LOOP, activation_functions
from visualtrainer.core.validation import check_network

INTRO = """# {title}

Exported by visualtrainer {version}: the run's network trained again from its first weights, in plain numpy and
in the course's steps. Run all cells (needs numpy; matplotlib for the plot). The costs printed below are the app's
to rounding (1e-9 in float64).

- layers: {dims}, activations g[1] … g[L]: {activations}, loss: {loss}
- initialisation: {init} (seed {seed}); optimiser: {optimizer}, α = {lr:g}, {batch}; L2 λ = {l2:g}
- {iterations} iterations (an iteration is an epoch: one pass over the {m} training examples)"""

SETTINGS = """import os

import numpy as np

DATA_FILE, COSTS_FILE = {data_name!r}, {costs_name!r}  # beside this notebook
LAYER_DIMS = {layer_dims}  # n_x, n[1], ..., n_y
ACTIVATIONS = {activations}  # g[1] ... g[L]
LOSS = {loss!r}
INIT, SEED, SHUFFLE_SEED = {init!r}, {seed!r}, {shuffle_seed!r}
LEARNING_RATE, ITERATIONS, BATCH_SIZE, L2 = {learning_rate!r}, {iterations!r}, {batch_size!r}, {l2!r}
OPTIMIZER, BETA1, BETA2, EPSILON = {optimizer!r}, {beta1!r}, {beta2!r}, {epsilon!r}
PRINT_EVERY = {print_every!r}"""

LOAD = """data = np.load(DATA_FILE)
X = data["X"] / 255.0 if data["X"].dtype == np.uint8 else data["X"].astype(np.float64)  # (n_x, m): one column an example
Y = data["Y"].astype(np.float64)  # (n_y, m)
print("X", X.shape, "Y", Y.shape)"""

INITIALISE = '''def initialize_parameters():
    """W[l] (n[l], n[l-1]) drawn in order from RandomState(SEED), b[l] (n[l], 1) at zero."""
    rng = np.random.RandomState(SEED)
    params = {}
    for l in range(1, len(LAYER_DIMS)):
        n, n_prev = LAYER_DIMS[l], LAYER_DIMS[l - 1]
        if INIT == "zeros":
            W = np.zeros((n, n_prev))
        else:
            draw = rng.randn(n, n_prev)
            W = {"small": draw * 0.01, "xavier": draw / np.sqrt(n_prev), "he": draw * np.sqrt(2.0 / n_prev),
                 "large": draw * 10}[INIT]
        params["W%d" % l], params["b%d" % l] = W, np.zeros((n, 1))
    return params'''

FORWARD = '''def forward_propagation(params, X):
    """Z[l] = W[l] A[l-1] + b[l], A[l] = g[l](Z[l]); returns A[L] and the caches (A[l-1], Z[l]) for the way back."""
    caches, A = [], X
    for l in range(1, len(LAYER_DIMS)):
        Z = params["W%d" % l] @ A + params["b%d" % l]
        caches.append((A, Z))
        A = g(ACTIVATIONS[l - 1], Z)
    return A, caches'''

COST = '''def compute_cost(AL, ZL, Y, params):
    """J = (1/m) Σ L(ŷ, y) + (λ/2m) Σ ‖W[l]‖²; the cross-entropy computed from Z[L], where it cannot overflow."""
    m = Y.shape[1]
    if LOSS == "cross_entropy" and ACTIVATIONS[-1] == "softmax":
        top = ZL.max(axis=0, keepdims=True)
        J = np.sum(Y * (top + np.log(np.exp(ZL - top).sum(axis=0, keepdims=True)) - ZL)) / m
    elif LOSS == "cross_entropy":  # max(z, 0) - z·y + log(1 + e^(-|z|)) = -(y log a + (1 - y) log(1 - a))
        J = np.sum(np.maximum(ZL, 0) - ZL * Y + np.log1p(np.exp(-np.abs(ZL)))) / m
    else:  # mse: ½·mean of the squared error
        J = 0.5 * np.sum((AL - Y) ** 2) / m
    return J + 0.5 * L2 / m * sum(np.sum(params["W%d" % l] ** 2) for l in range(1, len(LAYER_DIMS)))'''

BACKWARD = '''def backward_propagation(params, AL, caches, Y):
    """dZ[L] = (A[L] - Y)/m for cross-entropy; then dW[l] = dZ[l] A[l-1]ᵀ (+ λ/m W[l]), db[l] = Σ dZ[l],
    dZ[l-1] = W[l]ᵀ dZ[l] * g'[l-1](Z[l-1])."""
    m, L = Y.shape[1], len(LAYER_DIMS) - 1
    if LOSS == "cross_entropy":
        dZ = (AL - Y) / m
    else:
        dZ = g_prime_times(ACTIVATIONS[-1], caches[-1][1], AL, (AL - Y) / m)
    grads = {}
    for l in range(L, 0, -1):
        A_prev, _ = caches[l - 1]
        grads["dW%d" % l] = dZ @ A_prev.T + L2 / m * params["W%d" % l]
        grads["db%d" % l] = dZ.sum(axis=1, keepdims=True)
        if l > 1:
            Z_prev = caches[l - 2][1]
            dZ = g_prime_times(ACTIVATIONS[l - 2], Z_prev, g(ACTIVATIONS[l - 2], Z_prev), params["W%d" % l].T @ dZ)
    return grads'''

UPDATE = '''def update_parameters(params, grads, state, t):
    """θ := θ - α·(the optimiser's step); momentum, RMSProp and Adam keep their averages in ``state``."""
''' + UPDATE_LOOP

MODEL = '''def model(X, Y):
    """The training loop: an epoch visits every example once, in mini-batches shuffled anew each epoch (epoch e
    with RandomState(SHUFFLE_SEED + 1 + e)) or all at once; its cost is the mean of its batches' costs."""
    params = initialize_parameters()
    state = {prefix + key: np.zeros_like(value) for key, value in params.items() for prefix in "vs"}
    m, t, costs = X.shape[1], 0, []
    size = m if BATCH_SIZE <= 0 or BATCH_SIZE >= m else BATCH_SIZE
    for epoch in range(ITERATIONS):
        order = np.arange(m) if size == m else np.random.RandomState(SHUFFLE_SEED + 1 + epoch).permutation(m)
        total = 0.0
        for start in range(0, m, size):
            rows = order[start : start + size]
            AL, caches = forward_propagation(params, X[:, rows])
            total += compute_cost(AL, caches[-1][1], Y[:, rows], params) * len(rows)
            grads = backward_propagation(params, AL, caches, Y[:, rows])
            t += 1
            update_parameters(params, grads, state, t)
        costs.append(total / m)
        if PRINT_EVERY and epoch % PRINT_EVERY == 0:
            print("Cost after iteration %d: %f" % (epoch, costs[-1]))
    return params, costs'''

RUN = """params, costs = model(X, Y)
np.save(COSTS_FILE, np.array(costs))
print("final cost %f after %d iterations; the costs are in %s" % (costs[-1], len(costs), COSTS_FILE))"""

PLOT = """try:
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
    print("matplotlib is not installed (pip install matplotlib): no plot.")
if plt is not None:
    plt.plot(costs)
    plt.ylabel("cost J")
    plt.xlabel("iteration")
    plt.title("learning rate α = %g" % LEARNING_RATE)
    plt.show()"""

ACCURACY = """AL, _ = forward_propagation(params, X)
if ACTIVATIONS[-1] == "sigmoid":
    print("train accuracy: %.2f %%" % (100 * np.mean((AL > 0.5) == (Y > 0.5))))
elif ACTIVATIONS[-1] == "softmax":
    print("train accuracy: %.2f %%" % (100 * np.mean(AL.argmax(axis=0) == Y.argmax(axis=0))))
else:
    print("train RMSE: %.4f" % np.sqrt(np.mean((AL - Y) ** 2)))"""


def training_notebook(net, n_iterations, m, data_name, title="A visualtrainer run", print_every=100):
    """The notebook (an nbformat NotebookNode) that trains ``net``'s settings from the start for ``n_iterations``
    iterations on ``m`` examples read from ``data_name`` (beside it)."""
    from visualtrainer import __version__

    loss = check_network(net)
    if net.random_state is None:
        raise ValueError("exporting a run needs a seed (random_state) so that the notebook draws the same weights.")
    shuffle_seed = net._seed_for_shuffles(np.random.RandomState(net.random_state))
    stem = Path(data_name).name.removesuffix(".data.npz").removesuffix(".npz")
    batch = (f"mini-batches of {net.batch_size}" if 0 < net.batch_size < m else "the full batch")
    values = dict(
        data_name=str(data_name), costs_name=f"{stem}.costs.npy", layer_dims=tuple(int(n) for n in net.layer_dims),
        activations=list(net.activations), loss=loss, init=net.init, seed=int(net.random_state),
        shuffle_seed=int(shuffle_seed), learning_rate=float(net.learning_rate), iterations=int(n_iterations),
        batch_size=int(net.batch_size), l2=float(net.l2), optimizer=net.optimizer, beta1=float(net.beta1),
        beta2=float(net.beta2), epsilon=float(net.epsilon), print_every=int(print_every))
    title_line = " ".join(str(title).split()) or "A visualtrainer run"
    intro = INTRO.format(title=title_line.replace("#", "\\#"), version=__version__,
                         dims=" → ".join(str(n) for n in values["layer_dims"]),
                         activations=", ".join(values["activations"]), loss=loss, init=net.init,
                         seed=values["seed"], optimizer=net.optimizer, lr=values["learning_rate"], batch=batch,
                         l2=values["l2"], iterations=values["iterations"], m=m)
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    cells = [md(intro), md("## Settings"), code(SETTINGS.format(**values)),
             md("## 1. Load the data"), code(LOAD),
             md("## 2. The activations g[l] and their derivatives"), code(activation_functions(net.activations)),
             md("## 3. Initialise the parameters"), code(INITIALISE),
             md("## 4. Forward propagation"), code(FORWARD),
             md("## 5. The cost"), code(COST),
             md("## 6. Backward propagation"), code(BACKWARD),
             md("## 7. Update the parameters"), code(UPDATE),
             md("## 8. The training loop"), code(MODEL), code(RUN),
             md("## 9. The cost curve and the accuracy"), code(PLOT), code(ACCURACY)]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def export_notebook(net, X, Y, n_iterations, path, title="A visualtrainer run", print_every=100):
    """Write the notebook to ``path`` (.ipynb) and its data beside it (``<stem>.data.npz``), each atomically;
    returns both paths."""
    path = Path(path).with_suffix(".ipynb")
    data_path = path.with_name(f"{path.stem}.data.npz")
    notebook = training_notebook(net, n_iterations, np.asarray(X).shape[1], data_path.name, title, print_every)
    nbformat.validate(notebook)
    Yk = np.asarray(Y)
    if net.output == "softmax" and Yk.shape[0] == 1:  # labels as one-hot rows, as the engine reads them
        Yk = np.eye(int(net.layer_dims[-1]))[Yk[0].astype(np.int64)].T
    atomic_write(data_path, lambda handle: np.savez_compressed(handle, X=np.asarray(X), Y=Yk))
    text = nbformat.writes(notebook)
    atomic_write(path, lambda handle: handle.write(text.encode("utf-8")))
    return path, data_path
