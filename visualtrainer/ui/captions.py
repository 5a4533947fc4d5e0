"""Captions under a plot whose text changes while training runs."""

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class SteadyLabel(QLabel):
    """A word-wrapped label whose text, changing while training runs (a new cost surface's caption, how far the path
    leaves its plane), never lays out the window around it. Its height, at a given width, only grows: a line more
    or fewer would resize the plot under it, which then lays out its axes again and repaints whole (1 ms, then
    4-5 ms beside the training). And it lives in a ``box`` without a layout, which is what goes in the layouts: a
    label's new text asks its parent's layout for a new layout, and the request went up to the window, which then
    repainted the panel's every control (20-30 widgets, 5-15 ms beside the training), whatever the text's size.

    ``lines``: the box is at least that many lines tall from the start, so that the texts a run's start brings (a
    first surface's two-line caption where "Computing…" held one) lay out nothing either: each line more laid out the
    whole window and resized the plot under it, twice in a run's first tenth of a second."""

    def __init__(self, parent=None, lines=1):
        self.box = QWidget(parent)
        super().__init__(self.box)
        self.lines = lines
        self.setWordWrap(True)
        self._tallest = {}  # width -> the tallest height given for it
        self.box.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        self.box.installEventFilter(self)
        self._fit()

    def heightForWidth(self, width):  # noqa: N802  (Qt's name)
        height = max(super().heightForWidth(width), self._tallest.get(width, 0))
        if len(self._tallest) > 64:  # the window resized through many widths: only the latest matter
            self._tallest.clear()
        self._tallest[width] = height
        return height

    def setText(self, text):  # noqa: N802  (Qt's name)
        super().setText(text)
        self._fit()

    def eventFilter(self, watched, event):  # noqa: N802  (Qt's name)
        if watched is self.box and event.type() == QEvent.Resize:
            self._fit()
        return False

    def _fit(self):
        """The label over the box's width, as tall as its text needs there; the box grows (or shrinks, at another
        width) to it, the one change of the label's size its layout hears of."""
        width = self.box.width()
        height = self.heightForWidth(width) if width > 0 else self.sizeHint().height()
        margins = self.contentsMargins()
        height = max(height, self.lines * self.fontMetrics().lineSpacing() + margins.top() + margins.bottom())
        self.setGeometry(0, 0, width, height)
        if self.box.height() != height or self.box.minimumHeight() != height:
            self.box.setFixedHeight(height)
