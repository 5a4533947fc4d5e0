"""Run the fuzz cases through the window, one after another, and print one JSON line per case (and one as it starts).

``python -m tests.fuzz.window_cases FOLDER [KIND ...]``: one window (offscreen) on a trained picture network; each
case's file (tests/fuzz/cases.py) is opened by the window's own command for its kind (Load model, Open dataset,
Open session, Classify pictures) and then dropped on the window. Each line gives the outcome, the process's peak resident memory during the case and how much above the
memory resident before it that peak went (the window itself holds about 400 MB):

- "refused": the window says why in one sentence (red, one line, ending with a full stop, naming the file) and
  its state (tests/ui/state.py: session, network, runs, views) is exactly as before;
- "changed": the window took the file (a good one, or a damaged one that is still good);
- "traceback": an exception escaped (a command, a slot, a thread) or the message is not one sentence;
- "half-changed": the window said the file was refused, or said nothing, but its state changed;
- "wrong": the window took a file every reader refuses;
- "hang": the window's work for it did not end within WAIT_MS;
A parent process sees a hang as a "start" with no end.
"""

import json
import sys
import threading
import time
import traceback
from pathlib import Path

from PySide6.QtCore import QEventLoop, QMimeData, QPoint, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from tests.ui.state import differences, window_state

from .cases import CASES
from .run_cases import _peak_mb, _reset_peak, _sentence


def _rss_mb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS:"))

def _window_model(change=None, layers=(3,)):
    """A model of the baseline window's kind (12288-3-1 relu on the built-in shapes) saved with the window's
    settings, changed by ``change(settings)``."""
    def build(folder):
        from visualtrainer.app.settings import Settings
        from visualtrainer.core import Network, save_model

        settings = Settings(dataset="shapes", hidden=[(3, "relu")], learning_rate=0.01, iterations=8).to_dict()
        if change is not None:
            change(settings)
        net = Network((12288, *layers, 1), hidden_activation="relu", learning_rate=0.01, random_state=3).initialize()
        return save_model(net, folder / "model.npz", extra={"settings": settings, "classes": ["other", "disc"],
                                                            "image_shape": [64, 64, 3]})
    return build


def _setting(**values):
    return _window_model(lambda settings: settings.update(values))


#: Files only the window reads this way: models carrying the window's settings (a model file's own readers take
#: any settings; the window must refuse those it cannot use before anything changes).
WINDOW_CASES = {"model settings": [
    ("good", _window_model(), "ok"),
    ("settings a text", _window_model(lambda s: s.clear() or s.update(text="flower")), "any"),
    ("settings not a mapping", lambda f: _window_model()(f) and _rewrite_extra(f / "model.npz", "flower"),
     "refused"),
    ("learning rate -5", _setting(learning_rate=-5), "refused"),
    ("learning rate text", _setting(learning_rate="x"), "refused"),
    ("learning rate 1e400 (inf)", _setting(learning_rate=float("inf")), "refused"),
    ("batch size -3", _setting(batch_size=-3), "refused"),
    ("batch size 2**63", _setting(batch_size=2**63), "refused"),
    ("dtype float16", _setting(dtype="float16"), "refused"),
    ("iterations 0", _setting(iterations=0), "refused"),
    ("test fraction 5", _setting(test_fraction=5), "refused"),
    ("seed -1", _setting(seed=-1), "refused"),
    ("seed 2**70", _setting(seed=2**70), "refused"),
    ("hidden units 0", _setting(hidden=[[0, "relu"]]), "refused"),
    ("hidden activation swish", _setting(hidden=[[3, "swish"]]), "refused"),
    ("hidden layers not the network's", _setting(hidden=[[5, "relu"]]), "refused"),
    ("dataset gone", _setting(dataset="/nonexistent/train_gone.h5"), "refused"),
    ("dataset unknown", _setting(dataset="catz"), "refused"),
    ("dataset of another size", _setting(dataset="flower"), "refused"),
    ("optimizer unknown", _setting(optimizer="lbfgs"), "refused"),
]}


def _rewrite_extra(path, settings):
    """The model at ``path`` with its extra settings replaced by ``settings`` (any JSON value)."""
    from visualtrainer.core import load_model, save_model

    net, extra = load_model(path)
    return save_model(net, path, extra=extra | {"settings": settings})


WAIT_MS = 120_000  # for pictures read in their thread, and for the window's background work to settle
COMMANDS = {"model": "load_model", "dataset": "open_dataset", "h5": "open_dataset", "folder": "open_dataset",
            "session": "open_session", "picture": "classify_pictures", "model settings": "load_model"}


class Escaped:
    """Exceptions that escaped into Qt (a slot, an event handler) or a thread: recorded, never printed."""

    def __init__(self):
        self.errors = []
        sys.excepthook = lambda kind, error, tb: self.errors.append(error)
        threading.excepthook = lambda args: self.errors.append(args.exc_value)

    def take(self):
        errors, self.errors = self.errors, []
        return errors


