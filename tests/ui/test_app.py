"""`visualtrainer --screenshot FILE --size WxH --dataset D`: the window on D at that size, trained, saved, exit 0;
`--dataset FOLDER` reads the folder's pictures first."""

import os
import subprocess
import sys

from PIL import Image
from PySide6.QtGui import QImage

from visualtrainer.ui.app import open_dataset


def test_screenshot_trains_the_dataset_asked_for_at_the_size_asked_for(tmp_path):
    shot = tmp_path / "window.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = subprocess.run([sys.executable, "-m", "visualtrainer", "--screenshot", str(shot), "--train-for", "0.5",
                           "--size", "1024x768", "--dataset", "moons"], env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    image = QImage(str(shot))
    assert not image.isNull() and (image.width(), image.height()) == (1024, 768)
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 200  # a drawn window (plots, diagram, text), not a blank one


def test_a_dataset_folder_opens_once_its_pictures_are_read(qtbot, window, tmp_path):
    for name, colour in (("cats", "orange"), ("dogs", "brown")):
        (tmp_path / "set" / name).mkdir(parents=True)
        for i in range(3):
            Image.new("RGB", (48, 48), colour).save(tmp_path / "set" / name / f"{i}.png")
    opened = []
    with qtbot.waitSignal(window.pictures_done, timeout=60_000):
        open_dataset(window, str(tmp_path / "set"), lambda: opened.append(window.session.data.classes))
    qtbot.waitUntil(lambda: opened == [("cats", "dogs")])
    assert window.session.net.layer_dims[0] == 12288


def test_ctrl_c_closes_the_window_with_one_line(qtbot, make_window, capsys):
    import os
    import signal

    from visualtrainer.ui.app import quit_on_interrupt

    window = make_window()

    class App:
        quit_called = False

        def quit(self):
            App.quit_called = True

    previous = signal.getsignal(signal.SIGINT)
    try:
        quit_on_interrupt(window, App())
        os.kill(os.getpid(), signal.SIGINT)  # as the terminal sends it
        qtbot.waitUntil(lambda: App.quit_called and not window.isVisible(), timeout=10000)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert capsys.readouterr().err.strip().splitlines() == ["visualtrainer: stopped (Ctrl+C)."]
    assert all(worker.thread.isFinished() for worker in window.workers())
