"""The drawing while training: the worker's progress is drawn at most 30 times a second, 20 while other programs
crowd the machine (``app.machine``: the training job then hands its progress over as often; no timer ticks while
nothing changes), the cost curve every frame, the boundary plot's output OUTPUT_DELAY_MS after it, the diagram and the
counters SLOW_SECONDS apart, DETAILS_DELAY_MS after a frame, the pictures of what the units compute (unit maps, weight
pictures) as long after them and the descent path on the cost surface as long again, each in an event of its own
(the window's thread never works long enough at once to hold up its events by a frame). While the training takes
every core, or other programs crowd it, the time the window draws is taken from it (see the README's notes on
speed): then the diagram and the path are drawn BUSY_SECONDS apart, the weight pictures half-way between."""

import time

import numpy as np
from PySide6.QtCore import QObject, QThread, QTimer, Signal

from visualtrainer.app.machine import FULL, OtherLoad, Placement, machine_cores, pace_for, thread_cpu
from visualtrainer.core import team

from ..loans import borrow_a_core

REDRAW_MS = FULL.frame_ms  # at most 30 frames a second, as the worker sends progress (the pace's ``frame_ms``)
SLOW_SECONDS = 0.2  # the diagram and the counters
#: The diagram and the path on the cost surface, while the training keeps every core busy: their rounds (the weights
#: read, pictured and projected) cost a network of 12288 inputs more of its training than their few milliseconds
#: of the window's thread: once a second rather than twice gave 12288-7-1 2.4-3.5% of its speed back
BUSY_SECONDS = 1.0
#: Said while other programs crowd the machine (the pace's frames fewer).
CROWDED_NEWS = ("Training… Other programs keep the cores busy: the window draws fewer frames a second, to leave "
                "the training its time.")
DETAILS_DELAY_MS = 12  # the diagram after the plots' frame: between two frames, in an event of its own
#: The boundary plot's new output after the cost plot's frame, in an event of its own too (at once, the two took
#: 8-9 ms of the flower's every frame, enough with a little wait for a core to hold up the window's events by a
#: frame); before the diagram's.
OUTPUT_DELAY_MS = 5


class RateMeter:
    """Iterations a second, measured over at least half a second."""

    def __init__(self, clock):
        self.clock = clock
        self.restart(0)

    def restart(self, iteration, rate=0.0):
        """Count from ``iteration`` now; ``rate`` is shown until the first measure."""
        self._since, self._iteration, self.rate = self.clock(), iteration, rate

    def measure(self, iteration, final=False):
        now = self.clock()
        if now - self._since > 0.5 or final:
            if iteration > self._iteration:
                self.rate = (iteration - self._iteration) / max(now - self._since, 1e-9)
            self._since, self._iteration = now, iteration
        return self.rate


