"""Runs side by side: each kept with its own costs, pinned curves overlaid, pinned paths on the surface."""

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt

from visualtrainer.core.surface import project
from visualtrainer.ui.main_window import MainWindow
from visualtrainer.ui.settings import Settings

COMPILE_MS = 180_000


@pytest.fixture
def window(qtbot, tmp_path):
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)
    win = MainWindow(store=store, settings=Settings(iterations=150))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def _train(qtbot, window):
    with qtbot.waitSignal(window.training_finished, timeout=COMPILE_MS):
        window.toggle_training()


def test_runs_keep_their_own_costs_and_pinned_ones_are_overlaid(qtbot, window):
    view = window.runs_view
    _train(qtbot, window)
    first_costs = window.session.net.costs_.copy()
    view.table.item(0, 0).setCheckState(Qt.Checked)  # pin the first run
    window.controls.learning_rate.spin.setValue(0.3)
    window.reset()  # a second run from the same start with another α
    _train(qtbot, window)
    second_costs = window.session.net.costs_.copy()
    assert [run.number for run in view.runs] == [1, 2] and view.runs[0].pinned and not view.runs[1].pinned
    np.testing.assert_array_equal(view.runs[0].costs, first_costs)
    np.testing.assert_array_equal(view.runs[1].costs, second_costs)
    assert not np.allclose(first_costs, second_costs)
    assert view.runs[0].settings["learning_rate"] == 1.2 and view.runs[1].settings["learning_rate"] == 0.3
    for run in view.runs:
        x, y = view.curves[run.number].getData()
        np.testing.assert_array_equal(y, run.costs)
    assert view.table.item(0, 1).text().startswith("#2") and view.table.item(1, 1).text().startswith("#1")
    assert view.runs[0].train_accuracy is not None and "%" in view.table.item(1, 7).text()


def test_pinned_runs_paths_are_drawn_on_the_surface(qtbot, window):
    panel = window.surface_panel
    window.lower_tabs.setCurrentWidget(panel)
    _train(qtbot, window)
    window.runs_view.set_pinned(1)
    window.controls.optimizer.setCurrentText("momentum")
    window.reset()
    _train(qtbot, window)
    qtbot.waitUntil(lambda: panel._surface is not None and panel._surface_job.iteration == 150
                    and panel._running is None and panel._pending is None, timeout=COMPILE_MS)
    overlays = panel.view.overlays
    assert len(overlays) == 1 and overlays[0][0].startswith("#1")
    first = window.runs_view.runs[0]
    s = panel._surface
    expected = project(first.path, s.centre, s.plane) + np.asarray(s.origin)
    x, y = overlays[0][1].getData()
    np.testing.assert_allclose(np.column_stack([x, y]), expected, atol=1e-9)
    window.runs_view.set_pinned(1, False)
    assert panel.view.overlays == []
