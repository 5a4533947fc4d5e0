"""Captions under a plot whose text changes while training runs."""

from PySide6.QtWidgets import QLabel


class SteadyLabel(QLabel):
    """A word-wrapped label whose height, at a given width, only grows: a line more or fewer in a text that changes
    while training runs (a new cost surface's caption, how far the path leaves its plane) would resize the plot
    under it, which then lays out its axes again and repaints whole (1 ms, then 4-5 ms beside the training)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWordWrap(True)
        self._tallest = {}  # width -> the tallest height given for it

    def heightForWidth(self, width):  # noqa: N802  (Qt's name)
        height = max(super().heightForWidth(width), self._tallest.get(width, 0))
        if len(self._tallest) > 64:  # the window resized through many widths: only the latest matter
            self._tallest.clear()
        self._tallest[width] = height
        return height
