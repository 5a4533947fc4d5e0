"""Start the window: ``visualtrainer`` opens it on the built-in flower set; --screenshot renders it to a PNG."""

import argparse
import sys
import time
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication


def parse(argv):
    parser = argparse.ArgumentParser(prog="visualtrainer", description="Watch a neural network learn.",
                                     epilog="Subcommands without a window: visualtrainer train|gradcheck --help")
    parser.add_argument("--screenshot", metavar="FILE", help="train, save the window to FILE (PNG) and quit")
    parser.add_argument("--train-for", type=float, default=3.0, metavar="SECONDS",
                        help="with --screenshot: how long to train first (default 3)")
    parser.add_argument("--fresh", action="store_true", help="ignore remembered settings (start on the default)")
    return parser.parse_args(argv)


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


def main(argv=None):
    args = parse(sys.argv[1:] if argv is None else argv)
    from .errors import ErrorHook
    from .main_window import MainWindow
    from visualtrainer.app.settings import Settings
    from visualtrainer.core import compiling

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
    if args.screenshot:
        window.resize(1500, 900)
    window.show()
    if args.screenshot:
        _screenshot(window, args.screenshot, args.train_for, app)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
