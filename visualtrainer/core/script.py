"""A training run exported as a short Python script that needs only numpy, beside its data (.npz).

The script (numpy and the standard library only) draws the same initial weights, visits the examples in the same order and applies the same updates as
the engine, in plain float64 numpy, and prints the cost every ``print_every`` iterations in the course's words:
run it to reproduce the app's costs (to rounding), or read it to see every step of the arithmetic.
"""

from pathlib import Path

import numpy as np

from .activations import REGISTRY
from .files import atomic_write

_TEMPLATE = '''{docstring}

import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TITLE = {title!r}
DATA_FILE, COSTS_FILE = {data_name!r}, {costs_name!r}  # beside this file
LAYER_DIMS = {layer_dims}  # n_x, n[1], ..., n_y
ACTIVATIONS = {activations}  # g[1] ... g[L]
LOSS = {loss!r}
INIT, SEED, SHUFFLE_SEED = {init!r}, {seed!r}, {shuffle_seed!r}
LEARNING_RATE, ITERATIONS, BATCH_SIZE, L2 = {learning_rate!r}, {iterations!r}, {batch_size!r}, {l2!r}
OPTIMIZER, BETA1, BETA2, EPSILON = {optimizer!r}, {beta1!r}, {beta2!r}, {epsilon!r}
PRINT_EVERY = {print_every!r}


{activation_functions}


def initialize():
    rng = np.random.RandomState(SEED)
    params = {{}}
    for l in range(1, len(LAYER_DIMS)):
        n, n_prev = LAYER_DIMS[l], LAYER_DIMS[l - 1]
        if INIT == "zeros":
            W = np.zeros((n, n_prev))
        else:
            draw = rng.randn(n, n_prev)
            W = {{"small": draw * 0.01, "xavier": draw / np.sqrt(n_prev), "he": draw * np.sqrt(2.0 / n_prev),
                 "large": draw * 10}}[INIT]
        params["W%d" % l], params["b%d" % l] = W, np.zeros((n, 1))
    return params


def cost_and_gradients(params, X, Y):
    """J over the examples X, Y (with the L2 term) and its gradients, by a forward and a backward pass."""
    m, L = X.shape[1], len(LAYER_DIMS) - 1
    caches, A = [], X
    for l in range(1, L + 1):
        Z = params["W%d" % l] @ A + params["b%d" % l]
        caches.append((A, Z))
        A = g(ACTIVATIONS[l - 1], Z)
    out = ACTIVATIONS[-1]
    if LOSS == "cross_entropy":
        Z = caches[-1][1]
        if out == "softmax":
            top = Z.max(axis=0, keepdims=True)
            lse = top + np.log(np.exp(Z - top).sum(axis=0, keepdims=True))
            J = np.sum(Y * (lse - Z)) / m
        else:  # sigmoid, computed from z: max(z, 0) - z·y + log(1 + e^(-|z|))
            J = np.sum(np.maximum(Z, 0) - Z * Y + np.log1p(np.exp(-np.abs(Z)))) / m
        dZ = (A - Y) / m
    else:  # mse: ½·mean of the squared error
        J = 0.5 * np.sum((A - Y) ** 2) / m
        dZ = g_prime_times(out, caches[-1][1], A, (A - Y) / m)
    grads = {{}}
    for l in range(L, 0, -1):
        A_prev, _ = caches[l - 1]
        grads["dW%d" % l] = dZ @ A_prev.T + L2 / m * params["W%d" % l]
        grads["db%d" % l] = dZ.sum(axis=1, keepdims=True)
        if l > 1:
            dA = params["W%d" % l].T @ dZ
            dZ = g_prime_times(ACTIVATIONS[l - 2], caches[l - 2][1], g(ACTIVATIONS[l - 2], caches[l - 2][1]), dA)
    J += 0.5 * L2 / m * sum(np.sum(params["W%d" % l] ** 2) for l in range(1, L + 1))
    return J, grads


def update(params, grads, state, t):
{update_loop}


def train(X, Y):
    params = initialize()
    state = {{prefix + key: np.zeros_like(value) for key, value in params.items() for prefix in "vs"}}
    m, t, costs = X.shape[1], 0, []
    size = m if BATCH_SIZE <= 0 or BATCH_SIZE >= m else BATCH_SIZE
    for epoch in range(ITERATIONS):
        order = np.arange(m) if size == m else np.random.RandomState(SHUFFLE_SEED + 1 + epoch).permutation(m)
        total = 0.0
        for start in range(0, m, size):
            rows = order[start : start + size]
            J, grads = cost_and_gradients(params, X[:, rows], Y[:, rows])
            total += J * len(rows)
            t += 1
            update(params, grads, state, t)
        costs.append(total / m)
        if PRINT_EVERY and epoch % PRINT_EVERY == 0:
            print("Cost after iteration %d: %f" % (epoch, costs[-1]))
    return params, costs


if __name__ == "__main__":
    data = np.load(os.path.join(HERE, DATA_FILE))
    X = data["X"] / 255.0 if data["X"].dtype == np.uint8 else data["X"].astype(np.float64)
    Y = data["Y"].astype(np.float64)
    params, costs = train(X, Y)
    np.save(os.path.join(HERE, COSTS_FILE), np.array(costs))
    print("final cost %f after %d iterations; the costs are in %s" % (costs[-1], len(costs), COSTS_FILE))
'''


