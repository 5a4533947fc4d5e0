"""The training toolbar: Train/Pause, Step, Reset, the speed, the example the diagram shows, and the iteration."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QSizePolicy, QSlider, QSpinBox, QToolBar, QWidget

from visualtrainer.app.view import SPEEDS

from ..fields import guard

TRAIN_TEXT, PAUSE_TEXT = "▶ Train", "❚❚ Pause"
ITERATION_STYLE = "font-size: 15px; font-weight: 600; padding-right: 12px;"


class TrainingBar(QToolBar):
    """The actions ``train_action``, ``step_action``, ``reset_action`` (connected by the window), the ``speed``
    slider (``speed_changed(iterations a second)``, 0 = flat out), the ``example`` spin box and the iteration."""

    speed_changed = Signal(float)

    def __init__(self, parent=None):
        super().__init__("Training", parent)
        self.setObjectName("training_toolbar")
        self.setMovable(False)
        self.train_action = QAction(TRAIN_TEXT, self, shortcut=QKeySequence(Qt.Key_Space),
                                    toolTip="Train or pause (Space)")
        self.step_action = QAction("Step", self, shortcut=QKeySequence(Qt.Key_S), toolTip="One iteration (S)")
        self.reset_action = QAction("↺ Reset", self, shortcut=QKeySequence(Qt.Key_R),
                                    toolTip="New random parameters (R)")
        for action in (self.train_action, self.step_action, self.reset_action):
            self.addAction(action)
        self._fix_train_width()
        self.addSeparator()
        self.addWidget(QLabel(" speed "))
        self.speed = QSlider(Qt.Horizontal)
        self.speed.setRange(0, len(SPEEDS) - 1)
        self.speed.setValue(len(SPEEDS) - 1)
        self.speed.setFixedWidth(160)
        self.speed.valueChanged.connect(self._on_speed)
        self.addWidget(self.speed)
        self.speed_label = QLabel()
        self.speed_label.setMinimumWidth(90)
        self.addWidget(self.speed_label)
        self.addSeparator()
        self.addWidget(QLabel(" example "))
        self.example = QSpinBox()
        self.example.setToolTip("The training example whose activations the diagram shows")
        self.addWidget(self.example)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        self.addWidget(spacer)
        self._diverged = False
        self.iteration_label = QLabel("iteration 0")
        self.iteration_label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.iteration_label.setStyleSheet(ITERATION_STYLE)
        # A fixed size, both ways: a label whose height may change asks the window to lay itself out again at every
        # new number (the toolbar, the docks and the status bar, five times a second while training).
        self.iteration_label.ensurePolished()  # the style sheet's font, for the height
        self.iteration_label.setFixedSize(210, self.iteration_label.sizeHint().height())
        self.addWidget(self.iteration_label)
        guard(self.speed, self.example)
        self._on_speed(self.speed.value())

    @property
    def speed_value(self):
        """Iterations a second chosen (0: flat out)."""
        return SPEEDS[self.speed.value()]

    def _fix_train_width(self):
        """The Train button as wide as its widest text, so that the toolbar stays put when it says Pause."""
        button = self.widgetForAction(self.train_action)
        widths = []
        for text in (PAUSE_TEXT, TRAIN_TEXT):
            self.train_action.setText(text)
            widths.append(button.sizeHint().width())
        button.setFixedWidth(max(widths))

    def set_training(self, training):
        self.train_action.setText(PAUSE_TEXT if training else TRAIN_TEXT)

    def set_iteration(self, iteration):
        self.iteration_label.setText(f"iteration {iteration:,}")
        if self._diverged:
            self._diverged = False
            self.iteration_label.setStyleSheet(ITERATION_STYLE)

    def set_diverged(self, iteration):
        """Say where training diverged (the network keeps the parameters of before)."""
        self._diverged = True
        self.iteration_label.setText(f"diverged at {iteration:,}")
        self.iteration_label.setStyleSheet(ITERATION_STYLE + " color: #b00020;")

    def _on_speed(self, position):
        speed = SPEEDS[position]
        self.speed_label.setText("flat out" if speed == 0 else f"{speed} it/s")
        self.speed_changed.emit(speed)
