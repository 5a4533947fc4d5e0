"""The colours values are shown in: the classes (the course's plots: class 0 red, class 1 blue), a network's output
as class regions, and a unit's activation from blue (negative) through white to vermilion (positive), as the
diagram's links are coloured by their weights."""

import functools

import numpy as np

CLASS_COLOURS = np.array([(214, 39, 40), (31, 119, 180), (44, 160, 44), (255, 127, 14), (148, 103, 189),
                          (140, 86, 75)], dtype=np.float64)
POSITIVE = np.array([213.0, 94.0, 0.0])  # vermilion and blue: told apart by colour-blind eyes too
NEGATIVE = np.array([0.0, 114.0, 178.0])


def _rgba(rgb):
    rgba = np.empty((*rgb.shape[:-1], 4), dtype=np.uint8)
    rgba[..., :3] = np.clip(rgb, 0, 255)
    rgba[..., 3] = 255
    return rgba


#: Steps of a one-output probability between 0 and 1 that ``region_colours`` tells apart (a table of their colours):
#: 4096, so that neighbouring steps' colours differ by less than one level of a channel.
P_STEPS = 4096


@functools.cache
def _one_output_table(discrete):
    """RGBA (P_STEPS + 1, 4) of the probabilities 0, 1 / P_STEPS, …, 1 (``region_colours``), made at first use."""
    return _regions(np.linspace(0.0, 1.0, P_STEPS + 1)[None], discrete)


def region_colours(P, discrete=False):
    """RGBA (ny, nx, 4) uint8 for probabilities P (1 or K, ny, nx): the likely class's colour, paler when unsure
    (``discrete``: the class's colour alone, whatever the confidence). One output's probabilities are looked up in
    a table of P_STEPS + 1 (the boundary plot colours 14,400 of them every frame: 0.3 ms instead of 1.5)."""
    if P.shape[0] == 1:
        p = np.clip(np.nan_to_num(P[0], nan=0.5), 0.0, 1.0)
        steps = np.rint(p * P_STEPS).astype(np.intp)
        steps[(p > 0.5) & (steps == P_STEPS // 2)] += 1  # the class decided by p itself, as the table's would not
        return _one_output_table(bool(discrete))[steps]
    return _regions(P, discrete)


def _regions(P, discrete):
    if P.shape[0] == 1:
        p = np.clip(P[0], 0.0, 1.0)
        cls = (p > 0.5).astype(np.int64)
        confidence = np.abs(p - 0.5) * 2
    else:
        cls = np.argmax(P, axis=0)
        top = np.max(P, axis=0)
        confidence = (top - 1.0 / P.shape[0]) / (1 - 1.0 / P.shape[0])
    strength = np.full(cls.shape, 0.45) if discrete else 0.12 + 0.38 * np.clip(confidence, 0, 1)
    rgb = 255.0 * (1 - strength[..., None]) + CLASS_COLOURS[cls % len(CLASS_COLOURS)] * strength[..., None]
    return _rgba(rgb)



def class_share_colours(p, k, discrete=False):
    """RGBA (ny, nx, 4) for the probability p (ny, nx) of class k: white to the class's colour."""
    p = np.clip(np.asarray(p, dtype=np.float64), 0.0, 1.0)
    if discrete:
        p = (p > 0.5).astype(np.float64)
    strength = (0.85 * p)[..., None]
    return _rgba(255.0 * (1 - strength) + CLASS_COLOURS[k % len(CLASS_COLOURS)] * strength)


def activation_colours(values, top=None):
    """RGBA (ny, nx, 4) for activations (ny, nx): blue below 0, vermilion above, white at 0, full at ±``top``
    (default: the largest |value|)."""
    values = np.asarray(values, dtype=np.float64)
    top = float(np.max(np.abs(values))) if top is None else float(top)
    share = np.clip(values / top, -1.0, 1.0) if top > 0 else np.zeros(values.shape)
    colour = np.where((share >= 0)[..., None], POSITIVE, NEGATIVE)
    strength = (0.9 * np.abs(share))[..., None]
    return _rgba(255.0 * (1 - strength) + colour * strength)
