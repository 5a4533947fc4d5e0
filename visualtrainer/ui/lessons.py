"""The lesson panel: the current lesson's text beside the settings, or the list of lessons to pick from."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from visualtrainer.app.lessons import LESSONS

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
