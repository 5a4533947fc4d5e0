"""Dropped pictures as cards: the picture, the input the network sees, the predicted class and a bar per class
(given by whoever classified them, and given anew when the network changes)."""

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QProgressBar, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

from .why_overlay import caption, explained_pixmap, tooltip, why_box


THUMB = 76


def pixels_to_pixmap(pixels, size=THUMB):
    """A QPixmap of uint8 pixels (h, w, 3), scaled to ``size`` without smoothing (the input's own pixels)."""
    pixels = np.ascontiguousarray(pixels)
    h, w = pixels.shape[:2]
    image = QImage(pixels.data, w, h, 3 * w, QImage.Format_RGB888).copy()
    return QPixmap.fromImage(image).scaled(size, size, Qt.KeepAspectRatio, Qt.FastTransformation)


class PictureCard(QFrame):
    """One picture: thumbnails, the predicted class and its probability bars; click to select it."""

    clicked = Signal(object)

    def __init__(self, path, pixels, probabilities, classes):
        super().__init__()
        self.path, self.pixels = path, pixels
        self.setFrameShape(QFrame.StyledPanel)
        self.setCursor(Qt.PointingHandCursor)
        self.setToolTip(f"{path}\nclick: show its activations in the diagram")
        original = QLabel()
        original.setPixmap(QPixmap(str(path)).scaled(THUMB, THUMB, Qt.KeepAspectRatio, Qt.SmoothTransformation))
        self.seen = seen = QLabel()
        seen.setPixmap(pixels_to_pixmap(pixels))
        seen.setToolTip(f"what the network sees: {pixels.shape[1]}×{pixels.shape[0]}")
        pictures = QHBoxLayout()
        pictures.addWidget(original)
        pictures.addWidget(seen)
        self.title = QLabel()
        name = QLabel(str(path).rsplit("/", 1)[-1])
        name.setStyleSheet("color: #555;")
        self.why = QLabel()
        self.why.hide()
        self.explanation = None
        column = QVBoxLayout(self)
        column.addLayout(pictures)
        column.addWidget(self.title)
        column.addWidget(self.why)
        column.addWidget(name)
        self._column, self.bars = column, []
        self.set_probabilities(probabilities, classes)

    def set_probabilities(self, probabilities, classes):
        """Show the class probabilities (n_classes,) of a network with these class names: the predicted class and
        a bar per class."""
        self.probabilities = np.asarray(probabilities, dtype=np.float64)
        self.predicted = classes[int(np.argmax(self.probabilities))]
        self.title.setText(f"<b>{self.predicted}</b> &nbsp; {self.probabilities.max():.0%}")
        while len(self.bars) > len(classes):
            bar = self.bars.pop()
            bar.hide()
            bar.deleteLater()
        while len(self.bars) < len(classes):
            bar = QProgressBar()
            bar.setRange(0, 1000)
            bar.setTextVisible(True)
            bar.setMaximumHeight(16)
            self.bars.append(bar)
            self._column.addWidget(bar)
        for bar, label, p in zip(self.bars, classes, self.probabilities):
            bar.setValue(int(round(p * 1000)))
            bar.setFormat(f"{label}  {p:.1%}")

    def set_explanation(self, explanation):
        """Show why the network gave its class (an app.insight.Explanation) over the input it sees, or (None) the
        input itself again."""
        self.explanation = explanation
        if explanation is None:
            self.seen.setPixmap(pixels_to_pixmap(self.pixels))
            self.why.hide()
            return
        self.seen.setPixmap(explained_pixmap(explanation, THUMB))
        self.why.setText(caption(explanation))
        self.why.setToolTip(tooltip(explanation))
        self.why.show()

    def set_selected(self, on):
        self.setStyleSheet("PictureCard { border: 2px solid #1f4e9c; }" if on else "")

    def mousePressEvent(self, event):
        self.clicked.emit(self)
        event.accept()


UNTRAINED = ("The network is untrained (iteration 0): its guesses below mean nothing yet. Train it (Space), and "
             "the cards follow.")
HINT = "Drop pictures anywhere on the window to have the network classify them."


