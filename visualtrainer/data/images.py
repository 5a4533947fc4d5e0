"""Pictures → the network's input: one function for the window, the command line and training alike.

A picture is converted to RGB (grey, palette, alpha over white, 16-bit), centre-cropped to the model's aspect ratio,
shrunk by a whole factor while it stays twice the input size, resized to its input size with a Lanczos filter (none
when it already has that size), and flattened in the course files' order (row, column, channel): a 64×64 RGB
picture of a course image gives exactly that image's features.
"""

import os

import numpy as np

from visualtrainer.core.container import memory_budget
from visualtrainer.core.files import open_regular
from visualtrainer.core.validation import format_bytes

from .dataset import DatasetError

SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")
#: The decoders a picture may use (MPO: the JPEGs some phones write); nothing else is parsed, whatever the name.
FORMATS = ("PNG", "JPEG", "MPO", "BMP", "GIF", "WEBP")
MAX_PIXELS = 100_000_000  # larger pictures are refused before decoding (a 20000×20000 one is 400 million)
_STRIP_PIXELS = 4_000_000  # converted and shrunk this many pixels at a time


def _open(path, size):
    """The decoded picture, once it is known to be a regular file of at most MAX_PIXELS pixels (from its header,
    before decoding). A JPEG may be decoded at 1/2, 1/4 or 1/8 of its size (its DCT's own scaling, Pillow's
    ``draft``) while its crop to ``size`` (width, height) keeps twice that size: a photo of 4000×3000 decodes about
    20 times faster on its way to 64×64."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = None  # the cap is ours, checked below (Pillow's would only warn up to twice it)
    Image.init()  # every decoder registered, so that the formats below are known by name
    handle = open_regular(path, "picture (.png, .jpg, .bmp, .gif or .webp)", DatasetError)
    try:
        image = Image.open(handle, formats=[name for name in FORMATS if name in Image.OPEN])
        w, h = image.size
        if w * h > MAX_PIXELS:
            raise DatasetError(f"{path}: {w:,}×{h:,} pixels, too large to classify (more than {MAX_PIXELS:,} "
                               "pixels); make it smaller first.")
        if image.format in ("JPEG", "MPO"):
            image.draft("RGB", _draft_size(w, h, *size))
        image.load()
    except DatasetError:
        raise
    except Exception as error:  # noqa: BLE001  (Pillow raises many kinds on damaged files; each is one message)
        empty = os.fstat(handle.fileno()).st_size == 0
        kind = "empty" if empty else f"not a readable image ({type(error).__name__})"
        raise DatasetError(f"{path}: {kind}; use .png, .jpg, .bmp, .gif or .webp.") from None
    finally:
        handle.close()
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


def _draft_size(w, h, width, height):
    """The least size a JPEG of w × h may be decoded at for its crop to width × height to keep twice the target's
    pixels along each side (so that the Lanczos filter still has its samples)."""
    if w / h > width / height:  # the crop keeps the full height
        return (int(np.ceil(2 * height * w / h)), 2 * height)
    return (2 * width, int(np.ceil(2 * width * h / w)))


def _crop_box(w, h, width, height):
    """The centred box (left, top, right, bottom) of a w × h picture with the aspect ratio of width × height."""
    target = width / height
    if w / h > target:  # too wide: keep the middle columns
        keep = max(1, round(h * target))
        return ((w - keep) // 2, 0, (w - keep) // 2 + keep, h)
    keep = max(1, round(w / target))
    return (0, (h - keep) // 2, w, (h - keep) // 2 + keep)


def _shrunk_rgb(image, box, factor):
    """RGB of ``image``'s ``box`` shrunk ``factor`` times by averaging factor × factor blocks (Pillow's ``reduce``,
    as its thumbnails do), converted strip by strip: a large picture never needs a second full-size copy."""
    from PIL import Image

    left, top, right, bottom = box
    out = Image.new("RGB", (-(-(right - left) // factor), -(-(bottom - top) // factor)))
    rows = factor * max(1, _STRIP_PIXELS // ((right - left) * factor))
    for y in range(top, bottom, rows):
        strip = _rgb(image.crop((left, y, right, min(bottom, y + rows))))
        out.paste(strip.reduce(factor), (0, (y - top) // factor))
    return out


def picture_pixels(path, image_shape=(64, 64, 3)):
    """The picture at ``path`` as uint8 pixels of ``image_shape`` (height, width, 3).

    The centre crop with the model's aspect ratio is shrunk by a whole factor while it keeps at least twice the
    model's size along each side, then resized with a Lanczos filter (not at all when it already has that size).
    Raises DatasetError with one line for a missing, empty, truncated, too large, non-image or non-regular file.
    """
    from PIL import Image

    height, width = int(image_shape[0]), int(image_shape[1])
    image = _open(path, (width, height))
    w, h = image.size
    if (w, h) == (width, height):
        image = _rgb(image)
    else:
        box = _crop_box(w, h, width, height)
        factor = min((box[2] - box[0]) // (2 * width), (box[3] - box[1]) // (2 * height))
        if factor >= 2:
            image, box = _shrunk_rgb(image, box, factor), None
        else:
            image = _rgb(image)
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
    if len(paths) * size > memory_budget():
        raise DatasetError(f"{len(paths):,} pictures of {size:,} values would need {format_bytes(len(paths) * size)} "
                           f"of memory, more than this machine can spare now; read fewer at a time.")
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
