"""Pictures → features: exact for course images, every picture kind converted, every bad file named."""

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
