"""The built-in picture set: seeded, balanced, the shapes where they should be, and learnable."""

import numpy as np
import pytest

from visualtrainer.core import Network
from visualtrainer.data import DatasetError, load_dataset
from visualtrainer.data.shapes import _shape_mask, make_shape_pictures, make_shapes, write_samples


def test_pictures_are_seeded_uint8_and_balanced():
    pictures, labels = make_shape_pictures(40, seed=3)
    assert pictures.shape == (40, 64, 64, 3) and pictures.dtype == np.uint8
    assert labels.sum() == 20
    again, _ = make_shape_pictures(40, seed=3)
    other, _ = make_shape_pictures(40, seed=4)
    np.testing.assert_array_equal(pictures, again)
    assert not np.array_equal(pictures, other)
    X, Y = make_shapes(40, seed=3)
    np.testing.assert_array_equal(X[:, 5], pictures[5].reshape(-1))  # the course files' order


@pytest.mark.parametrize("kind, area", [(0, np.pi * 16**2), (1, (2 * 0.85 * 16) ** 2),
                                        (2, 3 * np.sqrt(3) / 4 * (2 * 16 / 2 * np.sqrt(3)) ** 2 / 3)])
def test_masks_have_the_shapes_area(kind, area):
    mask = _shape_mask(kind, 32.0, 32.0, 16.0, 0.3)
    assert mask.sum() == pytest.approx(area, rel=0.06)
    assert mask[32, 32]  # the centre is inside


def test_a_shape_is_darker_than_its_ground():
    pictures, labels = make_shape_pictures(20, noise=0.0, seed=0)
    for picture in pictures:
        assert picture[32, 32].mean() < picture[0, 0].mean()


def test_shapes_is_a_builtin_picture_set_a_network_can_learn():
    data = load_dataset("shapes", seed=1, test_fraction=0.2)
    assert data.image_shape == (64, 64, 3) and data.X_train.dtype == np.uint8 and data.n_x == 12288
    assert data.classes == ("square or triangle", "disc") and data.m_test == 200
    net = Network((12288, 1), init="zeros", learning_rate=0.005).fit(data.X_train, data.Y_train, 600)
    assert net.score(data.X_train, data.Y_train) > 60 and net.score(data.X_test, data.Y_test) > 60
    with pytest.raises(DatasetError, match="noise must be a float >= 0"):
        make_shapes(10, noise=-1)


def test_samples_are_written_as_pngs_of_each_class(tmp_path):
    written = write_samples(tmp_path, per_class=2)
    assert sorted(p.name for p in written) == ["disc_1.png", "disc_2.png", "other_1.png", "other_2.png"]
