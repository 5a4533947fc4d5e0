"""Pictures → features: exact for course images, every picture kind converted, every bad file named."""

import os
import tracemalloc

import h5py
import numpy as np
import pytest
from PIL import Image

from visualtrainer.data import DatasetError
from visualtrainer.data.images import picture_features, picture_pixels


def test_a_course_image_saved_as_png_gives_exactly_its_features(tmp_path, cat_train_path):
    with h5py.File(cat_train_path) as f:
        x = f["train_set_x"][:5]
    for i, pixels in enumerate(x):
        Image.fromarray(pixels).save(tmp_path / f"{i}.png")
        np.testing.assert_array_equal(picture_features(tmp_path / f"{i}.png")[:, 0], x[i].reshape(-1))


def test_grey_palette_alpha_and_16_bit_pictures_become_rgb(tmp_path):
    grey = np.arange(64 * 64, dtype=np.uint16).reshape(64, 64) % 256
    Image.fromarray(grey.astype(np.uint8), "L").save(tmp_path / "grey.png")
    rgb = picture_pixels(tmp_path / "grey.png")
    assert rgb.shape == (64, 64, 3) and np.array_equal(rgb[..., 0], grey) and np.array_equal(rgb[..., 2], grey)

    Image.fromarray((grey * 257).astype(np.uint16)).save(tmp_path / "deep.png")
    np.testing.assert_array_equal(picture_pixels(tmp_path / "deep.png")[..., 1], grey)

    rgba = np.zeros((64, 64, 4), np.uint8)
    rgba[..., 0] = 200
    rgba[:32, :, 3] = 255  # top half opaque red, bottom half fully transparent
    Image.fromarray(rgba, "RGBA").save(tmp_path / "alpha.png")
    out = picture_pixels(tmp_path / "alpha.png")
    assert tuple(out[0, 0]) == (200, 0, 0) and tuple(out[63, 0]) == (255, 255, 255)

    Image.fromarray(np.full((64, 64, 3), 90, np.uint8)).convert("P", palette=Image.Palette.ADAPTIVE).save(
        tmp_path / "palette.gif")
    assert np.all(picture_pixels(tmp_path / "palette.gif") == 90)


def test_wide_pictures_are_centre_cropped_then_resized(tmp_path):
    wide = np.zeros((100, 300, 3), np.uint8)
    wide[:, :100] = (255, 0, 0)
    wide[:, 100:200] = (0, 0, 255)
    wide[:, 200:] = (0, 255, 0)
    Image.fromarray(wide).save(tmp_path / "wide.png")
    out = picture_pixels(tmp_path / "wide.png")
    assert out.shape == (64, 64, 3)
    assert out[:, 4:-4, 2].min() > 240 and out[:, 4:-4, :2].max() < 15  # only the blue middle square is left


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_text("hello"), "not a readable image"),
    (lambda p: p.write_bytes(b""), "empty"),
    (lambda p: (Image.new("RGB", (64, 64), "red").save(p, format="PNG"),
                p.write_bytes(p.read_bytes()[:60])), "not a readable image"),
    (lambda p: Image.new("1", (20000, 20000)).save(p, format="PNG"), "too large to classify"),
])
def test_bad_pictures_get_one_clear_line(tmp_path, make, message):
    path = tmp_path / "bad.png"
    make(path)
    with pytest.raises(DatasetError, match=message):
        picture_pixels(path)
    with pytest.raises(DatasetError, match="no such file"):
        picture_pixels(tmp_path / "missing.png")


