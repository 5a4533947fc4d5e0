"""What the window's drawing costs its own thread, fed progress as the worker sends it but with no training running.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_drawing.py [--surface still|hidden]

On two cores every millisecond the window's thread draws costs the training about one (the kernel threads
work in step: the one the window displaces holds up the other), but the training's speed varies by ±5% on this shared
machine, so changes to the drawing are compared here instead: the cat 12288-7-1 window gets a snapshot every 33 ms,
with 33 new costs and parameters that move, for a few seconds, and the thread's CPU time is reported.
"""

import argparse
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "catvnoncat" / "train_catvnoncat.h5"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--surface", choices=("still", "hidden"), default="still",
                        help="the cost surface tab shown (not following), or another tab")
    args = parser.parse_args()

    import numpy as np
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from visualtrainer.core.training import iter_training
    from visualtrainer.ui.main_window import MainWindow
    from visualtrainer.app.settings import Settings
    from visualtrainer.app.training import Progress

    app = QApplication.instance() or QApplication([])
    store = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.IniFormat)
    settings = Settings(dataset=args.data, hidden=[(7, "relu")], init="small", learning_rate=0.0075,
                        iterations=10_000_000, test_fraction=0.0)
    window = MainWindow(store=store, settings=settings)
    window.show()
    window.surface_panel.follow.setChecked(False)
    if args.surface == "hidden":
        window.lower_tabs.setCurrentWidget(window.activation_plot)
    net, data = window.session.net, window.session.data
    base = list(iter_training(net, data.X_train, data.Y_train, 100))[-1]
    settle = time.perf_counter() + 1.0
    while time.perf_counter() < settle:  # the launch's own surface and drawing
        app.processEvents()

    rng = np.random.RandomState(1)
    moves = {key: rng.randn(*value.shape) * (np.abs(value).mean() + 1e-3) for key, value in base.params.items()}
    state = {"iteration": base.iteration, "n": 0}

    def send():
        first = state["iteration"]
        costs = 0.6 * np.exp(-np.arange(first, first + 33) / 5000.0) + 0.001 * rng.rand(33)
        step = (first - base.iteration) / 3000.0
        params = {key: (value + step * moves[key]).astype(value.dtype) for key, value in base.params.items()}
        for value in params.values():
            value.flags.writeable = False
        snap = replace(base, iteration=first + 33, first_iteration=first, costs=costs, cost=float(costs[-1]),
                       params=params, stop_reason=None)
        accuracy = 70.0 + 0.01 * state["n"] if state["n"] % 8 == 0 else None  # four a second, as the worker's
        progress = Progress(snap, accuracy, None, None)
        if window.session.accept(window.session.generation, progress):
            window.presenter.show(progress)
        state["iteration"] += 33
        state["n"] += 1

    feeder = QTimer(interval=33)
    feeder.timeout.connect(send)
    feeder.start()
    cpu, frames, began = time.thread_time(), window.presenter.frames_drawn, time.perf_counter()
    QTimer.singleShot(int(args.seconds * 1000), app.quit)
    app.exec()
    seconds = time.perf_counter() - began
    print(f"cost surface: {args.surface}; {(window.presenter.frames_drawn - frames) / seconds:.1f} frames a second; the "
          f"window's thread used {(time.thread_time() - cpu) / seconds:.1%} of a core")
    window.close()


if __name__ == "__main__":
    main()
