"""The window's model: settings → dataset → network, rebuilt when a setting that shapes them changes.

No widgets here: the window shows a Session and the worker trains its network.
"""

import numpy as np

from visualtrainer.data import Dataset, load_dataset, train_test_split

from .builder import layer_dims, network_for, output_for
from .settings import Settings, takes_test_fraction

GRID = 120


class Session:
    """Holds ``settings``, the loaded ``data`` and the ``net`` built from both."""

    def __init__(self, settings=None):
        self.settings = settings or Settings()
        self.data = None
        self.net = None
        self.grid = None  # (xx, yy) over the 2-D data, or xs for one feature
        self.preloaded = {}  # folder path -> its pictures, already decoded (in the loader's thread)

    def load_data(self):
        """(Re)load the dataset named in the settings; raises DatasetError with a clear message."""
        s = self.settings
        fraction = s.test_fraction if self.splits else 0.0
        whole = self.preloaded.get(str(s.dataset))
        if whole is not None:
            X_train, Y_train, X_test, Y_test = train_test_split(whole.X_train, whole.Y_train, fraction, s.seed)
            self.data = Dataset(whole.name, X_train, Y_train, X_test, Y_test, whole.classes, whole.task,
                                whole.image_shape)
        else:
            self.data = load_dataset(s.dataset, seed=s.seed, noise=None if s.noise < 0 else s.noise,
                                     test_fraction=fraction)
        self.grid = self._make_grid()
        return self.data

    @property
    def splits(self):
        return takes_test_fraction(self.settings.dataset)

    def suggest_for_dataset(self):
        """Set the learning rate and iterations that suit the current dataset."""
        self.settings.suggest_for_dataset()

    @property
    def layer_dims(self):
        """(n_x, n[1], …, n_y) of the network the settings make for the data."""
        output = output_for(self.data.task, self.settings.output)
        return layer_dims(self.data.n_x, [n for n, _ in self.settings.hidden], output, self.data.n_classes)

    def use_network(self, net):
        """Take ``net`` (a loaded model or session) as the network; ValueError if it does not fit the data."""
        if tuple(net.layer_dims) != self.layer_dims:
            raise ValueError(f"the network {tuple(net.layer_dims)} does not fit the data and settings "
                             f"(n_x = {self.data.n_x}: {self.layer_dims}); open its dataset first.")
        self.net = net
        return net

    def build_network(self):
        """A fresh network for the current settings and data, with its parameters drawn."""
        self.net = network_for(self.settings, self.data).initialize()
        return self.net

    def apply_live(self):
        """Copy the settings that need no new network onto it (read by the loop at its next chunk)."""
        self.net.set_params(**self.settings.live())

    def _make_grid(self):
        data = self.data
        X = data.X_train if data.X_test is None else np.hstack([data.X_train, data.X_test])
        if data.n_x == 2:
            low, high = X.min(axis=1), X.max(axis=1)
            pad = 0.08 * (high - low) + 1e-9
            xs = np.linspace(low[0] - pad[0], high[0] + pad[0], GRID)
            ys = np.linspace(low[1] - pad[1], high[1] + pad[1], GRID)
            return np.meshgrid(xs, ys)
        if data.n_x == 1:
            low, high = X.min(), X.max()
            pad = 0.05 * (high - low) + 1e-9
            return np.linspace(low - pad, high + pad, 200)
        return None

    def grid_points(self):
        """The grid as inputs (n_x, k) and its shape, for the worker to evaluate; (None, None) for images."""
        if self.grid is None:
            return None, None
        if self.data.n_x == 2:
            xx, yy = self.grid
            return np.vstack([xx.ravel(), yy.ravel()]), xx.shape
        return self.grid.reshape(1, -1), self.grid.shape
