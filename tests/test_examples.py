"""Each script in examples/ runs to its end: windows are closed by a timer a second after they open."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.py"))
# Runs an example as __main__, with pyqtgraph's exec() quitting the application a second after it starts.
DRIVER = """
import runpy, sys
import pyqtgraph as pg
from PySide6.QtCore import QTimer

exec_ = pg.exec

def quitting():
    QTimer.singleShot(1000, pg.mkQApp().quit)
    return exec_()

pg.exec = quitting
sys.argv = [sys.argv[1]]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def test_there_are_examples():
    assert {path.name for path in EXAMPLES} >= {"live_cost_plot.py", "cost_surface.py", "classify_picture.py",
                                                "sweep.py"}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_the_example_runs(path, tmp_path):
    assert len(path.read_text().splitlines()) < 100 and path.read_text().startswith('"""')
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", DRIVER, str(path)], env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip()  # each says what it found
    assert "Traceback" not in done.stderr
