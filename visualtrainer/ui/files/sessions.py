"""File > Save session and File > Open session: the dataset, the network and its weights, the settings, the runs and
the view in one file, put back as they were. What the file holds is the app's (``app.session_io``); this module asks
for the file and says what happened."""

from visualtrainer.app.session_io import SUFFIX, read_session, write_session

from ..errors import attempt, sentence
from .dialogs import path_to_open, path_to_save

FILTER = f"visualtrainer sessions (*{SUFFIX})"


class SessionCommands:
    """save_session / open_session for ``window``."""

    def __init__(self, window):
        self.window = window
        self.session = window.session

    def save_session(self, path=None):
        """File > Save session; returns the path written, or None."""
        if self.session.net is None:
            return None
        path = path_to_save(self.window, path, "Save session", f"session{SUFFIX}", FILTER)
        if not path or not self.window.training.hold_network():  # the weights between two steps
            return None
        try:
            written = write_session(self.session, path)
        except OSError as error:
            self.window.show_message(f"{path}: could not write the session ({error.strerror or error}).", error=True)
            return None
        self.window.show_message(f"Saved the session to {written}; File > Open session puts the window back as it "
                                 "is now.")
        return written

    def open_session(self, path=None):
        """File > Open session; True when the window shows the session, False (and a message) when not: the file
        is read and checked whole first, so a bad one changes nothing."""
        path = path_to_open(self.window, path, "Open session", "", f"{FILTER};;All files (*)")
        if not path:
            return False
        try:
            opened = read_session(path, self.session.preloaded)
        except Exception as error:  # noqa: BLE001  (nothing has changed yet: say why in one sentence)
            self.window.show_message(sentence(error, path), error=True)
            return False
        if attempt(self.window, lambda: self.session.open(opened) or True, path) is None:
            return False
        runs, net = len(self.session.runs.runs), self.session.net
        self.window.show_message(f"Opened {path}: iteration {net.n_iter_:,}, {runs} run{'s' * (runs != 1)}; "
                                 "Space goes on training.")
        return True
