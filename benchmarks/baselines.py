"""The strongest alternatives a user has, written as a user who knows them would: numpy for BLAS, and PyTorch CPU.

Both train the same network as the engine with full-batch gradient descent on the same data, in float32: the
numpy loop keeps X/255 in float32 once and orients every product for BLAS (a matrix-vector product where there is
one output: w.T @ X, X @ dZ.T); the PyTorch loop uses autograd and a fused sigmoid cross-entropy.
"""

import os

import numpy as np

_G = {"relu": lambda z: np.maximum(z, 0), "tanh": np.tanh, "sigmoid": lambda z: 1 / (1 + np.exp(-z))}


def _g_prime(name, Z, A):
    if name == "relu":
        return Z > 0
    if name == "tanh":
        return 1 - A * A
    return A * (1 - A)


def init(layer_dims, seed=1, scale=0.01, dtype=np.float32):
    rng = np.random.RandomState(seed)
    Ws = [(rng.randn(layer_dims[l], layer_dims[l - 1]) * scale).astype(dtype) for l in range(1, len(layer_dims))]
    bs = [np.zeros((layer_dims[l], 1), dtype=dtype) for l in range(1, len(layer_dims))]
    return Ws, bs


def numpy_loop(X, Y, layer_dims, hidden, lr, n_iterations):
    """Gradient descent on X (n_x, m) float32, Y (1, m); a sigmoid output and cross-entropy. Returns the last cost."""
    Ws, bs = init(layer_dims)
    m = X.shape[1]
    acts = [hidden] * (len(layer_dims) - 2) + ["sigmoid"]
    cost = np.nan
    for _ in range(n_iterations):
        A, cache = X, []
        for W, b, name in zip(Ws, bs, acts):
            Z = W @ A + b
            A_next = _G[name](Z)
            cache.append((A, Z, A_next))
            A = A_next
        cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
        dZ = (A - Y) / m
        for l in range(len(Ws) - 1, -1, -1):
            A_prev, Z, A_l = cache[l]
            if l < len(Ws) - 1:
                dZ = dA * _g_prime(acts[l], Z, A_l)
            dW = (A_prev @ dZ.T).T if Ws[l].shape[0] == 1 else dZ @ A_prev.T
            db = dZ.sum(axis=1, keepdims=True)
            if l > 0:
                dA = Ws[l].T @ dZ
            Ws[l] -= lr * dW
            bs[l] -= lr * db
    return float(cost)


def numpy_gram_loop(X, Y, layer_dims, hidden, lr, n_iterations):
    """``numpy_loop`` as one who knows the engine's trick would write it (``kernels.gram``): W[1] kept as
    W0 + C·Xᵀ, Z[1] = W0·X + C·K with K = XᵀX made once (sgemm), W[1] formed at the end; every cost counted."""
    Ws, bs = init(layer_dims)
    m = X.shape[1]
    acts = [hidden] * (len(layer_dims) - 2) + ["sigmoid"]
    K = X.T @ X
    Z0 = Ws[0] @ X
    C = np.zeros((layer_dims[1], m), dtype=X.dtype)
    cost = np.nan
    for _ in range(n_iterations):
        Z = Z0 + C @ K + bs[0]
        A = _G[acts[0]](Z)
        cache = [(None, Z, A)]
        for W, b, name in zip(Ws[1:], bs[1:], acts[1:]):
            A_prev, Z = A, W @ A + b
            A = _G[name](Z)
            cache.append((A_prev, Z, A))
        cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
        dZ = (A - Y) / m
        for l in range(len(Ws) - 1, -1, -1):
            A_prev, Z, A_l = cache[l]
            if l < len(Ws) - 1:
                dZ = dA * _g_prime(acts[l], Z, A_l)
            db = dZ.sum(axis=1, keepdims=True)
            if l > 0:
                dA = Ws[l].T @ dZ
                Ws[l] -= lr * (dZ @ A_prev.T)
            else:
                C -= lr * dZ
            bs[l] -= lr * db
    Ws[0] += C @ X.T
    return float(cost)


def torch_loop(torch, X, Y, layer_dims, hidden, lr, n_iterations):
    """The same with PyTorch tensors (``torch`` the imported module)."""
    Ws, bs = init(layer_dims)
    Ws = [torch.from_numpy(W).requires_grad_() for W in Ws]
    bs = [torch.from_numpy(b).requires_grad_() for b in bs]
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
    g = {"relu": torch.relu, "tanh": torch.tanh}[hidden]
    loss = None
    for _ in range(n_iterations):
        A = Xt
        for l, (W, b) in enumerate(zip(Ws, bs)):
            Z = W @ A + b
            A = Z if l == len(Ws) - 1 else g(Z)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(A, Yt)
        for p in Ws + bs:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in Ws + bs:
                p -= lr * p.grad
    return float(loss.detach())


def stolen_seconds():
    """CPU seconds the machine's host has taken from its cores since boot (Linux's steal time; 0 where it cannot be
    read): a virtual machine whose host stops its cores makes every figure of the time meanwhile worthless."""
    try:
        with open("/proc/stat") as stat:
            fields = stat.readline().split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def machine():
    """The CPU a run measured (its model, cores and widest vectors): figures from different machines of this
    workplace (AVX-512 Xeons, AVX2 EPYCs) differ by more than any change measured on one."""
    import platform

    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            lines = info.read().splitlines()
        model = next(line.split(":", 1)[1].strip() for line in lines if line.startswith("model name"))
        flags = next(line.split(":", 1)[1].split() for line in lines if line.startswith("flags"))
        vectors = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "no AVX2"
    except (OSError, StopIteration):
        vectors = "vectors unknown"
    return f"{model}, {os.cpu_count()} cores, {vectors}"
