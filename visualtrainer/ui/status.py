"""The status bar's parts: the counters (iteration, cost, accuracy, speed), one line of news, the busy bar, and the
progress and Cancel of reading pictures."""

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton


#: An exception's name in a message ("(UnidentifiedImageError)", "OSError: "): the user has no use for it.
_INTERNAL = re.compile(r"\s*\(\s*[A-Z]\w*(?:Error|Exception)\s*\)|\b[A-Z]\w*(?:Error|Exception): ")


def plain(text):
    """``text`` without the names of exceptions in it."""
    return _INTERNAL.sub("", str(text))


class StatusParts:
    """The widgets the window puts in its QStatusBar ``bar``, and what they say."""

    def __init__(self, bar):
        self.news, self.error = "", False  # the line of news shown, and whether it tells of an error
        self.counters = QLabel(" ")
        self.counters.setFixedSize(560, self.counters.sizeHint().height())  # new counters never re-lay the window out
        self.message = QLabel()
        self.message.setWordWrap(True)  # two lines, always: a long message is read whole, and the bar never jumps
        self.message.setFixedHeight(2 * self.message.fontMetrics().lineSpacing() + 2)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.hide()
        bar.addWidget(self.counters)
        bar.addWidget(self.message, 1)
        bar.addPermanentWidget(self.busy)
        self.load_bar = QProgressBar()
        self.load_bar.setMaximumWidth(220)
        self.load_bar.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop reading the pictures (Esc); nothing is changed")
        self.cancel_button.setShortcut(QKeySequence(Qt.Key_Escape))
        for widget in (self.load_bar, self.cancel_button):
            widget.hide()
            bar.addPermanentWidget(widget)

    def show_message(self, text, error=False):
        """One line of news; an error in red."""
        self.news, self.error = text, error = plain(text), bool(error)
        self.message.setStyleSheet("color: #b00020; font-weight: 600;" if error else "")
        self.message.setText(text)
        self.message.setToolTip(text)

    def show_counters(self, iteration, cost, accuracy=(None, None), rate=None):
        """Iteration, cost, the latest train and test accuracy, iterations a second."""
        parts = [f"iteration {iteration:,}", f"cost {cost:.6f}"]
        parts += [f"{name} {value:.1f}%" for name, value in zip(("train", "test"), accuracy) if value is not None]
        if rate is not None:
            parts.append(f"{rate:,.0f} it/s")
        self.counters.setText("   ".join(parts))

    def show_dataset(self, data):
        self.counters.setText(f"{data.name}: {data.m} training, {data.m_test} test examples, n_x = {data.n_x}")

    def start_loading(self, text):
        self.load_bar.setRange(0, 0)
        self.load_bar.show()
        self.cancel_button.show()
        self.show_message(text)

    def show_loading(self, done, total):
        self.load_bar.setRange(0, total)
        self.load_bar.setValue(done)
        self.load_bar.setFormat(f"{done:,} / {total:,}")

    def end_loading(self):
        self.load_bar.hide()
        self.cancel_button.hide()
