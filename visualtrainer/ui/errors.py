"""One way out for every error in the window: one sentence in the status bar, never a traceback on the console.

An error with a message for the user (a ValueError: a bad file, a bad value; an OSError saying what the system
refused) is said as it is. Any other (out of memory, a number too large, an error inside visualtrainer) is said by
``visualtrainer.errors.describe`` and its traceback goes to the log the command line uses, which the sentence names.
``ErrorHook`` sends exceptions that escape a slot, an event handler or a thread the same way (all of them
unexpected, so all logged), and the window goes on.
"""

import sys
import threading

from PySide6.QtCore import QObject, Signal

from visualtrainer.errors import describe, write_log

WINDOW = ["(window)"]  # the "command" the log names for the window's errors


def _plain(error):
    """Whether ``error`` carries a message for the user."""
    return isinstance(error, ValueError) or (isinstance(error, OSError) and bool(error.strerror))


def sentence(error, about=None, expected=True):
    """One line for the status bar saying what went wrong; ``about`` (a file) leads it when the message does not
    name it already. An unexpected error (any error, when not ``expected``) has its traceback written to the log,
    which the line names."""
    if expected and _plain(error):
        text = str(error) if isinstance(error, ValueError) else f"{describe(error)}."
    else:
        log = write_log(error, WINDOW)
        detail = str(error) if isinstance(error, ValueError) else ""
        what = f"an unexpected error ({detail})" if detail else describe(error)
        text = f"{what}{f'; details in {log}' if log else ''}."
        text = text[0].upper() + text[1:]
    text = " ".join(text.split()) or f"{type(error).__name__}."
    return f"{about}: {text}" if about and str(about) not in text else text


def attempt(window, action, about=None):
    """``action()`` as one transaction of the window's session: its value, or None when it raised; then the session
    is as it was (``Session.transaction``: every view shows it as before) and the status bar says why."""
    try:
        with window.session.transaction():
            return action()
    except Exception as error:  # noqa: BLE001  (every failure ends as one sentence)
        window.show_message(sentence(error, about), error=True)
        return None


class ErrorHook(QObject):
    """While installed, exceptions that reach Python's top level in the window's process (a slot, an event
    handler, a thread) are logged and shown by ``show(text, error=True)`` in the window's thread, instead of
    printed."""

    _caught = Signal(str)

    def __init__(self, show, parent=None):
        super().__init__(parent)
        self._caught.connect(lambda text: show(text, error=True))
        self._previous = None

    def install(self):
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.catch
        threading.excepthook = lambda args: self.catch(args.exc_type, args.exc_value, args.exc_traceback)
        return self

    def uninstall(self):
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None

    def catch(self, kind, error, traceback=None):
        """Log ``error`` and show its sentence (from any thread: a queued signal brings it to the window's)."""
        if error is None:
            error = kind()
        if error.__traceback__ is None and traceback is not None:
            error = error.with_traceback(traceback)
        self._caught.emit(sentence(error, expected=False))
