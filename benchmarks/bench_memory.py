"""The window's memory over a long session: reset and train the cat 12288-7-1 network again and again.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_memory.py [--rounds 120] [--iterations 2500]

Each round is what a user does between two experiments: Reset (a new run), then train to the end (the window
shown, the cost surface following, the path traced). The resident memory (VmRSS, after a garbage collection) is
printed after the first round and every tenth, with the bytes the runs' paths and the current path hold; the figure
is the growth from the first round to the last (target: under 300 MB over 120 rounds). Every tenth round pins its
run, as a user comparing runs would.
"""

import argparse
import gc
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "catvnoncat" / "train_catvnoncat.h5"


def rss_mb():
    """This process's resident memory in MB (Linux)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def path_mb(session):
    """MB of θ the runs and the current path hold (each array counted once)."""
    seen = {}
    for run in session.runs.runs:
        for point in run.path:
            seen[id(point)] = point.nbytes
    for point in session.path.frozen()[1]:
        seen[id(point)] = point.nbytes
    return sum(seen.values()) / 2**20


def wait(condition, timeout=600):
    """Run the event loop (as the application's would: deferred deletions included) until ``condition()``."""
    from PySide6.QtCore import QEventLoop, QTimer

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not finish in time")
        loop = QEventLoop()
        QTimer.singleShot(10, loop.quit)
        loop.exec()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=120)
    parser.add_argument("--iterations", type=int, default=2500, help="iterations a round (the course's 2500)")
    parser.add_argument("--data", default=str(DATA))
    args = parser.parse_args(argv)
    if not Path(args.data).exists():
        print(f"course data not found at {args.data}")
        return 0
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from visualtrainer.app.settings import Settings
    from visualtrainer.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0]])
    store = QSettings(str(Path(os.environ.get("TMPDIR", "/tmp")) / "bench_memory.ini"), QSettings.IniFormat)
    window = MainWindow(store=store, settings=Settings(dataset=args.data, hidden=[(7, "relu")], init="small",
                                                       learning_rate=0.0075, iterations=args.iterations,
                                                       test_fraction=0.0))
    window.resize(1500, 900)
    window.show()
    finished = []
    window.training_finished.connect(finished.append)
    first, began = None, time.perf_counter()
    print(f"{'round':>5} {'RSS MB':>8} {'growth':>8} {'paths MB':>9} {'runs':>5} {'seconds':>8}")
    for k in range(1, args.rounds + 1):
        window.reset()
        count = len(finished)
        window.toggle_training()
        wait(lambda: len(finished) > count)
        if k % 10 == 0:
            window.session.runs.set_pinned(window.session.runs.current.number)
        if k == 1 or k % 10 == 0 or k == args.rounds:
            wait(lambda: all(worker.idle for worker in window.workers()))
            gc.collect()
            rss = rss_mb()
            first = rss if first is None else first
            print(f"{k:5d} {rss:8.0f} {rss - first:8.0f} {path_mb(window.session):9.1f} "
                  f"{len(window.session.runs.runs):5d} {time.perf_counter() - began:8.0f}", flush=True)
    print(f"growth over rounds 1 to {args.rounds}: {rss - first:.0f} MB (target < 300 MB)")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
