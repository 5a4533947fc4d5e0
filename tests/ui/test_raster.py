"""The window paints on its own thread: Qt's thread pool, which would share a large paint out to threads that then
wait for a core behind the training, is never started."""

import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="threads' names from /proc")

# A large fill and image draw (what a frame of the window's plots does), then the names of the process's threads.
PAINT = """
    from PySide6.QtGui import QColor, QImage, QPainter
    image = QImage(1500, 1000, QImage.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    painter.fillRect(0, 0, 1500, 1000, QColor(10, 20, 30, 128))
    painter.drawImage(0, 0, image.copy())
    painter.end()
    print(sorted({open(f"/proc/self/task/{t}/comm").read().strip() for t in os.listdir("/proc/self/task")}))
"""

WINDOW = """
    import tempfile
    from pathlib import Path
    from PySide6.QtCore import QSettings
    from visualtrainer.ui.main_window import MainWindow
    window = MainWindow(store=QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.IniFormat))
    window.resize(1500, 900)
    window.show()
    window.grab()
"""


def _threads(script, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "QT_NO_GUI_THREADPOOL"}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    code = "import os\nfrom PySide6.QtWidgets import QApplication\napp = QApplication([])\n" + textwrap.dedent(script)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="with one core Qt's pool has no second thread to share with")
def test_a_large_paint_starts_qts_pool_elsewhere_but_not_in_the_window(tmp_path):
    assert "Thread (pooled)" in _threads(PAINT, tmp_path)  # what the window turns off: Qt's default
    # the window painted, then the same paint
    assert "Thread (pooled)" not in _threads(WINDOW + PAINT + "    window.close()\n", tmp_path)
