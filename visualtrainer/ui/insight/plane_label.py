"""On the cost surface, how far the descent path leaves the plane drawn: the part of each step the plane does not
hold, worked out in a worker's thread a moment after each surface is drawn, and said under the surface's own text."""

from PySide6.QtCore import QObject, QTimer, Slot

from visualtrainer.app.insight import fit_plane

from ..captions import SteadyLabel
from ..worker import Worker

#: The fit starts this long after its surface is shown: it borrows a core of the training team, as the window does
#: to paint the new surface (its longest paint), and the two at once share the one core lent.
FIT_DELAY_MS = 100
#: Before the first fit of a network: the line's room is there from the start (a text arriving in an empty line laid
#: the window out again in a run's first tenth of a second, ``SteadyLabel``)
WAITING = "Off the plane: worked out after each cost surface is drawn."


def describe(fit, kind):
    """One sentence on a PlaneFit for a plane of ``kind``."""
    if fit.off.size == 0 or fit.mean_off != fit.mean_off:  # no step yet (NaN)
        return "Off the plane: the path has no steps yet."
    share, worst = 100 * fit.mean_off, 100 * fit.max_off
    text = f"Off the plane: {share:.0f}% of the path's length on average (up to {worst:.0f}% of a step)"
    if fit.honest:
        return text + ": the plane holds the path, so the drawn path is what gradient descent did."
    if kind == "pca":
        return text + ": the path also moves in directions this plane does not show; the drawn path is its shadow."
    return text + ": the path mostly moves in other directions; what is drawn is its shadow on this plane."


class PlaneFitLabel(QObject):
    """A line under ``window.surface_panel``'s text, after each surface drawn."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        panel = window.surface_panel
        self.label = SteadyLabel(lines=2)
        self.label.setStyleSheet("color: #444;")
        self.label.setToolTip("For each step between two recorded points of the path: ‖its part off the plane‖ / "
                              "‖the step‖, weighted by the steps' lengths.")
        layout = panel.layout()
        layout.insertWidget(layout.indexOf(panel.info.box) + 1, self.label.box)
        self.label.setText(WAITING)
        self.worker = Worker("plane fit")
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(lambda result: self.label.setText(f"Off the plane: {result.value}"))
        self.generation = 0
        self.fit = None
        self.surface = self.fitted = None  # the surface asked about, and the one ``fit`` is for
        self.delay = QTimer(self, singleShot=True, interval=FIT_DELAY_MS)
        self.delay.timeout.connect(self._start_fit)
        panel.surface_shown.connect(self._on_surface)
        window.session.network_changed.connect(lambda: (self.label.setText(WAITING), self._forget()))

    def _forget(self):
        self.generation += 1
        self.delay.stop()
        self.fit = self.surface = self.fitted = None

    def _on_surface(self, surface):
        self.generation += 1
        self._kind, self.surface = surface.plane.kind, surface
        self.delay.start()

    def _start_fit(self):  # the delay is stopped when the network changes: ``surface`` is the one shown
        _, points = self.window.session.path.frozen()
        plane = self.surface.plane
        self.worker.start(fit_plane, points, plane.d1, plane.d2, generation=self.generation)

    @Slot(object)
    def _on_finished(self, result):
        if result.generation == self.generation:
            self.fit, self.fitted = result.value, self.surface
            self.label.setText(describe(self.fit, self._kind))

    def close(self):
        self.delay.stop()
        return self.worker.close()
