"""Training in a thread of its own: start, pause, step, the speed, and the kernels' warm-up, for the session's
network. Progress reaches the session only for the network it was started for (``Session.accept``)."""

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from visualtrainer.app.training import TrainingPlan, train, warm_up
from visualtrainer.core.surface import PATH_POINTS

from ..worker import Worker

WARM_UP = -1  # the generation of warm-up jobs, which belong to no network


class TrainingController(QObject):
    """Runs the session's training jobs; ``started``, then ``progressed(Progress)`` as the session takes it, then
    ``stopped(last Progress or None)`` (finished, paused, diverged) or ``failed(message)``. ``warmed`` after the
    kernels' warm-up."""

    started = Signal()
    progressed = Signal(object)
    stopped = Signal(object)
    failed = Signal(str)
    warmed = Signal(bool)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.worker = Worker("training")
        self.worker.yielded.connect(self._on_yielded)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.speed = 0.0
        self.requested = 0  # the iterations the last job was asked for (1: a step)
        self._job = None  # the job training the session's network
        session.network_changed.connect(self._on_network_changed)

    @property
    def training(self):
        """Whether a job trains the session's network (until its end reaches this thread)."""
        return self._job is not None

    def toggle(self):
        """Pause a running training, or train on to the iterations set (from the start again after a divergence)."""
        if self.training:
            self.pause()
            return
        net = self.session.net
        if net is None:
            return
        left = self.session.settings.iterations - net.n_iter_
        if left <= 0 or net.stop_reason_ == "diverged":
            left = self.session.settings.iterations
        self.start(left)

    def step(self):
        """One iteration, when not training."""
        if not self.training and self.session.net is not None:
            self.start(1)

    def start(self, n_iterations):
        s = self.session
        grid_X, grid_shape = s.grid_points()
        plan = TrainingPlan(s.data.X_train, s.data.Y_train, int(n_iterations), s.data.X_test, s.data.Y_test, grid_X,
                            grid_shape, max(1, s.settings.iterations // PATH_POINTS))
        s.mailbox.speed = self.speed
        s.mailbox.clear_pause()
        self.requested = int(n_iterations)
        self._job = self.worker.start(train, s.mailbox, plan, generation=s.generation)
        self.started.emit()

    def pause(self):
        """End the running job at its next batch; the network keeps its state, to go on later."""
        if self._job is not None:
            self.session.mailbox.request_pause()
            self._job.cancel()

    def hold_network(self, timeout=10.0):
        """Pause a running job and wait (one batch) until it has let go of the network, so that the window may read
        it whole; returns whether it is free. The job's end is taken at once (``stopped``, as after any pause)."""
        job = self._job
        if job is None:
            return True
        self.pause()
        if not job.done.wait(timeout):
            return False
        QCoreApplication.sendPostedEvents(self)  # the job's results, posted to this object, in order
        return True

    def set_speed(self, speed):
        """Iterations a second (0: flat out), from the running job's next chunk."""
        self.speed = float(speed)
        if self.session.mailbox is not None:
            self.session.mailbox.speed = self.speed

    def warm_up(self, params, X, Y):
        """Load the kernels for a network of these settings on X, Y in the training thread (a job started meanwhile
        waits), or start compiling them in the background where they are not compiled yet (``warmed(ready)``)."""
        self.worker.start(warm_up, params, X, Y, generation=WARM_UP)

    def close(self):
        return self.worker.close()

    # -- results, in the window's thread ----------------------------------------------------------------------
    def _on_network_changed(self):
        if self._job is not None:  # training the network just replaced: stop it; its results are dropped
            self._job.cancel()
            self._job = None

    @Slot(object)
    def _on_yielded(self, result):
        if self.session.accept(result.generation, result.value):
            self.progressed.emit(result.value)

    @Slot(object)
    def _on_finished(self, result):
        if result.generation == WARM_UP:
            self.warmed.emit(result.value is None)  # None: the kernels are ready
        elif result.generation == self.session.generation and self._job is not None:
            self._job = None
            self.session.finish()
            self.stopped.emit(result.value)

    @Slot(object)
    def _on_failed(self, result):
        if result.generation == WARM_UP:
            self.warmed.emit(False)
        elif result.generation == self.session.generation and self._job is not None:
            self._job = None
            self.failed.emit(result.value)
