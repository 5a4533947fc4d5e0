"""How long the ``visualtrainer`` command takes to put its window on screen, with the kernels already cached.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_launch.py [--runs 7]

Each run starts the command as a user does (``python -m visualtrainer --fresh``, on the default flower set) in a
process of its own and times it from just before the process starts to the end of the window's first paint; the
median run is the figure (target < 2 s). The window's settings go to a folder of their own, not the user's.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

# Runs in the child: imports what the command imports, in its order (the command line's modules, then the window's),
# wraps MainWindow.show to print the seconds since the parent's clock reading once the first paint is through, and
# closes the window.
PROBE = """
import sys, time

began = float(sys.argv[1])
import visualtrainer.cli  # the command's first import, before any Qt module
from visualtrainer.ui import main_window

show = main_window.MainWindow.show


def shown(window):
    show(window)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()  # the first paint
    print(time.time() - began, flush=True)
    QTimer.singleShot(0, window.close)


main_window.MainWindow.show = shown
from visualtrainer.__main__ import main

sys.exit(main(["--fresh"]))
"""


def launch_seconds():
    env = dict(os.environ, XDG_CONFIG_HOME=tempfile.mkdtemp(), QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM",
                                                                                                 "offscreen"))
    began = time.time()
    out = subprocess.run([sys.executable, "-c", PROBE, repr(began)], capture_output=True, text=True, env=env,
                         check=True, timeout=300)
    return float(out.stdout.split()[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    launch_seconds()  # the kernels' cache and the files are warm from here on
    times = sorted(launch_seconds() for _ in range(args.runs))
    print(f"window on screen {statistics.median(times):.2f} s after the command starts (median of {args.runs}; "
          f"{times[0]:.2f}-{times[-1]:.2f} s)")


if __name__ == "__main__":
    main()