def wait_until(condition, timeout_ms=WAIT_MS):
    """Run the event loop until ``condition()`` holds; whether it did before the timeout."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not condition():
        if time.monotonic() > deadline:
            return False
        loop = QEventLoop()
        QTimer.singleShot(10, loop.quit)
        loop.exec()
    return True


def settled(window):
    """No worker has a job (pictures read, surfaces drawn, kernels warmed, training stopped) and their results have
    reached the window (``Worker.idle``: a job leaves the worker's list before its result is posted)."""
    if not all(worker.idle for worker in window.workers()):
        return False
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    return all(worker.idle for worker in window.workers())


def drop(window, path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    for kind in (QDragEnterEvent, QDropEvent):
        QApplication.sendEvent(window, kind(QPoint(50, 50), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier))


def make_window(root):
    """A window on a trained 64×64 picture network (the built-in shapes), with a second run pinned; and the session
    file that puts it back."""
    from visualtrainer.app.settings import Settings
    from visualtrainer.ui.main_window import MainWindow

    store = QSettings(str(root / "window.ini"), QSettings.IniFormat)
    window = MainWindow(store=store, settings=Settings(dataset="shapes", hidden=[(3, "relu")], learning_rate=0.01,
                                                       iterations=8))
    window.show()
    for _ in range(2):
        done = []
        window.training_finished.connect(done.append)
        window.toggle_training()
        assert wait_until(lambda: bool(done)), "the baseline window did not train"
        window.training_finished.disconnect(done.append)
        window.runs_view.set_pinned(window.session.runs.current.number)
        window.reset()
    window.toggle_training()
    assert wait_until(lambda: not window.training.training and settled(window))
    return window, window.save_session(str(root / "baseline.vtsession"))


def run(window, via, kind, path):
    """Open ``path`` by the window's command for ``kind`` or by dropping it, and wait for what it started; returns
    the exception raised, if any, and whether the window settled (else it hangs)."""
    try:
        if via == "drop":
            drop(window, path)
        elif kind == "picture":
            window.classify_pictures([str(path)])
        else:
            getattr(window, COMMANDS[kind])(str(path))
    except Exception as error:  # noqa: BLE001  (what the suite looks for)
        return error, True
    return None, wait_until(lambda: settled(window))


def judge(expect, path, before, after, messages, escaped):
    """(outcome, message) of one opening: a file taken shows a new network (a new generation) or new cards."""
    if escaped:
        return "traceback", "".join(traceback.format_exception_only(escaped[0])).strip()
    changed = differences(before, after)
    text, error = messages[-1] if messages else ("", False)
    if not changed:
        if not error or not _sentence(text) or Path(path).name not in text:
            return "traceback", f"unchanged, but the message is not one sentence naming the file: {text!r}"
        return "refused", text
    if not {"generation", "cards"} & set(changed) or not _sentence(text):
        return "half-changed", f"changed {changed} and said {text!r}"
    if expect == "refused":
        return "wrong", f"took a file the readers refuse ({changed}): {text!r}"
    return "changed", text


def main(root, kinds):
    root = Path(root)
    escapes = Escaped()
    app = QApplication.instance() or QApplication(["window_cases"])
    window, baseline = make_window(root)
    messages = []
    shown = window.status.show_message

    def record(text, error=False):
        messages.append((text, error))
        shown(text, error)

    window.status.show_message = record
    for kind in kinds:
        for k, (name, build, expect) in enumerate((CASES | WINDOW_CASES)[kind]):
            folder = root / kind.replace(" ", "_") / f"{k:02d}"
            folder.mkdir(parents=True)
            print(json.dumps({"start": kind, "case": name}), flush=True)
            began = time.perf_counter()
            path = build(folder)
            built = round(time.perf_counter() - began, 3)
            for via in ("command", "drop"):
                escapes.take()
                messages.clear()
                before = window_state(window)
                _reset_peak()
                rss = _rss_mb()
                began = time.perf_counter()
                raised, ended = run(window, via, kind, path)
                seconds = time.perf_counter() - began
                escaped = ([raised] if raised else []) + escapes.take()
                taken = "any" if via == "drop" and kind == "folder" and path.is_file() else expect  # a picture
                outcome, message = judge(taken, path, before, window_state(window), messages, escaped) if ended \
                    else ("hang", f"still busy after {WAIT_MS / 1000:.0f} s")
                print(json.dumps({"kind": kind, "case": name, "via": via, "expect": expect, "outcome": outcome,
                                  "message": message, "peak_mb": round(_peak_mb(), 1), "grew_mb": round(_peak_mb() - rss, 1),
                                  "seconds": round(seconds, 3),
                                  "built": built}),
                      flush=True)
                if outcome != "refused":  # back to the baseline for the next one
                    window.drop_classifier.clear()
                    window.open_session(str(baseline))
                    wait_until(lambda: settled(window))
    window.close()
    app.processEvents()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:] or [*CASES, *WINDOW_CASES])
