"""Build a picture dataset by hand: add, rename and remove classes, drop pictures onto a class, remove pictures,
then train on it (it is saved as one .npz file first, so nothing is lost).

The pictures are decoded by the window's loader thread (``pictures_dropped`` asks for it); the panel keeps their
64×64×3 uint8 pixels.
"""

import numpy as np
from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QInputDialog, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QVBoxLayout, QWidget)

from visualtrainer.data import Dataset, DatasetError
from visualtrainer.data.dataset import task_for

from .drop_classifier import pixels_to_pixmap

IMAGE_SHAPE = (64, 64, 3)
ICON = 56


class ClassList(QListWidget):
    """The classes; pictures dropped on a row go to that class (``files_dropped(row, paths)``)."""

    files_dropped = Signal(int, object)

    def __init__(self):
        super().__init__()
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DropOnly)

    def dragEnterEvent(self, event):
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event):
        if event.mimeData().hasUrls() and self.itemAt(event.position().toPoint()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event):
        item = self.itemAt(event.position().toPoint())
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if item is None or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.files_dropped.emit(self.row(item), paths)


class DatasetPanel(QWidget):
    """Classes of pictures being gathered; ``train_requested`` when the user wants to train on them."""

    pictures_dropped = Signal(int, object)  # (class row, paths): the window reads them and calls add_pictures
    train_requested = Signal()
    start_from_current = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.classes = []  # [[name, [(path, pixels (64, 64, 3) uint8)]]]
        self.class_list = ClassList()
        self.class_list.setMaximumWidth(210)
        self.class_list.files_dropped.connect(self.pictures_dropped)
        self.class_list.currentRowChanged.connect(lambda _: self._show_pictures())
        self.class_list.itemDoubleClicked.connect(lambda _: self.rename_class())
        self.pictures = QListWidget()
        self.pictures.setViewMode(QListWidget.IconMode)
        self.pictures.setIconSize(QSize(ICON, ICON))
        self.pictures.setResizeMode(QListWidget.Adjust)
        self.pictures.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.pictures.setMovement(QListWidget.Static)
        QShortcut(QKeySequence.Delete, self.pictures, activated=self.remove_pictures)
        self.summary = QLabel()
        self.summary.setWordWrap(True)

        self.add_button = QPushButton("+ Class", clicked=lambda: self.add_class())
        self.rename_button = QPushButton("Rename", clicked=lambda: self.rename_class())
        self.remove_class_button = QPushButton("Remove", clicked=lambda: self.remove_class())
        self.remove_class_button.setToolTip("Remove the selected class and its pictures")
        self.remove_button = QPushButton("Remove pictures", clicked=lambda: self.remove_pictures())
        self.remove_button.setToolTip("Remove the selected pictures (Delete)")
        self.current_button = QPushButton("From the current set", clicked=lambda: self.start_from_current.emit())
        self.train_button = QPushButton("Save and train…", clicked=lambda: self.train_requested.emit())
        self.train_button.setToolTip("Save the classes as one dataset file (.npz), then train on it")
        class_buttons = QHBoxLayout()
        for button in (self.add_button, self.rename_button, self.remove_class_button):
            class_buttons.addWidget(button)
        left = QVBoxLayout()
        left.addWidget(self.class_list, 1)
        left.addLayout(class_buttons)
        left.addWidget(self.train_button)
        picture_buttons = QHBoxLayout()
        for button in (self.remove_button, self.current_button):
            picture_buttons.addWidget(button)
        picture_buttons.addStretch(1)
        right = QVBoxLayout()
        right.addLayout(picture_buttons)
        right.addWidget(self.summary)
        right.addWidget(self.pictures, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(left)
        layout.addLayout(right, 1)
        self._refresh()

    # -- classes ----------------------------------------------------------------------------------------------
    def add_class(self, name=None):
        """A new, empty class (named "class k" unless ``name``); returns its row."""
        taken = {n for n, _ in self.classes}
        if name is None:
            k = len(self.classes)
            while f"class {k}" in taken:
                k += 1
            name = f"class {k}"
        name = name.strip()
        if not name or name in taken:
            raise ValueError(f"a class needs a name of its own; {name!r} is {'taken' if name else 'empty'}.")
        self.classes.append([name, []])
        self._refresh(select=len(self.classes) - 1)
        return len(self.classes) - 1

    def rename_class(self, row=None, name=None):
        row = self.class_list.currentRow() if row is None else row
        if not 0 <= row < len(self.classes):
            return False
        if name is None:
            name, ok = QInputDialog.getText(self, "Rename class", "Name:", text=self.classes[row][0])
            if not ok:
                return False
        name = name.strip()
        if not name or any(n == name for k, (n, _) in enumerate(self.classes) if k != row):
            self.summary.setText(f"<span style='color:#b00020'>A class needs a name of its own; "
                                 f"{name!r} is {'taken' if name else 'empty'}.</span>")
            return False
        self.classes[row][0] = name
        self._refresh(select=row)
        return True

    def remove_class(self, row=None):
        row = self.class_list.currentRow() if row is None else row
        if 0 <= row < len(self.classes):
            del self.classes[row]
            self._refresh(select=min(row, len(self.classes) - 1))

    # -- pictures ---------------------------------------------------------------------------------------------
    def add_pictures(self, row, paths, pixels):
        """Pictures already read (k, 12288) uint8 into the class at ``row``."""
        if not 0 <= row < len(self.classes):
            return
        for path, flat in zip(paths, pixels):
            self.classes[row][1].append((str(path), np.asarray(flat, dtype=np.uint8).reshape(IMAGE_SHAPE)))
        self._refresh(select=row)

    def remove_pictures(self):
        row = self.class_list.currentRow()
        if not 0 <= row < len(self.classes):
            return
        chosen = {self.pictures.row(item) for item in self.pictures.selectedItems()}
        self.classes[row][1] = [p for k, p in enumerate(self.classes[row][1]) if k not in chosen]
        self._refresh(select=row)

    def set_dataset(self, data):
        """Start from a picture dataset (its train and test examples), one class per class name."""
        X = data.X_train if data.X_test is None else np.hstack([data.X_train, data.X_test])
        Y = data.Y_train if data.Y_test is None else np.hstack([data.Y_train, data.Y_test])
        self.classes = [[name, []] for name in data.classes]
        for i, label in enumerate(np.ravel(Y)):
            self.classes[int(label)][1].append((f"{data.name} #{i}", X[:, i].reshape(data.image_shape)))
        self._refresh(select=0)

    def dataset(self, name="my pictures"):
        """The classes as a Dataset (no test set: the window's test fraction splits it)."""
        filled = [(n, pics) for n, pics in self.classes if pics]
        if len(filled) < 2 or len(filled) != len(self.classes):
            empty = [n for n, pics in self.classes if not pics]
            raise DatasetError("a dataset needs at least two classes, each with pictures"
                               + (f"; {', '.join(empty)} {'has' if len(empty) == 1 else 'have'} none." if empty
                                  else f"; there {'is' if len(filled) == 1 else 'are'} {len(filled)}."))
        X = np.stack([p.reshape(-1) for _, pics in filled for _, p in pics], axis=1)
        Y = np.concatenate([np.full(len(pics), k, dtype=np.int64) for k, (_, pics) in enumerate(filled)])
        names = tuple(n for n, _ in filled)
        return Dataset(name, X, Y.reshape(1, -1), None, None, names, task_for(len(names)), IMAGE_SHAPE)

    # -- drawing ----------------------------------------------------------------------------------------------
    def _refresh(self, select=None):
        self.class_list.blockSignals(True)
        self.class_list.clear()
        for name, pics in self.classes:
            QListWidgetItem(f"{name}  ({len(pics)})", self.class_list)
        self.class_list.blockSignals(False)
        if select is not None and select >= 0 and self.classes:
            self.class_list.setCurrentRow(select)
        self._show_pictures()
        total = sum(len(p) for _, p in self.classes)
        self.summary.setText(f"{len(self.classes)} classes, {total} pictures. Add classes, then drop pictures (or "
                             "folders of them) onto a class; double-click a class to rename it."
                             if self.classes else "Build a dataset of your own pictures: add two classes or more "
                             "(+ Class), then drop pictures onto each.")
        has = bool(self.classes)
        for button in (self.rename_button, self.remove_class_button, self.remove_button):
            button.setEnabled(has)

    def _show_pictures(self):
        self.pictures.clear()
        row = self.class_list.currentRow()
        if not 0 <= row < len(self.classes):
            return
        for path, pixels in self.classes[row][1]:
            item = QListWidgetItem(QIcon(pixels_to_pixmap(pixels, ICON)), "")
            item.setToolTip(path)
            self.pictures.addItem(item)
