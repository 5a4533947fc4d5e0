"""The first layer's register blocks: each shape the kernels may use (4x4 where the CPU has 32 vector registers,
2x4 where it has 16) gives W[j : j + block, f0:f1] · x for four examples, a missing unit's row taken as zeros;
both are checked whichever this host compiles into the training kernels."""

import numpy as np
import pytest

from visualtrainer.core._jit import jit
from visualtrainer.core.kernels import wide


@jit
def _sums4(W, j, f0, f1, X, zeros):
    return wide._block_sums4(W, j, f0, f1, X[0, f0:f1], X[1, f0:f1], X[2, f0:f1], X[3, f0:f1], zeros)


@jit
def _sums2(W, j, f0, f1, X, zeros):
    return wide._block_sums2(W, j, f0, f1, X[0, f0:f1], X[1, f0:f1], X[2, f0:f1], X[3, f0:f1], zeros)


@pytest.mark.parametrize("block, sums", [(4, _sums4), (2, _sums2)])
@pytest.mark.parametrize("x_dtype", [np.uint8, np.float32])
def test_a_register_block_gives_its_units_products_with_four_examples(block, sums, x_dtype):
    rng = np.random.default_rng(block)
    W = rng.standard_normal((7, 300)).astype(np.float32)
    X = (rng.random((4, 300)) * 255).astype(x_dtype)
    f0, f1 = 37, 261  # a tile that starts and ends off a vector's width
    zeros = np.zeros(f1 - f0, np.float32)
    exact = W.astype(np.float64)[:, f0:f1] @ X.astype(np.float64)[:, f0:f1].T  # (7, 4)
    for j in range(0, 7, block):  # the last block runs past unit 6: its missing rows are zeros
        got = np.array(sums(W, j, f0, f1, X, zeros)).reshape(block, 4)
        want = np.zeros((block, 4))
        want[: min(block, 7 - j)] = exact[j : j + block]
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-3 * np.abs(exact).max())
