"""The sharpest curvature of J at θ: the largest eigenvalue λmax of the Hessian ∇²J, by power iteration on
Hessian-vector products taken from differences of gradients (no second derivatives, no P × P matrix).

Gradient descent θ ← θ − α·∇J multiplies the error along an eigenvector of ∇²J with eigenvalue λ by (1 − α·λ)
at each step: it shrinks while α·λ < 2 and grows past it. So 2/α is the line λmax must stay under; where it goes
above, the steps overshoot along the sharpest direction and J oscillates or diverges.
"""

import time
from dataclasses import dataclass

import numpy as np

from . import compiling

#: Power iterations at most, and the residual ‖H·v − λ·v‖ / |λ| under which the eigenpair has settled (the
#: estimate of λ is then good to about its square).
MAX_ITERATIONS = 60
RTOL = 1e-3


@dataclass(frozen=True)
class Curvature:
    """λmax of ∇²J at θ and how it was found.

    value : float
        The largest eigenvalue (an estimate: see ``converged``).
    vector : ndarray (P,)
        Its unit eigenvector (a warm start for the next estimate at a nearby θ).
    iterations, gradients : int
        Power iterations run, and gradients ∇J evaluated (two per Hessian-vector product).
    converged : bool
        Whether the estimate settled to ``rtol`` within the iterations allowed.
    seconds : float
    """

    value: float
    vector: np.ndarray
    iterations: int
    gradients: int
    converged: bool
    seconds: float


def difference_step(theta):
    """h for the centred difference of gradients along a unit vector at θ: ε^(1/3) of the parameters' scale
    (the truncation error, O(h²), against rounding, O(ε/h))."""
    theta = np.asarray(theta)
    scale = max(1.0, float(np.sqrt(np.mean(theta.astype(np.float64) ** 2))) if theta.size else 1.0)
    return float(np.finfo(np.float64).eps ** (1 / 3) * scale)


def hessian_vector(gradient, theta, v, h):
    """∇²J(θ)·v ≈ (∇J(θ + h·v) − ∇J(θ − h·v)) / (2h), for ``gradient`` θ (P,) → ∇J (P,)."""
    plus = np.asarray(gradient(theta + h * v), dtype=np.float64)
    minus = np.asarray(gradient(theta - h * v), dtype=np.float64)
    return (plus - minus) / (2.0 * h)


def _power(product, v, iterations, rtol, cancelled):
    """Power iteration on the symmetric map ``product``: (Rayleigh quotient, unit vector, iterations, converged).
    It finds the eigenvalue of largest magnitude, whatever its sign; it has settled when v is an eigenvector to
    ``rtol`` (the residual, not the estimate's change: that can stall for a while near another eigenvector)."""
    estimate, v = np.nan, v / np.linalg.norm(v)
    for k in range(1, iterations + 1):
        w = product(v)
        estimate = float(v @ w)
        norm = float(np.linalg.norm(w))
        if not (np.isfinite(estimate) and np.isfinite(norm)):
            raise ValueError(f"the Hessian-vector product is not finite at these parameters (vᵀHv = {estimate}).")
        if norm == 0.0:
            return 0.0, v, k, True
        settled = np.linalg.norm(w - estimate * v) <= rtol * abs(estimate)
        v = w / norm
        if settled or cancelled():
            return estimate, v, k, bool(settled)
    return estimate, v, iterations, False


def sharpest(gradient, theta, iterations=MAX_ITERATIONS, rtol=RTOL, start=None, seed=0, cancelled=lambda: False):
    """λmax of ∇²J at θ (P,), from ``gradient`` θ → ∇J (the engine's; see ``gradient_of``).

    Power iteration on v ← H·v / ‖H·v‖ with H·v from ``hessian_vector``, starting from a random vector drawn from
    ``seed``, or mostly from ``start`` (the previous eigenvector, when θ moved little). Power iteration finds the eigenvalue
    largest in magnitude; when that one is negative (a saddle), a second run on H − λ·I finds the largest.
    ``cancelled()`` is asked after each product. Returns a ``Curvature``.
    """
    began = time.perf_counter()
    theta = np.asarray(theta, dtype=np.float64)
    h = difference_step(theta)
    count = [0]

    def product(v):
        count[0] += 2
        return hessian_vector(gradient, theta, v, h)

    v = np.random.RandomState(seed).randn(theta.size)
    if start is not None and np.shape(start) == theta.shape and np.linalg.norm(start) > 0:
        # the previous eigenvector, with some of every direction: at a new θ another may have become the sharpest
        v = np.asarray(start, dtype=np.float64) / np.linalg.norm(start) + 0.3 * v / np.linalg.norm(v)
    value, v, runs, converged = _power(product, v, iterations, rtol, cancelled)
    if value < 0 and not cancelled():
        shift = value
        # The eigenvalues of H − shift·I are λ − shift ≥ 0: the largest is λmax − shift.
        top, w, more, converged = _power(lambda u: product(u) - shift * u, np.random.RandomState(seed + 1).randn(
            theta.size), iterations, rtol, cancelled)
        value, v, runs = top + shift, w, runs + more
    return Curvature(float(value), v, runs, count[0], bool(converged), time.perf_counter() - began)


def gradient_of(engine, l2=0.0, l1=0.0):
    """θ → ∇J (P,) of an ``engine.Engine`` (or its numpy twin), in its dtype, with the regularisation terms."""
    return lambda theta: engine.gradient(np.asarray(theta, dtype=engine.dtype), l2, l1)[1]


def float64_engine(net, X, Y):
    """The network's engine on X, Y in float64 (the curvature needs its precision), or its numpy twin while the
    float64 kernels compile in the background (``core.compiling``)."""
    engine = net.engine(X, Y, dtype="float64", repeated=True)
    kind = compiling.training_kind(engine)
    if compiling.in_background() and not compiling.ready(kind):
        if compiling.eager():
            compiling.start(kind)
        return engine.reference()
    return engine


def curvature(net, X, Y, theta=None, start=None, **options):
    """λmax of ∇²J for ``net``'s architecture, data X (n_x, m), Y and regularisation, at θ (default: its own);
    ``options`` as ``sharpest``. A float64 computation whatever the network's dtype."""
    engine = float64_engine(net, X, Y)
    theta = net.theta_ if theta is None else theta
    return sharpest(gradient_of(engine, float(net.l2), float(net.l1)), theta, start=start, **options)
