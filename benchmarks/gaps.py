"""An account of the window's long event-loop gaps (``bench_window.py --account``): for each gap between two ticks of
the 10 ms timer, how long the window's thread ran, waited for a core (the scheduler's run queue) and slept (waiting
for the GIL, a lock or its next event), and which events it handled meanwhile and for how long.

The times come from the thread's own ``/proc/thread-self/schedstat`` (run and run-queue nanoseconds), read at each
tick; the events from an application event filter, each event's time being the time to the next event or tick seen
(an event's nested events are listed apart, so the times overlap where Qt nests them).
"""

import bisect
import os
import time

from PySide6.QtCore import QEvent, QObject

LONG = 0.016


def _schedstat_reader():
    """A function returning the calling thread's (run, run-queue wait) nanoseconds, or None where Linux's schedstat
    cannot be read; it must be made in the thread it reads."""
    try:
        fd = os.open("/proc/thread-self/schedstat", os.O_RDONLY)
    except OSError:
        return lambda: None

    def read():
        run, wait, _ = os.pread(fd, 200, 0).split()
        return int(run), int(wait)

    return read


def _name(obj):
    """The object's class, and its parents' up to the first of a class of ours (not Qt's)."""
    names = [type(obj).__name__]
    while names[-1].startswith("Q") and callable(getattr(obj, "parent", None)) and obj.parent() is not None:
        obj = obj.parent()
        names.append(type(obj).__name__)
    return "<".join(names)


class _Events(QObject):
    def __init__(self, record, names, read, every_event):
        super().__init__()
        self.record, self.names, self.read, self.every_event = record, names, read, every_event

    def eventFilter(self, watched, event):  # noqa: N802  (Qt's name)
        kind = event.type()
        if not self.every_event and kind not in (QEvent.MetaCall, QEvent.Timer, QEvent.Paint, QEvent.UpdateRequest, QEvent.LayoutRequest,
                        QEvent.Resize, QEvent.Move, QEvent.PolishRequest, QEvent.StyleAnimationUpdate,
                        QEvent.DeferredDelete, QEvent.GraphicsSceneResize):
            return False
        name = self.names.get(id(watched)) or _name(watched)
        self.record.append((time.perf_counter(), f"{kind.name}:{name}", self.read()))
        return False


class GapAccount:
    """Installed in the window's thread: ``tick()`` at each timer tick, ``clear()`` at a turn's start, ``report()``
    the longest gaps' accounts. ``names`` maps objects (timers, views) to the names shown for their events;
    ``every_event``: every event noted, not only those that draw or deliver (timers, posted calls, paints, layouts)."""

    def __init__(self, app, names=None, every_event=False):
        self.read = _schedstat_reader()
        self.ticks, self.events = [], []
        self.names = {id(obj): name for obj, name in (names or {}).items()}
        self.filter = _Events(self.events, self.names, self.read, every_event)
        app.installEventFilter(self.filter)

    def name(self, obj, name):
        self.names[id(obj)] = name

    def clear(self):
        self.ticks.clear()
        self.events.clear()

    def tick(self):
        self.ticks.append((time.perf_counter(), self.read()))

    def gaps(self, end=None):
        """(start, end, run ms, wait ms) of every gap longer than LONG before ``end``."""
        out = []
        for (t0, s0), (t1, s1) in zip(self.ticks, self.ticks[1:]):
            if t1 - t0 >= LONG and (end is None or t1 < end):
                run, wait = ((s1[0] - s0[0]) / 1e6, (s1[1] - s0[1]) / 1e6) if s0 and s1 else (0.0, 0.0)
                out.append((t0, t1, run, wait))
        return out

    def report(self, most=10, end=None):
        """Lines describing the ``most`` longest gaps before ``end``."""
        lines = []
        stamps = [t for t, _, _ in self.events]

        ticks = {t: stat for t, stat in self.ticks}
        for t0, t1, run, wait in sorted(self.gaps(end), key=lambda g: g[0] - g[1])[:most]:
            gap = (t1 - t0) * 1e3
            lines.append(f"gap {gap:.1f} ms at {t0 - self.ticks[0][0]:.2f} s: ran {run:.1f} ms, waited for a core "
                         f"{wait:.1f} ms, slept {max(gap - run - wait, 0):.1f} ms")
            first, last = bisect.bisect_left(stamps, t0), bisect.bisect_right(stamps, t1)
            events = self.events[first:last] + [(t1, "tick", ticks[t1])]
            for (ta, what, sa), (tb, _, sb) in zip(events, events[1:]):
                if tb - ta >= 0.0005:
                    ran, waited = (sb[0] - sa[0]) / 1e6, (sb[1] - sa[1]) / 1e6
                    lines.append(f"    +{(ta - t0) * 1e3:5.1f} ms {what} {(tb - ta) * 1e3:.1f} ms "
                                 f"(ran {ran:.1f}, waited {waited:.1f})")
        return lines

    def long_events(self, least=0.002, end=None):
        """Lines naming each event that took ``least`` seconds or more (to the next event or tick) before ``end``."""
        marks = sorted(self.events + [(t, "tick", stat) for t, stat in self.ticks])
        start = self.ticks[0][0] if self.ticks else 0.0
        return [f"{ta - start:7.3f} s {what} {(tb - ta) * 1e3:.1f} ms"
                for (ta, what, _), (tb, _, _) in zip(marks, marks[1:])
                if tb - ta >= least and (end is None or tb <= end)]
