"""The training toolbar: Train/Pause, Step, Reset, the speed, the example the diagram shows, and the iteration."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QSizePolicy, QSlider, QSpinBox, QToolBar, QWidget

from visualtrainer.app.view import SPEEDS


class TrainingBar(QToolBar):
    """The actions ``train_action``, ``step_action``, ``reset_action`` (connected by the window), the ``speed``
    slider (``speed_changed(iterations a second)``, 0 = flat out), the ``example`` spin box and the iteration."""

    speed_changed = Signal(float)

    def __init__(self, parent=None):
        super().__init__("Training", parent)
        self.setObjectName("training_toolbar")
        self.setMovable(False)
        self.train_action = QAction("▶ Train", self, shortcut=QKeySequence(Qt.Key_Space),
                                    toolTip="Train or pause (Space)")
        self.step_action = QAction("Step", self, shortcut=QKeySequence(Qt.Key_S), toolTip="One iteration (S)")
        self.reset_action = QAction("↺ Reset", self, shortcut=QKeySequence(Qt.Key_R),
                                    toolTip="New random parameters (R)")
        for action in (self.train_action, self.step_action, self.reset_action):
            self.addAction(action)
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
        self.iteration_label = QLabel("iteration 0")
        self.iteration_label.setFixedWidth(210)  # a fixed size: a new number must not re-lay the window out
        self.iteration_label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.iteration_label.setStyleSheet("font-size: 15px; font-weight: 600; padding-right: 12px;")
        self.addWidget(self.iteration_label)
        self._on_speed(self.speed.value())

    @property
    def speed_value(self):
        """Iterations a second chosen (0: flat out)."""
        return SPEEDS[self.speed.value()]

    def set_training(self, training):
        self.train_action.setText("❚❚ Pause" if training else "▶ Train")

    def set_iteration(self, iteration):
        self.iteration_label.setText(f"iteration {iteration:,}")

    def _on_speed(self, position):
        speed = SPEEDS[position]
        self.speed_label.setText("flat out" if speed == 0 else f"{speed} it/s")
        self.speed_changed.emit(speed)
