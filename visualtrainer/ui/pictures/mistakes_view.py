"""What the network gets wrong on the test set: the misclassified pictures with their probabilities, and the
confusion matrix where there are more than two classes."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QScrollArea, QSplitter, QVBoxLayout, QWidget

from visualtrainer.core.metrics import class_probabilities, confusion_matrix, misclassified, predicted_classes

from .drop_classifier import pixels_to_pixmap
from .why_overlay import caption, explained_pixmap, tooltip, why_box

MAX_SHOWN = 60  # misclassified pictures shown (the most confident mistakes first)
COLUMNS = 4
SHARE_COLOURS = pg.ColorMap([0.0, 1.0], [(255, 255, 255), (31, 119, 180)])  # white to the course's blue


class MistakeCard(QWidget):
    """A misclassified picture: what the network said, with what probability, and what it is."""

    SIZE = 96

    def __init__(self, pixels, truth, guess, probability):
        super().__init__()
        self.pixels = pixels
        column = QVBoxLayout(self)
        column.setContentsMargins(2, 2, 2, 2)
        self.picture = QLabel()
        self.picture.setPixmap(pixels_to_pixmap(pixels, self.SIZE))
        text = QLabel(f"<b>{guess}</b> ({probability:.2f})<br><span style='color:#666'>is {truth}</span>")
        text.setAlignment(Qt.AlignHCenter)
        self.why = QLabel()
        self.why.setWordWrap(True)
        self.why.hide()
        column.addWidget(self.picture)
        column.addWidget(text)
        column.addWidget(self.why)

    def set_explanation(self, explanation):
        """Why the network got it wrong (an app.insight.Explanation), or (None) the picture alone."""
        if explanation is None:
            self.picture.setPixmap(pixels_to_pixmap(self.pixels, self.SIZE))
            self.why.hide()
            return
        self.picture.setPixmap(explained_pixmap(explanation, self.SIZE))
        self.why.setText(caption(explanation))
        self.why.setToolTip(tooltip(explanation))
        self.why.show()


class MistakesView(QWidget):
    """``show_results(data, net)`` after training; ``clear()`` for a new network. ``cards_changed`` after either."""

    cards_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.summary = QLabel("Train a network: its mistakes on the test set show here.")
        self.summary.setWordWrap(True)
        self.why = why_box()
        self.gallery = QWidget()
        self._grid = QGridLayout(self.gallery)
        self._grid.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.gallery)
        self.matrix_plot = pg.PlotWidget()
        self.matrix_view = self.matrix_plot.getPlotItem()
        self.matrix_view.setTitle("confusion matrix (test set)")
        self.matrix_view.setLabel("left", "true class")
        self.matrix_view.setLabel("bottom", "predicted class")
        self.matrix_view.invertY(True)
        self.matrix_view.setAspectLocked(True)
        self.matrix_image = pg.ImageItem(axisOrder="row-major")
        self.matrix_view.addItem(self.matrix_image)
        self._texts = []
        split = QSplitter(Qt.Horizontal)
        split.addWidget(scroll)
        split.addWidget(self.matrix_plot)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.why)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.cards, self.matrix = [], None
        self.matrix_plot.hide()

    def clear(self, text="Train a network: its mistakes on the test set show here."):
        for card in self.cards:
            card.deleteLater()
        self.cards, self.matrix = [], None
        for item in self._texts:
            self.matrix_view.removeItem(item)
        self._texts = []
        self.matrix_plot.hide()
        self.summary.setText(text)
        self.cards_changed.emit()

    def show_results(self, data, net):
        """The test set's mistakes (pictures) and confusion matrix (more than two classes) for ``net``."""
        if data.X_test is None or data.m_test == 0 or net.output == "linear":
            self.clear("No test set to judge the network on: set a test fraction, or open a course file.")
            return
        self.clear()
        AL = net.predict_proba(data.X_test)
        y_true, y_pred = np.ravel(data.Y_test), predicted_classes(AL, net.output)
        P = class_probabilities(AL, net.output)
        confidence = P[y_pred, np.arange(len(y_pred))]
        wrong = misclassified(y_true, y_pred, confidence)
        n_classes = max(2, len(data.classes))
        names = list(data.classes) or [str(k) for k in range(n_classes)]
        self.summary.setText(f"{len(wrong)} of {data.m_test} test examples misclassified "
                             f"({100 * (1 - len(wrong) / data.m_test):.1f}% right)"
                             + (f"; the {min(len(wrong), MAX_SHOWN)} most confident mistakes:"
                                if data.image_shape is not None and len(wrong) else "."))
        self.scroll.setVisible(data.image_shape is not None)
        if data.image_shape is not None:
            for index in wrong[:MAX_SHOWN]:
                self._add_card(data.X_test[:, index].reshape(data.image_shape), names[y_true[index]],
                               names[y_pred[index]], confidence[index])
        if n_classes > 2:
            self._show_matrix(confusion_matrix(y_true, y_pred, n_classes), names)
        self.cards_changed.emit()

    def pixels(self):
        """The shown mistakes' pixels (k, h·w·c) uint8, in order."""
        if not self.cards:
            return np.zeros((0, 0), dtype=np.uint8)
        return np.stack([card.pixels.reshape(-1) for card in self.cards])

    def set_explanations(self, explanations):
        for card, explanation in zip(self.cards, explanations):
            card.set_explanation(explanation)

    def _add_card(self, pixels, truth, guess, probability):
        card = MistakeCard(pixels, truth, guess, probability)
        index = len(self.cards)
        self._grid.addWidget(card, index // COLUMNS, index % COLUMNS)
        self.cards.append(card)

    def _show_matrix(self, C, names):
        self.matrix = C
        self.matrix_plot.show()
        share = C / np.maximum(C.sum(axis=1, keepdims=True), 1)
        self.matrix_image.setImage(share, levels=(0, 1))
        self.matrix_image.setColorMap(SHARE_COLOURS)
        for i in range(C.shape[0]):
            for j in range(C.shape[1]):
                label = pg.TextItem(str(C[i, j]), anchor=(0.5, 0.5),
                                    color="w" if share[i, j] > 0.6 else (30, 30, 30))
                label.setPos(j + 0.5, i + 0.5)
                self.matrix_view.addItem(label)
                self._texts.append(label)
        ticks = [(k + 0.5, name) for k, name in enumerate(names)]
        self.matrix_view.getAxis("bottom").setTicks([ticks])
        self.matrix_view.getAxis("left").setTicks([ticks])