def test_a_large_jpeg_decoded_at_a_fraction_of_its_size_gives_nearly_the_full_decodes_pixels(tmp_path):
    from PIL import Image

    from visualtrainer.data.images import picture_pixels

    y, x = np.mgrid[0:900, 0:1600]
    picture = np.stack([x * 255 // 1600, y * 255 // 900, (x + y) * 255 // 2500], axis=2).astype(np.uint8)
    Image.fromarray(picture).save(tmp_path / "wide.jpg", quality=95)
    fast = picture_pixels(tmp_path / "wide.jpg").astype(float)
    with Image.open(tmp_path / "wide.jpg") as full:  # decoded whole, centre square, Lanczos
        slow = np.asarray(full.convert("RGB").resize((64, 64), Image.Resampling.LANCZOS, box=(350, 0, 1250, 900)))
    assert np.abs(fast - slow).mean() < 1.5 and np.abs(fast - slow).max() < 12


def test_a_jpeg_claiming_14000_by_14000_is_refused_from_its_header(tmp_path):
    from tests.fuzz.hostile import jpeg_claiming, png_claiming

    path = jpeg_claiming(tmp_path / "claim.jpg", 14000, 14000)
    assert path.stat().st_size < 1000
    tracemalloc.start()
    with pytest.raises(DatasetError, match=r"claim\.jpg: 14,000×14,000 pixels, too large to classify \(more than "
                                           r"100,000,000 pixels\)"):
        picture_pixels(path)
    assert tracemalloc.get_traced_memory()[1] < 1_000_000
    tracemalloc.stop()
    with pytest.raises(DatasetError, match=r"30,000×30,000 pixels, too large"):
        picture_pixels(png_claiming(tmp_path / "claim.png", 30000, 30000))


def test_a_picture_whose_header_claims_more_rows_than_it_holds(tmp_path):
    from tests.fuzz.hostile import png_claiming

    with pytest.raises(DatasetError, match=r"lie\.png: not a readable image \(OSError\)"):
        picture_pixels(png_claiming(tmp_path / "lie.png", 3000, 3000))


@pytest.mark.parametrize("make, message", [
    (lambda p: os.mkfifo(p), r"x\.png: a FIFO, not a regular file"),
    (lambda p: os.symlink(p.name, p), r"x\.png: a symbolic link that loops"),
    (lambda p: p.mkdir(), r"x\.png: is a folder"),
    (lambda p: p.write_bytes(b"II*\x00" + bytes(100)), r"x\.png: not a readable image \(UnidentifiedImageError\)"),
])
def test_files_that_are_no_picture_are_refused_without_blocking(tmp_path, make, message):
    """A FIFO is never opened (it would wait for a writer forever); a TIFF is not decoded, whatever its name."""
    path = tmp_path / "x.png"
    make(path)
    with pytest.raises(DatasetError, match=message):
        picture_pixels(path)
    with pytest.raises(DatasetError, match=r"/dev/zero: a character device"):
        picture_pixels("/dev/zero")


def test_a_large_picture_is_shrunk_in_strips_as_a_whole_resize_would(tmp_path, monkeypatch):
    """Alpha over white, the centre square, shrunk by a whole factor strip by strip: exactly what shrinking the
    whole converted square gives, and close to one Lanczos resize of the whole picture."""
    from visualtrainer.data import images

    y, x = np.mgrid[0:1500, 0:2000]
    rgba = np.stack([x * 255 // 2000, y * 255 // 1500, (x + 2 * y) * 255 // 5000, 100 + (x * 155) // 2000],
                    axis=2).astype(np.uint8)
    Image.fromarray(rgba, "RGBA").save(tmp_path / "big.png")
    monkeypatch.setattr(images, "_STRIP_PIXELS", 50_000)  # many strips, one of them partial
    fast = picture_pixels(tmp_path / "big.png")
    over_white = Image.alpha_composite(Image.new("RGBA", (2000, 1500), "white"), Image.fromarray(rgba, "RGBA"))
    square = over_white.convert("RGB").crop((250, 0, 1750, 1500))
    whole = np.asarray(square.reduce(11).resize((64, 64), Image.Resampling.LANCZOS))
    np.testing.assert_array_equal(fast, whole)
    slow = np.asarray(square.resize((64, 64), Image.Resampling.LANCZOS)).astype(float)
    assert np.abs(fast - slow).mean() < 1.0 and np.abs(fast - slow).max() < 6
