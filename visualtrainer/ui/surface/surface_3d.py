"""The cost surface in 3-D (pyqtgraph.opengl), where the display offers OpenGL; the data it draws is computed here
without OpenGL (``mesh_data``), so that it can be checked anywhere.
"""

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QVBoxLayout, QWidget

from .surface_view import COLOURMAP, colour_range, display_values

HEIGHT = 0.8  # the surface's height in the unit box the two axes span
LIFT = 0.01  # the path floats this far above the surface, so that it is not hidden in it

#: Platforms without OpenGL: the 2-D view stands in.
NO_OPENGL_PLATFORMS = ("offscreen", "minimal", "vnc")


def opengl_available():
    """Whether a 3-D view can be shown: a platform with OpenGL and PyOpenGL installed."""
    if QGuiApplication.platformName() in NO_OPENGL_PLATFORMS:
        return False
    try:
        import pyqtgraph.opengl  # noqa: F401
    except ImportError:
        return False
    return True


def _unit(values, low, high):
    return (values - low) / (high - low) * 2 - 1 if high > low else np.zeros_like(values)


def mesh_data(surface, log=True):
    """(x (na,), y (nb,), z (na, nb), colours (na·nb, 4)) of ``surface`` in a box [−1, 1]² × [0, HEIGHT].

    Colours follow the 2-D view's colour map over the same values (J or log10 J); a non-finite cost is drawn
    at the top.
    """
    values = display_values(surface.costs, log)
    low, high = colour_range(values)
    values = np.where(np.isfinite(values), values, high)
    a_lo, a_hi, b_lo, b_hi = surface.extent
    x = _unit(surface.alphas + surface.origin[0], a_lo, a_hi)
    y = _unit(surface.betas + surface.origin[1], b_lo, b_hi)
    z = ((values - low) / (high - low) * HEIGHT).T  # (na, nb): GLSurfacePlotItem indexes z[x, y]
    colours = pg.colormap.get(COLOURMAP).map((values.T - low) / (high - low), mode="float").reshape(-1, 4)
    return x, y, z, colours


def path_heights(surface, xy, z):
    """Heights on the mesh ``z`` (na, nb) under the path points ``xy`` (k, 2) (offsets), by bilinear interpolation."""
    a, b = surface.alphas, surface.betas
    fi = np.clip(np.interp(xy[:, 0], a, np.arange(len(a))), 0, len(a) - 1)
    fj = np.clip(np.interp(xy[:, 1], b, np.arange(len(b))), 0, len(b) - 1)
    i0, j0 = np.minimum(fi.astype(int), len(a) - 2), np.minimum(fj.astype(int), len(b) - 2)
    ti, tj = fi - i0, fj - j0
    return ((1 - ti) * (1 - tj) * z[i0, j0] + ti * (1 - tj) * z[i0 + 1, j0] + (1 - ti) * tj * z[i0, j0 + 1]
            + ti * tj * z[i0 + 1, j0 + 1])


class Surface3DView(QWidget):
    """J as a coloured surface with the path on it, turned with the mouse. Only built where OpenGL works."""

    def __init__(self, parent=None):
        super().__init__(parent)
        import pyqtgraph.opengl as gl

        self.gl_view = gl.GLViewWidget()
        self.gl_view.setBackgroundColor("w")
        self.gl_view.setCameraPosition(distance=4.2, elevation=32, azimuth=-60)
        self.mesh = gl.GLSurfacePlotItem(shader=None, smooth=False, computeNormals=False)
        self.path = gl.GLLinePlotItem(color=(1, 1, 1, 1), width=3, antialias=True)
        self.marker = gl.GLScatterPlotItem(color=(0.9, 0.24, 0.2, 1), size=14)
        for item in (self.mesh, self.path, self.marker):
            self.gl_view.addItem(item)
        self.mesh.translate(0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.gl_view)
        self.surface, self.log, self._z = None, True, None

    def set_surface(self, surface, log=True):
        self.surface, self.log = surface, log
        x, y, self._z, colours = mesh_data(surface, log)
        self.mesh.setData(x=x, y=y, z=self._z, colors=colours)
        self.set_path(surface.path)

    def set_path(self, xy):
        if self.surface is None or len(xy) == 0:
            return
        xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
        s = self.surface
        a_lo, a_hi, b_lo, b_hi = s.extent
        pos = np.column_stack([_unit(xy[:, 0] + s.origin[0], a_lo, a_hi), _unit(xy[:, 1] + s.origin[1], b_lo, b_hi),
                               path_heights(s, xy, self._z) + LIFT])
        self.path.setData(pos=pos)
        self.marker.setData(pos=pos[-1:])
