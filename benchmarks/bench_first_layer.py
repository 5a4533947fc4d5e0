"""The first layer of a picture network on one thread: its two passes against this core's multiply-add rate.

    nice -n -19 .venv/bin/python benchmarks/bench_first_layer.py

The rate: the kernels' own register block (``kernels.wide._block_sums``: 4x4, or 2x4 where the CPU has only 16
vector registers) on float32 rows that stay in the L1 cache,
GFMA/s (multiply-adds a second). The passes: Z[1] = W[1]·X and dW[1] = dZ[1]·Xᵀ over the 209 cat pictures
(uint8, converted as read), tile by tile as a training step runs them, for 7 and 20 units; dZ[1] is zero where a
ReLU unit is off, in the pattern of the network after 100 iterations of training (the gradient skips a unit that
is off for a group of four examples). Best of 7 runs of 20 passes each.
"""

import sys
import time
from pathlib import Path

import h5py
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from visualtrainer.core import Network, aligned  # noqa: E402
from visualtrainer.core._jit import jit  # noqa: E402
from visualtrainer.core.engine import _tile  # noqa: E402
from visualtrainer.core.kernels.wide import UNIT_BLOCK, _block_sums, tile_forward, tile_gradient  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "catvnoncat" / "train_catvnoncat.h5"


@jit
def _peak(rows, reps):
    total = 0.0
    n = rows.shape[1]
    for _ in range(reps):
        sums = _block_sums(rows, 0, 0, n, rows[4], rows[5], rows[6], rows[7], rows[0])
        total += sums[0] + sums[-1]
    return total


@jit
def _forward(W, XT, rows, tile, part, xf, spare, reps):
    nx = XT.shape[1]
    for _ in range(reps):
        for f0 in range(0, nx, tile):
            tile_forward(W, XT, rows, f0, min(nx, f0 + tile), part, xf, spare, f0 > 0)


@jit
def _gradient(dZ, XT, rows, tile, g, xf, spare, d, reps):
    nx = XT.shape[1]
    for _ in range(reps):
        for f0 in range(0, nx, tile):
            tile_gradient(dZ, XT, rows, f0, min(nx, f0 + tile), np.float32(1.0), g, xf, spare, d)


def _best(run, reps, tries=7):
    run(1)
    best = np.inf
    for _ in range(tries):
        start = time.perf_counter()
        run(reps)
        best = min(best, (time.perf_counter() - start) / reps)
    return best


def main():
    with h5py.File(DATA) as f:
        x, y = f["train_set_x"][:], f["train_set_y"][:].reshape(1, -1)
    X = x.reshape(len(x), -1).T
    XT = aligned.copy(X.T)  # as the engine lays the data out: every array starts on a cache line
    m, nx = XT.shape
    rows = np.arange(m)
    block = aligned.copy(np.random.default_rng(0).random((8, 1024)), np.float32)
    reps = 200_000
    peak = 4 * UNIT_BLOCK * 1024 * reps / _best(lambda r: _peak(block, r), reps) / reps / 1e9
    print(f"one core, float32, {UNIT_BLOCK}x4 register block in L1: {peak:.0f} GFMA/s")
    for n1 in (7, 20):
        net = Network((nx, n1, 1), hidden_activation="relu", init="small", learning_rate=0.0075, dtype="float32",
                      random_state=1).fit(X, y, 100)
        W = aligned.copy(net.params_["W1"])
        on = (W @ (X / 255.0) + net.params_["b1"]) > 0
        dZ = (np.random.default_rng(1).standard_normal((n1, m)) * on).astype(np.float32)
        tile = _tile(nx, n1)
        part = np.zeros((n1, m), np.float32)
        xf, spare = aligned.copy(np.zeros((5, tile)), np.float32), aligned.copy(np.zeros(tile), np.uint8)
        g, d = aligned.empty((n1 + 1, tile), np.float32), np.zeros((n1 + 1, 4), np.float32)
        forward = _best(lambda r: _forward(W, XT, rows, tile, part, xf, spare, r), 20)
        gradient = _best(lambda r: _gradient(dZ, XT, rows, tile, g, xf, spare, d, r), 20)
        fma = n1 * nx * m
        print(f"{nx}-{n1}, tiles of {tile}, {on.mean():.0%} of Z[1] on: Z[1] {forward * 1e3:.3f} ms "
              f"({fma / forward / 1e9:.0f} GFMA/s, {fma / forward / 1e9 / peak:.0%} of the rate), dW[1] "
              f"{gradient * 1e3:.3f} ms ({fma / gradient / 1e9:.0f} GFMA/s counting every product)")


if __name__ == "__main__":
    main()
