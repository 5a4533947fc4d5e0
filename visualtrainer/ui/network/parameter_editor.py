"""A weight or a bias picked in the diagram, its value typed in: a small box over the diagram, by the link or neuron
clicked. Enter sets the value (through the session), Esc closes it; while the network trains it only shows it."""

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QToolButton, QVBoxLayout

from visualtrainer.app.parameters import accuracy, set_parameter


def parameter_label(key, j, k=None):
    """The course's name of W[l][j, k] or b[l][j], counting units from 1 as the diagram does: "w[1](2,1)"."""
    layer = key[1:]
    return f"w[{layer}]({j + 1},{k + 1})" if key.startswith("W") else f"b[{layer}]({j + 1})"


class ParameterEditor(QFrame):
    """``value_entered(key, j, k, value)`` when a value is typed for W[l][j, k] ("W1", j, k) or b[l][j] ("b1", j,
    0)."""

    value_entered = Signal(str, int, int, float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.StyledPanel)
        self.setAutoFillBackground(True)
        self.setStyleSheet("ParameterEditor { background: #fffef5; border: 1px solid #888; border-radius: 4px; }")
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: 600;")
        self.field = QLineEdit()
        self.field.setValidator(QDoubleValidator())
        self.field.setFixedWidth(110)
        self.field.returnPressed.connect(self._on_enter)
        close = QToolButton(text="✕")
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(close)
        line = QHBoxLayout()
        line.addWidget(self.field)
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 6)
        layout.setSpacing(3)
        layout.addLayout(top)
        layout.addLayout(line)
        layout.addWidget(self.hint)
        self.target = ("W1", 0, 0)
        self.hide()

    def open(self, key, j, k, value, at, editable):
        """Show the parameter ``key``[j, k] (k = 0 for a bias) with ``value`` near ``at`` (a point in the parent),
        ready to type in when ``editable`` (the network is not training)."""
        self.target = (key, int(j), int(k))
        self.title.setText(f"{parameter_label(key, j, k if key.startswith('W') else None)} = {value:.6g}")
        self.field.setText(f"{value:.6g}")
        self.field.setEnabled(editable)
        self.hint.setText("Enter sets it, Esc closes" if editable else "Pause (Space) to change it")
        self.adjustSize()
        parent = self.parentWidget().rect()
        x = min(max(at.x() + 12, 0), parent.width() - self.width())
        y = min(max(at.y() + 12, 0), parent.height() - self.height())
        self.move(x, y)
        self.show()
        self.raise_()
        if editable:
            self.field.setFocus()
            self.field.selectAll()

    def _on_enter(self):
        text = self.field.text().replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            return
        self.value_entered.emit(*self.target, value)
        self.hide()

    def keyPressEvent(self, event):
        if event.key() == Qt.Key_Escape:
            self.hide()
            event.accept()
            return
        super().keyPressEvent(event)


class DiagramEditing:
    """The network changed from ``window``'s diagram: the − and + beside a hidden layer step its units (through
    the settings' spin box); a click on a link or a neuron opens an editor of its weight or bias, and a value
    typed there is set in the session's network (``app.parameters``) and the views redrawn from it (while it
    trains the value is only shown)."""

    def __init__(self, window):
        self.session, self.presenter, self.diagram = window.session, window.network, window.network_view
        self.training, self.say = lambda: window.training.training, window.show_message
        diagram = self.diagram
        diagram.units_step.connect(window.controls.hidden.step_units)
        self.editor = ParameterEditor(diagram)
        self.editor.value_entered.connect(self.set_value)
        diagram.link_clicked.connect(lambda l, j, k: self.open(f"W{l}", j, k))
        diagram.neuron_clicked.connect(lambda l, j: self.open(f"b{l}", j, 0))
        self.session.network_changed.connect(self.editor.hide)

    def open(self, key, j, k):
        params = self.session.params
        if params is None or key not in params:
            return
        at = getattr(self.diagram, "pressed_at", None) or QPoint(12, 12)
        self.editor.open(key, j, k, float(params[key][j, k]), at, editable=not self.training())

    def set_value(self, key, j, k, value):
        if self.training():
            self.say("Pause (Space) before typing a weight or a bias: the network is training.")
            return
        try:
            before = set_parameter(self.session, key, j, k, value)
        except ValueError as error:
            self.say(str(error))
            return
        p = self.presenter
        p.show_params(final=True)
        p.show_pictures(final=True)
        grid_X, _ = self.session.grid_points()
        if grid_X is not None:
            p.show_output(self.session.spec.forward_layers(grid_X, self.session.params)[-1][1])
        p.show_unit()
        share = accuracy(self.session)
        said = f"{parameter_label(key, j, k if key.startswith('W') else None)} = {value:.6g} (was {before:.6g})"
        self.say(said + ("" if share is None else f": train accuracy {share:.1%}") + "; Space trains on from here.")
