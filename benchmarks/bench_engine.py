"""Engine against plain numpy, in one run on the same data: ms per iteration and the ratio.

Cat vs non-cat, float32, full-batch gradient descent: logistic regression (12288-1) and a 12288-7-1 ReLU network,
2000 iterations each (``--iterations`` to change). Pin the threads so both sides get the same cores:

    OPENBLAS_NUM_THREADS=2 NUMBA_NUM_THREADS=2 .venv/bin/python benchmarks/bench_engine.py

The numpy side is the course's code (tests/numpy_course.py) on X/255 in float32; the engine reads the uint8 pixels.
Also times the tiny flower network (2-4-1 tanh, 400 points) in iterations a second.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import h5py
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import numpy_course  # noqa: E402
from visualtrainer.core import Network  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "catvnoncat" / "train_catvnoncat.h5"


def _time(function, repeat=3):
    best = np.inf
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - began)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--data", default=str(DATA))
    args = parser.parse_args()
    threads = {name: os.environ.get(name, "unset") for name in ("OPENBLAS_NUM_THREADS", "NUMBA_NUM_THREADS")}
    print(f"threads: {threads}; iterations: {args.iterations}")
    with h5py.File(args.data) as f:
        x, y = f["train_set_x"][:], f["train_set_y"][:].reshape(1, -1)
    X = x.reshape(len(x), -1).T
    Xf, Yf = (X / 255).astype(np.float32), y.astype(np.float32)
    n = args.iterations
    for name, dims, hidden, init in (("logistic regression 12288-1", (12288, 1), [], "zeros"),
                                     ("ReLU network 12288-7-1", (12288, 7, 1), ["relu"], "small")):
        acts = hidden + ["sigmoid"]
        net = Network(dims, hidden_activation="relu", init=init, learning_rate=0.005, dtype="float32",
                      random_state=1)
        net.fit(X, y, 2)  # load the compiled kernels
        engine = _time(lambda: net.fit(X, y, n), repeat=2) / n
        plain = _time(lambda: numpy_course.train(Xf, Yf, dims, acts, 0.005, n // 10, init=init,
                                                 dtype=np.float32), repeat=2) / (n // 10)
        print(f"{name:30s} numpy {plain * 1e3:7.3f} ms/it   engine {engine * 1e3:7.3f} ms/it   "
              f"ratio {plain / engine:5.2f}x")
    rng = np.random.RandomState(1)
    Xs = rng.randn(2, 400)
    Ys = (Xs[0:1] * Xs[1:2] > 0).astype(int)
    small = Network((2, 4, 1), hidden_activation="tanh", learning_rate=1.2, init="small", dtype="float32")
    small.fit(Xs, Ys, 2)
    seconds = _time(lambda: small.fit(Xs, Ys, 20000), repeat=2)
    np.seterr(all="ignore")  # the course's cost logs 0 once the XOR points are fitted
    plain = _time(lambda: numpy_course.train(Xs.astype(np.float32), Ys.astype(np.float32), (2, 4, 1),
                                             ["tanh", "sigmoid"], 1.2, 2000, init="small", dtype=np.float32)) / 2000
    print(f"{'flower-size 2-4-1 tanh, m=400':30s} numpy {1 / plain:9,.0f} it/s  engine {20000 / seconds:9,.0f} it/s  "
          f"ratio {plain * 20000 / seconds:5.2f}x")


if __name__ == "__main__":
    main()
