"""Decoding pictures in a thread of its own, with progress and Cancel: dropped files to classify, and folders of
class subfolders to train on. The window stays responsive however many pictures come.
"""

import threading
import time

from PySide6.QtCore import QObject, Signal, Slot

from visualtrainer.data import DatasetError
from visualtrainer.data.folders import load_picture_folder
from visualtrainer.data.images import LoadCancelled, read_pictures

PROGRESS_SECONDS = 0.05  # progress reaches the window at most 20 times a second


class PictureLoader(QObject):
    """Reads pictures in its QThread. ``progress(done, total)``; then ``pictures_read(paths, pixels, failures)``
    for files, ``folder_read(folder, dataset, skipped)`` for a folder, ``cancelled()`` or ``failed(message)``."""

    progress = Signal(int, int)
    pictures_read = Signal(object, object, object)
    folder_read = Signal(str, object, object)
    cancelled = Signal()
    failed = Signal(str)
    _read_files = Signal(object, object)
    _read_folder = Signal(str, object)

    def __init__(self):
        super().__init__()
        self._cancel = threading.Event()
        self._busy = threading.Event()
        self._last = 0.0
        self._read_files.connect(self._on_read_files)
        self._read_folder.connect(self._on_read_folder)

    # -- from the window's thread ----------------------------------------------------------------------------
    @property
    def busy(self):
        return self._busy.is_set()

    def read_files(self, paths, image_shape):
        if self._start():
            self._read_files.emit(list(paths), tuple(image_shape))

    def read_folder(self, folder, image_shape=(64, 64, 3)):
        if self._start():
            self._read_folder.emit(str(folder), tuple(image_shape))

    def cancel(self):
        self._cancel.set()

    def _start(self):
        if self._busy.is_set():
            return False
        self._busy.set()
        self._cancel.clear()
        self._last = 0.0
        return True

    # -- in the loader's thread ------------------------------------------------------------------------------
    def _report(self, done, total):
        now = time.perf_counter()
        if done == total or now - self._last >= PROGRESS_SECONDS:
            self._last = now
            self.progress.emit(done, total)
        return not self._cancel.is_set()

    @Slot(object, object)
    def _on_read_files(self, paths, image_shape):
        try:
            pixels, kept, failures = read_pictures(paths, image_shape, self._report)
            self._busy.clear()
            self.pictures_read.emit([paths[i] for i in kept], pixels, failures)
        except LoadCancelled:
            self._busy.clear()
            self.cancelled.emit()

    @Slot(str, object)
    def _on_read_folder(self, folder, image_shape):
        try:
            data, skipped = load_picture_folder(folder, image_shape, self._report)
            self._busy.clear()
            self.folder_read.emit(folder, data, skipped)
        except LoadCancelled:
            self._busy.clear()
            self.cancelled.emit()
        except (DatasetError, OSError) as error:
            self._busy.clear()
            self.failed.emit(str(error))
