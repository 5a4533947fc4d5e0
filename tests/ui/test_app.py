"""`visualtrainer --screenshot FILE --train-for SECONDS`: the window on its default, trained, saved, exit 0."""

import os
import subprocess
import sys

from PySide6.QtGui import QImage


def test_screenshot_trains_the_default_saves_the_window_and_exits_0(tmp_path):
    shot = tmp_path / "window.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = subprocess.run([sys.executable, "-m", "visualtrainer", "--screenshot", str(shot), "--train-for", "0.5"],
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    image = QImage(str(shot))
    assert not image.isNull() and image.width() >= 1000 and image.height() >= 600
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 200  # a drawn window (plots, diagram, text), not a blank one
