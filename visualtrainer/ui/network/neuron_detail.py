"""What one neuron computes: its output over the plane (2-D data), or its incoming weights as a picture."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..axes import short_axes, short_colour_bar


def weights_picture(w, image_shape):
    """RGB (h, w, 3) float in [0, 1] from weights (n_x,): each channel's weights scaled by the largest |w|,
    so that 0.5 grey means zero, brighter a positive weight, darker a negative one (the pixel pattern that
    excites the unit shows in its own colours)."""
    picture = np.asarray(w, dtype=np.float64).reshape(image_shape)
    largest = np.abs(picture).max()
    picture = 0.5 + 0.5 * picture / largest if largest > 0 else np.full(picture.shape, 0.5)
    if picture.ndim == 2 or picture.shape[-1] == 1:
        picture = np.repeat(picture.reshape(*picture.shape[:2], 1), 3, axis=2)
    return picture


class NeuronDetail(QWidget):
    """A heatmap of a unit's activation over the data plane, or a picture of its incoming weights."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QLabel("Click a neuron in the diagram to see what it computes.")
        self.title.setStyleSheet("padding: 4px 8px; font-weight: 600;")
        self.plot_widget = pg.PlotWidget(axisItems=short_axes())
        self.view = self.plot_widget.getPlotItem()
        self.view.setAspectLocked(True)
        self.image = pg.ImageItem()
        self.view.addItem(self.image)
        self.colour_bar = pg.ColorBarItem(colorMap=pg.colormap.get("CET-D1"), interactive=False, width=14)
        self.colour_bar.setImageItem(self.image, insert_in=self.view)
        short_colour_bar(self.colour_bar)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.plot_widget, 1)

    def clear(self, title):
        """Show nothing but ``title`` (a new network: the unit shown before belongs to the old one)."""
        self.title.setText(title)
        self.image.clear()
        self.colour_bar.setVisible(False)

    def show_plane(self, grid_x1, grid_x2, values, title):
        """values (ny, nx) of the unit over the grid (ny, nx), row 0 at the lowest x₂."""
        self.title.setText(title)
        self.colour_bar.setVisible(True)
        self.image.setColorMap(pg.colormap.get("CET-D1"))
        top = float(np.abs(values).max()) or 1.0
        low = -top if values.min() < 0 else 0.0
        self.image.setImage(np.asarray(values, dtype=np.float64), levels=(low, top))
        self.colour_bar.setLevels((low, top))
        x0, x1, y0, y1 = grid_x1[0, 0], grid_x1[0, -1], grid_x2[0, 0], grid_x2[-1, 0]
        self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        self.view.getViewBox().invertY(False)
        self.view.setLabel("bottom", "x₁")
        self.view.setLabel("left", "x₂")
        self.view.autoRange()

    def show_weights(self, w, image_shape, title):
        """The unit's incoming weights (n_x,) as a picture of the input's shape (h, w, c)."""
        self.title.setText(title + "  (grey = 0, brighter = positive, darker = negative)")
        self.colour_bar.setVisible(False)
        picture = weights_picture(w, image_shape)
        self.image.setImage((picture * 255).astype(np.uint8), levels=(0, 255))
        self.image.setRect(QRectF(0, 0, picture.shape[1], picture.shape[0]))
        self.view.getViewBox().invertY(True)
        self.view.setLabel("bottom", "column")
        self.view.setLabel("left", "row")
        self.view.autoRange()
