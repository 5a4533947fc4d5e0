"""A picture dataset built by hand: named classes, each with its pictures (64×64×3 uint8), turned into a Dataset
when it has two classes or more and every class has pictures. A picture file is in it once at most."""

import os

import numpy as np

from visualtrainer.data import Dataset, DatasetError
from visualtrainer.data.dataset import task_for

from .events import Event
from .pictures import PANEL_SHAPE


def _no_name(name):
    return ValueError(f"a class needs a name of its own; {name!r} is {'taken' if name else 'empty'}.")


class DatasetDraft:
    """``classes`` = [[name, [(path, pixels (64, 64, 3) uint8)]]]; ``changed(row)`` after any change, with the row
    of the class it concerns (-1: none left)."""

    def __init__(self):
        self.classes = []
        self.changed = Event()

    def add_class(self, name=None):
        """A new, empty class (named "class k" unless ``name``); returns its row; ValueError for a name taken."""
        taken = {n for n, _ in self.classes}
        if name is None:
            k = len(self.classes)
            while f"class {k}" in taken:
                k += 1
            name = f"class {k}"
        name = name.strip()
        if not name or name in taken:
            raise _no_name(name)
        self.classes.append([name, []])
        self.changed.emit(len(self.classes) - 1)
        return len(self.classes) - 1

    def rename_class(self, row, name):
        """Rename the class at ``row``; ValueError for an empty name or one another class has."""
        name = name.strip()
        if not name or any(n == name for k, (n, _) in enumerate(self.classes) if k != row):
            raise _no_name(name)
        self.classes[row][0] = name
        self.changed.emit(row)

    def remove_class(self, row):
        if 0 <= row < len(self.classes):
            del self.classes[row]
            self.changed.emit(min(row, len(self.classes) - 1))

    def has(self, path):
        """Whether the picture file at ``path`` is in some class already (the same file by any name)."""
        return os.path.realpath(path) in self._files()

    def _files(self):
        return {os.path.realpath(p) for _, pics in self.classes for p, _ in pics}

    def add_pictures(self, row, paths, pixels):
        """Pictures already read (k, 12288) uint8 into the class at ``row``, but for files some class has already;
        returns how many were added."""
        if not 0 <= row < len(self.classes):
            return 0
        known, added = self._files(), 0
        for path, flat in zip(paths, pixels):
            real = os.path.realpath(path)
            if real in known:
                continue
            known.add(real)
            self.classes[row][1].append((str(path), np.asarray(flat, dtype=np.uint8).reshape(PANEL_SHAPE)))
            added += 1
        self.changed.emit(row)
        return added

    def remove_pictures(self, row, indices):
        """Remove the pictures at ``indices`` of the class at ``row``."""
        if not 0 <= row < len(self.classes):
            return
        chosen = set(indices)
        self.classes[row][1] = [p for k, p in enumerate(self.classes[row][1]) if k not in chosen]
        self.changed.emit(row)

    def set_dataset(self, data):
        """Start from a picture dataset (its train and test examples), one class per class name."""
        X = data.X_train if data.X_test is None else np.hstack([data.X_train, data.X_test])
        Y = data.Y_train if data.Y_test is None else np.hstack([data.Y_train, data.Y_test])
        self.classes = [[name, []] for name in data.classes]
        for i, label in enumerate(np.ravel(Y)):
            self.classes[int(label)][1].append((f"{data.name} #{i}", X[:, i].reshape(data.image_shape)))
        self.changed.emit(0)

    def dataset(self, name="my pictures"):
        """The classes as a Dataset (no test set: the window's test fraction splits it); DatasetError if it has
        fewer than two classes or an empty one."""
        filled = [(n, pics) for n, pics in self.classes if pics]
        if len(filled) < 2 or len(filled) != len(self.classes):
            empty = [n for n, pics in self.classes if not pics]
            raise DatasetError("a dataset needs at least two classes, each with pictures"
                               + (f"; {', '.join(empty)} {'has' if len(empty) == 1 else 'have'} none." if empty
                                  else f"; there {'is' if len(filled) == 1 else 'are'} {len(filled)}."))
        X = np.stack([p.reshape(-1) for _, pics in filled for _, p in pics], axis=1)
        Y = np.concatenate([np.full(len(pics), k, dtype=np.int64) for k, (_, pics) in enumerate(filled)])
        names = tuple(n for n, _ in filled)
        return Dataset(name, X, Y.reshape(1, -1), None, None, names, task_for(len(names)), PANEL_SHAPE)
