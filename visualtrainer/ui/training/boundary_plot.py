"""For 2-D data, the decision boundary forming: class regions as a heatmap behind the points.

For one-feature regression, the points and the fitted curve instead.
"""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QCheckBox, QGraphicsItem, QHBoxLayout, QVBoxLayout, QWidget

from visualtrainer.core.contours import level_segments
from visualtrainer.data.features import plane_of

from ..axes import short_axes
from ..colours import CLASS_COLOURS, region_colours

TRAIN_SYMBOL, TEST_SYMBOL = "o", "t"


class BoundaryPlot(QWidget):
    """Points of every class (train: discs, test: triangles) over the network's class regions; the test points
    can be hidden, and the regions shown as the class alone (TensorFlow Playground's "discretize output")."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.plot_widget = pg.PlotWidget(axisItems=short_axes())
        self.view = self.plot_widget.getPlotItem()
        self.view.setAspectLocked(True)
        self.view.showGrid(x=False, y=False)
        self.view.setLabel("bottom", "x₁")
        self.view.setLabel("left", "x₂")
        self.view.setTitle("decision boundary")
        self.image = pg.ImageItem()
        self.image.setZValue(-10)
        self.view.addItem(self.image)
        self.boundary = pg.PlotCurveItem(pen=pg.mkPen((40, 40, 40), width=1.5), connect="pairs")  # P = 0.5
        self.view.addItem(self.boundary)
        self.legend = self.view.addLegend(offset=(8, 8))
        self.train_points = pg.ScatterPlotItem(size=7, symbol=TRAIN_SYMBOL, pen=pg.mkPen("w", width=0.8),
                                               name="train")
        self.test_points = pg.ScatterPlotItem(size=9, symbol=TEST_SYMBOL, brush=pg.mkBrush(None), name="test")
        self.curve = pg.PlotDataItem(pen=pg.mkPen("#1f4e9c", width=2.5))
        for item in (self.train_points, self.test_points, self.curve):
            self.view.addItem(item)
        for item in (self.train_points, self.test_points, self.legend):  # drawn again only when they change, not
            item.setCacheMode(QGraphicsItem.DeviceCoordinateCache)  # with the output under them (1.5 of 4.5 ms)
        self.test_box = QCheckBox("test data", checked=True)
        self.test_box.setToolTip("Show the test examples (triangles)")
        self.test_box.toggled.connect(self.test_points.setVisible)
        self.discrete_box = QCheckBox("discretize")
        self.discrete_box.setToolTip("Colour each region by its class alone, however sure the network is")
        self.discrete_box.toggled.connect(lambda _: self._colour_regions())
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 0, 4, 0)
        bar.addWidget(self.test_box)
        bar.addWidget(self.discrete_box)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.plot_widget, 1)
        layout.addLayout(bar)
        self._grid = self._P = None

    def show_dataset(self, data, grid):
        """A Dataset's points: over ``grid`` (xx, yy) for 2-D data, as y against x for one feature; hidden for
        more features (2-D points given as derived features show as the points)."""
        data = plane_of(data)
        if data.n_x == 2:
            self.set_grid(*grid)
            self.set_data(data.X_train, data.Y_train, data.X_test, data.Y_test, max(2, data.n_classes))
        elif data.n_x == 1:
            self.set_regression(data.X_train, data.Y_train)
        self.setVisible(data.n_x <= 2)
        for box in (self.test_box, self.discrete_box):
            box.setVisible(data.n_x == 2)

    def show_output(self, data, grid, P):
        """The network's output over ``grid``, P (n_y, *grid shape): class regions for 2-D data, ŷ(x) for one
        feature."""
        if plane_of(data).n_x == 2:
            self.set_probabilities(P)
        else:
            self.set_curve(grid, P.ravel())

    def set_data(self, X_train, Y_train, X_test=None, Y_test=None, n_classes=2):
        """Show the points: X (2, m), Y (1, m) integer labels."""
        self.view.setAspectLocked(True)
        self.view.setTitle("decision boundary")
        self.view.setLabel("left", "x₂")
        self.curve.setData([], [])
        self.train_points.setData(X_train[0], X_train[1], brush=[pg.mkBrush(*c) for c in self._colours(Y_train)])
        if X_test is not None and X_test.shape[1]:
            pens = [pg.mkPen(*c, width=1.6) for c in self._colours(Y_test)]
            self.test_points.setData(X_test[0], X_test[1], pen=pens, brush=pg.mkBrush(None))
        else:
            self.test_points.setData([], [])
        self.image.setVisible(True)

    @staticmethod
    def _colours(Y):
        return [tuple(int(v) for v in CLASS_COLOURS[int(k) % len(CLASS_COLOURS)]) for k in np.ravel(Y)]

    def set_grid(self, xx, yy):
        """The grid (ny, nx) the probabilities will come on; fixes where the image lies."""
        self._grid = (xx, yy)
        x0, x1, y0, y1 = xx[0, 0], xx[0, -1], yy[0, 0], yy[-1, 0]
        dx, dy = (x1 - x0) / (xx.shape[1] - 1), (y1 - y0) / (yy.shape[0] - 1)
        self._rect = QRectF(x0 - dx / 2, y0 - dy / 2, x1 - x0 + dx, y1 - y0 + dy)
        self._placed = False

    def set_probabilities(self, P):
        """Colour the regions from P (1 or K, ny, nx) over the grid given to ``set_grid``."""
        self._P = P
        self._colour_regions()
        if self._grid is not None and not self._placed:  # setRect needs the image's size: after the first image
            self.image.setRect(self._rect)
            self._placed = True
            self.view.autoRange()
        self._draw_boundary(P[0] if P.shape[0] == 1 and self._grid is not None else None)

    def _draw_boundary(self, P=None):
        """The line P = 0.5 over the grid (``level_segments``: numpy, as the window's thread runs no compiled
        kernel), or none."""
        if P is None:
            self.boundary.setData([], [])
            return
        xx, yy = self._grid
        segments = level_segments(P, xx[0], yy[:, 0], 0.5)
        self.boundary.setData(segments[:, [0, 2]].ravel(), segments[:, [1, 3]].ravel())

    def _colour_regions(self):
        if self._P is not None:
            self.image.setImage(region_colours(self._P, self.discrete_box.isChecked()), autoLevels=False)

    def image_colours(self):
        """The RGBA image shown (ny, nx, 4), row 0 at the bottom (for tests)."""
        return self.image.image

    def set_regression(self, x, y):
        """One feature: x (1, m) against targets y (1, m)."""
        self.view.setAspectLocked(False)
        self.view.setTitle("ŷ against x")
        self.view.setLabel("left", "y")
        self.image.setVisible(False)
        self._P = None
        self._draw_boundary()
        self.train_points.setData(np.ravel(x), np.ravel(y), brush=pg.mkBrush(31, 119, 180))
        self.test_points.setData([], [])

    def set_curve(self, xs, ys):
        """The model's prediction ŷ over xs."""
        self.curve.setData(np.ravel(xs), np.ravel(ys))
