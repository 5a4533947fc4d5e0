"""Pictures → the network's input: one function for the window, the command line and training alike.

A picture is converted to RGB (grey, palette, alpha over white, 16-bit), centre-cropped to the model's aspect ratio,
resized to its input size with a Lanczos filter (none when it already has that size), and flattened in the course
files' order (row, column, channel): a 64×64 RGB picture of a course image gives exactly that image's features.
"""

from pathlib import Path

import numpy as np

from .dataset import DatasetError

SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")
MAX_PIXELS = 100_000_000  # larger pictures are refused rather than decoded (a 20000×20000 one is 400 million)


def _open(path, size=None):
    """The decoded picture; with ``size`` (width, height) a JPEG may be decoded at 1/2, 1/4 or 1/8 of its size
    (its DCT's own scaling, Pillow's ``draft``) as long as it stays at least that large: a photo of 4000×3000
    decodes about 20 times faster on its way to 64×64."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        image = Image.open(path)
        if size is not None and image.format == "JPEG":
            image.draft("RGB", size)
        image.load()
    except FileNotFoundError:
        raise DatasetError(f"{path}: no such file.") from None
    except Image.DecompressionBombError:
        raise DatasetError(f"{path}: too large to classify (more than {MAX_PIXELS:,} pixels); "
                           "make it smaller first.") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        kind = "empty" if Path(path).exists() and Path(path).stat().st_size == 0 else "not a readable image"
        raise DatasetError(f"{path}: {kind} ({type(error).__name__}); use .png, .jpg, .bmp, .gif or .webp.") \
            from None
    return image


def _rgb(image):
    """An RGB copy of any Pillow image: 16-bit scaled to 8, palettes expanded, transparency over white."""
    from PIL import Image

    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        values = np.asarray(image, dtype=np.float64)
        top = 65535.0 if image.mode.startswith("I;16") or values.max() > 255 else 255.0
        image = Image.fromarray(np.clip(np.round(values / top * 255), 0, 255).astype(np.uint8), "L")
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    return image.convert("RGB")


def _draft_size(path, width, height):
    """The least size a JPEG at ``path`` may be decoded at for a crop to width × height to keep twice the
    target's pixels along each side (so that the Lanczos filter still has its samples); None if unknown."""
    from PIL import Image

    try:
        with Image.open(path) as probe:
            w, h = probe.size
    except Exception:  # noqa: BLE001  (any unreadable file is reported by _open itself)
        return None
    if w / h > width / height:  # the crop keeps the full height
        return (int(np.ceil(2 * height * w / h)), 2 * height)
    return (2 * width, int(np.ceil(2 * width * h / w)))


def picture_pixels(path, image_shape=(64, 64, 3)):
    """The picture at ``path`` as uint8 pixels of ``image_shape`` (height, width, 3).

    Raises DatasetError with one line for a missing, empty, truncated, too large or non-image file.
    """
    from PIL import Image

    height, width = int(image_shape[0]), int(image_shape[1])
    image = _rgb(_open(path, _draft_size(path, width, height)))
    w, h = image.size
    if (w, h) != (width, height):
        target = width / height
        if w / h > target:  # too wide: keep the middle columns
            keep = max(1, round(h * target))
            box = ((w - keep) // 2, 0, (w - keep) // 2 + keep, h)
        else:
            keep = max(1, round(w / target))
            box = (0, (h - keep) // 2, w, (h - keep) // 2 + keep)
        image = image.resize((width, height), Image.Resampling.LANCZOS, box=box)
    pixels = np.asarray(image, dtype=np.uint8)
    if len(image_shape) == 3 and image_shape[2] == 1:
        pixels = np.round(pixels.mean(axis=2, keepdims=True)).astype(np.uint8)
    return pixels


def picture_features(path, image_shape=(64, 64, 3)):
    """The picture's pixels as one input column (h·w·c, 1) of uint8, in the order of ``x.reshape(m, -1)``.

    The engine reads uint8 inputs as intensities and scales them to [0, 1]; ``/ 255.0`` gives the floats.
    """
    return picture_pixels(path, image_shape).reshape(-1, 1)


class LoadCancelled(DatasetError):
    """Reading pictures was cancelled (the progress callback said stop); nothing was changed."""


def read_pictures(paths, image_shape=(64, 64, 3), progress=None):
    """Many pictures at once, into one preallocated uint8 array: memory is about the pixels' own size.

    Returns (pixels (k, h·w·c) uint8 of the k readable pictures, their indices in ``paths``, failures
    [(path, message)]). ``progress(done, total)`` is called after each picture; when it returns False reading
    stops with LoadCancelled.
    """
    paths = list(paths)
    size = int(np.prod(image_shape))
    pixels = np.empty((len(paths), size), dtype=np.uint8)
    kept, failures = [], []
    for i, path in enumerate(paths):
        try:
            pixels[len(kept)] = picture_pixels(path, image_shape).reshape(-1)
            kept.append(i)
        except DatasetError as error:
            failures.append((str(path), str(error)))
        if progress is not None and progress(i + 1, len(paths)) is False:
            raise LoadCancelled(f"cancelled after {i + 1} of {len(paths)} pictures; nothing was changed.")
    return pixels[: len(kept)], kept, failures
