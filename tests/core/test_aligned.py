"""Inputs, parameters and the kernels' scratch start on a 64-byte boundary (a 512-bit load that straddles two
cache lines costs two), with their values intact."""

import numpy as np
import pytest

from visualtrainer.core import Network, aligned
from visualtrainer.core._jit import jit
from visualtrainer.core.kernels.wide import scratch
from visualtrainer.core.training import iter_training


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
@pytest.mark.parametrize("shape", [(7,), (3, 5), (130, 4096)])
def test_aligned_arrays_start_on_a_line_and_hold_their_values(dtype, shape):
    source = np.arange(np.prod(shape)).reshape(shape).astype(dtype)
    for out in (aligned.copy(source), aligned.copy(source.T), aligned.copy(source, np.float32)):
        assert out.ctypes.data % 64 == 0 and out.flags.c_contiguous and out.flags.writeable
    np.testing.assert_array_equal(aligned.copy(source.T), source.T)
    assert aligned.copy(source, np.float32).dtype == np.float32
    both = aligned.pair(source.reshape(-1))  # the double-buffered state: each row on a line, padded with zeros
    assert both.shape[0] == 2 and source.size <= both.shape[1] < source.size + 64
    assert both[0].ctypes.data % 64 == 0 and both[1].ctypes.data % 64 == 0
    np.testing.assert_array_equal(both[:, : source.size], [source.reshape(-1)] * 2)
    assert not both[:, source.size :].any()


@jit
def _scratch_addresses(cols):
    out = np.empty(3, dtype=np.int64)
    a = scratch(5, cols, np.float32)
    b = scratch(1, cols, np.uint8)[0]
    c = scratch(3, cols, np.float64)
    out[0], out[1], out[2] = a.ctypes.data % 64, b.ctypes.data % 64, c.ctypes.data % 64
    return out, a.sum() + b.sum() + c.sum(), a.shape[1] + c.shape[0]


def test_the_kernels_scratch_starts_on_a_line_zeroed():
    for cols in (64, 100, 1536):
        offsets, total, shape = _scratch_addresses(cols)
        assert list(offsets) == [0, 0, 0] and total == 0 and shape == cols + 3


def test_a_training_run_reads_pixels_and_state_on_lines_and_an_evaluation_copies_nothing():
    pixels = np.random.RandomState(0).randint(0, 256, (40, 4096)).astype(np.uint8)  # 160 KB: numpy maps it
    X, Y = pixels.T, np.random.RandomState(1).randint(0, 2, (1, 40))  # a dataset's layout: X.T is C-contiguous
    net = Network((4096, 3, 1), hidden_activation="relu", random_state=0)
    once = net.engine(X, Y).problem.data.XT
    assert np.shares_memory(once, pixels)  # an evaluation reads the dataset's pixels where they are
    assert net.engine(X.astype(float), Y, repeated=True).problem.data.XT.ctypes.data % 64 == 0
    training = iter_training(net, X, Y, 3)
    next(training)
    loop = training.gi_frame.f_locals["loop"]
    XT = loop.engine.problem.data.XT
    assert XT.ctypes.data % 64 == 0 and np.array_equal(XT, pixels)
    state = loop.state
    assert all(buffer[row].ctypes.data % 64 == 0 for buffer in (state.theta, state.v, state.s) for row in (0, 1))


def test_laid_out_keeps_an_array_that_is_already_on_a_line():
    ready = aligned.copy(np.arange(100.0))
    assert aligned.laid_out(ready) is ready
    for other in (np.arange(100.0)[1:], np.asfortranarray(np.ones((5, 7))), ready.astype(np.float32)):
        out = aligned.laid_out(other, np.float64)
        assert out.ctypes.data % 64 == 0 and out.flags.c_contiguous and out.dtype == np.float64
        np.testing.assert_array_equal(out, other)
