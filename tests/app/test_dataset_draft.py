"""A picture dataset built by hand, without a window: classes named, renamed and removed, pictures added and removed,
then one Dataset with a label per class in order."""

import numpy as np
import pytest

from visualtrainer.app.dataset_draft import DatasetDraft
from visualtrainer.data import DatasetError


def _pixels(k, value):
    return np.full((k, 64 * 64 * 3), value, dtype=np.uint8)


def test_a_draft_becomes_a_dataset_with_a_label_per_class():
    draft, rows = DatasetDraft(), []
    draft.changed.connect(rows.append)
    assert draft.add_class() == 0 and draft.add_class("dogs") == 1 and draft.add_class() == 2
    assert [name for name, _ in draft.classes] == ["class 0", "dogs", "class 2"]
    with pytest.raises(ValueError, match="'dogs' is taken"):
        draft.rename_class(0, "dogs")
    draft.rename_class(0, " cats ")
    draft.remove_class(2)
    draft.add_pictures(0, ["a.png", "b.png", "c.png"], _pixels(3, 10))
    draft.add_pictures(1, ["d.png"], _pixels(1, 200))
    draft.remove_pictures(0, [1])
    assert rows == [0, 1, 2, 0, 1, 0, 1, 0]
    data = draft.dataset()
    assert data.classes == ("cats", "dogs") and data.image_shape == (64, 64, 3) and data.X_test is None
    np.testing.assert_array_equal(data.Y_train, [[0, 0, 1]])
    np.testing.assert_array_equal(data.X_train[0], [10, 10, 200])
    assert [path for path, _ in draft.classes[0][1]] == ["a.png", "c.png"]


def test_a_draft_needs_two_classes_each_with_pictures():
    draft = DatasetDraft()
    draft.add_class("cats")
    draft.add_pictures(0, ["a.png"], _pixels(1, 1))
    with pytest.raises(DatasetError, match="at least two classes, each with pictures; there is 1"):
        draft.dataset()
    draft.add_class("dogs")
    with pytest.raises(DatasetError, match="dogs has none"):
        draft.dataset()
