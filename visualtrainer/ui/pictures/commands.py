"""Pictures read in a thread of their own, with progress and Cancel in the status bar: dropped pictures classified
as cards, pictures for a class of the Dataset tab, and folders of class subfolders opened as the dataset. The cards
are classified again whenever the network changes, so that none shows an old network's probabilities."""

from PySide6.QtCore import QObject, Signal, Slot

from visualtrainer.app.pictures import (PANEL_SHAPE, classify, dataset_folders, picture_files, read_files,
                                        read_folder, unreadable)

from ..errors import sentence
from ..worker import Worker

SUFFIXES_SAID = ".png, .jpg, .jpeg, .bmp, .gif or .webp"


def _plural(n, word="picture"):
    return f"{n:,} {word}{'s' * (n != 1)}"


class PictureCommands(QObject):
    """Reads pictures for ``window`` (its session, status bar, cards and Dataset tab); ``done(n)`` after each
    reading with the number of pictures read (0: cancelled or failed)."""

    done = Signal(int)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.worker = Worker("pictures")
        self.worker.yielded.connect(self._on_progress)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.generation = 0
        self._purpose = None  # what the pictures being read are for: ("cards",), ("class", row) or ("folder",)
        window.cancel_button.clicked.connect(self.worker.cancel)

    @property
    def busy(self):
        return self.worker.busy

    def classify_pictures(self, paths):
        """Classify picture files (folders: the pictures in them) with the current network, as cards; returns how
        many files went to the reading thread (a folder of class subfolders is opened as a dataset instead: -1)."""
        try:
            folders = dataset_folders(paths)
            files = [] if folders else picture_files(paths)
        except Exception as error:  # noqa: BLE001  (a folder that cannot be listed: nothing changes)
            self.window.show_message(sentence(error), error=True)
            return 0
        if folders:  # a folder of class subfolders is a dataset to train on, not pictures to classify
            self.window.open_dataset(str(folders[0]))
            return -1
        data = self.window.session.data
        if not files and paths:
            self.window.show_message(f"{paths[0]}: no pictures there ({SUFFIXES_SAID}), nor one subfolder of "
                                     "pictures per class; nothing was changed.", error=True)
            return 0
        if not files or data is None:
            return 0
        if data.image_shape is None:
            self.window.show_message("Pictures need a network trained on pictures: open a course .h5 file first "
                                     "(Ctrl+O).", error=True)
            return 0
        return len(files) if self._read(("cards",), read_files, files, data.image_shape) else 0

    def read_into_class(self, row, paths):
        """Pictures dropped on a class of the Dataset tab: read, then added to it."""
        try:
            files = picture_files(paths)
        except Exception as error:  # noqa: BLE001  (a folder that cannot be listed: nothing changes)
            self.window.show_message(sentence(error), error=True)
            return 0
        if not files:
            self.window.show_message(f"No pictures there ({SUFFIXES_SAID}).", error=True)
            return 0
        return len(files) if self._read(("class", row), read_files, files, PANEL_SHAPE) else 0

    def read_folder(self, folder):
        """A folder of class subfolders, read, then opened as the dataset."""
        self._read(("folder",), read_folder, folder, PANEL_SHAPE, text=f"Reading the pictures in {folder}…")

    def reclassify(self):
        """The cards classified by the current network (flagged while it is untrained), or cleared when it does
        not take their pictures."""
        cards, session = self.window.drop_classifier, self.window.session
        cards.set_untrained(session.net.n_iter_ == 0)
        if not cards.cards:
            return
        data = session.data
        if data.image_shape is None or tuple(cards.cards[0].pixels.shape) != tuple(data.image_shape):
            cards.clear()
            return
        cards.set_probabilities(classify(session.model(), cards.pixels()), list(data.classes))

    def close(self):
        return self.worker.close()

    def _read(self, purpose, function, what, image_shape, text=None):
        if self.worker.busy:
            self.window.show_message("Still reading pictures: wait for them, or Cancel.", error=True)
            return False
        self._purpose = purpose
        self.generation += 1
        self.window.status.start_loading(text or f"Reading {_plural(len(what))}…")
        self.worker.start(function, what, image_shape, generation=self.generation)
        return True

    # -- results, in the window's thread ----------------------------------------------------------------------
    @Slot(object)
    def _on_progress(self, result):
        if result.generation == self.generation:
            self.window.status.show_loading(*result.value)

    @Slot(object)
    def _on_failed(self, result):
        if result.generation == self.generation:
            self.window.status.end_loading()
            self.window.show_message(result.value, error=True)
            self.done.emit(0)

    @Slot(object)
    def _on_finished(self, result):
        if result.generation != self.generation:
            return
        self.window.status.end_loading()
        read, purpose = result.value, self._purpose
        if read is None:
            self.window.show_message("Cancelled: nothing was changed.")
            self.done.emit(0)
        elif purpose[0] == "class":
            self._add_to_class(purpose[1], read)
        elif purpose[0] == "folder":
            self._open_folder(read)
        else:
            self._add_cards(read)

    def _none_read(self, read):
        """When no picture could be read: say why (nothing changes) and end the reading; whether that was so."""
        if read.paths:
            return False
        self.window.show_message(read.failures[0][1] if len(read.failures) == 1 else unreadable(read.failures),
                                 error=True)
        self.done.emit(0)
        return True

    def _add_to_class(self, row, read):
        if self._none_read(read):
            return
        added = self.window.session.draft.add_pictures(row, read.paths, read.pixels)
        text = f"Added {_plural(added)}."
        if added < len(read.paths):
            text += f" {_plural(len(read.paths) - added)} {'was' if len(read.paths) - added == 1 else 'were'} " \
                    "in the dataset already."
        if read.failures:
            text += f" {unreadable(read.failures)}"
        self.window.show_message(text, error=bool(read.failures))
        self.done.emit(len(read.paths))

    def _open_folder(self, read):
        """The folder read becomes the dataset (kept among the sets read, so that its examples need no reading
        again), or, when it cannot be opened, is forgotten: the window stays as it was."""
        session = self.window.session
        before = session.preloaded.get(read.folder)
        session.preloaded[read.folder] = read.data
        if not self.window.open_dataset(read.folder):
            if before is None:
                session.preloaded.pop(read.folder, None)
            else:
                session.preloaded[read.folder] = before
            self.done.emit(0)
            return
        if read.skipped:
            left = "It was" if len(read.skipped) == 1 else "They were"
            self.window.show_message(f"{unreadable(read.skipped)} {left} left out.", error=True)
        self.done.emit(read.data.m)

    def _add_cards(self, read):
        session = self.window.session
        data = session.data
        if self._none_read(read):
            return
        if data.image_shape is None or read.pixels.shape[1] != session.spec.layer_dims[0]:
            self.window.show_message("The network changed while the pictures were read: drop them again.",
                                     error=True)
            self.done.emit(0)
            return
        cards = self.window.drop_classifier
        shown = cards.add_cards(read.paths, read.pixels, classify(session.model(), read.pixels), list(data.classes),
                                data.image_shape)
        self.window.show_tab_of(cards)
        text = f"Classified {_plural(len(read.paths))}"
        if shown < len(read.paths):
            text += f" (the first {shown:,} shown as cards)"
        text += "."
        if read.failures:
            text += f" {unreadable(read.failures)}"
        self.window.show_message(text, error=bool(read.failures))
        self.done.emit(len(read.paths))
