"""Python's garbage collector on the window's terms: its full passes only from the window's thread, and short.

Left to itself, the collector's full passes over the window's objects (Qt's and pyqtgraph's, tens of thousands)
stopped every thread for 14-40 ms at moments of its choosing, often in a worker's thread holding the GIL: the window
froze for that long. So once the window is up, its objects are frozen out of the passes (``gc.freeze``), the
automatic passes keep to the young generations (a high threshold for the oldest), and the window's thread runs a
full pass once a minute while training runs. When training stops, and as the compiled kernels are loaded (tens of
thousands of objects, made once the window is up: a pass over them took 8-9 ms), a full pass then freezes what
lives (``settle``): the passes while training go over the objects made since, well under a millisecond.

A frozen object that becomes garbage is freed as usual when nothing refers to it any more; only one caught in a
reference cycle stays until the window closes. The window's own objects live as long as it does, and a network
and its parameters are freed when the window replaces them (tests/ui/test_collector.py).
"""

import gc

from PySide6.QtCore import QObject, QTimer

FULL_MS = 60_000
#: Collections of the middle generation between two automatic full passes: never, in practice.
NO_AUTOMATIC_FULL_PASS = 1_000_000_000


class Collector(QObject):
    """Takes over ``gc``'s full passes for the window ``parent``: ``start`` once it is up, ``collect_all`` at a
    quiet moment, ``settle`` once long-lived objects have been made, ``stop`` as it closes."""

    def __init__(self, parent):
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._started = False
        self._full = QTimer(self, interval=FULL_MS)
        self._full.timeout.connect(self.collect_all)

    def start(self):
        gc.freeze()
        young, middle, _ = self._thresholds
        gc.set_threshold(young, middle, NO_AUTOMATIC_FULL_PASS)
        self._started = True
        self._full.start()

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
        gc.set_threshold(*self._thresholds)
        gc.unfreeze()
