"""Lessons in the window: the panel with the current lesson's text (or the list of lessons), and the controller
that sets a lesson up through the window's public parts."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from visualtrainer.app.lessons import LESSONS, lesson, lesson_settings

INTRO = ("<h3>Lessons</h3><p>Each lesson sets up a dataset and a network and says what to try. Pick one below or "
         "from the <i>Lessons</i> menu; everything stays editable, and Space trains.</p>")


class LessonPanel(QWidget):
    """The current lesson's text, or the list of lessons (``lesson_chosen(key)`` when one is clicked)."""

    lesson_chosen = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 14px; font-weight: 600; padding: 2px;")
        self.title.setWordWrap(True)
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.anchorClicked.connect(lambda url: self.lesson_chosen.emit(url.toString().removeprefix("lesson:")))
        self.again = QPushButton("Start again", clicked=lambda: self.lesson_chosen.emit(self.current or ""))
        self.index_button = QPushButton("All lessons", clicked=self.show_index)
        buttons = QHBoxLayout()
        buttons.addWidget(self.again)
        buttons.addWidget(self.index_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)
        self.current = None
        self.show_index()

    def show_index(self):
        self.current = None
        self.title.setText("Learn by trying")
        items = "".join(f"<li><a href='lesson:{item.key}'>{item.title}</a></li>" for item in LESSONS)
        self.text.setHtml(INTRO + f"<ol>{items}</ol>")
        self.again.setEnabled(False)

    def show_lesson(self, item):
        self.current = item.key
        self.title.setText(item.title)
        self.text.setHtml(item.text)
        self.again.setEnabled(True)
        self.text.setAlignment(Qt.AlignLeft)


class LessonController:
    """Sets lessons up in ``window``: its settings and a new network (``reset``), the tab, the surface's plane and
    the sweep the lesson suggests (the panels' own setters), then the text in the lesson dock."""

    def __init__(self, window):
        self.window = window
        window.lesson_panel.lesson_chosen.connect(self.apply)

    def apply(self, key):
        """Set up the lesson ``key``; False when there is no such lesson or its data cannot be loaded."""
        try:
            item = lesson(key)
        except KeyError:
            return False
        w = self.window
        if not w.reset(reload=True, settings=lesson_settings(item, w.session.settings)):
            return False
        w.show_tab(item.tab)
        if item.plane is not None:
            w.surface_panel.set_plane(item.plane)
        if item.sweep is not None:
            w.sweep_view.set_sweep(*item.sweep)
        w.lesson_panel.show_lesson(item)
        w.lesson_dock.show()
        w.show_message(f"Lesson: {item.title}. Press Space to train.")
        return True

    def show_index(self):
        self.window.lesson_panel.show_index()
        self.window.lesson_dock.show()
