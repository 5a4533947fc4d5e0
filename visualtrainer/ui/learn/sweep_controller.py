"""Sweeps in a thread of their own: one run per value, each pinned in the session's runs and shown in the Sweep tab
as it ends, while the window stays free."""

from PySide6.QtCore import QObject, Signal, Slot

from visualtrainer.app.sweeps import parse_values, shown, sweep

from ..worker import Worker


class SweepController(QObject):
    """Starts the sweeps the Sweep tab asks for; ``finished(done)`` with the number of runs a sweep finished."""

    started = Signal()
    finished = Signal(int)

    def __init__(self, session, view, show_message, parent=None):
        super().__init__(parent)
        self.session, self.view, self._show_message = session, view, show_message
        self.worker = Worker("sweep")
        self.worker.yielded.connect(self._on_run)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.generation, self._kind, self._total, self._done = 0, None, 0, 0
        view.sweep_requested.connect(self.start)
        view.sweep_cancelled.connect(self.worker.cancel)

    def start(self, kind, text):
        """One run per value of ``kind`` typed in ``text``, from the current settings; False (and a message) if
        the values are bad, there is no data, or a sweep runs already."""
        try:
            values = parse_values(kind, text)
        except ValueError as error:
            self._show_message(str(error).capitalize(), error=True)
            return False
        s = self.session
        if s.data is None:
            self._show_message("Open or pick a dataset first: a sweep trains on it.", error=True)
            return False
        if self.worker.busy:
            self._show_message("A sweep is already running: wait for it, or Cancel.", error=True)
            return False
        self.generation += 1
        self._kind, self._total, self._done = kind, len(values), 0
        self.worker.start(sweep, s.settings.copy(), s.data, kind, values, generation=self.generation)
        self.view.started(kind, values)
        self.started.emit()
        self._show_message(f"Sweeping {kind}: {len(values)} runs of {s.settings.iterations:,} iterations each, in "
                           "the background.")
        return True

    @Slot(object)
    def _on_run(self, result):
        if result.generation != self.generation:
            return
        run = result.value
        self._done += 1
        self.session.runs.add_run(run.settings.to_dict(), run.layer_dims, run.costs, run.train_accuracy,
                                  run.test_accuracy, run.path, label=f"{self._kind} {shown(run.value)}")
        self.view.add_result(run.value, run.train_accuracy, run.test_accuracy, run.final_cost)

    @Slot(object)
    def _on_finished(self, result):
        if result.generation == self.generation:
            self._end(result.value)

    @Slot(object)
    def _on_failed(self, result):
        if result.generation == self.generation:
            self._end(self._done)
            self._show_message(result.value, error=True)

    def _end(self, done):
        self._show_message(self.view.ended(done, self._total))
        self.finished.emit(done)

    def close(self):
        return self.worker.close()
