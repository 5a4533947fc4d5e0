"""The jobs behind the window's views of why and how a network learns, each run in a worker's thread: the pixels'
contributions to a picture's class, the sharpest curvature of J, how far the descent path leaves the cost
surface's plane, and a step on one example or one mini-batch. Plain functions of frozen inputs (settings,
parameters, data), except the step, which holds the network through its mailbox as a training job does."""

from dataclasses import dataclass

import numpy as np

from visualtrainer.core import Network, team
from visualtrainer.core.attribution import attribute, pixel_map, top_regions
from visualtrainer.core.curvature import curvature
from visualtrainer.core.graph import layer_graph
from visualtrainer.core.plane_fit import plane_fit
from visualtrainer.core.stepping import take_step

#: The overlay's colours: evidence for the predicted class, and against it (the diagram's orange and blue).
FOR, AGAINST = np.array([255, 127, 14]), np.array([31, 119, 180])
REGIONS = 3  # regions of evidence for the class outlined on each picture …
REGION_RADIUS, REGION_SHARE = 4, 0.08  # … where the map, smoothed over 9×9 pixels, is in its top 8%


@dataclass(frozen=True)
class Explanation:
    """Why a picture got its class: ``overlay`` (h, w, 3) uint8 (the picture in grey, tinted orange where its
    pixels add to the class's logit and blue where they take from it), ``regions`` [(top, left, bottom, right,
    weight)] where the evidence for it gathers most, and the sums: ``evidence_for`` (> 0), ``evidence_against``
    (< 0), ``bias`` and ``logit`` (for logistic regression, logit = for + against + bias exactly)."""

    overlay: np.ndarray
    regions: list
    evidence_for: float
    evidence_against: float
    bias: float
    logit: float
    exact: bool
    predicted: int


def overlay(pixels, values):
    """(h, w, 3) uint8: ``pixels`` (h, w, 3) in grey, tinted by a contribution map ``values`` (h, w): orange for
    positive, blue for negative, the more the larger (against the map's 99th percentile of |value|)."""
    grey = np.asarray(pixels, dtype=np.float64).mean(axis=2, keepdims=True) * 0.6 + 0.4 * 255
    scale = np.percentile(np.abs(values), 99) if np.any(values) else 1.0
    strength = np.clip(np.abs(values) / max(scale, 1e-300), 0, 1)[..., None] * 0.85
    colour = np.where(values[..., None] >= 0, FOR, AGAINST)
    return np.clip(grey * (1 - strength) + colour * strength, 0, 255).astype(np.uint8)


def explain(settings, params, pixels, image_shape, control=None):
    """[Explanation] of pictures ``pixels`` (k, h·w·c) uint8 for a network with ``settings`` and ``params``."""
    net = Network(**settings)
    pixels = np.asarray(pixels)
    if pixels.shape[0] == 0:
        return []
    found = attribute(net.layer_dims, net.activations, params, pixels.T)
    maps = pixel_map(found.contributions, image_shape)
    out = []
    for j in range(pixels.shape[0]):
        c = found.contributions[:, j]
        out.append(Explanation(
            overlay=overlay(pixels[j].reshape(image_shape), maps[j]), regions=top_regions(maps[j], REGIONS, REGION_SHARE, REGION_RADIUS),
            evidence_for=float(c[c > 0].sum()), evidence_against=float(c[c < 0].sum()), bias=float(found.bias[j]),
            logit=float(found.logits[j]), exact=found.exact, predicted=int(found.classes[j])))
    return out


def measure_curvature(settings, theta, X, Y, iteration, start=None, control=None):
    """(iteration, Curvature) of J at θ for a network with ``settings`` on X, Y (float64; warm-started from
    ``start``, the previous eigenvector)."""
    net = Network(**settings)
    cancelled = (lambda: control.cancelled) if control is not None else (lambda: False)
    return iteration, curvature(net, X, Y, theta=np.asarray(theta, dtype=np.float64), start=start,
                                cancelled=cancelled)


def fit_plane(points, d1, d2, control=None):
    """The PlaneFit of a path (a tuple of θ) against the plane spanned by d1, d2, with a core borrowed from the
    training team meanwhile (``core.team.borrowing``: beside a training on every core it would take a member's)."""
    with team.borrowing():
        return plane_fit(points, d1, d2)


def step(mailbox, X, Y, rows, control=None):
    """One update on the examples ``rows`` of the mailbox's network (held as a training job holds it): a Step."""
    with mailbox.owned() as net:
        return take_step(net, X, Y, rows)


def epoch_values(settings, params, X, Y, control=None):
    """The values of a full-batch step at ``params``: [(l, {Z, A, dZ, dW, db, g})] and J (the inputs left out)."""
    layers, J = layer_graph(Network(**settings), X, Y, params)
    for _, layer in layers:
        layer.pop("A_prev", None)
    return layers, J
