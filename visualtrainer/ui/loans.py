"""The window's thread borrows a core from the training team while it draws (``core.team.lend``) and gives it back
when its event loop next has nothing to do (the event dispatcher's ``aboutToBlock``). A frame is drawn in two
goes: the code that sets the plots' data, then, when the platform next asks for it, the window's paint (its
``UpdateRequest``); each borrows a core for itself, and between them the team has every core."""

from PySide6.QtCore import QAbstractEventDispatcher, QEvent, QObject

from visualtrainer.core import team

_watched = None  # the dispatcher whose aboutToBlock ends loans


def borrow_a_core():
    """Take a core from the team for the window's thread until its event loop next waits for events."""
    global _watched
    dispatcher = QAbstractEventDispatcher.instance()
    if dispatcher is None:
        return
    if _watched is not dispatcher:
        dispatcher.aboutToBlock.connect(team.unlend)
        _watched = dispatcher
    team.lend()


class PaintLoans(QObject):
    """Installed on a top-level window: each of its paints borrows a core (``borrow_a_core``)."""

    def __init__(self, window):
        super().__init__(window)
        window.installEventFilter(self)

    def eventFilter(self, watched, event):  # noqa: N802  (Qt's name)
        if event.type() == QEvent.UpdateRequest:
            borrow_a_core()
        return False
