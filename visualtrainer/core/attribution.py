"""Why a network decides as it does: each input's contribution to the logit of the class it predicts.

Logistic regression computes z = wᵀx + b = Σ_i w_i·x_i + b, so c_i = w_i·x_i is exactly what input i adds, and the
contributions sum to z − b. A deeper network has no such split; gradient × input, c_i = x_i·∂z/∂x_i, is its
first-order version (exact again for a network linear in x, and for a ReLU network without biases, whose z is
then Σ_i x_i·∂z/∂x_i). The sign is taken towards the predicted class: c_i > 0 is evidence for it, c_i < 0 against.
"""

from dataclasses import dataclass

import numpy as np

from .activations import REGISTRY


@dataclass(frozen=True)
class Attribution:
    """Contributions of the inputs of k examples to the logit of each one's predicted class.

    classes : ndarray (k,) int
        The predicted class (for a sigmoid output: 1 when z > 0).
    logits : ndarray (k,)
        The predicted class's logit, signed towards it: z for class 1 of a sigmoid output, −z for class 0,
        z_k for softmax's class k.
    bias : ndarray (k,)
        What the output layer's bias adds to that logit (b, −b or b_k): for logistic regression,
        logits − bias = contributions.sum(axis=0).
    contributions : ndarray (n_x, k)
        c_i of each input (pixels as the network reads them, scaled by 1/255).
    exact : bool
        Whether contributions are exact (a network with no hidden layer) or gradient × input.
    """

    classes: np.ndarray
    logits: np.ndarray
    bias: np.ndarray
    contributions: np.ndarray
    exact: bool


def _inputs(X):
    X = np.asarray(X)
    return X / 255.0 if X.dtype == np.uint8 else X.astype(np.float64)


def attribute(layer_dims, activations, params, X):
    """The ``Attribution`` of the examples X (n_x, k) (uint8 pixels or floats) for a network of ``layer_dims``
    with ``activations`` (names, g[1] … g[L]) and parameters ``params`` ({"W1": (n[1], n[0]), "b1": …}), in
    float64."""
    L = len(layer_dims) - 1
    if len(activations) != L:
        raise ValueError(f"activations must name one function per layer ({L}); got {len(activations)}.")
    A = _inputs(X)
    if A.ndim != 2 or A.shape[0] != int(layer_dims[0]):
        raise ValueError(f"X must be (n_x, k) with n_x = {layer_dims[0]}; got shape {A.shape}.")
    W = [np.asarray(params[f"W{l}"], dtype=np.float64) for l in range(1, L + 1)]
    b = [np.asarray(params[f"b{l}"], dtype=np.float64) for l in range(1, L + 1)]
    caches, prev = [], A
    for l in range(L):
        Z = W[l] @ prev + b[l]
        prev = REGISTRY[activations[l]].g(Z)
        caches.append((Z, prev))
    ZL = caches[-1][0]
    k = A.shape[1]
    columns = np.arange(k)
    if activations[-1] == "softmax":
        classes = np.argmax(ZL, axis=0)
        sign = np.ones(k)
        dZ = np.zeros_like(ZL)
        dZ[classes, columns] = 1.0
    else:  # one output unit (several for a linear output: the first is explained)
        classes = (ZL[0] > 0).astype(np.int64) if activations[-1] == "sigmoid" else np.ones(k, dtype=np.int64)
        sign = np.where(classes == 1, 1.0, -1.0) if activations[-1] == "sigmoid" else np.ones(k)
        dZ = np.zeros_like(ZL)
        dZ[0] = sign
    unit = classes if activations[-1] == "softmax" else np.zeros(k, dtype=np.int64)
    logits = sign * ZL[unit, columns]
    bias = sign * b[-1][unit, 0]
    for l in range(L - 1, 0, -1):  # back through the hidden layers: dZ[l] from dZ[l + 1]
        Z, A_l = caches[l - 1]
        dZ = REGISTRY[activations[l - 1]].backward(Z, A_l, W[l].T @ dZ)
    contributions = A * (W[0].T @ dZ)
    return Attribution(classes, logits, bias, contributions, exact=(L == 1))


def pixel_map(contributions, image_shape):
    """Contributions (n_x, k) of pictures of ``image_shape`` (h, w, c), summed over each pixel's channels:
    (k, h, w)."""
    h, w, c = image_shape
    return np.asarray(contributions).T.reshape(-1, h, w, c).sum(axis=3)


def _box_mean(values, radius):
    """The mean of each (2·radius + 1)² window of a (h, w) map, the edges repeated."""
    if radius <= 0:
        return values.astype(np.float64)
    padded = np.pad(values.astype(np.float64), radius + 1, mode="edge")
    sums = padded.cumsum(axis=0).cumsum(axis=1)
    size = 2 * radius + 1
    window = sums[size:, size:] - sums[:-size, size:] - sums[size:, :-size] + sums[:-size, :-size]
    return window[: values.shape[0], : values.shape[1]] / size**2


def _components(mask):
    """Labels (h, w) of the 4-connected regions of ``mask`` (−1 outside), by spreading each region's smallest
    index until nothing changes."""
    h, w = mask.shape
    big = h * w
    labels = np.where(mask, np.arange(big).reshape(h, w), big)
    while True:
        spread = labels.copy()
        spread[1:] = np.minimum(spread[1:], labels[:-1])
        spread[:-1] = np.minimum(spread[:-1], labels[1:])
        spread[:, 1:] = np.minimum(spread[:, 1:], labels[:, :-1])
        spread[:, :-1] = np.minimum(spread[:, :-1], labels[:, 1:])
        spread = np.where(mask, spread, big)
        if np.array_equal(spread, labels):
            return np.where(mask, labels, -1)
        labels = spread


def top_regions(values, count=3, share=0.1, radius=2):
    """The ``count`` regions of a (h, w) map where its positive values gather most: the map is smoothed over
    (2·radius + 1)² windows, the top ``share`` of its positive pixels are kept, and each 4-connected region of
    them is weighed by the smoothed values it holds. Returns [(top, left, bottom, right, weight)], the heaviest
    first (rows top … bottom − 1, columns left … right − 1)."""
    smooth = _box_mean(np.asarray(values, dtype=np.float64), radius)
    positive = smooth[smooth > 0]
    if positive.size == 0:
        return []
    threshold = np.quantile(positive, 1.0 - share)
    labels = _components((smooth >= threshold) & (smooth > 0))
    regions = []
    for label in np.unique(labels[labels >= 0]):
        rows, cols = np.nonzero(labels == label)
        regions.append((int(rows.min()), int(cols.min()), int(rows.max()) + 1, int(cols.max()) + 1,
                        float(smooth[rows, cols].sum())))
    regions.sort(key=lambda region: -region[4])
    return regions[:count]
