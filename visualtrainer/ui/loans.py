"""The window's thread borrows a core from the training team while it draws (``core.team.lend``) and gives it back
when its event loop next has nothing to do. A frame is drawn in two goes: the code that sets the plots' data, then,
when the platform next asks for it, the window's paint (its ``UpdateRequest``); each borrows a core for itself, and
between them the team has every core.

Nothing to do is the event dispatcher's ``aboutToBlock``, but Qt emits it at every turn of a loop that may wait,
also when more events are ready at once. Ending the loan there woke the lent member while the window's thread still
had work, and the member, back from its sleep, took the thread's core until the scheduler's next tick (4 ms). Where
the loop is GLib's (Linux desktops), the loan is kept while GLib has events ready.
"""

import ctypes
import ctypes.util

from PySide6.QtCore import QAbstractEventDispatcher, QEvent, QObject

from visualtrainer.core import team

_watched = None  # the dispatcher whose aboutToBlock ends loans
_ready = None  # whether the loop has events ready (GLib's check), or None where it cannot be asked


def borrow_a_core():
    """Take a core from the team for the window's thread until its event loop next waits for events."""
    global _watched, _ready
    dispatcher = QAbstractEventDispatcher.instance()
    if dispatcher is None:
        return
    if _watched is not dispatcher:
        _ready = _events_ready_check(dispatcher)
        dispatcher.aboutToBlock.connect(_end_loan_if_idle)
        _watched = dispatcher
    team.lend()


def _end_loan_if_idle():
    if team.lent() and (_ready is None or not _ready()):  # GLib is asked only while a loan is held
        team.unlend()


def _events_ready_check(dispatcher):
    """A function answering whether the window thread's GLib loop has events ready (``g_main_context_pending``), or
    None where the dispatcher is not GLib's or GLib cannot be loaded."""
    if "Glib" not in dispatcher.metaObject().className():
        return None
    try:
        glib = ctypes.CDLL(ctypes.util.find_library("glib-2.0") or "libglib-2.0.so.0")
        pending = glib.g_main_context_pending
    except (OSError, AttributeError):
        return None
    pending.argtypes, pending.restype = [ctypes.c_void_p], ctypes.c_int
    return lambda: pending(None) != 0  # the default context: the main thread's loop


class PaintLoans(QObject):
    """Installed on a top-level window: each of its paints borrows a core (``borrow_a_core``)."""

    def __init__(self, window):
        super().__init__(window)
        window.installEventFilter(self)

    def eventFilter(self, watched, event):  # noqa: N802  (Qt's name)
        if event.type() == QEvent.UpdateRequest:
            borrow_a_core()
        return False
