"""The first layer's weights as pictures: what each hidden unit (or the one neuron of logistic regression) looks for."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from .neuron_detail import weights_picture

MAX_PICTURES = 20


class WeightPictures(QWidget):
    """A grid of W[1] rows shown in the input's shape (grey = 0, brighter = positive, darker = negative)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QLabel()
        self.title.setStyleSheet("padding: 4px 8px; font-weight: 600;")
        self.title.setWordWrap(True)  # its width must not set the window's
        self.graphics = pg.GraphicsLayoutWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.graphics, 1)
        self.images = []
        self.image_shape = None

    def set_architecture(self, n_units, image_shape):
        """One picture per first-layer unit (the first MAX_PICTURES of them) for inputs of ``image_shape``."""
        self.graphics.clear()
        self.images, self.image_shape = [], tuple(image_shape)
        shown = min(n_units, MAX_PICTURES)
        columns = int(np.ceil(np.sqrt(shown)))
        for j in range(shown):
            box = self.graphics.addViewBox(row=j // columns, col=j % columns, lockAspect=True, enableMouse=False)
            box.invertY(True)
            image = pg.ImageItem()
            box.addItem(image)
            self.images.append(image)
        more = f" (the first {shown} of {n_units})" if n_units > shown else ""
        self.title.setText(f"W[1] rows as pictures{more}: grey = 0, brighter = positive, darker = negative")

    def set_weights(self, W1):
        """W1 (n[1], n_x): redraw each unit's picture."""
        for j, image in enumerate(self.images):
            picture = (weights_picture(W1[j], self.image_shape) * 255).astype(np.uint8)
            image.setImage(picture, levels=(0, 255))
