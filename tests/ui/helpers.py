"""Helpers shared by the window's tests."""

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication


def drop(window, paths, qtbot=None):
    """Drop ``paths`` on the window; with ``qtbot``, wait until the pictures have been read."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(QPoint(50, 50), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    event = QDropEvent(QPoint(50, 50), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    if qtbot is None:
        QApplication.sendEvent(window, event)
        return
    with qtbot.waitSignal(window.pictures_done, timeout=60_000):
        QApplication.sendEvent(window, event)
