"""Building a dataset by hand in the Dataset tab: classes, dropped pictures, removal, then training on it."""

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint

from .helpers import drop


@pytest.fixture
def window(make_window):
    win = make_window()
    win.lower_tabs.setCurrentWidget(win.dataset_panel)
    return win


def _pictures(folder, colour, n):
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.RandomState(len(colour))
    paths = []
    for i in range(n):
        noisy = np.clip(np.array(Image.new("RGB", (40, 30), colour)).astype(int) + rng.randint(-20, 20, (30, 40, 3)),
                        0, 255).astype(np.uint8)
        paths.append(folder / f"{colour}{i}.png")
        Image.fromarray(noisy).save(paths[-1])
    return paths


def _drop_on_class(qtbot, window, row, paths):
    panel = window.dataset_panel
    rect = panel.class_list.visualItemRect(panel.class_list.item(row))
    drop(window, paths, qtbot, target=panel.class_list.viewport(), at=QPoint(rect.center()))


def test_build_a_dataset_by_hand_and_train_on_it(qtbot, window, tmp_path):
    panel = window.dataset_panel
    panel.add_button.click()
    panel.add_button.click()
    assert [name for name, _ in panel.classes] == ["class 0", "class 1"]
    assert panel.rename_class(0, "red") and panel.rename_class(1, "blue")
    assert not panel.rename_class(1, "red") and "taken" in panel.summary.text()
    _drop_on_class(qtbot, window, 0, _pictures(tmp_path / "r", "red", 6))
    _pictures(tmp_path / "b", "blue", 5)
    _drop_on_class(qtbot, window, 1, [tmp_path / "b"])  # a folder stands for its pictures
    assert [len(p) for _, p in panel.classes] == [6, 5] and "red  (6)" in panel.class_list.item(0).text()
    panel.class_list.setCurrentRow(0)
    assert panel.pictures.count() == 6
    panel.pictures.item(2).setSelected(True)
    panel.remove_button.click()
    assert len(panel.classes[0][1]) == 5 and panel.pictures.count() == 5
    assert panel.classes[0][1][0][1].shape == (64, 64, 3)  # centre-cropped and resized as every picture is
    window.controls.iterations.setValue(300)
    with qtbot.waitSignal(window.training_finished, timeout=180_000):
        assert window.train_on_panel(str(tmp_path / "mine.npz"))  # saved, opened, and trained on
    data = window.session.data
    assert data.classes == ("red", "blue") and data.m + data.m_test == 10 and data.image_shape == (64, 64, 3)
    assert (tmp_path / "mine.npz").exists()
    assert window.session.net.n_iter_ > 0
    assert window.session.net.score(data.X_train, data.Y_train) == 100.0  # red against blue


def test_pictures_already_in_the_dataset_are_not_added_again(qtbot, window, tmp_path):
    panel = window.dataset_panel
    panel.add_class("red")
    assert panel.summary.text().startswith("1 class, 0 pictures.")
    panel.add_class("blue")
    first = _pictures(tmp_path / "r", "red", 3)
    _drop_on_class(qtbot, window, 0, first[:2])
    _drop_on_class(qtbot, window, 0, [tmp_path / "r"])  # the folder holds the two pictures and a third
    assert len(panel.classes[0][1]) == 3
    assert window.message_label.text() == "Added 1 picture. 2 pictures were in the dataset already."
    _drop_on_class(qtbot, window, 1, [first[0]])  # nor in another class
    assert [len(p) for _, p in panel.classes] == [3, 0]


def test_a_dataset_needs_two_classes_with_pictures(qtbot, window, tmp_path):
    panel = window.dataset_panel
    panel.add_class("cats")
    assert not window.train_on_panel(str(tmp_path / "x.npz"))
    assert "at least two classes" in window.message_label.text()
    panel.add_class("dogs")
    _drop_on_class(qtbot, window, 0, _pictures(tmp_path / "c", "gray", 2))
    assert not window.train_on_panel(str(tmp_path / "x.npz"))
    assert "dogs has none" in window.message_label.text() and not (tmp_path / "x.npz").exists()
    with pytest.raises(ValueError, match="taken"):
        panel.add_class("cats")


def test_unreadable_pictures_dropped_on_a_class_are_reported_and_the_rest_kept(qtbot, window, tmp_path):
    panel = window.dataset_panel
    panel.add_class("a")
    good = _pictures(tmp_path / "a", "green", 2)
    (tmp_path / "junk.png").write_text("no picture")
    _drop_on_class(qtbot, window, 0, good + [tmp_path / "junk.png"])
    assert len(panel.classes[0][1]) == 2 and "1 picture could not be read: junk.png" in window.message_label.text()


def test_start_from_the_current_picture_set(qtbot, window):
    window.controls.dataset.setCurrentText("shapes")
    window.dataset_panel.current_button.click()
    data = window.session.data
    panel = window.dataset_panel
    assert [name for name, _ in panel.classes] == list(data.classes)
    assert sum(len(p) for _, p in panel.classes) == data.m + data.m_test
    window.controls.dataset.setCurrentText("flower")
    assert not window.edit_current_dataset() and "not 64×64 pictures" in window.message_label.text()
