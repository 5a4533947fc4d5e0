"""The window (PySide6 + pyqtgraph): it drives the core and data packages and shows what they compute."""

import pyqtgraph as pg

# Images are indexed [row, column] everywhere in the ui, like numpy arrays.
# Antialiasing is left to the few curves that need it: antialiased axes and grids cost milliseconds a frame.
pg.setConfigOptions(imageAxisOrder="row-major", antialias=False, background="w", foreground="k")
