"""A folder with one subfolder of pictures per class becomes a dataset; bad folders say why."""

import os

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


def test_reading_many_pictures_reports_progress_failures_and_can_be_cancelled(tmp_path):
    from visualtrainer.data.images import LoadCancelled, read_pictures

    rng = np.random.RandomState(1)
    paths = []
    for k in range(6):
        path = tmp_path / f"p{k}.png"
        Image.fromarray(rng.randint(0, 256, (8, 8, 3)).astype(np.uint8)).save(path)
        paths.append(path)
    (tmp_path / "junk.png").write_bytes(b"not a picture")
    paths.insert(2, tmp_path / "junk.png")
    seen = []
    pixels, kept, failures = read_pictures(paths, (8, 8, 3), lambda done, total: seen.append((done, total)))
    assert seen == [(i, 7) for i in range(1, 8)]
    assert kept == [0, 1, 3, 4, 5, 6] and pixels.shape == (6, 192) and pixels.dtype == np.uint8
    assert failures[0][0].endswith("junk.png") and len(failures) == 1
    np.testing.assert_array_equal(pixels[2], np.asarray(Image.open(paths[3])).reshape(-1))
    with pytest.raises(LoadCancelled, match="cancelled after 3 of 7 pictures"):
        read_pictures(paths, (8, 8, 3), lambda done, total: done < 3)
    with pytest.raises(LoadCancelled):
        load_picture_folder(_two_class_folder(tmp_path / "set"), (8, 8, 3), progress=lambda done, total: False)


def _two_class_folder(root):
    rng = np.random.RandomState(2)
    for name in ("a", "b"):
        (root / name).mkdir(parents=True)
        for k in range(2):
            Image.fromarray(rng.randint(0, 256, (8, 8, 3)).astype(np.uint8)).save(root / name / f"{k}.png")
    return root


def test_a_fifo_and_symbolic_link_loops_in_a_folder_neither_block_nor_stop_the_rest(tmp_path):
    root = _two_class_folder(tmp_path / "set")
    os.mkfifo(root / "a" / "x.png")  # would block a reader forever
    os.symlink("loop.png", root / "b" / "loop.png")
    os.symlink("c", root / "c")  # a class folder that loops: no folder at all
    os.symlink("..", root / "b" / "up.png")  # a folder named like a picture
    data, skipped = load_picture_folder(root, (8, 8, 3))
    assert data.classes == ("a", "b") and data.m == 4
    reasons = sorted(message.split(": ", 1)[1] for _, message in skipped)
    assert reasons == ["a FIFO, not a regular file; give the path of a picture (.png, .jpg, .bmp, .gif or .webp).",
                       "a symbolic link that loops; give the path of a picture (.png, .jpg, .bmp, .gif or .webp).",
                       "is a folder; give the path of a picture (.png, .jpg, .bmp, .gif or .webp)."]


def test_a_folder_that_cannot_be_listed(tmp_path):
    root = _two_class_folder(tmp_path / "set")
    os.chmod(root / "a", 0)
    try:
        if os.access(root / "a", os.R_OK):
            pytest.skip("running as a user who reads every folder")
        with pytest.raises(DatasetError, match=r"set/a: cannot be listed \(Permission denied\)"):
            load_picture_folder(root, (8, 8, 3))
    finally:
        os.chmod(root / "a", 0o755)
