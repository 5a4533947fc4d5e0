"""The GIL on the window's terms: a thread waiting for it gets it within a millisecond, not Python's 5.

The window's thread lets the GIL go at every call into Qt that waits and takes it back after; a thread of the
window's busy in Python meanwhile (a cost surface's set-up, a measure of the Layers tab, the training thread between
two chunks) keeps it until the switch interval has passed, and the window's thread waits that long each time, many
times an event (the long gaps of ``benchmarks/bench_window.py``; README's notes on speed).
"""

import sys

SWITCH_SECONDS = 0.001


class SwitchInterval:
    """``start`` sets the interpreter's switch interval to SWITCH_SECONDS, ``stop`` puts back the one before."""

    def __init__(self):
        self._before = None

    def start(self):
        if self._before is None:
            self._before = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_SECONDS)

    def stop(self):
        if self._before is not None:
            sys.setswitchinterval(self._before)
            self._before = None
