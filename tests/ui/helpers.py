"""Helpers shared by the window's tests."""

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
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
