"""The Dataset tab: build a picture dataset by hand (a DatasetDraft): add, rename and remove classes, drop pictures
onto a class, remove pictures, then train on it (it is saved as one .npz file first, so nothing is lost).

The pictures are decoded in the pictures' thread (``pictures_dropped`` asks for it) and added to the draft.
"""

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QInputDialog, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QVBoxLayout, QWidget)

from visualtrainer.app.pictures import plural

from .drop_classifier import pixels_to_pixmap

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
    """Shows and edits a DatasetDraft (classes of pictures being gathered); ``train_requested`` when the user wants
    to train on them."""

    pictures_dropped = Signal(int, object)  # (class row, paths): the window reads them and calls add_pictures
    train_requested = Signal()
    start_from_current = Signal()

    def __init__(self, draft, parent=None):
        super().__init__(parent)
        self.draft = draft
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
        left.addWidget(self.current_button)  # here, not beside Remove pictures: the tab fits 1024 pixels' width
        left.addWidget(self.train_button)
        picture_buttons = QHBoxLayout()
        picture_buttons.addWidget(self.remove_button)
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
        draft.changed.connect(lambda row: self._refresh(select=row))

    @property
    def classes(self):
        return self.draft.classes

    def _row(self, row):
        return self.class_list.currentRow() if row is None else row

    def add_class(self, name=None):
        """A new, empty class (named "class k" unless ``name``); returns its row; ValueError for a name taken."""
        return self.draft.add_class(name)

    def rename_class(self, row=None, name=None):
        """Rename a class (the selected one; the name asked for); False, said in the panel, when it cannot be."""
        row = self._row(row)
        if not 0 <= row < len(self.classes):
            return False
        if name is None:
            name, ok = QInputDialog.getText(self, "Rename class", "Name:", text=self.classes[row][0])
            if not ok:
                return False
        try:
            self.draft.rename_class(row, name)
        except ValueError as error:
            text = str(error)
            self.summary.setText(f"<span style='color:#b00020'>{text[0].upper() + text[1:]}</span>")
            return False
        return True

    def remove_class(self, row=None):
        self.draft.remove_class(self._row(row))

    def remove_pictures(self):
        """Remove the pictures selected in the class shown."""
        self.draft.remove_pictures(self.class_list.currentRow(),
                                   [self.pictures.row(item) for item in self.pictures.selectedItems()])

    # -- drawing ----------------------------------------------------------------------------------------------
    def _refresh(self, select=None):
        """Show the draft's classes, the class at ``select`` (a row) chosen."""
        self.class_list.blockSignals(True)
        self.class_list.clear()
        for name, pics in self.classes:
            QListWidgetItem(f"{name}  ({len(pics)})", self.class_list)
        self.class_list.blockSignals(False)
        if select is not None and select >= 0 and self.classes:
            self.class_list.setCurrentRow(select)
        self._show_pictures()
        total = sum(len(p) for _, p in self.classes)
        self.summary.setText(f"{plural(len(self.classes), 'class')}, {plural(total)}. Add classes, then drop "
                             "pictures (or folders of them) onto a class; double-click a class to rename it."
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
