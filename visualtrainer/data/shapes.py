""""shapes": synthetic 64×64×3 pictures of discs against squares and triangles, so the picture workflow needs no file.

Each picture has a noisy light background of a random colour and one dark shape of a random colour, size and
rotation, near the centre (as a photographed object is). Label 1 is a disc (as 1 is a cat in the course's files), 0 a square or a triangle. Drawn from
``np.random.RandomState(seed)``; pixels are uint8 and, like the course's files, flatten to X (12288, m).
"""

import numpy as np

from ._checks import check_n_samples, check_noise, check_seed

SIZE = 64
CLASSES = ("square or triangle", "disc")


def _shape_mask(kind, cx, cy, radius, angle):
    """A (64, 64) boolean mask of a disc (0), square (1) or triangle (2) centred at (cx, cy)."""
    rows, cols = np.mgrid[0:SIZE, 0:SIZE] + 0.5
    x, y = cols - cx, rows - cy
    if kind == 0:
        return x**2 + y**2 <= radius**2
    c, s = np.cos(angle), np.sin(angle)
    u, v = c * x + s * y, -s * x + c * y
    if kind == 1:
        half = radius * 0.85
        return (np.abs(u) <= half) & (np.abs(v) <= half)
    inside = np.ones_like(u, dtype=bool)  # an equilateral triangle: three half-planes at distance r/2
    for k in range(3):
        a = 2 * np.pi * k / 3
        inside &= np.cos(a) * u + np.sin(a) * v <= radius / 2
    return inside


def _colour_pair(rng):
    """A light background and a dark shape colour (3,), each of a random hue."""
    return rng.uniform(150, 255, 3), rng.uniform(0, 110, 3)


def make_shape_pictures(n_samples=1000, noise=0.1, seed=1):
    """Pictures (m, 64, 64, 3) uint8 and labels (m,) int64: half discs (1), a quarter squares, a quarter triangles."""
    pictures, kinds = _draw(n_samples, noise, seed)
    return pictures, (kinds == 0).astype(np.int64)


def _draw(n_samples, noise, seed):
    """Pictures and their kinds (0 disc, 1 square, 2 triangle), shuffled."""
    m = check_n_samples(n_samples, minimum=2, bytes_per_sample=3 * SIZE * SIZE * 3)  # pictures, shuffled copy
    noise, rng = check_noise(noise), check_seed(seed)
    pictures = np.empty((m, SIZE, SIZE, 3), dtype=np.uint8)
    kinds = np.zeros(m, dtype=np.int64)
    for i in range(m):
        kind = 0 if i % 2 == 0 else 1 + (i // 2) % 2  # disc, square, disc, triangle, …
        radius = rng.uniform(13, 22)
        cx, cy = SIZE / 2 + rng.uniform(-6, 6, 2)
        angle = rng.uniform(0, 2 * np.pi)
        ground, ink = _colour_pair(rng)
        mask = _shape_mask(kind, cx, cy, radius, angle)
        picture = np.where(mask[..., None], ink, ground) + rng.randn(SIZE, SIZE, 3) * noise * 255
        pictures[i] = np.clip(np.round(picture), 0, 255)
        kinds[i] = kind
    order = rng.permutation(m)
    return pictures[order], kinds[order]


def make_shapes(n_samples=1000, noise=0.1, seed=1):
    """X (12288, m) uint8 pixels in the course files' order and Y (1, m): 1 for a disc."""
    pictures, labels = make_shape_pictures(n_samples, noise=noise, seed=seed)
    return pictures.reshape(len(pictures), -1).T, labels.reshape(1, -1)


def write_samples(folder, per_class=3, seed=7):
    """Save a few pictures of each class as PNG files in ``folder`` (resources/samples/ holds the ones we ship)."""
    from pathlib import Path

    from PIL import Image

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    pictures, kinds = _draw(8 * per_class, 0.1, seed)
    others = np.concatenate([np.flatnonzero(kinds == 1), np.flatnonzero(kinds == 2)])
    others = others[np.argsort(np.arange(len(others)) % max(1, (kinds == 1).sum()))]  # squares and triangles by turns
    written = []
    for name, chosen in (("other", others[:per_class]), ("disc", np.flatnonzero(kinds == 0)[:per_class])):
        for k, i in enumerate(chosen):
            path = folder / f"{name}_{k + 1}.png"
            Image.fromarray(pictures[i]).save(path)
            written.append(path)
    return written


if __name__ == "__main__":
    import sys

    for written in write_samples(sys.argv[1] if len(sys.argv) > 1 else "resources/samples"):
        print(written)
