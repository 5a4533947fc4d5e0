"""The process that compiles a kind of kernels for ``core.compiling``: ``python -m visualtrainer.core.compile_worker
KIND PARENT_PID``. It runs the kernels of that kind on a tiny problem (so Numba compiles and caches exactly them),
marks the kind ready, and ends early if the process that started it is gone."""

import os
import sys
import threading
import time

import numpy as np

from . import contours
from .compiling import compile_lock, loaded
from .network import Network
from .surface import CostSlicer, Plane


def _watch_parent(parent):
    """End this process when the one that started it is gone (its kernels would be for nobody)."""
    while True:
        time.sleep(0.5)
        try:
            os.kill(parent, 0)
        except OSError:
            os._exit(0)


def _tiny_problem(path, inputs):
    rng = np.random.RandomState(0)
    n_x = 600 if path == "wide" else 2
    X = rng.randint(0, 256, (n_x, 8)).astype(np.uint8) if inputs == "uint8" else rng.randn(n_x, 8).astype(inputs)
    return X, rng.randint(0, 2, (1, 8))


def compile_kind(kind):
    """Compile (and cache) the kernels of ``kind`` by running them on a tiny problem of that kind."""
    if kind == contours.KIND:
        with compile_lock(kind):
            grid = np.linspace(0.0, 1.0, 4)
            contours.contour_segments(np.add.outer(grid, grid), grid, grid, np.array([0.5, 1.0]))
        loaded(kind)
        return
    what, path, dtype, inputs = kind.split("-")
    X, Y = _tiny_problem(path, inputs)
    with compile_lock(kind):  # everything this process compiles, as one
        if what == "train":
            net = Network((X.shape[0], 3, 1), dtype=dtype, random_state=0).fit(X, Y, 2)
            net.engine(X, Y).gradient(net.theta_)
        else:
            net = Network((X.shape[0], 3, 1), dtype="float64", random_state=0).initialize()
            size = net.layout.size
            plane = Plane("random", np.eye(size)[0], np.eye(size)[1], ("a", "b"))
            CostSlicer(net, X, Y).costs(net.theta_, plane, np.linspace(-1, 1, 3), np.linspace(-1, 1, 3))
    loaded(kind)


if __name__ == "__main__":
    threading.Thread(target=_watch_parent, args=(int(sys.argv[2]),), daemon=True).start()
    compile_kind(sys.argv[1])