#: The optimiser's step over every parameter, the same in the exported script and notebook (no braces: it goes
#: through str.format).
UPDATE_LOOP = '''    for key in params:
        grad = grads["d" + key]
        if OPTIMIZER == "gd":
            params[key] -= LEARNING_RATE * grad
        elif OPTIMIZER == "momentum":
            state["v" + key] = BETA1 * state["v" + key] + (1 - BETA1) * grad
            params[key] -= LEARNING_RATE * state["v" + key]
        elif OPTIMIZER == "rmsprop":
            state["s" + key] = BETA2 * state["s" + key] + (1 - BETA2) * grad ** 2
            params[key] -= LEARNING_RATE * grad / (np.sqrt(state["s" + key]) + EPSILON)
        else:  # adam, with its bias correction
            state["v" + key] = BETA1 * state["v" + key] + (1 - BETA1) * grad
            state["s" + key] = BETA2 * state["s" + key] + (1 - BETA2) * grad ** 2
            v_hat, s_hat = state["v" + key] / (1 - BETA1 ** t), state["s" + key] / (1 - BETA2 ** t)
            params[key] -= LEARNING_RATE * v_hat / (np.sqrt(s_hat) + EPSILON)'''


def _docstring(lines):
    """A module docstring that holds ``lines`` exactly, whatever they contain: each line is a string literal made
    by repr (implicitly joined, inside parentheses), so no text can end the string and become code."""
    return "(\n" + "".join(f"    {line + chr(10)!r}\n" for line in lines) + ")"



def training_script(net, n_iterations, data_name, title="A visualtrainer run", print_every=100, script_name=None):
    """The script's text for training ``net``'s settings from the start for ``n_iterations`` iterations.

    ``data_name`` is the data file's name (beside the script), ``script_name`` the script's own (default: the
    data's stem + .py). Every text (the title, the file names) enters the script as a Python literal made by repr:
    whatever it holds, it stays data and never becomes code.
    """
    from visualtrainer import __version__

    from .validation import check_network

    loss = check_network(net)
    if net.random_state is None:
        raise ValueError("exporting a run needs a seed (random_state) so that the script draws the same weights.")
    shuffle_seed = net._seed_for_shuffles(np.random.RandomState(net.random_state))
    stem = Path(data_name).name.removesuffix(".data.npz").removesuffix(".npz")
    script_name = script_name or f"{stem}.py"
    costs_name = f"{Path(script_name).stem}.costs.npy"
    lines = [(str(title).splitlines() or [""])[0], "",
             f"Exported by visualtrainer {__version__}. Needs numpy only: python {script_name}",
             f"The data (X with one column per example, Y) is in {data_name}, beside this file; the costs go to "
             f"{costs_name}."]
    return _TEMPLATE.format(
        docstring=_docstring(lines), title=str(title), data_name=str(data_name),
        costs_name=costs_name, layer_dims=tuple(int(n) for n in net.layer_dims),
        activations=list(net.activations), loss=loss, init=net.init, seed=int(net.random_state),
        shuffle_seed=int(shuffle_seed), learning_rate=float(net.learning_rate), iterations=int(n_iterations),
        batch_size=int(net.batch_size), l2=float(net.l2), optimizer=net.optimizer, beta1=float(net.beta1),
        beta2=float(net.beta2), epsilon=float(net.epsilon), print_every=int(print_every),
        activation_functions=activation_functions(net.activations), update_loop=UPDATE_LOOP)


def activation_functions(names):
    """g and g_prime_times for the activations ``names`` uses (their expressions from the registry), as the
    exported script and notebook define them."""
    used = [REGISTRY[name] for name in dict.fromkeys(names)]
    forward = "".join(f"    if name == {a.name!r}:\n        return {a.script_g}\n" for a in used)
    backward = "".join(f"    if name == {a.name!r}:\n        return {a.script_backward}\n" for a in used)
    return (f"def g(name, Z):\n    \"\"\"A = g(Z).\"\"\"\n{forward}    raise ValueError(name)\n\n\n"
            f"def g_prime_times(name, Z, A, dA):\n    \"\"\"dZ = dA * g'(Z) (softmax: its Jacobian times dA).\"\"\"\n"
            f"{backward}    raise ValueError(name)")


def export_run(net, X, Y, n_iterations, path, title="A visualtrainer run", print_every=100):
    """Write the script to ``path`` (.py) and its data beside it (``<stem>.data.npz``), each atomically; returns
    both paths."""
    path = Path(path).with_suffix(".py")
    data_path = path.with_name(f"{path.stem}.data.npz")
    text = training_script(net, n_iterations, data_path.name, title, print_every, script_name=path.name)
    Yk = np.asarray(Y)
    if net.output == "softmax" and Yk.shape[0] == 1:  # labels as one-hot rows, as the engine reads them
        Yk = np.eye(int(net.layer_dims[-1]))[Yk[0].astype(np.int64)].T
    atomic_write(data_path, lambda handle: np.savez_compressed(handle, X=np.asarray(X), Y=Yk))
    atomic_write(path, lambda handle: handle.write(text.encode("utf-8")))
    return path, data_path
