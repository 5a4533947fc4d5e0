"""The kernels' float32 exp, tanh, σ and log(1 + e^(−|z|)) against numpy in float64, and float64 left exact."""

import math

import numpy as np
import pytest

from visualtrainer.core._jit import ELEMENTWISE, jit
from visualtrainer.core.kernels import fastmath as fm


@jit(fastmath=ELEMENTWISE)
def _apply(which, z, out):
    for i in range(z.shape[0]):
        if which == 0:
            out[i] = fm.exp(z[i])
        elif which == 1:
            out[i] = fm.tanh(z[i])
        elif which == 2:
            out[i] = fm.sigmoid(z[i])
        else:
            out[i] = fm.softplus_of_minus_abs(z[i])


_EXACT = {
    0: lambda z: np.exp(z),
    1: np.tanh,
    2: lambda z: 1.0 / (1.0 + np.exp(-z)),
    3: lambda z: np.log1p(np.exp(-np.abs(z))),
}


def _grid():
    """Every float32 step near 0, a dense sweep of the range the kernels meet, and the far tails."""
    return np.concatenate([np.linspace(-1e-3, 1e-3, 20001), np.linspace(-30, 30, 600001),
                           np.linspace(-100, 100, 20001), [0.0, -0.0, 0.625, -0.625, 9.0, -9.0]]).astype(np.float32)


@pytest.mark.parametrize("which, name", [(1, "tanh"), (2, "sigmoid"), (3, "softplus")])
def test_float32_functions_are_within_1e_6_of_numpy_in_float64(which, name):
    z = _grid()
    out = np.empty_like(z)
    _apply(which, z, out)
    exact = _EXACT[which](z.astype(np.float64))
    assert out.dtype == np.float32
    assert np.max(np.abs(out - exact)) < 1e-6, name


def test_float32_exp_is_within_3e_7_relative_over_the_normal_range():
    z = np.linspace(-87, 88, 700001).astype(np.float32)
    out = np.empty_like(z)
    _apply(0, z, out)
    exact = np.exp(z.astype(np.float64))
    assert np.max(np.abs(out - exact) / exact) < 3e-7


def test_tanh_keeps_its_relative_accuracy_near_zero_and_its_sign():
    z = np.array([1e-30, -1e-30, 1e-7, -1e-7, 1e-3, -0.3], dtype=np.float32)
    out = np.empty_like(z)
    _apply(1, z, out)
    np.testing.assert_allclose(out, np.tanh(z.astype(np.float64)), rtol=3e-7)


def test_extreme_inputs_stay_finite_and_saturate():
    z = np.array([-1e30, -200, 200, 1e30], dtype=np.float32)
    out = np.empty_like(z)
    _apply(2, z, out)
    np.testing.assert_allclose(out, [0.0, 0.0, 1.0, 1.0], atol=1e-30)
    _apply(1, z, out)
    np.testing.assert_array_equal(out, [-1.0, -1.0, 1.0, 1.0])
    _apply(3, z, out)
    assert np.all(np.isfinite(out)) and np.all(out >= 0)


@pytest.mark.parametrize("which", [0, 1, 2, 3])
def test_float64_uses_the_exact_library_functions(which):
    z = np.linspace(-20, 20, 4001)
    out = np.empty_like(z)
    _apply(which, z, out)
    exact = [math.exp, math.tanh, lambda v: 1.0 / (1.0 + math.exp(-v)), lambda v: math.log1p(math.exp(-abs(v)))]
    np.testing.assert_array_equal(out, [exact[which](v) for v in z])
