"""The side panel: data, network and training settings. It edits its own Settings and says what changed; the
window decides what follows (a new network, or a live change) and shows the session's settings back."""

import math

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGridLayout, QGroupBox,
                               QHBoxLayout, QLabel, QPushButton, QScrollArea, QSlider, QSpinBox, QToolButton,
                               QVBoxLayout, QWidget)

from visualtrainer.core.activations import HIDDEN, OUTPUTS
from visualtrainer.core.validation import DTYPES, INITS, LOSSES, OPTIMIZERS
from visualtrainer.data import BUILTIN_DATASETS
from visualtrainer.data.builtin import builtin_layout
from visualtrainer.data.features import FEATURES

from visualtrainer.app.settings import Settings, takes_test_fraction

from ..fields import PathCombo, guard, guard_all

LR_MIN, LR_MAX, LR_STEPS = 1e-5, 100.0, 700


class LearningRateControl(QWidget):
    """α on a log-scale slider (1e-5 … 100) beside an exact spin box."""

    value_changed = Signal(float)

    def __init__(self, value):
        super().__init__()
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setRange(0, LR_STEPS)
        self.spin = QDoubleSpinBox()
        self.spin.setDecimals(5)
        self.spin.setRange(LR_MIN, LR_MAX)
        self.spin.setStepType(QDoubleSpinBox.AdaptiveDecimalStepType)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 3)
        layout.addWidget(self.spin, 2)
        self.set_value(value)
        self.slider.valueChanged.connect(self._on_slider)
        self.spin.valueChanged.connect(self._on_spin)

    @staticmethod
    def to_slider(value):
        span = math.log10(LR_MAX) - math.log10(LR_MIN)
        return round((math.log10(value) - math.log10(LR_MIN)) / span * LR_STEPS)

    @staticmethod
    def from_slider(position):
        span = math.log10(LR_MAX) - math.log10(LR_MIN)
        return float(f"{10 ** (math.log10(LR_MIN) + position / LR_STEPS * span):.3g}")

    def value(self):
        return self.spin.value()

    def set_value(self, value):
        with QSignalBlocker(self.slider), QSignalBlocker(self.spin):
            self.spin.setValue(value)
            self.slider.setValue(self.to_slider(min(max(value, LR_MIN), LR_MAX)))

    def _on_slider(self, position):
        with QSignalBlocker(self.spin):
            self.spin.setValue(self.from_slider(position))
        self.value_changed.emit(self.spin.value())

    def _on_spin(self, value):
        with QSignalBlocker(self.slider):
            self.slider.setValue(self.to_slider(value))
        self.value_changed.emit(value)


