"""What the window does with files: open a dataset, save and load models, export the plot, classify pictures.

A mixin of MainWindow (it uses the window's session, widgets and messages); kept apart to keep each file short.
"""

from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QFileDialog

from visualtrainer.core import Network, load_model, save_model
from visualtrainer.core.script import export_run
from visualtrainer.data import DatasetError, save_dataset
from visualtrainer.data.folders import class_folders
from visualtrainer.data.images import SUFFIXES
from visualtrainer.data.session_file import SUFFIX as SESSION_SUFFIX

from visualtrainer.app.settings import Settings


PANEL_SHAPE = (64, 64, 3)


def path_to_save(parent, path, title, suggested, filters):
    """``path`` when given, else the file the user picks in a save dialog ("" when cancelled)."""
    return str(path) if path else QFileDialog.getSaveFileName(parent, title, suggested, filters)[0]


def path_to_open(parent, path, title, folder, filters):
    """``path`` when given, else the file the user picks in an open dialog ("" when cancelled)."""
    return str(path) if path else QFileDialog.getOpenFileName(parent, title, folder, filters)[0]


def _picture_files(paths):
    """The picture files among ``paths``, a folder standing for the pictures in it."""
    files = []
    for path in map(Path, paths or []):
        files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES) if path.is_dir() else [path])
    return files


