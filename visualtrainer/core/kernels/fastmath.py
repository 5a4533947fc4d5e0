"""exp, tanh, σ and the cross-entropy's log(1 + e^(−|z|)) that LLVM can vectorise, for float32.

The C library's scalar functions stop a loop from being vectorised, and for a small network they are most of the
work. In float32 these are a polynomial after a range reduction (exp: z = n·ln 2 + r, |r| ≤ ln 2 / 2, and 2^n built
from its bits), within 3e-7 of the exact values (tests/core/test_fastmath.py). float64 keeps the C library's
functions, so the course's float64 results stay exact.

Kernels that call these must not allow reassociation (``_jit.ELEMENTWISE``): it would undo the two-part ln 2 of
the range reduction. Coefficients: least-squares fits on 4,000 Chebyshev nodes, relative error weighted.
"""

import math

import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic, overload

_f = np.float32
_LOG2E = _f(1.4426950408889634)
_LN2_HI = _f(0.693359375)  # ln 2 in two parts: n·_LN2_HI is exact for the n that occur
_LN2_LO = _f(-2.1219444005469057e-4)
_EXP_MIN, _EXP_MAX = _f(-87.0), _f(88.0)  # e^z for z outside is not a normal float32
# e^r = 1 + r + r²·(E0 + E1·r + E2·r² + E3·r³ + E4·r⁴) on |r| ≤ ln 2 / 2
_E0, _E1, _E2, _E3, _E4 = (_f(c) for c in (4.9999999420e-01, 1.6666577451e-01, 4.1666942692e-02, 8.3631257650e-03,
                                            1.3893831533e-03))
# tanh(a) = a + a³·(T0 + T1·a² + … + T4·a⁸) on |a| < 0.625; above, 1 − 2/(e^(2a) + 1)
_T0, _T1, _T2, _T3, _T4 = (_f(c) for c in (-3.3333328787e-01, 1.3332757289e-01, -5.3849347940e-02, 2.0990865929e-02,
                                            -6.0887081353e-03))
_TANH_SERIES, _TANH_ONE = _f(0.625), _f(9.5)  # from here on, tanh rounds to 1 in float32
# log(1 + t) = 2·atanh(s) = 2s·(A0 + A1·s² + … + A4·s⁸), s = t/(2 + t) ≤ 1/3 for t in (0, 1]
_A0, _A1, _A2, _A3, _A4 = (_f(c) for c in (1.0000000039e+00, 3.3333160203e-01, 2.0012325667e-01, 1.3982172352e-01,
                                            1.4080726883e-01))


@intrinsic
def _float32_from_bits(typingctx, bits):
    sig = types.float32(types.int32)

    def codegen(context, builder, sig, args):
        return builder.bitcast(args[0], ir.FloatType())

    return sig, codegen


def exp(z):
    """e^z."""
    return math.exp(z)


def tanh(z):
    """tanh(z)."""
    return math.tanh(z)


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z))."""
    return 1.0 / (1.0 + math.exp(-z))


def softplus_of_minus_abs(z):
    """log(1 + e^(−|z|)): the term of the cross-entropy computed from z that never overflows."""
    return math.log1p(math.exp(-abs(z)))


@overload(exp)
def _exp(z):
    if z != types.float32:
        return lambda z: math.exp(z)

    def exp32(z):
        z = min(max(z, _EXP_MIN), _EXP_MAX)
        y = z * _LOG2E
        n = np.int32(y + _f(128.5)) - np.int32(128)  # y rounded to the nearest integer (y + 128.5 > 0 truncates down)
        nf = _f(n)
        r = z - nf * _LN2_HI - nf * _LN2_LO
        e = _f(1.0) + r + r * r * ((((_E4 * r + _E3) * r + _E2) * r + _E1) * r + _E0)
        return e * _float32_from_bits((n + np.int32(127)) << np.int32(23))  # times 2^n

    return exp32


@overload(tanh)
def _tanh(z):
    if z != types.float32:
        return lambda z: math.tanh(z)

    def tanh32(z):
        a = min(abs(z), _TANH_ONE)
        u = a * a
        series = a + a * u * ((((_T4 * u + _T3) * u + _T2) * u + _T1) * u + _T0)
        t = series if a < _TANH_SERIES else _f(1.0) - _f(2.0) / (exp(a + a) + _f(1.0))
        return t if z >= _f(0.0) else -t

    return tanh32


@overload(sigmoid)
def _sigmoid(z):
    if z != types.float32:
        return lambda z: 1.0 / (1.0 + math.exp(-z))
    return lambda z: _f(1.0) / (_f(1.0) + exp(-z))


@overload(softplus_of_minus_abs)
def _softplus_of_minus_abs(z):
    if z != types.float32:
        return lambda z: math.log1p(math.exp(-abs(z)))

    def softplus32(z):
        t = exp(-abs(z))
        s = t / (_f(2.0) + t)
        v = s * s
        return _f(2.0) * s * ((((_A4 * v + _A3) * v + _A2) * v + _A1) * v + _A0)

    return softplus32
