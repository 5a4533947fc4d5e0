"""The mouse and the keyboard as a user meets them: drops on the diagram, the wheel over the settings, shortcuts while
a field has focus, the focus leaving a field for the diagram or a tab, typed learning rates, a steady toolbar."""

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

COMPILE_MS = 180_000


def _activate(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)


def test_a_session_dropped_on_the_diagram_opens(qtbot, window, tmp_path):
    window.controls.seed.setValue(7)
    assert window.save_session(tmp_path / "seven.vtsession")
    window.controls.seed.setValue(3)
    target, at = window.network_view.viewport(), QPoint(120, 90)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "seven.vtsession"))])
    enter = QDragEnterEvent(at, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(target, enter)
    move = QDragMoveEvent(at, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(target, move)
    assert enter.isAccepted() and move.isAccepted()  # the diagram refused the drag as it moved
    QApplication.sendEvent(target, QDropEvent(QPointF(at), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier))
    assert window.session.settings.seed == 7


def _wheel(widget, steps=-3):
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, 120 * steps),
                        Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_wheel_over_a_field_without_focus_scrolls_past_it(qtbot, window):
    units = window.controls.hidden.units_box(0)
    runs = len(window.session.runs.runs)
    window.network_view.setFocus()
    _wheel(units)
    _wheel(window.controls.init)
    _wheel(window.controls.learning_rate.slider)
    assert units.value() == 4 and window.session.settings.hidden == [(4, "tanh")]
    assert window.session.settings.init == "small" and window.session.settings.learning_rate == 1.2
    assert len(window.session.runs.runs) == runs  # no new network, no empty run
    units.setFocus()
    _wheel(units, steps=1)  # with focus, the wheel is the field's
    assert units.value() == 5


def test_space_trains_while_a_settings_field_has_focus(qtbot, window):
    window.controls.iterations.setValue(30)
    _activate(qtbot, window)
    spin = window.controls.learning_rate.spin
    spin.setFocus()
    with qtbot.waitSignal(window.training_finished, timeout=COMPILE_MS):
        qtbot.keyClick(spin, Qt.Key_Space)
    assert window.session.net.n_iter_ == 30 and window.session.settings.learning_rate == 1.2
    qtbot.keyClick(spin, Qt.Key_R)  # R resets, S steps: the field has no use for letters
    assert window.session.net.n_iter_ == 0
    with qtbot.waitSignal(window.training_finished, timeout=COMPILE_MS):
        qtbot.keyClick(spin, Qt.Key_S)
    assert window.session.net.n_iter_ == 1


def test_ctrl_e_reaches_the_window_from_a_field(qtbot, window, monkeypatch):
    asked = []
    monkeypatch.setattr(window.files, "export_plot", lambda path=None: asked.append(path))
    _activate(qtbot, window)
    window.controls.iterations.setFocus()
    qtbot.keyClick(window.controls.iterations, Qt.Key_E, Qt.ControlModifier)
    assert asked == [None]


def test_a_field_keeps_its_own_keys(qtbot, window):
    _activate(qtbot, window)
    box = window.controls.iterations
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "250")
    qtbot.keyClick(box, Qt.Key_Return)
    assert window.session.settings.iterations == 250


def test_clicking_the_diagram_or_a_tab_takes_the_focus_from_a_field(qtbot, window):
    _activate(qtbot, window)
    window.controls.learning_rate.spin.setFocus()
    qtbot.mouseClick(window.network_view.viewport(), Qt.LeftButton, pos=QPoint(5, 5))
    assert not window.controls.learning_rate.spin.hasFocus()
    window.controls.iterations.setFocus()
    bar = window.lower_tabs.tabBar()
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(2).center())
    assert window.lower_tabs.currentIndex() == 2 and not window.controls.iterations.hasFocus()


def test_a_learning_rate_of_20_can_be_typed(qtbot, window):
    _activate(qtbot, window)
    spin = window.controls.learning_rate.spin
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "20")
    qtbot.keyClick(spin, Qt.Key_Return)
    assert window.session.settings.learning_rate == 20.0 and window.session.net.learning_rate == 20.0
    assert abs(window.controls.learning_rate.from_slider(window.controls.learning_rate.slider.value()) - 20) < 1


def test_the_toolbar_stays_put_when_train_becomes_pause(qtbot, window):
    bar = window.toolbar
    step = bar.widgetForAction(bar.step_action)
    qtbot.waitUntil(lambda: step.x() > 0)
    before = step.geometry()
    bar.set_training(True)
    QApplication.processEvents()
    assert step.geometry() == before
    bar.set_training(False)
    QApplication.processEvents()
    assert step.geometry() == before


def test_a_dataset_file_shows_its_name_in_a_narrow_box_and_its_path_in_the_tooltip(qtbot, monkeypatch):
    """A plain combo box shows a long path's start (the same folders for every file); the dataset box shows its
    end, the file's name, and the whole path as its tooltip; a short name shows whole."""
    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    from visualtrainer.ui.fields import PathCombo

    box = PathCombo()
    qtbot.addWidget(box)
    path = "/home/learner/courses/deep-learning/week-2/datasets/train_catvnoncat.h5"
    box.addItems(["flower", path])
    box.resize(180, 30)
    box.show()
    qtbot.waitExposed(box)
    assert box.shown_text() == "flower"
    box.setCurrentText(path)
    shown = box.shown_text()
    assert shown.startswith("…") and shown.endswith("train_catvnoncat.h5") and path.endswith(shown[1:])
    assert box.fontMetrics().horizontalAdvance(shown) < box.width()
    tips = []
    monkeypatch.setattr(QToolTip, "showText", lambda position, text, widget=None: tips.append(text))
    QApplication.sendEvent(box, QHelpEvent(QEvent.ToolTip, QPoint(5, 5), box.mapToGlobal(QPoint(5, 5))))
    assert tips == [path]
