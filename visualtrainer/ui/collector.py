"""Python's garbage collector on the window's terms: its passes only from the window's thread, and short.

Left to itself, the collector's full passes over the window's objects (Qt's and pyqtgraph's, tens of thousands)
stopped every thread for 14-40 ms at moments of its choosing, often in a worker's thread holding the GIL: the window
froze for that long. So once the window is up, its objects are frozen out of the passes (``gc.freeze``), the
automatic passes keep to the young generations (a high threshold for the oldest), and the window's thread runs a
full pass once a minute while training runs. When training stops, and as the compiled kernels are loaded (tens of
thousands of objects, made once the window is up: a pass over them took 8-9 ms), a full pass then freezes what
lives (``settle``): the passes while training go over the objects made since, well under a millisecond.

The young passes run from the window's thread too (a timer, ``YOUNG_MS``), the automatic ones being off: left to
``gc``, a pass runs in whichever thread allocates when the count is reached, a worker's included, and a pass frees
what it finds there: a Qt object owned by Python and caught in a cycle (a dialog closed and dropped, say) would be
deleted in that worker's thread, while the window's thread may be using it (Qt's objects must be deleted in their
own thread; tests/ui/test_collector.py). The timer's pass follows ``gc``'s own thresholds, so the passes are those
``gc`` would make, at most ``YOUNG_MS`` later.

A frozen object that becomes garbage is freed as usual when nothing refers to it any more; only one caught in a
reference cycle stays until the window closes. The window's own objects live as long as it does, and a network
and its parameters are freed when the window replaces them (tests/ui/test_collector.py).
"""

import gc

from PySide6.QtCore import QObject, QTimer

FULL_MS = 60_000
#: How often the window's thread makes the young passes the allocations since call for.
YOUNG_MS = 100
#: Collections of the middle generation between two automatic full passes: never, in practice.
NO_AUTOMATIC_FULL_PASS = 1_000_000_000


class Collector(QObject):
    """Takes over ``gc``'s passes for the window ``parent``: ``start`` once it is up, ``collect_all`` at a
    quiet moment, ``settle`` once long-lived objects have been made, ``stop`` as it closes."""

    def __init__(self, parent):
        super().__init__(parent)
        self._thresholds, self._enabled = gc.get_threshold(), gc.isenabled()
        self._started = False
        self._full = QTimer(self, interval=FULL_MS)
        self._full.timeout.connect(self.collect_all)
        self._young = QTimer(self, interval=YOUNG_MS)
        self._young.timeout.connect(self.collect_young)

    def start(self):
        gc.freeze()
        young, middle, _ = self._thresholds
        gc.set_threshold(young, middle, NO_AUTOMATIC_FULL_PASS)
        gc.disable()  # no pass in another thread: the young timer makes them here
        self._started = True
        self._full.start()
        self._young.start()

    def collect_young(self):
        """The young pass ``gc`` would have made by now, if any: the middle generation's when enough young passes
        have run since its last, else the youngest's when enough objects were allocated since its last."""
        young, middle, _ = gc.get_threshold()
        allocated, young_passes, _ = gc.get_count()
        if young_passes >= middle:
            gc.collect(1)
        elif allocated >= young:
            gc.collect(0)

    def collect_all(self):
        """A full pass over the objects not frozen."""
        if self._started:
            gc.collect()
            self._full.start()  # the next full pass a whole interval from now

    def settle(self):
        """A full pass, then the objects alive frozen: for the moment long-lived objects (the compiled kernels) have
        just been made."""
        if self._started:
            self.collect_all()
            gc.freeze()

    def stop(self):
        """The window closes: the collector as it was."""
        self._started = False
        self._full.stop()
        self._young.stop()
        gc.set_threshold(*self._thresholds)
        if self._enabled:
            gc.enable()
        gc.unfreeze()
