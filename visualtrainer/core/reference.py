"""The engine's math in plain numpy, as the course writes it: the reference the compiled kernels are tested
against, and the engine itself while they compile (a first launch trains at once).

Same arguments, same results: ``ReferenceEngine`` has the calls of ``engine.Engine`` (evaluate, gradient, train)
and fills the same bundles (``kernels.bundles``) the same way: costs before each update, double-buffered
parameters, a roll-back on a bad cost, the same stopping rules. In float64 it agrees with the kernels to rounding
(1e-12, tests/core/test_reference.py); in float32 the kernels' exp and tanh differ from numpy's by < 3e-7.
"""

import math

import numpy as np

from .activations import BY_CODE, SOFTMAX
from .kernels import bundles as B
from .kernels.layers import CROSS_ENTROPY
from .kernels.optim import ADAM, GD, GRADIENT, MOMENTUM, RMSPROP


def g(code, Z):
    """A = g(Z) for an activation code; Z (n, mb)."""
    return BY_CODE[code].g(Z)


def g_backward(code, Z, A, dA):
    """dZ = dA · g'(Z) (softmax: its Jacobian times dA)."""
    return BY_CODE[code].backward(Z, A, dA)


class ReferenceEngine:
    """The kernels' calls in numpy, on the same ``Problem`` (``engine.Engine``'s arguments)."""

    def __init__(self, layout, act_codes, loss_code, problem):
        self.layout = layout
        self.acts = [int(code) for code in act_codes]
        self.loss = loss_code
        self.problem = problem
        self.dtype = problem.Y.dtype
        self._X = None  # the inputs (n_x, m) as floats, made once

    # -- one batch ----------------------------------------------------------------------------------------------
    def inputs(self, rows):
        """A[0] (n_x, mb) of the examples ``rows``, in the parameters' dtype (pixels scaled)."""
        if self._X is None:
            data = self.problem.data
            self._X = ((data.XT.T * self.dtype.type(data.scale)).astype(self.dtype) if self.problem.wide
                       else data.X)
        if len(rows) == self.problem.m and rows[0] == 0 and np.all(np.diff(rows) == 1):
            return self._X
        return self._X[:, rows]

    def params(self, theta):
        return [(theta[self.layout.weight_slice(l)].reshape(int(self.layout.dims[l]), int(self.layout.dims[l - 1])),
                 theta[self.layout.bias_slice(l)].reshape(-1, 1)) for l in range(1, self.layout.L + 1)]

    def forward(self, theta, X):
        """[(A_prev, Z, A)] for every layer."""
        caches = []
        A = X
        for (W, b), code in zip(self.params(theta), self.acts):
            Z = W @ A + b
            caches.append((A, Z, g(code, Z)))
            A = caches[-1][2]
        return caches

    def loss_and_dZ(self, Z, A, Y):
        """(Σ loss over the batch, ∂(mean loss)/∂Z[L])."""
        mb = Z.shape[1]
        if self.loss == CROSS_ENTROPY:
            if self.acts[-1] == SOFTMAX:
                top = Z.max(axis=0, keepdims=True)
                lse = top + np.log(np.exp(Z - top).sum(axis=0, keepdims=True))
                total = float((Y * (lse - Z)).sum(dtype=np.float64))
            else:
                total = float((np.maximum(Z, 0) - Z * Y + np.log1p(np.exp(-np.abs(Z)))).sum(dtype=np.float64))
            return total, (A - Y) / self.dtype.type(mb)
        diff = A - Y
        return float((0.5 * diff * diff).sum(dtype=np.float64)), g_backward(self.acts[-1], Z, A, diff / mb)

    @np.errstate(over="ignore", invalid="ignore", divide="ignore")  # a diverging run overflows: the checks see it
    def cost_and_gradient(self, theta, rows, l2, l1=0.0):
        """(J with its regularisation terms, ∇J (P,)) over the examples ``rows``."""
        X = self.inputs(rows)
        Y = self.problem.Y[:, rows]
        mb = len(rows)
        caches = self.forward(theta, X)
        loss, dZ = self.loss_and_dZ(caches[-1][1], caches[-1][2], Y)
        grad = np.empty_like(theta)
        params = self.params(theta)
        for l in range(self.layout.L, 0, -1):
            A_prev, Z, A = caches[l - 1]
            if l < self.layout.L:
                dZ = g_backward(self.acts[l - 1], Z, A, dA)
            W = params[l - 1][0]
            dW = dZ @ A_prev.T
            if l2 > 0:
                dW += self.dtype.type(l2 / mb) * W
            if l1 > 0:
                dW += self.dtype.type(l1 / mb) * np.sign(W)
            grad[self.layout.weight_slice(l)] = dW.ravel()
            grad[self.layout.bias_slice(l)] = dZ.sum(axis=1)
            dA = W.T @ dZ
        return loss / mb + _penalty(params, l2, l1) / mb, grad

    # -- the Engine's calls ---------------------------------------------------------------------------------------
    @np.errstate(over="ignore", invalid="ignore", divide="ignore")
    def evaluate(self, theta, l2=0.0, with_cost=False, l1=0.0):
        """(A[L] (n[L], m), J or NaN) at θ over every example."""
        theta = np.asarray(theta, dtype=self.dtype)
        rows = np.arange(self.problem.m)
        caches = self.forward(theta, self.inputs(rows))
        if not with_cost:
            return caches[-1][2], float("nan")
        loss, _ = self.loss_and_dZ(caches[-1][1], caches[-1][2], self.problem.Y)
        return caches[-1][2], (loss + _penalty(self.params(theta), l2, l1)) / self.problem.m

    def gradient(self, theta, l2=0.0, l1=0.0):
        """(J, ∇J (P,)) at θ over every example."""
        return self.cost_and_gradient(np.asarray(theta, dtype=self.dtype), np.arange(self.problem.m), l2, l1)

    def train(self, opt, state, run, batch, members=None):
        """One call of the training loop: as ``kernels.train``, step by step (in this thread alone)."""
        size = self.layout.size  # the state's rows may be padded to whole cache lines; views of the first P
        self._train(opt, state._replace(theta=state.theta[:, :size], v=state.v[:, :size], s=state.s[:, :size]), run)
        return 0.0

    def _train(self, opt, state, run):
        m = run.order.shape[1]
        mb_max = m if run.batch <= 0 else min(run.batch, m)
        n_batches = -(-m // mb_max)
        epoch_cost = epoch_norm = 0.0
        for step in range(run.costs.shape[0] * n_batches):
            epoch, b = divmod(step, n_batches)
            rows = run.order[epoch % run.order.shape[0]][b * mb_max : min(m, (b + 1) * mb_max)]
            cur = int(state.info[B.CURRENT])
            cost, grad = self.cost_and_gradient(state.theta[cur], rows, opt.l2, opt.l1)
            if not (math.isfinite(cost) and cost <= run.blowup):
                return self._bad_cost(state, run, epoch, step, n_batches, cost)
            finite = _step(opt, state, grad)
            gnorm = math.sqrt(float((grad.astype(np.float64) ** 2).sum()))
            epoch_cost += cost * len(rows)
            epoch_norm += gnorm
            reason = (B.NONFINITE_COST if not math.isfinite(gnorm) else
                      B.CONVERGED if n_batches == 1 and gnorm < run.tol else
                      B.NONFINITE_PARAMS if not finite else -1)
            if reason >= 0:
                run.costs[epoch], run.gnorms[epoch] = cost, gnorm
                run.out[:3] = epoch, reason, epoch + 1
                return
            state.info[B.CURRENT] = 1 - cur
            state.info[B.UPDATES] += 1
            state.info[B.HAS_PREVIOUS] = 1
            last = b == n_batches - 1
            if last:
                run.costs[epoch], run.gnorms[epoch] = epoch_cost / m, epoch_norm / n_batches
                epoch_cost = epoch_norm = 0.0
                done = run.first + epoch + 1
                if run.trace_every > 0 and done % run.trace_every == 0:
                    run.trace[done // run.trace_every - run.first // run.trace_every - 1] = state.theta[1 - cur]
            run.out[B.RAN] = run.out[B.RECORDED] = epoch + 1 if last else epoch
            if last and n_batches > 1 and run.gnorms[epoch] < run.tol:
                run.out[B.REASON] = B.CONVERGED
                return
            if run.interrupt[0] != 0:
                if not last:
                    run.costs[epoch] = epoch_cost / (b * mb_max + len(rows))
                    run.gnorms[epoch] = epoch_norm / (b + 1)
                    run.out[B.RAN] = run.out[B.RECORDED] = epoch + 1
                run.out[B.REASON] = B.INTERRUPTED
                return

    @staticmethod
    def _bad_cost(state, run, epoch, step, n_batches, cost):
        run.costs[epoch], run.gnorms[epoch] = cost, np.nan
        run.out[:3] = epoch, B.NONFINITE_COST if not math.isfinite(cost) else B.BLEW_UP, epoch + 1
        if state.info[B.HAS_PREVIOUS] == 1:
            state.info[B.CURRENT] = 1 - state.info[B.CURRENT]
            state.info[B.UPDATES] -= 1
            state.info[B.HAS_PREVIOUS] = 0
            run.out[B.ROLLED_BACK] = 1
            if step == epoch * n_batches:
                run.out[B.RAN] = epoch - 1


def _penalty(params, l2, l1):
    """½λ2·Σ‖W‖² + λ1·Σ|W| (before the 1/m)."""
    total = 0.0
    for W, _ in params:
        W = W.astype(np.float64)
        total += (0.5 * l2 * float((W * W).sum()) if l2 > 0 else 0.0) + (l1 * float(np.abs(W).sum()) if l1 > 0 else 0.0)
    return total


def _step(opt, state, grad):
    """θ' (and the averages) into the other buffer; returns whether θ' is finite."""
    cur = int(state.info[B.CURRENT])
    nxt = 1 - cur
    t = state.theta.dtype.type
    lr, beta1, beta2, eps = t(opt.lr), t(opt.beta1), t(opt.beta2), t(opt.eps)
    theta, v, s = state.theta[cur], state.v[cur], state.s[cur]
    if opt.code == GD:
        state.theta[nxt] = theta - lr * grad
    elif opt.code == GRADIENT:
        state.theta[nxt] = grad
    elif opt.code == MOMENTUM:
        state.v[nxt] = beta1 * v + (1 - beta1) * grad
        state.theta[nxt] = theta - lr * state.v[nxt]
    elif opt.code == RMSPROP:
        state.s[nxt] = beta2 * s + (1 - beta2) * grad * grad
        state.theta[nxt] = theta - lr * grad / (np.sqrt(state.s[nxt]) + eps)
    elif opt.code == ADAM:
        step = state.info[B.UPDATES] + 1
        fix1, fix2 = t(1.0 - opt.beta1**step), t(1.0 - opt.beta2**step)
        state.v[nxt] = beta1 * v + (1 - beta1) * grad
        state.s[nxt] = beta2 * s + (1 - beta2) * grad * grad
        state.theta[nxt] = theta - lr * (state.v[nxt] / fix1) / (np.sqrt(state.s[nxt] / fix2) + eps)
    return bool(np.all(np.isfinite(state.theta[nxt])))



def plane_costs(layout, acts, loss, planes, plane, Y, penalty, alphas, betas):
    """costs[j, i] = J at θc + alphas[i]·d1 + betas[j]·d2, as ``surface_kernels.plane_costs`` computes it, with a
    row of the grid at a time as arrays (the first layer from its planes Z0, P1, P2 (3, n[1], m)); ``plane`` and
    ``penalty`` as there."""
    centre, d1, d2 = plane
    l2, quad, l1, weights = penalty
    costs = np.empty((len(betas), len(alphas)))
    m = Y.shape[1]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for j, b in enumerate(betas):
            a = alphas[:, None, None]
            Z = planes[0] + a * planes[1] + b * planes[2]  # (k, n[1], m), one slice a value of a
            A = _batched_g(acts[0], Z)
            for l in range(2, layout.L + 1):
                shape = (int(layout.dims[l]), int(layout.dims[l - 1]))
                W = (centre[layout.weight_slice(l)] + a * d1[layout.weight_slice(l)]
                     + b * d2[layout.weight_slice(l)]).reshape(-1, *shape)
                bias = (centre[layout.bias_slice(l)] + a * d1[layout.bias_slice(l)]
                        + b * d2[layout.bias_slice(l)]).reshape(-1, shape[0], 1)
                Z = W @ A + bias
                A = _batched_g(acts[l - 1], Z)
            costs[j] = _batched_loss(acts[-1], loss, Z, A, Y) / m
            if l2 > 0:
                al = alphas
                squares = (quad[0] + 2 * al * quad[1] + 2 * b * quad[2] + al * al * quad[3] + 2 * al * b * quad[4]
                           + b * b * quad[5])
                costs[j] += 0.5 * l2 / m * squares
            if l1 > 0:
                costs[j] += l1 / m * np.abs(weights[0] + np.outer(alphas, weights[1]) + b * weights[2]).sum(axis=1)
    return costs


def _batched_g(code, Z):
    """g over (k, n, m): softmax along the units' axis."""
    if code != SOFTMAX:
        return g(code, Z)
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def _batched_loss(out_code, loss, Z, A, Y):
    """Σ loss over the examples for each of k networks: Z, A (k, n_y, m), Y (n_y, m)."""
    if loss == CROSS_ENTROPY and out_code == SOFTMAX:
        top = Z.max(axis=1, keepdims=True)
        lse = top + np.log(np.exp(Z - top).sum(axis=1, keepdims=True))
        return (Y * (lse - Z)).sum(axis=(1, 2))
    if loss == CROSS_ENTROPY:
        return (np.maximum(Z, 0) - Z * Y + np.log1p(np.exp(-np.abs(Z)))).sum(axis=(1, 2))
    return (0.5 * (A - Y) ** 2).sum(axis=(1, 2))


def weight_quadratic(layout, centre, d1, d2):
    """(c00, c01, c02, c11, c12, c22) with Σ‖W[l]‖² at θc + a·d1 + b·d2 = c00 + 2a·c01 + 2b·c02 + a²·c11 + 2ab·c12
    + b²·c22, as ``surface_kernels.weight_quadratic``."""
    parts = [layout.weight_slice(l) for l in range(1, layout.L + 1)]
    w, u, v = (np.concatenate([x[s] for s in parts]) for x in (centre, d1, d2))
    return np.array([w @ w, w @ u, w @ v, u @ u, u @ v, v @ v])
