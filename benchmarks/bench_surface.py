"""Cost surfaces against plain numpy, in one run on the same data: ms per 101×101 surface and the ratio.

Cat vs non-cat (209 pictures, float64): logistic regression (12288-1) and a 12288-7-1 tanh network, each trained
briefly to have a path, on the plane of the path's principal components. The numpy side evaluates the network at
each grid point (θ = θc + a·d1 + b·d2, then a forward pass over X/255 with BLAS); it is timed on ``--sample``
points and scaled to the grid, since the whole grid takes minutes. Also times the contour lines: ours (compiled
marching squares) against pyqtgraph's ``isocurve``, which IsocurveItem uses, for 8 levels on the same grid.
Pin the threads so both sides get the same cores:

    OPENBLAS_NUM_THREADS=2 NUMBA_NUM_THREADS=2 .venv/bin/python benchmarks/bench_surface.py
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from visualtrainer.core import Network, iter_training  # noqa: E402
from visualtrainer.core.contours import contour_levels, contour_segments  # noqa: E402
from visualtrainer.core.surface import CostSlicer, PathRecorder, compute_surface, pca_plane  # noqa: E402
from visualtrainer.data import load_dataset  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "catvnoncat" / "train_catvnoncat.h5"


def numpy_cost(theta, layer_dims, activations, X, Y):
    """J(θ) by a plain numpy forward pass (X already scaled, float64; the output is a sigmoid)."""
    A, offset = X, 0
    for l in range(1, len(layer_dims)):
        rows, cols = layer_dims[l], layer_dims[l - 1]
        W = theta[offset : offset + rows * cols].reshape(rows, cols)
        offset += rows * cols
        b = theta[offset : offset + rows].reshape(rows, 1)
        offset += rows
        Z = W @ A + b
        A = np.tanh(Z) if activations[l - 1] == "tanh" else 1 / (1 + np.exp(-Z))
    return float(np.mean(np.logaddexp(0, Z) - Y * Z))  # the cross-entropy of σ(Z), computed stably


def best_of(function, repeat):
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - began)
    return min(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", type=int, default=101)
    parser.add_argument("--sample", type=int, default=60, help="grid points the numpy side is timed on")
    parser.add_argument("--data", default=str(DATA))
    args = parser.parse_args()
    threads = {name: os.environ.get(name, "unset") for name in ("OPENBLAS_NUM_THREADS", "NUMBA_NUM_THREADS")}
    print(f"threads: {threads}; grid {args.grid}×{args.grid}")
    data = load_dataset(args.data)
    X = data.X_train / 255.0
    Y = data.Y_train.astype(np.float64)
    alphas = betas = np.linspace(-1.0, 1.0, args.grid)
    for name, dims, hidden in (("logistic regression 12288-1", (12288, 1), "tanh"),
                               ("tanh network 12288-7-1", (12288, 7, 1), "tanh")):
        net = Network(dims, hidden_activation=hidden, init="xavier", learning_rate=0.0075, dtype="float64",
                      random_state=1).initialize()
        recorder = PathRecorder(net.theta_.size)
        recorder.add(0, net.theta_)
        for snap in iter_training(net, data.X_train, data.Y_train, 60, trace_every=3):
            for it, theta in zip(snap.trace_iterations, snap.trace):
                recorder.add(it, theta)
        path = recorder.points
        plane = pca_plane(path)
        slicer = CostSlicer(net, data.X_train, data.Y_train)
        centre = path[-1]
        slicer.costs(centre, plane, alphas[:3], betas[:3])  # load the compiled kernels
        fast, costs = best_of(lambda: slicer.costs(centre, plane, alphas, betas), 5)
        rng = np.random.RandomState(0)
        picks = [(rng.randint(args.grid), rng.randint(args.grid)) for _ in range(args.sample)]
        activations = [hidden] * (len(dims) - 2) + ["sigmoid"]

        def plain():
            return [numpy_cost(centre + alphas[i] * plane.d1 + betas[j] * plane.d2, dims, activations, X, Y)
                    for j, i in picks]

        sampled, values = best_of(plain, 2)
        per_point = sampled / args.sample
        worst = max(abs(costs[j, i] - v) for (j, i), v in zip(picks, values))
        whole = per_point * args.grid**2
        print(f"{name:30s} numpy {whole * 1e3:9.0f} ms ({per_point * 1e3:.2f} ms/point)   "
              f"surface {fast * 1e3:6.1f} ms   ratio {whole / fast:7.0f}x   max |diff| {worst:.1e}")
        window = min(compute_surface(slicer, plane, path, args.grid).seconds for _ in range(5))
        print(f"{'':30s} the same on the window's grid (fitted to the path): {window * 1e3:.1f} ms")

    import pyqtgraph as pg

    values = np.log10(costs)
    levels = contour_levels(values, 8)
    xs = ys = alphas
    contour_segments(values, xs, ys, levels)
    ours, _ = best_of(lambda: contour_segments(values, xs, ys, levels), 20)
    theirs, _ = best_of(lambda: [pg.functions.isocurve(values, level, connected=True) for level in levels], 3)
    print(f"contours, 8 levels on {args.grid}×{args.grid}: pyqtgraph isocurve {theirs * 1e3:.1f} ms   "
          f"ours {ours * 1e3:.2f} ms   ratio {theirs / ours:.0f}x")


if __name__ == "__main__":
    main()
