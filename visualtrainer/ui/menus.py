"""The window's menus and their shortcuts."""

from PySide6.QtGui import QAction, QKeySequence

from visualtrainer.app.lessons import LESSONS


def _action(window, text, slot, shortcut=None):
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda checked=False: slot())
    return action


def build_menus(window):
    """File, View, Training, Lessons and Help menus for ``window`` (a MainWindow)."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction(_action(window, "&Open dataset…", window.open_dataset, QKeySequence.Open))
    file_menu.addAction(_action(window, "Save &dataset…", window.save_dataset, "Ctrl+Shift+S"))
    file_menu.addAction(_action(window, "&Classify pictures…", window.classify_pictures, "Ctrl+I"))
    file_menu.addSeparator()
    file_menu.addAction(_action(window, "Open sessio&n…", window.open_session, "Ctrl+Shift+O"))
    file_menu.addAction(_action(window, "Save sessio&n…", window.save_session, "Ctrl+Alt+S"))
    file_menu.addSeparator()
    file_menu.addAction(_action(window, "&Save model…", window.save_model, QKeySequence.Save))
    file_menu.addAction(_action(window, "&Load model…", window.load_model, "Ctrl+L"))
    file_menu.addAction(_action(window, "&Export plot…", window.export_plot, "Ctrl+E"))
    file_menu.addAction(_action(window, "Export model as O&NNX…", window.export_onnx))
    file_menu.addAction(_action(window, "Export run as &script…", window.export_script))
    file_menu.addAction(_action(window, "Export run as note&book…", window.insight.export_notebook))
    file_menu.addSeparator()
    file_menu.addAction(_action(window, "&Quit", window.close, QKeySequence.Quit))

    view_menu = bar.addMenu("&View")
    view_menu.addAction(window.settings_dock.toggleViewAction())
    log = QAction("&Log-scale cost", window, checkable=True)
    log.toggled.connect(window.cost_plot.set_log_scale)
    view_menu.addAction(log)

    train_menu = bar.addMenu("&Training")
    for action in (window.train_action, window.step_action, window.reset_action):
        train_menu.addAction(action)

    lessons_menu = bar.addMenu("&Lessons")
    lessons_menu.addAction(_action(window, "All lessons…", window.show_lessons, "F1"))
    lessons_menu.addSeparator()
    for number, item in enumerate(LESSONS, start=1):
        lessons_menu.addAction(_action(window, f"&{number}. {item.title}",
                                       lambda key=item.key: window.apply_lesson(key)))
    view_menu.addAction(window.lesson_dock.toggleViewAction())

    help_menu = bar.addMenu("&Help")
    help_menu.addAction(_action(window, "&Reproduce the course…", window.insight.reproduce_course))
    help_menu.addAction(_action(window, "&About visualtrainer", window.about))