class FileActions:
    """File > Open dataset, Save model, Load model, Export plot, Classify pictures, and drops on the window."""

    # -- pictures -------------------------------------------------------------------------------------------
    def dragEnterEvent(self, event):
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event):
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        event.acceptProposedAction()
        sessions = [path for path in paths if path.lower().endswith(SESSION_SUFFIX)]
        if sessions:  # a dropped session opens (the last one, when several are dropped)
            self.open_session(sessions[-1])
            paths = [path for path in paths if path not in sessions]
        if paths:
            self.classify_pictures(paths)

    def classify_pictures(self, paths=None):
        """Classify picture files (folders: the pictures in them) with the current network, as cards.

        The pictures are decoded in the loader's thread, with progress and Cancel in the status bar; returns how
        many files went to it (a folder of class subfolders is opened as a dataset instead: -1).
        """
        if paths is None:
            paths, _ = QFileDialog.getOpenFileNames(self, "Classify pictures", "",
                                                    "Pictures (*.png *.jpg *.jpeg *.bmp *.gif *.webp)")
        folders = [Path(p) for p in paths or [] if Path(p).is_dir() and len(class_folders(p)) >= 2]
        if folders:  # a folder of class subfolders is a dataset to train on, not pictures to classify
            self.open_dataset(str(folders[0]))
            return -1
        files = _picture_files(paths)
        data, net = self.session.data, self.session.net
        if not files or net is None:
            return 0
        if data.image_shape is None:
            self.show_message("Pictures need a network trained on pictures: open a course .h5 file first (Ctrl+O).",
                              error=True)
            return 0
        if not self._start_loading(f"Reading {len(files):,} picture{'s' * (len(files) != 1)}…"):
            return 0
        self._reading_for = None
        self.loader.read_files([str(f) for f in files], data.image_shape)
        return len(files)

    def read_into_class(self, row, paths):
        """Pictures dropped on a class of the dataset panel: read in the loader's thread, then added to it."""
        files = _picture_files(paths)
        if not files:
            self.show_message("No pictures there (.png, .jpg, .jpeg, .bmp, .gif, .webp).", error=True)
            return 0
        if not self._start_loading(f"Reading {len(files):,} picture{'s' * (len(files) != 1)}…"):
            return 0
        self._reading_for = row
        self.loader.read_files([str(f) for f in files], PANEL_SHAPE)
        return len(files)

    def train_on_panel(self, path=None):
        """The dataset panel's classes: saved as one .npz file (asked for), then opened to train on."""
        try:
            data = self.dataset_panel.dataset()
        except DatasetError as error:
            self.show_message(str(error).capitalize(), error=True)
            return False
        path = path_to_save(self, path, "Save the dataset, then train on it", "my-pictures.npz",
                            "Datasets (*.npz)")
        if not path:
            return False
        try:
            written = save_dataset(data, path)
        except OSError as error:
            self.show_message(f"{path}: could not write the dataset ({error.strerror or error}).", error=True)
            return False
        return bool(self.open_dataset(str(written)))

    def edit_current_dataset(self):
        data = self.session.data
        if data is None or tuple(data.image_shape or ()) != PANEL_SHAPE:
            self.show_message("The current dataset is not 64×64 pictures: start from empty classes instead.",
                              error=True)
            return False
        self.dataset_panel.set_dataset(data)
        return True

    def _start_loading(self, text):
        if self.loader.busy:
            self.show_message("Still reading pictures: wait for them, or Cancel.", error=True)
            return False
        self.load_bar.setRange(0, 0)
        self.load_bar.show()
        self.cancel_button.show()
        self.show_message(text)
        return True

    def _end_loading(self):
        self.load_bar.hide()
        self.cancel_button.hide()

    def _on_load_progress(self, done, total):
        self.load_bar.setRange(0, total)
        self.load_bar.setValue(done)
        self.load_bar.setFormat(f"{done:,} / {total:,}")

    def _on_pictures_read(self, paths, pixels, failures):
        self._end_loading()
        if self._reading_for is not None:  # for a class of the dataset panel
            self.dataset_panel.add_pictures(self._reading_for, paths, pixels)
            self._reading_for = None
            text = f"Added {len(paths):,} picture{'s' * (len(paths) != 1)}."
            if failures:
                text += f" {len(failures):,} could not be read: {failures[0][1]}"
            self.show_message(text, error=bool(failures))
            self.pictures_done.emit(len(paths))
            return
        data, net = self.session.data, self.session.net
        if data.image_shape is None or pixels.shape[1] != net.layer_dims[0]:
            self.show_message("The network changed while the pictures were read: drop them again.", error=True)
            return
        shown = self.drop_classifier.add_cards(paths, pixels, net, data.image_shape, list(data.classes))
        self.lower_tabs.setCurrentWidget(self.drop_classifier)
        text = f"Classified {len(paths):,} picture{'s' * (len(paths) != 1)}."
        if shown < len(paths):
            text += f" The first {shown:,} are shown as cards."
        if failures:
            text += f" {len(failures):,} could not be read: {failures[0][1]}"
        self.show_message(text, error=bool(failures))
        self.pictures_done.emit(len(paths))

    def _on_load_cancelled(self):
        self._end_loading()
        self._reading_for = None
        self.show_message("Cancelled: nothing was changed.")
        self.pictures_done.emit(0)

    def _on_load_failed(self, message):
        self._end_loading()
        self._reading_for = None
        self.show_message(message, error=True)
        self.pictures_done.emit(0)

    def _on_folder_read(self, folder, data, skipped):
        self._end_loading()
        self.session.preloaded[folder] = data
        if self.open_dataset(folder) and skipped:
            self.show_message(f"{len(skipped):,} picture{'s' * (len(skipped) != 1)} could not be read and "
                              f"{'were' if len(skipped) != 1 else 'was'} left out: {skipped[0][1]}", error=True)
        self.pictures_done.emit(data.m)

    def _on_picture_selected(self, card):
        net = self.session.net
        params = self._latest.snapshot.params if self._latest is not None else None
        x = card.pixels.reshape(-1, 1)
        layers = net.forward_layers(x, params)
        self.network_view.set_example_activations([x[:, 0] / 255.0] + [A[:, 0] for _, A in layers])
        self.show_message(f"{card.path}: {card.predicted}; the diagram shows its activations.")

    # -- files ----------------------------------------------------------------------------------------------
    def open_dataset(self, path=None):
        path = path_to_open(self, path, "Open a dataset", "", "Datasets (*.h5 *.hdf5 *.npz);;All files (*)")
        if not path:
            return False
        if Path(path).is_dir() and str(path) not in self.session.preloaded:  # decoded in the loader's thread first
            if self._start_loading(f"Reading the pictures in {path}…"):
                self.loader.read_folder(str(path))
            return None
        previous = replace(self.session.settings)
        self.session.settings.dataset = str(path)
        self.session.suggest_for_dataset()
        self.session.settings.hidden = self.session.settings.hidden or [(7, "relu")]
        if not self.reset(reload=True):
            problem = self.message_label.text()
            self.session.settings = previous
            self.controls.set_settings(previous)
            self.reset(reload=True)
            self.show_message(problem, error=True)  # nothing lost: the previous dataset is back
            return False
        self.controls.set_settings(self.session.settings)
        return True

    def save_dataset(self, path=None):
        """File > Save dataset: the current examples (train and test), labels and class names in one .npz file."""
        data = self.session.data
        if data is None:
            return False
        path = path_to_save(self, path, "Save dataset", f"{data.name}.npz", "Datasets (*.npz)")
        if not path:
            return False
        try:
            written = save_dataset(data, path)
        except OSError as error:
            self.show_message(f"{path}: could not write the dataset ({error.strerror or error}).", error=True)
            return False
        self.show_message(f"Saved {data.m + data.m_test} examples to {written}; File > Open dataset opens it again.")
        return True

    def save_model(self, path=None):
        if self.session.net is None:
            return False
        path = path_to_save(self, path, "Save model", "model.npz", "Models (*.npz)")
        if not path:
            return False
        data = self.session.data
        save_model(self.session.net, path, extra={"settings": self.session.settings.to_dict(),
                                                  "classes": list(data.classes),
                                                  "image_shape": list(data.image_shape) if data.image_shape else None})
        self.show_message(f"Saved the model to {path}.")
        return True

    def load_model(self, path=None):
        path = path_to_open(self, path, "Load model", "", "Models (*.npz)")
        if not path:
            return False
        try:
            net, extra = load_model(path)
        except ValueError as error:
            self.show_message(str(error), error=True)
            return False
        if "settings" in extra:
            self.session.settings = Settings.from_dict(extra["settings"])
            self.controls.set_settings(self.session.settings)
        if not self.reset(reload="settings" in extra, net=net):
            self.show_message(f"{path}: {self.message_label.text()}", error=True)
            return False
        self.show_message(f"Loaded {path}.")
        return True

    def export_onnx(self, path=None):
        """File > Export model as ONNX: the network as an ONNX graph (input X (m, n_x), output probabilities)."""
        from visualtrainer.core.onnx_export import export_onnx

        net, data = self.session.net, self.session.data
        if net is None:
            return False
        path = path_to_save(self, path, "Export the model as ONNX", "model.onnx", "ONNX models (*.onnx)")
        if not path:
            return False
        pixels = data.X_train.dtype == np.uint8
        try:
            export_onnx(net, path, class_names=data.classes or None, pixels=pixels)
        except (OSError, ValueError) as error:
            self.show_message(f"{path}: could not export the model ({error}).", error=True)
            return False
        takes = "uint8 pixels (m, n_x), scaled inside" if pixels else f"X (m, {net.layer_dims[0]}) floats"
        self.show_message(f"Exported the model to {path}: it takes {takes} and gives probabilities (m, "
                          f"{net.layer_dims[-1]}).")
        return True

    def export_script(self, path=None):
        """File > Export run as script: a numpy-only script (and its data) that trains this network from its start."""
        net, data = self.session.net, self.session.data
        if net is None:
            return False
        path = path_to_save(self, path, "Export the run as a Python script", "run.py", "Python scripts (*.py)")
        if not path:
            return False
        s = self.session.settings
        try:
            script, data_file = export_run(Network(**net.get_params()), data.X_train, data.Y_train, s.iterations,
                                           path, title=f"{data.name}: {' → '.join(map(str, net.layer_dims))}, "
                                                       f"α = {s.learning_rate:g}, {s.iterations} iterations")
        except (OSError, ValueError) as error:
            self.show_message(f"{path}: could not export the run ({error}).", error=True)
            return False
        self.show_message(f"Wrote {script} and {data_file.name}: python {script.name} trains it with numpy alone.")
        return True

    def export_plot(self, path=None):
        path = path_to_save(self, path, "Export the cost plot", "cost.png",
                            "PNG image (*.png);;SVG drawing (*.svg)")
        if path:
            self.cost_plot.export(path)
        return bool(path)
