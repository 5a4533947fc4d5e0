"""Helpers shared by the window's tests."""

import numpy as np
from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication


def drop(window, paths, qtbot=None, target=None, at=QPoint(50, 50)):
    """Drop ``paths`` on ``target`` (the window itself by default) at the point ``at``; with ``qtbot``, wait until
    the window has read the pictures."""
    target = window if target is None else target
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(at, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    event = QDropEvent(at, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    if qtbot is None:
        QApplication.sendEvent(target, event)
        return
    with qtbot.waitSignal(window.pictures_done, timeout=60_000):
        QApplication.sendEvent(target, event)


def pixels(widget):
    """What ``widget`` shows: (height, width, 3) int RGB."""
    image = widget.grab().toImage().convertToFormat(QImage.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : 4 * image.width()].reshape(image.height(), image.width(), 4)[..., :3].astype(int)


class Paints(QObject):
    """Notes ``state()`` at each paint of ``widget`` (``seen``)."""

    def __init__(self, widget, state):
        super().__init__()
        self.seen, self.state = [], state
        widget.installEventFilter(self)

    def eventFilter(self, watched, event):  # noqa: N802  (Qt's name)
        if event.type() == QEvent.Paint:
            self.seen.append(self.state())
        return False


class LayoutRequests(QObject):
    """Notes the widgets among ``widgets`` that receive a layout request (``seen``)."""

    def __init__(self, *widgets):
        super().__init__()
        self.seen = []
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched, event):  # noqa: N802  (Qt's name)
        if event.type() == QEvent.LayoutRequest:
            self.seen.append(watched)
        return False
