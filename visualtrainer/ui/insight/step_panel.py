"""Step at any scale, in the Graph tab: one example (stochastic gradient descent), one mini-batch or one epoch, with
that step's Z[l], A[l] forward and dZ[l], dW[l], db[l] back (and what it did to W[l]) in a table.

A step on one example or one mini-batch runs in the training thread, as a job of the training worker that holds the
network through its mailbox (so it never meets a training job); an epoch is the toolbar's Step. Steps on parts of
an epoch move θ but count no iteration (an iteration is an epoch)."""

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from visualtrainer.app.insight import epoch_values, step
from visualtrainer.app.training import Progress
from visualtrainer.core.snapshot import Snapshot
from visualtrainer.core.stepping import batch_rows

from ..worker import Worker

SCALES = ("one example", "one mini-batch", "one epoch")
COLUMNS = ("Z[l]", "A[l]", "dZ[l]", "dW[l]", "db[l]", "W[l] moved by")
KEYS = ("Z", "A", "dZ", "dW", "db", "update")
STEP_GENERATION = -2  # the generation of step jobs in the training worker: its controller drops them
SHOWN = 4  # values written out in a cell; the tooltip holds up to TIP_VALUES
TIP_VALUES = 64


def describe(array):
    """A cell's text: the values of a small array, else its shape, norm and first values."""
    a = np.asarray(array, dtype=np.float64)
    flat = a.ravel()
    values = ", ".join(f"{v:.3g}" for v in flat[:SHOWN])
    if flat.size <= SHOWN:
        return f"[{values}]"
    return f"{a.shape[0]}×{a.shape[1]} ‖·‖ {np.linalg.norm(flat):.3g}\n[{values}, …]"


def tip(array):
    a = np.asarray(array, dtype=np.float64)
    flat = a.ravel()
    text = np.array2string(flat[:TIP_VALUES], precision=4, max_line_width=90)
    more = f"\n… {flat.size - TIP_VALUES:,} more" if flat.size > TIP_VALUES else ""
    return f"{a.shape[0]}×{a.shape[1]}:\n{text}{more}"


