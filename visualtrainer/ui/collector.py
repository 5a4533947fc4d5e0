"""Python's garbage collector on the window's terms: its full passes only from the window's thread, short while
training runs, and the long one at quiet times.

Left to itself, the collector's full passes over the window's objects (Qt's and pyqtgraph's, tens of thousands)
stopped every thread for 14-40 ms at moments of its choosing, often in a worker's thread holding the GIL: the window
froze for that long. So once the window is up, its objects are frozen out of the passes (``gc.freeze``) and the
automatic passes keep to the young generations (a high threshold for the oldest). While training runs, a full pass
once a minute goes over the objects made since the last one and freezes those still alive (the compiled kernels,
loaded after the window is up, are tens of thousands: the pass over them took 8-9 ms, then 0.1 ms). Once training
has stopped for a moment, a pass over everything, the frozen objects too, frees any garbage among them and
freezes the rest again: nothing is kept for good by having been frozen.
"""

import gc

from PySide6.QtCore import QObject, QTimer

FULL_MS = 60_000
#: How long training must have stopped before the pass over everything (a single step is a run of its own).
QUIET_MS = 2_000
#: Collections of the middle generation between two automatic full passes: never, in practice.
NO_AUTOMATIC_FULL_PASS = 1_000_000_000


class Collector(QObject):
    """Takes over ``gc``'s full passes for the window ``parent``: ``start`` once it is up, ``training_started`` and
    ``training_stopped`` as training does, ``stop`` as it closes."""

    def __init__(self, parent):
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._started = False
        self._full = QTimer(self, interval=FULL_MS)
        self._full.timeout.connect(self.collect_recent)
        self._quiet = QTimer(self, interval=QUIET_MS, singleShot=True)
        self._quiet.timeout.connect(self.collect_all)

    def start(self):
        gc.freeze()
        young, middle, _ = self._thresholds
        gc.set_threshold(young, middle, NO_AUTOMATIC_FULL_PASS)
        self._started = True
        self._full.start()

    def collect_recent(self):
        """A full pass over the objects made since the last pass (the others are frozen); those alive are frozen."""
        if self._started:
            gc.collect()
            gc.freeze()
            self._full.start()  # the next one a whole interval from now

    def collect_all(self):
        """A full pass over every object, frozen or not; those alive are frozen again."""
        if self._started:
            self._quiet.stop()
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self._full.start()

    def training_started(self):
        self._quiet.stop()

    def training_stopped(self):
        """The pass over everything once training has stayed stopped for QUIET_MS."""
        self._quiet.start()

    def stop(self):
        """The window closes: the collector as it was."""
        self._started = False
        self._full.stop()
        self._quiet.stop()
        gc.set_threshold(*self._thresholds)
        gc.unfreeze()
