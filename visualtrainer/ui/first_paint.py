"""Run something once a window has been painted for the first time."""

from PySide6.QtCore import QEvent, QObject, QTimer


class AfterFirstPaint(QObject):
    """Calls ``then`` once ``window`` has been painted for the first time: after the repaint that its first paint
    event opens, in which the widgets paint too (a timer started in showEvent fires before any of it)."""

    def __init__(self, window, then):
        super().__init__(window)
        self._then = then
        window.installEventFilter(self)

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)  # after this repaint
        return False