class StepPanel(QWidget):
    """The scale, the Step button and the table of the last step's values (``step_requested(scale index)``)."""

    step_requested = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.scale = QComboBox()
        self.scale.addItems(SCALES)
        self.scale.setToolTip("One example: stochastic gradient descent on the example chosen in the toolbar (then "
                              "the next). One mini-batch: the next batch of the epoch's order. One epoch: an iteration")
        self.step_button = QPushButton("Step")
        self.step_button.clicked.connect(lambda: self.step_requested.emit(self.scale.currentIndex()))
        self.summary = QLabel("Step at the scale chosen: the table shows that step's values.")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setMaximumHeight(170)
        row = QHBoxLayout()
        row.addWidget(QLabel("Step"))
        row.addWidget(self.scale)
        row.addWidget(self.step_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        self.table.hide()

    def show_step(self, text, layers):
        """``text`` above the table of ``layers`` [(l, {Z, A, dZ, dW, db, update?})]."""
        self.summary.setText(text)
        self.table.setRowCount(len(layers))
        self.table.setVerticalHeaderLabels([f"l = {l}" for l, _ in layers])
        for row, (_, layer) in enumerate(layers):
            for column, key in enumerate(KEYS):
                value = layer.get(key)
                item = QTableWidgetItem("" if value is None else describe(value))
                item.setToolTip("" if value is None else tip(value))
                item.setTextAlignment(Qt.AlignLeft | Qt.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.show()


class StepController(QObject):
    """Puts a StepPanel into ``window.graph_view`` (in place of its own Step button) and takes the steps."""

    stepped = Signal(object)  # the Step (or (layers, J) of an epoch) once shown

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.panel = StepPanel()
        graph = window.graph_view
        graph.step_button.hide()
        graph.layout().insertWidget(1, self.panel)
        self.panel.step_requested.connect(self.take)
        self.values = Worker("step values")
        self.values.finished.connect(self._on_epoch_values)
        worker = window.training.worker
        worker.finished.connect(self._on_step)
        worker.failed.connect(self._on_step_failed)
        self.position = 0  # the next mini-batch of the epoch
        self._pending = None  # (session generation, what the step was) of a step job running
        window.session.network_changed.connect(self._on_network_changed)

    def _on_network_changed(self):
        self.position, self._pending = 0, None
        self.panel.table.hide()
        self.panel.summary.setText("Step at the scale chosen: the table shows that step's values.")

    def take(self, scale):
        """Take a step of ``scale`` (0 example, 1 mini-batch, 2 epoch) when not training."""
        w, s = self.window, self.window.session
        if w.training.training or s.net is None or self._pending is not None:
            w.show_message("Pause training before stepping.", error=w.training.training)
            return False
        if scale == 2:
            self.values.start(epoch_values, s.spec.get_params(), s.params, s.data.X_train, s.data.Y_train,
                              generation=s.generation)
            self._pending_epoch = s.iteration
            w.step()
            return True
        m = s.data.m
        if scale == 0:
            i = min(s.view.example, m - 1)
            rows, what = np.array([i]), f"example {i}"
        else:
            rows, index, count = batch_rows(s.net, m, self.position)
            self.position = index + 1
            what = f"mini-batch {index + 1} of {count} ({len(rows)} examples) of epoch {s.net.n_iter_}'s order"
        self._pending = (s.generation, what, scale)
        w.training.worker.start(step, s.mailbox, s.data.X_train, s.data.Y_train, rows, generation=STEP_GENERATION)
        return True

    @Slot(object)
    def _on_step(self, result):
        if result.generation != STEP_GENERATION or self._pending is None:
            return
        (generation, what, scale), self._pending = self._pending, None
        s, w = self.window.session, self.window
        if generation != s.generation:
            return
        taken = result.value
        if taken.applied:
            self._show_params(taken.params)
        text = (f"One step on {what}: J on {'it' if scale == 0 else 'them'} {taken.cost:.6g} → {taken.cost_after:.6g}"
                f" (α = {s.settings.learning_rate:g}, {s.settings.optimizer}); forward at θ before the step. No "
                "iteration is counted: an iteration is an epoch." if taken.applied else taken.message)
        self.panel.show_step(text, taken.layers)
        if scale == 0 and taken.applied:  # the next press steps on the next example
            w.example.setValue((int(taken.rows[0]) + 1) % s.data.m)
        self.stepped.emit(taken)

    @Slot(object)
    def _on_step_failed(self, result):
        if result.generation == STEP_GENERATION and self._pending is not None:
            self._pending = None
            self.window.show_message(result.value, error=True)

    def _show_params(self, params):
        """The stepped parameters through the window's one path for progress, as a training job's last one."""
        s, w = self.window.session, self.window
        net = s.net
        cost = float(net.costs_[-1]) if len(net.costs_) else float("nan")
        snap = Snapshot(iteration=s.iteration, cost=cost, grad_norm=float("nan"), first_iteration=s.iteration,
                        costs=np.zeros(0), params=params, stop_reason="cancelled")
        progress = Progress(snap, None, None, None, paused=True)
        if s.accept(s.generation, progress):
            w.presenter.show(progress)
            w.presenter.finish(progress)
            s.finish()
            w.network.show_graph()

    @Slot(object)
    def _on_epoch_values(self, result):
        if result.generation != self.window.session.generation:
            return
        layers, J = result.value
        s = self.window.session
        self.panel.show_step(f"One epoch (iteration {self._pending_epoch}) over the {s.data.m} training examples: "
                             f"J = {J:.6g} before it; the values at its start (full batch: its one step).", layers)
        self.stepped.emit(result.value)

    def close(self):
        return self.values.close()