class FeaturePicker(QWidget):
    """The input features of 2-D points to tick (TensorFlow Playground's): x₁, x₂, x₁², x₂², x₁x₂, sin x₁, sin x₂;
    at least one stays ticked."""

    changed = Signal()

    def __init__(self):
        super().__init__()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        self.boxes = {}
        for i, (name, (text, _)) in enumerate(FEATURES.items()):
            box = QCheckBox(text)
            box.setToolTip(f"Give the network {text} of each point as an input")
            box.toggled.connect(self._on_toggled)
            grid.addWidget(box, i // 4, i % 4)
            self.boxes[name] = box

    def features(self):
        return [name for name, box in self.boxes.items() if box.isChecked()]

    def set_features(self, features):
        for name, box in self.boxes.items():
            with QSignalBlocker(box):
                box.setChecked(name in features)

    def _on_toggled(self, checked):
        if not checked and not self.features():  # the last one: keep it
            box = self.sender()
            with QSignalBlocker(box):
                box.setChecked(True)
            return
        self.changed.emit()


class HiddenLayersEditor(QWidget):
    """Hidden layers as rows "A[l]: units, activation, remove", and an Add button."""

    changed = Signal()

    def __init__(self):
        super().__init__()
        self._rows = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(3)
        self.add_button = QPushButton("+ Add hidden layer")
        self.add_button.clicked.connect(self._on_add)
        self._layout.addWidget(self.add_button)

    def layers(self):
        return [(units.value(), act.currentText()) for _, units, act, _ in self._rows]

    def units_box(self, layer):
        """The spin box of hidden layer ``layer``'s units (0 for A[1])."""
        return self._rows[layer][1]

    def set_layers(self, layers):
        for row in self._rows:
            row[0].hide()  # gone from the panel at once; deleted when control returns to the event loop
            row[0].deleteLater()
        self._rows = []
        for units, activation in layers:
            self._add_row(units, activation)
        self._relabel()

    def _add_row(self, units, activation):
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        label = QLabel()
        spin = QSpinBox()
        spin.setRange(1, 512)
        spin.setValue(units)
        spin.setSuffix(" units")
        combo = QComboBox()
        combo.addItems(HIDDEN)
        combo.setCurrentText(activation)
        remove = QToolButton()
        remove.setText("−")
        remove.setToolTip("Remove this layer")
        for widget in (label, spin, combo, remove):
            line.addWidget(widget)
        guard(spin, combo)
        entry = (row, spin, combo, label)
        self._rows.append(entry)
        self._layout.insertWidget(self._layout.count() - 1, row)
        spin.valueChanged.connect(self.changed)
        combo.currentTextChanged.connect(self.changed)
        remove.clicked.connect(lambda: self._on_remove(entry))

    def step_units(self, layer, delta):
        """One unit more (``delta`` 1) or fewer (−1) in hidden layer ``layer`` (1 for A[1]), within the spin box's
        range."""
        if 1 <= layer <= len(self._rows):
            spin = self._rows[layer - 1][1]
            spin.setValue(spin.value() + delta)

    def _relabel(self):
        for l, (_, _, _, label) in enumerate(self._rows, start=1):
            label.setText(f"A[{l}]")

    def _on_add(self):
        units, activation = self.layers()[-1] if self._rows else (4, "tanh")
        self._add_row(units, activation)
        self._relabel()
        self.changed.emit()

    def _on_remove(self, entry):
        self._rows.remove(entry)
        entry[0].deleteLater()
        self._relabel()
        self.changed.emit()


class ControlPanel(QScrollArea):
    """Edits ``settings`` in place; ``changed(name)`` names the setting that changed."""

    changed = Signal(str)
    open_file_requested = Signal()

    def __init__(self, settings=None, extra_datasets=()):
        super().__init__()
        self.settings = settings or Settings()
        self.setWidgetResizable(True)
        self.setMinimumWidth(300)
        body = QWidget()
        column = QVBoxLayout(body)
        self.setWidget(body)

        self.dataset = PathCombo()  # a dataset file shows its name
        self.dataset.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.dataset.setMinimumContentsLength(10)
        self.dataset.addItems(list(BUILTIN_DATASETS))
        for name in extra_datasets:
            self.dataset.addItem(name)
        self.open_button = QPushButton("Open…")
        self.open_button.setToolTip("Open a course .h5 training file (Ctrl+O)")
        self.open_button.clicked.connect(self.open_file_requested)
        pick = QWidget()
        pick_line = QHBoxLayout(pick)
        pick_line.setContentsMargins(0, 0, 0, 0)
        pick_line.addWidget(self.dataset, 1)
        pick_line.addWidget(self.open_button)
        self.noise = self._spin(QDoubleSpinBox(), -0.01, 5.0, 0.05, 2, special="default")
        self.test_fraction = self._spin(QDoubleSpinBox(), 0.0, 0.9, 0.05, 2)
        self.seed = self._spin(QSpinBox(), 0, 2**31 - 1, 1)
        self.features = FeaturePicker()
        data = self._group(column, "Data", [("dataset", pick), ("noise", self.noise),
                                           ("test fraction", self.test_fraction), ("seed", self.seed),
                                           ("features", self.features)])
        self.data_group = data

        self.hidden = HiddenLayersEditor()
        self.output = self._combo(["auto", *OUTPUTS])
        self.loss = self._combo(["auto", *LOSSES])
        self.init = self._combo(INITS)
        self._group(column, "Network", [("hidden layers", self.hidden), ("output", self.output), ("loss", self.loss),
                                        ("initialisation", self.init)])

        self.learning_rate = LearningRateControl(self.settings.learning_rate)
        self.iterations = self._spin(QSpinBox(), 1, 10_000_000, 100)
        self.tol = self._spin(QDoubleSpinBox(), 0.0, 1.0, 1e-4, 6, special="off")
        self.optimizer = self._combo(OPTIMIZERS)
        self.batch_size = self._spin(QSpinBox(), 0, 100_000, 16, special="full batch")
        self.l2 = self._spin(QDoubleSpinBox(), 0.0, 100.0, 0.01, 4, special="off")
        self.l1 = self._spin(QDoubleSpinBox(), 0.0, 100.0, 0.01, 4, special="off")
        self.l1.setToolTip("L1 regularisation: adds λ/m·Σ|w| to J, which pushes weights to exactly 0")
        self.dtype = self._combo(DTYPES)
        self._group(column, "Training", [("learning rate α", self.learning_rate), ("iterations", self.iterations),
                                         ("tolerance ε", self.tol), ("optimiser", self.optimizer),
                                         ("batch size", self.batch_size), ("L2 λ", self.l2), ("L1 λ", self.l1),
                                         ("dtype", self.dtype)])
        column.addStretch(1)
        guard_all(body)
        self.set_settings(self.settings)
        self._connect()

    # -- building -------------------------------------------------------------------------------------------
    @staticmethod
    def _spin(spin, low, high, step, decimals=None, special=None):
        spin.setRange(low, high)
        spin.setSingleStep(step)
        if decimals is not None:
            spin.setDecimals(decimals)
        if special:
            spin.setSpecialValueText(special)
        return spin

    @staticmethod
    def _combo(items):
        combo = QComboBox()
        combo.addItems(list(items))
        return combo

    @staticmethod
    def _group(column, title, rows):
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.WrapLongRows)  # a narrow panel puts a field under its label
        for label, widget in rows:
            form.addRow(label, widget)
        column.addWidget(box)
        return box

    def _connect(self):
        self.dataset.currentTextChanged.connect(lambda text: self._set("dataset", text))
        self.noise.valueChanged.connect(lambda v: self._set("noise", v))
        self.test_fraction.valueChanged.connect(lambda v: self._set("test_fraction", v))
        self.seed.valueChanged.connect(lambda v: self._set("seed", v))
        self.features.changed.connect(lambda: self._set("features", self.features.features()))
        self.hidden.changed.connect(lambda: self._set("hidden", self.hidden.layers()))
        self.output.currentTextChanged.connect(lambda v: self._set("output", v))
        self.loss.currentTextChanged.connect(lambda v: self._set("loss", v))
        self.init.currentTextChanged.connect(lambda v: self._set("init", v))
        self.learning_rate.value_changed.connect(lambda v: self._set("learning_rate", v))
        self.iterations.valueChanged.connect(lambda v: self._set("iterations", v))
        self.tol.valueChanged.connect(lambda v: self._set("tol", v))
        self.optimizer.currentTextChanged.connect(lambda v: self._set("optimizer", v))
        self.batch_size.valueChanged.connect(lambda v: self._set("batch_size", v))
        self.l2.valueChanged.connect(lambda v: self._set("l2", v))
        self.l1.valueChanged.connect(lambda v: self._set("l1", v))
        self.dtype.currentTextChanged.connect(lambda v: self._set("dtype", v))

    # -- state ----------------------------------------------------------------------------------------------
    def _set(self, name, value):
        setattr(self.settings, name, value)
        self.changed.emit(name)

    def set_settings(self, settings):
        """Show ``settings`` (programmatic: no ``changed`` signal)."""
        self.settings = settings
        widgets = [self.dataset, self.noise, self.test_fraction, self.seed, self.output, self.loss, self.init,
                   self.iterations, self.tol, self.optimizer, self.batch_size, self.l2, self.l1, self.dtype,
                   self.hidden]
        blockers = [QSignalBlocker(w) for w in widgets]
        if self.dataset.findText(settings.dataset) < 0:
            self.dataset.addItem(settings.dataset)
        self.dataset.setCurrentText(settings.dataset)
        self.noise.setValue(settings.noise if settings.noise >= 0 else -0.01)
        self.test_fraction.setValue(settings.test_fraction)
        self.seed.setValue(settings.seed)
        self.features.set_features(settings.features)
        self.hidden.set_layers(settings.hidden)
        self.output.setCurrentText(settings.output)
        self.loss.setCurrentText(settings.loss)
        self.init.setCurrentText(settings.init)
        self.learning_rate.set_value(settings.learning_rate)
        self.iterations.setValue(settings.iterations)
        self.tol.setValue(settings.tol)
        self.optimizer.setCurrentText(settings.optimizer)
        self.batch_size.setValue(settings.batch_size)
        self.l2.setValue(settings.l2)
        self.l1.setValue(settings.l1)
        self.dtype.setCurrentText(settings.dtype)
        del blockers
        self.set_generated(settings.dataset in BUILTIN_DATASETS, takes_test_fraction(settings.dataset))

    def set_generated(self, generated, splits=None):
        """Noise applies to generated sets; the test fraction to those and to picture folders."""
        self.noise.setEnabled(generated)
        self.features.setEnabled(generated and builtin_layout(self.settings.dataset)[0] == 2)
        self.test_fraction.setEnabled(generated if splits is None else splits)
