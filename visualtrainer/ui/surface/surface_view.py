"""The cost surface as a heatmap with contour lines, the descent path on it and the current point.

Draws a ``visualtrainer.core.surface.Surface``; the path can be extended between surfaces (``set_path``).
"""

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QVBoxLayout, QWidget

from visualtrainer.core.contours import contour_levels, segments

from ..axes import StagedPaint, nice_step, short_axes, short_colour_bar

CONTOUR_LEVELS = 10
COLOURMAP = "viridis"
PATH_PEN = pg.mkPen((255, 255, 255), width=2.2)
PATH_SHADOW = pg.mkPen((20, 20, 20, 150), width=4.4)
#: The path grows a point at a time while training runs: its newest points are drawn as a tail of their own, so that
#: a new point repaints the few pixels around it rather than the whole path over the heatmap; past this many points
#: the tail joins the rest of the path (one whole redraw).
TAIL_POINTS = 32


def display_values(costs, log):
    """What the colours show: J, or log10 J (non-positive and non-finite values become NaN)."""
    costs = np.asarray(costs, dtype=np.float64)
    if not log:
        return np.where(np.isfinite(costs), costs, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.isfinite(costs) & (costs > 0), np.log10(np.where(costs > 0, costs, 1.0)), np.nan)


def colour_range(values):
    """(low, high) of the finite values, widened when they are all equal; (0, 1) when there are none."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return 0.0, 1.0
    low, high = float(finite.min()), float(finite.max())
    return (low, high) if high > low else (low - 0.5, high + 0.5)


#: The colours' range is kept for a new surface whose values fit in it and fill at least this part of it: a new range
#: re-lays out the colour bar's axis (0.65-0.9 ms of the 4.5-5 ms a new surface's paint took beside the training).
LEVELS_FILL = 0.8


def steady_levels(low, high, kept=None):
    """The colours' range for values from ``low`` to ``high``: ``kept`` (the range shown) while they fit in it and
    fill ``LEVELS_FILL`` of it, else their own rounded out to a tenth of their span (a 1, 2 or 5 step), so that
    the next surfaces' likely fit too."""
    if kept is not None and kept[0] <= low and high <= kept[1] and high - low >= LEVELS_FILL * (kept[1] - kept[0]):
        return kept
    step = nice_step((high - low) / 10)
    return math.floor(low / step) * step, math.ceil(high / step) * step


@dataclass(frozen=True)
class Picture:
    """What the heatmap draws of a surface on one scale: the values coloured, their colour range, the contours."""

    values: np.ndarray
    levels: tuple
    segments: np.ndarray  # (k, 4): x0, y0, x1, y1


def picture(surface, log):
    """The ``Picture`` of ``surface`` on the log scale or not: plain numpy, so the surface's worker thread works it
    out with the surface and the window's thread only draws it."""
    values = display_values(surface.costs, log)
    xs, ys = surface.alphas + surface.origin[0], surface.betas + surface.origin[1]
    lines, _ = segments(values, xs, ys, contour_levels(values, CONTOUR_LEVELS))
    return Picture(values, colour_range(values), lines)


