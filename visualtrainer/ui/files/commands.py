"""What the window does with files: open and save datasets, save and load models, export the model, the run and
the plot, and build a dataset from the Dataset tab. Each command acts on the window's public parts."""

from pathlib import Path

import numpy as np

from visualtrainer.core import Network, load_model, save_model
from visualtrainer.core.script import export_run
from visualtrainer.data import DatasetError, save_dataset

from visualtrainer.app.pictures import PANEL_SHAPE
from visualtrainer.app.session import settings_from

from ..errors import sentence
from .dialogs import path_to_open, path_to_save


class FileCommands:
    """File > Open dataset, Save dataset, Save model, Load model, the exports, and the Dataset tab's files, for
    ``window`` (its session, training controller, messages and panels)."""

    def __init__(self, window):
        self.window = window
        self.session = window.session

    def _message(self, text, error=False):
        self.window.show_message(text, error=error)

    # -- datasets -----------------------------------------------------------------------------------------------
    def open_dataset(self, path=None):
        """Open a dataset file or folder (a folder is read in the pictures' thread first: None). False, with a
        message, when it cannot be opened; the window keeps its dataset and network then."""
        path = path_to_open(self.window, path, "Open a dataset", "", "Datasets (*.h5 *.hdf5 *.npz);;All files (*)")
        if not path:
            return False
        if Path(path).is_dir() and str(path) not in self.session.preloaded:
            self.window.pictures.read_folder(str(path))
            return None
        settings = self.session.settings.copy()  # the user's hidden layers fit any data: they stay
        settings.dataset = str(path)
        suggested = settings.suggest_for_dataset()
        if not self.window.reset(reload=True, settings=settings, about=path):
            return False
        self._message(f"Opened {Path(path).name}: {' → '.join(map(str, self.session.net.layer_dims))}, with "
                      f"{suggested}. Press Space to train.")
        return True

    def save_dataset(self, path=None):
        """File > Save dataset: the current examples (train and test), labels and class names in one .npz file."""
        data = self.session.data
        if data is None:
            return False
        path = path_to_save(self.window, path, "Save dataset", f"{data.name}.npz", "Datasets (*.npz)")
        if not path:
            return False
        try:
            written = save_dataset(data, path)
        except OSError as error:
            self._message(f"{path}: could not write the dataset ({error.strerror or error}).", error=True)
            return False
        self._message(f"Saved {data.m + data.m_test} examples to {written}; File > Open dataset opens it again.")
        return True

    def train_on_panel(self, path=None):
        """The Dataset tab's classes: saved as one .npz file (asked for), then opened to train on."""
        try:
            data = self.session.draft.dataset()
        except DatasetError as error:
            self._message(str(error).capitalize(), error=True)
            return False
        path = path_to_save(self.window, path, "Save the dataset, then train on it", "my-pictures.npz",
                            "Datasets (*.npz)")
        if not path:
            return False
        try:
            written = save_dataset(data, path)
        except OSError as error:
            self._message(f"{path}: could not write the dataset ({error.strerror or error}).", error=True)
            return False
        return bool(self.open_dataset(str(written)))

    def edit_current_dataset(self):
        """Start the Dataset tab from the current picture set."""
        data = self.session.data
        if data is None or tuple(data.image_shape or ()) != PANEL_SHAPE:
            self._message("The current dataset is not 64×64 pictures: start from empty classes instead.", error=True)
            return False
        self.session.draft.set_dataset(data)
        return True

    # -- models -------------------------------------------------------------------------------------------------
    def _network(self):
        """The session's network, once training (if any) has let go of it; None when there is none."""
        if self.session.net is None or not self.window.training.hold_network():
            return None
        return self.session.net

    def save_model(self, path=None):
        net = self._network()
        if net is None:
            return False
        path = path_to_save(self.window, path, "Save model", "model.npz", "Models (*.npz)")
        if not path:
            return False
        data = self.session.data
        try:
            save_model(net, path, extra={"settings": self.session.settings.to_dict(), "classes": list(data.classes),
                                         "image_shape": list(data.image_shape) if data.image_shape else None})
        except Exception as error:  # noqa: BLE001  (the previous file is whole: say why in one sentence)
            self._message(sentence(error, path), error=True)
            return False
        self._message(f"Saved the model to {path}.")
        return True

    def load_model(self, path=None):
        """File > Load model: the model read and checked whole (its settings too, when it has the window's), then
        shown with its dataset; False, with a message and nothing changed, when it cannot be."""
        path = path_to_open(self.window, path, "Load model", "", "Models (*.npz)")
        if not path:
            return False
        try:
            net, extra = load_model(path)
            settings = settings_from(extra["settings"], "its settings") if "settings" in extra else None
        except Exception as error:  # noqa: BLE001  (nothing has changed yet: say why in one sentence)
            self._message(sentence(error, path), error=True)
            return False
        if not self.window.reset(reload=settings is not None, settings=settings, net=net, about=path):
            return False
        self._message(f"Loaded {path}.")
        return True

    def export_onnx(self, path=None):
        """File > Export model as ONNX: the network as an ONNX graph (input X (m, n_x), output probabilities)."""
        from visualtrainer.core.onnx_export import export_onnx

        net, data = self._network(), self.session.data
        if net is None:
            return False
        path = path_to_save(self.window, path, "Export the model as ONNX", "model.onnx", "ONNX models (*.onnx)")
        if not path:
            return False
        pixels = data.X_train.dtype == np.uint8
        try:
            export_onnx(net, path, class_names=data.classes or None, pixels=pixels)
        except (OSError, ValueError) as error:
            self._message(f"{path}: could not export the model ({error}).", error=True)
            return False
        takes = "uint8 pixels (m, n_x), scaled inside" if pixels else f"X (m, {net.layer_dims[0]}) floats"
        self._message(f"Exported the model to {path}: it takes {takes} and gives probabilities (m, "
                      f"{net.layer_dims[-1]}).")
        return True

    def export_script(self, path=None):
        """File > Export run as script: a numpy-only script (and its data) that trains this network from its start."""
        spec, data = self.session.spec, self.session.data
        if spec is None:
            return False
        path = path_to_save(self.window, path, "Export the run as a Python script", "run.py", "Python scripts (*.py)")
        if not path:
            return False
        s = self.session.settings
        try:
            script, data_file = export_run(Network(**spec.get_params()), data.X_train, data.Y_train, s.iterations,
                                           path, title=self.session.run_title())
        except (OSError, ValueError) as error:
            self._message(f"{path}: could not export the run ({error}).", error=True)
            return False
        self._message(f"Wrote {script} and {data_file.name}: python {script.name} trains it with numpy alone.")
        return True

    def export_plot(self, path=None):
        """File > Export plot: the cost plot as PNG or SVG; False, with a message, when nothing could be written."""
        path = path_to_save(self.window, path, "Export the cost plot", "cost.png",
                            "PNG image (*.png);;SVG drawing (*.svg)")
        if not path:
            return False
        try:
            self.window.cost_plot.export(path)
            if not Path(path).is_file():
                raise OSError(0, "", path)
        except Exception as error:  # noqa: BLE001  (say why in one sentence)
            said = "nothing was written." if isinstance(error, OSError) and not error.strerror else \
                sentence(error, expected=isinstance(error, OSError))
            self._message(f"{path}: could not export the plot; {said[0].lower()}{said[1:]}", error=True)
            return False
        self._message(f"Exported the cost plot to {path}.")
        return True
