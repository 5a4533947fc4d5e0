"""A folder with one subfolder of pictures per class becomes a dataset; bad folders say why."""

import numpy as np
import pytest
from PIL import Image

from visualtrainer.core import Network
from visualtrainer.data import DatasetError
from visualtrainer.data.folders import load_picture_folder
from visualtrainer.data.shapes import make_shape_pictures


def _folder(tmp_path, n=24):
    pictures, labels = make_shape_pictures(n, seed=5)
    for i, (picture, label) in enumerate(zip(pictures, labels)):
        sub = tmp_path / ("disc" if label else "other")
        sub.mkdir(exist_ok=True)
        Image.fromarray(picture).save(sub / f"{i:03d}.png")
    return pictures, labels


def test_a_folder_of_pngs_loads_trains_and_predicts(tmp_path):
    pictures, labels = _folder(tmp_path)
    (tmp_path / "other" / "notes.png").write_text("not a picture")
    data, skipped = load_picture_folder(tmp_path)
    assert data.classes == ("disc", "other") and data.image_shape == (64, 64, 3) and data.X_train.dtype == np.uint8
    assert data.m == 24 and len(skipped) == 1 and "not a readable image" in skipped[0][1]
    # disc/ comes first (label 0), its pictures in file order
    first_disc = pictures[np.flatnonzero(labels == 1)[0]]
    np.testing.assert_array_equal(data.X_train[:, 0], first_disc.reshape(-1))
    net = Network((12288, 1), init="zeros", learning_rate=0.005).fit(data.X_train, data.Y_train, 200)
    assert net.predict(data.X_train).shape == (1, 24)


def test_folders_without_two_classes(tmp_path):
    with pytest.raises(DatasetError, match="no such folder"):
        load_picture_folder(tmp_path / "missing")
    (tmp_path / "cats").mkdir()
    Image.new("RGB", (64, 64)).save(tmp_path / "cats" / "a.png")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DatasetError, match=r"at least two subfolders of pictures.*found 1 \(cats\)"):
        load_picture_folder(tmp_path)