class SurfaceView(QWidget):
    """J over the plane (colours, with ``CONTOUR_LEVELS`` contour lines), the path and the current point."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.plot_widget = pg.PlotWidget(axisItems=short_axes())
        self.view = self.plot_widget.getPlotItem()
        self.view.showGrid(x=False, y=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(-10)
        self.view.addItem(self.image)
        self.colour_bar = pg.ColorBarItem(colorMap=pg.colormap.get(COLOURMAP), width=14, interactive=False,
                                          colorMapMenu=False)
        self.colour_bar.setImageItem(self.image, insert_in=self.view)
        short_colour_bar(self.colour_bar)
        self.contours = pg.PlotCurveItem(pen=pg.mkPen((255, 255, 255, 110), width=1), connect="pairs")
        self.shadow = pg.PlotDataItem(pen=PATH_SHADOW)
        self.path = pg.PlotDataItem(pen=PATH_PEN)
        self.tail_shadow = pg.PlotCurveItem(pen=PATH_SHADOW)
        self.tail = pg.PlotCurveItem(pen=PATH_PEN)
        self.start = pg.ScatterPlotItem(size=9, symbol="s", brush=pg.mkBrush(255, 255, 255), pen=pg.mkPen("k"))
        self.current = pg.ScatterPlotItem(size=14, symbol="o", brush=pg.mkBrush(230, 60, 50),
                                          pen=pg.mkPen("w", width=1.5))
        # both shadows under both lines: where the tail joins the path, its shadow must not cross the path's line
        for z, item in enumerate((self.contours, self.shadow, self.tail_shadow, self.path, self.tail, self.start,
                                  self.current)):
            item.setZValue(z)
            self.view.addItem(item)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot_widget)
        self.surface = None
        self.levels = None  # the colours' range shown (``steady_levels``)
        self.pictures = {}  # log -> the Picture of ``surface``, worked out already
        self.log = True
        self.segments = np.zeros((0, 4))
        self.path_xy = np.zeros((0, 2))
        self.settled = 0  # the points of path_xy drawn by ``path`` (the rest by ``tail``)
        self.overlays = []  # [(name, PlotDataItem)]: other runs' paths
        self.staged = StagedPaint(self.plot_widget, (self.view.getAxis("left"), self.view.getAxis("bottom"),
                                                     self.colour_bar.axis))

    def clear(self):
        self.surface = self.levels = None
        self.image.clear()
        self.contours.setData([], [])
        self.set_path(np.zeros((0, 2)))

    def set_log(self, log):
        self.log, self.levels = bool(log), None
        if self.surface is not None:
            self._draw_surface()

    def set_surface(self, surface, pictures=None, staged=False):
        """Draw ``surface`` (a core Surface) with its path; ``pictures`` {log: Picture} those worked out already.
        ``staged``: in events of the window's thread of their own (``axes.StagedPaint``: the data now, then the
        axes' ticks and texts, then the paint), the view showing the last surface until then."""
        self.surface, self.pictures = surface, dict(pictures or {})
        if staged:
            self.staged.begin()
        self._draw_surface()
        self.set_path(surface.path)

    def _draw_surface(self):
        s = self.surface
        shown = self.pictures.get(self.log) or picture(s, self.log)
        kept, self.levels = self.levels, steady_levels(*shown.levels, self.levels)
        low, high = self.levels
        self.image.setImage(np.where(np.isfinite(shown.values), shown.values, high), autoLevels=False)
        if self.levels != kept:  # the same levels set again would lay the colour bar's axis out again all the same
            self.colour_bar.setLevels(self.levels)
        self.colour_bar.setLabel("right", "log₁₀ J" if self.log else "J")
        a_lo, a_hi, b_lo, b_hi = s.extent
        da = (a_hi - a_lo) / max(len(s.alphas) - 1, 1)
        db = (b_hi - b_lo) / max(len(s.betas) - 1, 1)
        self.image.setRect(QRectF(a_lo - da / 2, b_lo - db / 2, a_hi - a_lo + da, b_hi - b_lo + db))
        self.segments = shown.segments
        self.contours.setData(self.segments[:, [0, 2]].ravel(), self.segments[:, [1, 3]].ravel())
        self.view.setLabel("bottom", s.plane.labels[0])
        self.view.setLabel("left", s.plane.labels[1])
        self.view.setRange(xRange=(a_lo, a_hi), yRange=(b_lo, b_hi), padding=0)

    def set_overlays(self, paths):
        """Other runs' paths [(name, colour, xy (k, 2) offsets)], drawn under this run's."""
        for _, item in self.overlays:
            self.view.removeItem(item)
        self.overlays = []
        origin = np.asarray(self.surface.origin) if self.surface is not None else np.zeros(2)
        for name, colour, xy in paths:
            xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2) + origin
            item = pg.PlotDataItem(xy[:, 0], xy[:, 1], pen=pg.mkPen(colour, width=2), symbol="o", symbolSize=5,
                                   symbolBrush=colour, symbolPen=None, name=name)
            item.setZValue(-1)
            self.view.addItem(item)
            self.overlays.append((name, item))

    def set_path(self, xy):
        """The path (k, 2) in the surface's offsets from its centre; its last point is the current one."""
        xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
        if self.surface is not None:
            xy = xy + np.asarray(self.surface.origin)
        grown = (self.settled > 0 and self.settled <= len(xy) <= self.settled + TAIL_POINTS
                 and len(xy) >= len(self.path_xy) and np.array_equal(xy[: len(self.path_xy)], self.path_xy))
        self.path_xy = xy
        if grown:  # the same path and a few points more: only the tail changes
            tail = xy[self.settled - 1 :]
        else:
            self.settled = len(xy)
            for item in (self.shadow, self.path):
                item.setData(xy[:, 0], xy[:, 1])
            self.start.setData(xy[:1, 0], xy[:1, 1])
            tail = xy[:0]
        for item in (self.tail_shadow, self.tail):
            item.setData(tail[:, 0], tail[:, 1])
        self.current.setData(xy[-1:, 0], xy[-1:, 1])


def render_png(surface, path, log=True, title=None, size=(900, 700)):
    """Draw ``surface`` with its path into a PNG file, without a window (offscreen when there is no display)."""
    import os

    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    pg.mkQApp("visualtrainer")
    view = SurfaceView()
    view.log = bool(log)
    view.set_surface(surface)
    if title:
        view.view.setTitle(title)
    view.resize(*size)
    if not view.grab().save(str(path), "PNG"):
        raise OSError(f"{path}: could not write the picture.")
