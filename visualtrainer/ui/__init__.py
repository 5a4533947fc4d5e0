"""The window (PySide6 + pyqtgraph): it drives the core and data packages and shows what they compute."""

import pyqtgraph as pg

# Images are indexed [row, column] everywhere in the ui, like numpy arrays.
pg.setConfigOptions(imageAxisOrder="row-major", antialias=True, background="w", foreground="k")
