"""The engine against the best numpy loop and PyTorch CPU, idle and with one core kept busy, in one run.

Four networks, float32, full-batch gradient descent: logistic regression (12288-1), 12288-7-1 and 12288-20-7-5-1
ReLU on the 209 cat pictures, and the 2-4-1 tanh network on the 400-point flower. Every contender gets the same
threads (pin them on both sides):

    OPENBLAS_NUM_THREADS=2 NUMBA_NUM_THREADS=2 .venv/bin/python benchmarks/bench_engine.py

The machine is shared and its speed drifts, so the contenders take turns: each round times every contender once,
in a rotating order, and the table gives each one's median over the rounds. Each contender waits in a process of
its own (BLAS and OpenMP threads spin for a while after their work, and would slow whoever runs next), and every
timing starts after a pause that lets them settle. "busy" rounds run while a process the benchmark starts keeps
one core busy (a desktop is rarely idle). "engine, 1 thread" is the engine limited to one thread (the floor the
team must never fall under). "numpy Gram" is the numpy loop with the engine's trick for the first layer of a wide
input (``baselines.numpy_gram_loop``), the strongest numpy there; "engine, direct steps" is the engine without the Gram matrix (``kernels.gram``): every
step through W[1] itself, as for the optimisers and regularisations the Gram matrix cannot take. PyTorch is skipped
when it is not installed.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import h5py
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
#: Set in a contender's process: the engine's direct steps only.
DIRECT = "VISUALTRAINER_BENCH_DIRECT_STEPS"

import baselines  # noqa: E402
from visualtrainer.core import Network  # noqa: E402
from visualtrainer.data.builtin import load_builtin  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "catvnoncat" / "train_catvnoncat.h5"
CASES = [  # name, layer dims, hidden activation, init, learning rate, data
    ("logistic regression 12288-1", (12288, 1), "relu", "zeros", 0.005, "cat"),
    ("12288-7-1 ReLU", (12288, 7, 1), "relu", "small", 0.0075, "cat"),
    ("12288-20-7-5-1 ReLU", (12288, 20, 7, 5, 1), "relu", "small", 0.0075, "cat"),
    ("2-4-1 tanh, 400 points", (2, 4, 1), "tanh", "small", 1.2, "flower"),
]
SPIN = "while True: pass"


def _threads():
    return int(os.environ.get("NUMBA_NUM_THREADS") or os.cpu_count())


def _data(which, path):
    if which == "cat":
        with h5py.File(path) as f:
            x, y = f["train_set_x"][:], f["train_set_y"][:].reshape(1, -1)
        return x.reshape(len(x), -1).T, y
    data = load_builtin("flower", seed=1)
    return data.X_train, data.Y_train


def _trainer(case, contender, path):
    """A function(n) that trains n iterations of ``case`` the ``contender`` way."""
    name, dims, hidden, init, lr, which = case
    X, Y = _data(which, path)
    Xf = (X / 255.0 if X.dtype == np.uint8 else X).astype(np.float32)
    Yf = Y.astype(np.float32)
    if contender == "numpy":
        return lambda n: baselines.numpy_loop(Xf, Yf, dims, hidden, lr, n)
    if contender == "numpy Gram":
        return lambda n: baselines.numpy_gram_loop(Xf, Yf, dims, hidden, lr, n)
    if contender == "PyTorch":
        import torch

        torch.set_num_threads(_threads())
        return lambda n: baselines.torch_loop(torch, Xf, Yf, dims, hidden, lr, n)
    if os.environ.get(DIRECT):
        from visualtrainer.core import engine

        engine.GRAM_MOST = 0  # every step through the first layer's weights (``kernels.gram`` not used)
    return lambda n: Network(dims, hidden_activation=hidden, init=init, learning_rate=lr, dtype="float32",
                             random_state=1).fit(X, Y, n)


def _serve(case_index, contender, path):
    """Wait for "n" lines on stdin; train n iterations for each and answer the seconds it took."""
    train = _trainer(CASES[case_index], contender, path)
    train(3)  # compile, load, warm up
    print("ready", flush=True)
    for line in sys.stdin:
        began = time.perf_counter()
        train(int(line))
        print(time.perf_counter() - began, flush=True)


class _Contender:
    """A contender waiting in a process of its own."""

    def __init__(self, case_index, name, path):
        env = dict(os.environ)
        if name == "engine, 1 thread":
            env["NUMBA_NUM_THREADS"] = "1"
        if name == "engine, direct steps":
            env[DIRECT] = "1"
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(case_index), name.split(",")[0], "--data", path],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        assert self.process.stdout.readline().strip() == "ready"

    def seconds(self, n):
        self.process.stdin.write(f"{n}\n")
        self.process.stdin.flush()
        return float(self.process.stdout.readline())

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def _per_iteration(contender, seconds, pause):
    """Seconds an iteration, from a run sized to take about ``seconds`` (after runs growing four times until one
    takes half of that, to size it: a run's fixed costs, such as the engine's layout of the data and its Gram matrix,
    10-170 ms, must count little)."""
    n, took = 3, 0.0
    while took < seconds / 2:
        time.sleep(pause)
        n *= 4
        took = contender.seconds(n)
    n = max(n, int(n * seconds / took))
    time.sleep(pause)
    return contender.seconds(n) / n


def _rounds(contenders, rounds, seconds, pause):
    names = list(contenders)
    times = {name: [] for name in names}
    for r in range(rounds):
        for k in range(len(names)):
            name = names[(k + r) % len(names)]
            times[name].append(_per_iteration(contenders[name], seconds, pause))
    return {name: float(np.median(values)) for name, values in times.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=1.0, help="each timing's length")
    parser.add_argument("--conditions", default="idle,busy")
    parser.add_argument("--only", default="", help="cases whose name contains this")
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--json", help="write the medians here")
    parser.add_argument("--pause", type=float, default=0.3, help="seconds of rest before each timing")
    parser.add_argument("--serve", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return _serve(int(args.serve[0]), args.serve[1], args.data)
    try:
        import torch
    except ImportError:
        torch = None
    pins = {name: os.environ.get(name, "unset") for name in ("OPENBLAS_NUM_THREADS", "NUMBA_NUM_THREADS")}
    print(f"{baselines.machine()}; threads: {pins}; PyTorch: {torch.__version__ if torch else 'not installed'}")
    results = {}
    for index, case in enumerate(CASES):
        if args.only not in case[0]:
            continue
        wide = case[1][0] >= 512  # the engine's wide inputs, where its Gram matrix may pay (and numpy's)
        names = (["numpy"] + (["numpy Gram"] if wide else []) + ["engine"] + (["engine, direct steps"] if wide else [])
                 + ["engine, 1 thread"] + (["PyTorch"] if torch else []))
        contenders = {name: _Contender(index, name, args.data) for name in names}
        for condition in args.conditions.split(","):
            stolen = baselines.stolen_seconds()
            spinner = subprocess.Popen([sys.executable, "-c", SPIN]) if condition == "busy" else None
            try:
                medians = _rounds(contenders, args.rounds, args.seconds, args.pause)
            finally:
                if spinner is not None:
                    spinner.kill()
                    spinner.wait()
            results[f"{case[0]} | {condition}"] = medians
            engine = medians["engine"]
            line = "  ".join(f"{name} {value * 1e3:8.4f}" for name, value in medians.items())
            ratios = "  ".join(f"{name}/engine {value / engine:5.2f}x" for name, value in medians.items()
                               if name != "engine")
            print(f"{case[0]:28s} {condition:5s} ms/it: {line}\n{'':34s}{ratios}\n{'':34s}the host took "
                  f"{baselines.stolen_seconds() - stolen:.1f} s of the cores meanwhile (steal time)", flush=True)
        for contender in contenders.values():
            contender.close()
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