class ProgressPresenter(QObject):
    """Draws the session's training progress in the views; ``progress_shown`` after each progress arrived."""

    progress_shown = Signal(object)

    def __init__(self, session, network, cost_plot, surface_panel, status, toolbar, clock=time.perf_counter):
        super().__init__()
        self.session, self.network, self.cost_plot = session, network, cost_plot
        self.surface_panel, self.status, self.toolbar = surface_panel, status, toolbar
        self.clock = clock
        self.frames_drawn = 0  # redraws that showed new progress (for benchmarks)
        self.timer = QTimer(self, singleShot=True)
        self.timer.timeout.connect(self.draw_frame)
        self.details_timer = QTimer(self, singleShot=True)
        self.details_timer.timeout.connect(self._draw_details_due)
        self.path_timer = QTimer(self, singleShot=True)
        self.path_timer.timeout.connect(self._draw_path)
        self.output_timer = QTimer(self, singleShot=True)
        self.output_timer.timeout.connect(self._draw_output)
        self.pictures_timer = QTimer(self, singleShot=True)
        self.pictures_timer.timeout.connect(self._draw_pictures)
        self.rate = RateMeter(lambda: self.clock())
        self.load, self.pace, self.placement = OtherLoad(), FULL, Placement()
        self.training_thread = lambda: None  # the training's thread id for the system (the window sets it)
        self._latest = self._pending_grid = None
        self._dirty = self._dirty_slow = False
        self._pictures_owed = False  # the weight pictures of the last diagram's period, not drawn yet
        self._compiled = True  # whether the last progress came from the compiled kernels (else numpy)
        self._last_frame = self._slow_drawn = self._busy_drawn = 0.0
        session.network_changed.connect(self.forget)

    def forget(self):
        """A new network: nothing of the old one's progress is left to draw."""
        self._latest, self._pending_grid = None, None
        self.rate.restart(self.session.iteration)

    def show(self, progress):
        """Progress the session took (in the window's thread): added to the cost plot now, drawn at the next
        frame."""
        assert QThread.currentThread() is self.thread()
        snap = progress.snapshot
        self.cost_plot.append_costs(snap.first_iteration, np.asarray(snap.costs))
        if progress.train_accuracy is not None:  # the worker rations these: keep the last ones
            self.cost_plot.add_accuracy(snap.iteration, progress.train_accuracy, progress.test_accuracy)
        if progress.test_cost is not None:
            self.cost_plot.add_test_cost(snap.iteration, progress.test_cost)
        if progress.grid is not None:
            self._pending_grid = progress.grid
        self._latest, self._dirty = progress, True
        self.schedule()
        if self.status.busy.isVisible() or snap.compiled != self._compiled:
            self.status.busy.hide()  # the busy bar is for loading: its animation costs frames
            self._compiled = snap.compiled
            self.status.show_message(self._news())
        self.progress_shown.emit(progress)

    def finish(self, progress):
        """Training stopped: draw its last progress now, the cost plot fitted to the iterations run; the window's
        thread back on every core."""
        self.placement.release()
        if progress is not None:
            self._latest, self._dirty = progress, True
            self.draw_frame()
            self.cost_plot.fit_to_data()

    def stop(self):
        """The window closes: nothing more is drawn (its views are about to go)."""
        for timer in (self.timer, self.details_timer, self.path_timer, self.output_timer, self.pictures_timer):
            timer.stop()
        self.placement.release()

    def start(self):
        """Training starts (again): its speed is measured from here, and the load of other programs."""
        self.rate.restart(self.session.iteration, self.rate.rate)
        self.load.restart()
        if self.session.mailbox is not None:
            self.session.mailbox.pace = self.pace
        if self.pace != FULL:
            self.status.show_message(self._news())

    def keep_pace(self, all_cores):
        """The pace for the load other programs put on the machine now (``machine.pace_for``), told to the job;
        ``all_cores``: whether the training shares its steps out to every core."""
        s = self.session
        training = team.size() if all_cores else 1
        pace = pace_for(self.load.cores(), machine_cores(), training, self.pace)
        if pace != self.pace:
            self.pace = pace
            if s.mailbox is not None:
                s.mailbox.pace = pace
            self.status.show_message(self._news())
        if pace != FULL:  # the window's thread off the training's core (``machine.Placement``), wherever it moved
            self.placement.keep_off(thread_cpu(self.training_thread()))
        else:
            self.placement.release()

    def _news(self):
        """What the status bar says while training runs."""
        if not self._compiled:
            return "Training on numpy while the fast engine compiles (the first time only)…"
        return CROWDED_NEWS if self.pace != FULL else "Training…"

    def schedule(self):
        """Draw now if a frame's time has passed, else when it has."""
        wait_ms = self.pace.frame_ms - (self.clock() - self._last_frame) * 1000
        if wait_ms <= 0:
            self.draw_frame()
        elif not self.timer.isActive() or self.timer.remainingTime() > wait_ms + 1:
            self.timer.start(int(wait_ms) + 1)

    def next_frame_ms(self):
        """Milliseconds until the next frame is drawn, or None when none is due."""
        return self.timer.remainingTime() if self.timer.isActive() else None

    def draw_frame(self):
        """Draw the latest progress in the cost plot; the boundary plot's output OUTPUT_DELAY_MS later, the diagram
        and the texts DETAILS_DELAY_MS later once SLOW_SECONDS have passed since they were last drawn (each at once
        for a run's last progress)."""
        self._last_frame = now = self.clock()
        if not self._dirty or self._latest is None:
            return
        borrow_a_core()  # the frame's drawing and painting would otherwise hold up the training team (``loans``)
        self._dirty = False
        self.frames_drawn += 1
        self.cost_plot.refresh(staged=self._latest.snapshot.stop_reason is None)
        self._dirty_slow = True
        if self._latest.snapshot.stop_reason is not None:
            self.output_timer.stop()
            self._draw_output()
            self.details_timer.stop()
            self._draw_details_due()
            return
        if self._pending_grid is not None and not self.output_timer.isActive():
            self.output_timer.start(OUTPUT_DELAY_MS)
        remaining = SLOW_SECONDS - (now - self._slow_drawn)
        if remaining * 1000 <= self.pace.frame_ms:  # due before the next frame: between the two
            self.details_timer.start(DETAILS_DELAY_MS)
        elif not self.details_timer.isActive():  # and if no frame follows, after a frame's time
            self.details_timer.start(int(remaining * 1000) + self.pace.frame_ms)

    def _draw_details_due(self):
        if self._dirty_slow:
            self._slow_drawn = self.clock()
            borrow_a_core()
            self.draw_details()

    def _draw_output(self):
        if self._pending_grid is not None:
            grid, self._pending_grid = self._pending_grid, None
            borrow_a_core()
            self.network.show_output(grid)

    def _draw_pictures(self):
        if self._latest is not None:
            borrow_a_core()
            self.network.show_pictures()

    def _draw_path(self):
        if self._latest is not None:
            borrow_a_core()
            self.surface_panel.refresh(finished=False)

    def draw_details(self):
        """The counters, the diagram and the selected example's activations, and the path on the cost surface when
        due (DETAILS_DELAY_MS later, at once for a run's last progress); the pictures of what the units compute in
        another event: as long after the diagram, or half a period while the training takes every core."""
        self._dirty_slow = False
        if self._latest is None:
            return
        snap, now, s = self._latest.snapshot, self.clock(), self.session
        final = snap.stop_reason is not None
        all_cores = s.spec.trains_on_all_cores(s.data.m)
        if not final:
            self.keep_pace(all_cores)
        every = BUSY_SECONDS if self.pace != FULL or all_cores else 0.0
        due = final or now - self._busy_drawn >= every  # the diagram and the path
        if due:
            self._busy_drawn = now
            self.network.show_params(final)
            self._pictures_owed = not final and every > 0  # half a period later: the two paints never in one event
            if final:
                self.network.show_pictures(final)
            elif not every:  # the next event but one (the unit maps and the diagram's paint took 5-9 ms at once)
                self.pictures_timer.start(DETAILS_DELAY_MS)
        elif self._pictures_owed and now - self._busy_drawn >= every / 2:
            self._pictures_owed = False
            self.network.show_pictures()
        rate = self.rate.measure(snap.iteration, final)
        self.toolbar.set_iteration(snap.iteration)
        self.status.show_counters(snap.iteration, snap.cost, s.accuracy.latest, rate)
        if due:
            if final:
                self.path_timer.stop()
                self.surface_panel.refresh(finished=True)
            else:  # in an event of its own too, after the pictures'
                self.path_timer.start(2 * DETAILS_DELAY_MS)
