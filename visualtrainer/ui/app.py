"""Start the window: ``visualtrainer`` opens it (on the built-in flower set, or ``--dataset``); --screenshot renders
it to a PNG (at ``--size``)."""

import signal
import sys
import time
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from visualtrainer.app.launch import window_parser
from visualtrainer.data import BUILTIN_DATASETS

SCREENSHOT_SIZE = (1500, 900)


def parse(argv):
    return window_parser().parse_args(argv)


def open_dataset(window, dataset, then=None):
    """Open ``dataset`` (a built-in set's name, a file, or a folder of class subfolders, read in the pictures'
    thread) in ``window``; ``then()`` once it is open (or could not be)."""
    if dataset in BUILTIN_DATASETS:
        settings = window.session.settings.copy()
        settings.dataset = dataset
        suggested = settings.suggest_for_dataset()
        if window.reset(reload=True, settings=settings):
            window.show_message(f"{dataset}: {suggested}. Press Space to train.")
    elif window.open_dataset(str(Path(dataset).resolve())) is None:  # a folder: its pictures are being read
        if then is not None:
            window.pictures_done.connect(lambda _: then())
        return
    if then is not None:
        then()


SCREENSHOT_WAIT = 120.0  # seconds, at most, for the last cost surface


def _screenshot(window, path, seconds, app):
    """Train for ``seconds`` (counted from the first progress, so compiling is not counted), then save once the
    cost surface through the last parameters is drawn."""
    state = {"started": False}

    def capture():
        window.training.pause()
        state["deadline"] = time.perf_counter() + SCREENSHOT_WAIT
        QTimer.singleShot(300, save)

    def save():
        if (window.training.worker.busy or window.surface_panel.busy) and time.perf_counter() < state["deadline"]:
            QTimer.singleShot(100, save)
            return
        ok = window.grab().save(path)
        window.close()
        app.exit(0 if ok else 1)

    def on_progress(_):
        if not state["started"]:
            state["started"] = True
            QTimer.singleShot(int(seconds * 1000), capture)

    window.progress_shown.connect(on_progress)
    window.toggle_training()


def quit_on_interrupt(window, app, out=None):
    """Ctrl+C in the terminal closes the window as its close button does (settings remembered, every thread
    ended) and says so in one line, instead of a traceback in whatever slot runs next. Returns the handler."""
    def stop(*_):
        print("visualtrainer: stopped (Ctrl+C).", file=out or sys.stderr, flush=True)
        window.close()
        app.quit()

    signal.signal(signal.SIGINT, stop)
    ticker = QTimer(window)  # Python runs a signal's handler only when it runs: this wakes it while Qt waits
    ticker.timeout.connect(lambda: None)
    ticker.start(200)
    return stop


def main(argv=None):
    args = parse(sys.argv[1:] if argv is None else argv)
    from .errors import ErrorHook
    from .main_window import MainWindow
    from visualtrainer.app.settings import Settings
    from visualtrainer.core import compiling
    from visualtrainer.core.files import remove_temporaries_of_crashes

    remove_temporaries_of_crashes()  # half-written files of saves that a kill or a crash cut short
    compiling.background(eager=True)  # a first launch trains at once, on numpy, while the kernels compile

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("visualtrainer")
    icon = Path(__file__).resolve().parents[2] / "resources" / "icon.svg"
    if icon.exists():  # a source checkout (an installed wheel carries no resources folder)
        app.setWindowIcon(QIcon(str(icon)))
    app.setOrganizationName("visualtrainer")
    store = QSettings("visualtrainer", "visualtrainer")
    fresh = args.fresh or args.screenshot
    window = MainWindow(store=store, settings=Settings() if fresh else None)
    ErrorHook(window.show_message, window).install()  # an error in a slot: a sentence and the log, not a traceback
    quit_on_interrupt(window, app)
    if args.size or args.screenshot:
        window.resize(*(args.size or SCREENSHOT_SIZE))
    window.show()
    then = (lambda: _screenshot(window, args.screenshot, args.train_for, app)) if args.screenshot else None
    if args.dataset:
        open_dataset(window, args.dataset, then)
    elif then is not None:
        then()
    return app.exec()


if __name__ == "__main__":  # through the launcher, which checks the display first
    from visualtrainer.__main__ import main as launch

    sys.exit(launch())
