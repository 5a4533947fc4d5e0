"""Lessons: each sets up its dataset, network and view, and trains; the first launch opens on the list."""

import pytest
from PySide6.QtCore import QSettings, QUrl

from visualtrainer.app.lessons import LESSONS, lesson
from visualtrainer.ui.main_window import MainWindow
from visualtrainer.app.settings import Settings

COMPILE_MS = 180_000


@pytest.mark.parametrize("key", [item.key for item in LESSONS])
def test_each_lesson_sets_itself_up_and_trains(qtbot, window, key):
    item = lesson(key)
    assert window.apply_lesson(key)
    s, net = window.session.settings, window.session.net
    assert s.dataset == item.settings["dataset"] and s.hidden == item.settings["hidden"]
    assert s.learning_rate == item.settings["learning_rate"] and s.init == item.settings["init"]
    assert [n for n in net.layer_dims[1:-1]] == [n for n, _ in item.settings["hidden"]]
    assert window.lower_tabs.tabText(window.lower_tabs.currentIndex()) == item.tab
    assert window.lesson_dock.isVisible() and window.lesson_panel.title.text() == item.title
    assert window.controls.learning_rate.value() == pytest.approx(item.settings["learning_rate"])
    if item.sweep is not None:  # the lesson's comparison is ready in the Sweep tab
        assert (window.sweep_view.kind.currentText(), window.sweep_view.values.text()) == item.sweep
    window.controls.iterations.setValue(20)
    with qtbot.waitSignal(window.training_finished, timeout=COMPILE_MS):
        window.toggle_training()
    assert window.session.net.n_iter_ == 20 and len(window.session.net.costs_) == 20


def test_the_bowl_lesson_draws_the_exact_two_parameter_surface(qtbot, window):
    window.lower_tabs.setCurrentWidget(window.surface_panel)
    window.apply_lesson("bowl")
    assert window.session.net.theta_.size == 2 and window.surface_panel.kind.currentData() == "weights"
    qtbot.waitUntil(lambda: window.surface_panel.surface is not None
                    and window.surface_panel.surface.plane.labels == ("w = W1[0,0]", "b = b1[0]"), timeout=COMPILE_MS)


def test_the_bowl_lessons_sweep_draws_three_learning_rates_on_the_bowl(qtbot, window):
    window.apply_lesson("bowl")
    panel = window.surface_panel
    qtbot.waitUntil(lambda: panel.surface is not None and not panel.busy, timeout=COMPILE_MS)
    with qtbot.waitSignal(window.sweep_finished, timeout=COMPILE_MS):
        window.sweep_view.start_button.click()
    window.lower_tabs.setCurrentWidget(panel)
    names = [name.split(" ", 1)[1] for name, _ in panel.view.overlays]
    assert names == ["learning rate 0.05", "learning rate 1", "learning rate 20"]
    for (_, curve), run in zip(panel.view.overlays, window.runs_view.pinned()):
        x, y = curve.getData()  # on the exact bowl the axes are w and b themselves
        assert len(x) == len(run.path) and (x[-1], y[-1]) == pytest.approx(tuple(run.path[-1]), abs=1e-9)


def test_the_first_launch_opens_on_the_lessons_and_a_link_starts_one(qtbot, tmp_path):
    store = QSettings(str(tmp_path / "first.ini"), QSettings.IniFormat)
    first = MainWindow(store=store, settings=Settings())
    qtbot.addWidget(first)
    first.show()
    assert first.lesson_dock.isVisible() and "Lessons" in first.lesson_panel.text.toHtml()
    first.lesson_panel.text.anchorClicked.emit(QUrl("lesson:softmax"))
    assert first.session.settings.dataset == "spiral" and first.session.net.layer_dims[-1] == 3
    first.lesson_panel.again.click()  # "Start again" sets it up anew
    assert first.session.net.n_iter_ == 0
    first.lesson_dock.close()  # the user closes it: the layout is remembered, the lessons do not come back
    first.close()
    second = MainWindow(store=store)
    qtbot.addWidget(second)
    second.show()
    assert not second.lesson_dock.isVisible()
    second.close()


def test_the_lessons_menu_lists_every_lesson(qtbot, window):
    menu = next(action.menu() for action in window.menuBar().actions() if action.text() == "&Lessons")
    titles = [action.text() for action in menu.actions() if action.text()]
    assert titles[0] == "All lessons…" and len(titles) == 1 + len(LESSONS)
    menu.actions()[2].trigger()
    assert window.session.settings.dataset == LESSONS[0].settings["dataset"]