class DropClassifier(QScrollArea):
    """A grid of PictureCards under a line that says whether the network classifying them is trained, and a
    Clear button; ``selected(card)`` when one is clicked."""

    selected = Signal(object)
    cards_changed = Signal()  # cards added, classified anew or cleared
    COLUMNS = 3
    MAX_CARDS = 300  # a card is a widget: thousands of pictures are classified, the first ones shown

    def __init__(self):
        super().__init__()
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        body = QWidget()
        column = QVBoxLayout(body)  # the header in a column above the cards' grid: a column gives the wrapped hint
        self._grid = QGridLayout()  # the height its width needs (the grid, packed to its corner, did not)
        self._grid.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.hint = QLabel(HINT)
        self.hint.setStyleSheet("color: #555; padding: 8px;")
        self.hint.setWordWrap(True)
        self.clear_button = QPushButton("Clear", clicked=lambda: self.clear())
        self.clear_button.setToolTip("Remove every picture card")
        self.why = why_box()
        header = QHBoxLayout()
        header.addWidget(self.why)
        header.addWidget(self.hint, 1)
        header.addWidget(self.clear_button)
        column.addLayout(header)
        column.addLayout(self._grid, 1)
        self.setWidget(body)
        self.cards = []
        self._columns = self.COLUMNS  # as many as the width holds, at most COLUMNS (``_reflow``)
        self.untrained = False
        self._show_hint()

    def resizeEvent(self, event):  # noqa: N802  (Qt's name)
        super().resizeEvent(event)
        self._reflow()

    def _reflow(self):
        """The cards in as many columns as the view's width holds (at most COLUMNS, at least one): at a small
        window the third column was cut off, the view scrolling only up and down."""
        if not self.cards:
            return
        margins = self.widget().layout().contentsMargins()
        room = self.viewport().width() - margins.left() - margins.right()
        spacing = max(self._grid.horizontalSpacing(), 0)
        step = self.cards[0].sizeHint().width() + spacing
        columns = max(1, min(self.COLUMNS, (room + spacing) // step))
        if columns == self._columns:
            return
        self._columns = columns
        for index, card in enumerate(self.cards):
            self._grid.removeWidget(card)
            self._grid.addWidget(card, index // columns, index % columns)

    def add_cards(self, paths, pixels, probabilities, classes, image_shape):
        """A card per picture, from pixels already read (k, h·w·c) uint8 and their class probabilities
        (k, n_classes); at most MAX_CARDS are kept on show (a card is a widget). Returns how many of these were
        shown."""
        if not len(paths):
            return 0
        room = max(0, self.MAX_CARDS - len(self.cards))
        for path, row, p in zip(paths[:room], pixels[:room], probabilities[:room]):
            card = PictureCard(path, row.reshape(image_shape), p, classes)
            card.clicked.connect(self._on_card_clicked)
            index = len(self.cards)
            self._grid.addWidget(card, index // self._columns, index % self._columns)
            self.cards.append(card)
        self._reflow()
        self._show_hint()
        self.cards_changed.emit()
        return min(room, len(paths))

    def pixels(self):
        """The cards' pixels (k, h·w·c) uint8, in order (for classifying them again)."""
        if not self.cards:
            return np.zeros((0, 0), dtype=np.uint8)
        return np.stack([card.pixels.reshape(-1) for card in self.cards])

    def set_probabilities(self, probabilities, classes):
        """Every card's class probabilities (k, n_classes) anew: a new network's view of the same pictures."""
        for card, p in zip(self.cards, probabilities):
            card.set_probabilities(p, classes)
        self.cards_changed.emit()

    def set_explanations(self, explanations):
        """Each card's explanation (None: none shown), in order."""
        for card, explanation in zip(self.cards, explanations):
            card.set_explanation(explanation)

    def clear(self):
        for card in self.cards:
            card.hide()
            card.deleteLater()
        self.cards = []
        self._show_hint()
        self.cards_changed.emit()

    def set_untrained(self, untrained):
        """Whether the network that classifies the cards has not been trained yet (its guesses are noise)."""
        self.untrained = bool(untrained)
        self._show_hint()

    def _show_hint(self):
        warn = self.untrained and bool(self.cards)
        self.hint.setText(UNTRAINED if warn else HINT if not self.cards else
                          f"{len(self.cards)} picture{'s' * (len(self.cards) != 1)}; click one to see its "
                          "activations in the diagram.")
        self.hint.setStyleSheet("color: #b00020; font-weight: 600; padding: 8px;" if warn else
                                "color: #555; padding: 8px;")
        self.clear_button.setEnabled(bool(self.cards))

    def _on_card_clicked(self, card):
        for other in self.cards:
            other.set_selected(other is card)
        self.selected.emit(card)
