"""The window, as the tests open it: on a settings file of its own, shown, and closed after the test with every
thread it started ended."""

import gc

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings

from visualtrainer.app.settings import Settings
from visualtrainer.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def log_here(tmp_path, monkeypatch):
    """The log of unexpected errors (visualtrainer.errors.write_log) in the test's folder: its path."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state" / "visualtrainer" / "logs" / "visualtrainer.log"


@pytest.fixture(autouse=True)
def widgets_freed_in_the_windows_thread(qapp):
    """The widgets a test made are deleted, and the garbage it left collected, in the window's thread as the test
    ends. Left to themselves, a test's widgets (closed and marked for deletion by pytest-qt) could be freed by Python's
    garbage collector in whichever thread ran it next, a surface's worker say, while the window's thread of the next
    test walked the top-level widgets: a crash in ``QWidgetPrivate::windowHandle`` under
    ``QApplicationPrivate::notifyActiveWindowChange`` (gdb, about one full run in three)."""
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    gc.collect()
    gc.freeze()  # what outlives the test is not looked at again (a full pass over everything took 120 ms a test)


@pytest.fixture(autouse=True)
def machine_unknown(monkeypatch):
    """The load of other programs unknown (``app.machine.OtherLoad``): the window keeps its full pace whatever else
    the machine runs meanwhile (a kernel compiling in a process of its own, another test run), so that what a test
    sees does not depend on it; the tests of the crowded pace set the load themselves."""
    from visualtrainer.app.machine import OtherLoad

    monkeypatch.setattr(OtherLoad, "cores", lambda self: None)


@pytest.fixture
def make_window(qtbot, tmp_path):
    """``make_window(name="settings", show=True, **settings)``: a (shown) MainWindow remembering its layout in tmp_path/NAME.ini
    (None for ``settings`` keeps what that file remembers); each one is closed after the test."""
    windows = []

    def make(name="settings", settings=..., show=True, **fields):
        store = QSettings(str(tmp_path / f"{name}.ini"), QSettings.IniFormat)
        win = MainWindow(store=store, settings=Settings(**fields) if settings is ... else settings)
        qtbot.addWidget(win)
        if show:
            win.show()
        windows.append(win)
        return win

    yield make
    for win in windows:
        win.close()
        assert all(worker.thread.isFinished() for worker in win.workers())


@pytest.fixture
def window(make_window):
    return make_window()
