"""Cost surfaces worked out in a worker's thread, one at a time: a request made while one is computed replaces any
request still waiting, so the surface drawn next is always the latest asked for."""

import time
from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from visualtrainer.core import Network, team
from visualtrainer.core.surface import CostSlicer, compute_surface, make_plane

from ..worker import Worker
from .surface_view import picture


@dataclass(frozen=True)
class SurfaceJob:
    """What to compute: the network's settings, the data, the recorded path (a tuple of θ, stacked in the worker's
    thread) and the plane's choice."""

    settings: dict
    X: np.ndarray
    Y: np.ndarray
    path: tuple
    kind: str
    names: tuple | None
    grid: int
    span: float | None
    iteration: int
    generation: int = 0  # which network: results for an older one are dropped
    seed: int = 0


def oriented(plane, previous=None, path=None):
    """``plane`` with each direction's sign chosen so that the picture does not flip between two surfaces: the same
    as ``previous`` (the plane drawn before, of the same network), else d1 pointing along the path (from its first
    point to its last) and d2's largest component positive. A principal component's sign is arbitrary: recomputed
    on a longer path it comes out either way."""
    d1, d2 = plane.d1, plane.d2
    if previous is not None and previous.d1.shape == d1.shape:
        flip1, flip2 = float(d1 @ previous.d1) < 0, float(d2 @ previous.d2) < 0
    else:
        rows = list(path) if path is not None else []
        along = float((np.asarray(rows[-1], dtype=np.float64) - rows[0]) @ d1) if len(rows) > 1 else 0.0
        flip1 = along < 0 or (along == 0 and d1[np.argmax(np.abs(d1))] < 0)
        flip2 = d2[np.argmax(np.abs(d2))] < 0
    if not (flip1 or flip2):
        return plane
    return replace(plane, d1=-d1 if flip1 else d1, d2=-d2 if flip2 else d2)


class SlicerCache:
    """The last CostSlicer (its setup passes over the data), kept for the next surface of the same network and data,
    and the last path plane drawn for each network; used only in the worker's thread."""

    def __init__(self):
        self.key, self.slicer = None, None
        self.planes = {}  # generation -> the last PCA plane drawn for that network

    def get(self, job, net):
        key = (id(job.X), id(job.Y), repr(sorted(job.settings.items())))
        if key != self.key:
            self.key, self.slicer = key, CostSlicer(net, job.X, job.Y)
        return self.slicer


def compute(job, cache, control=None):
    """(surface, job, seconds the whole job took, {log: its Picture} on both scales), in the worker's thread, which borrows a core of the training
    team meanwhile (``core.team.borrowing``: its numpy work would otherwise take a member's core mid-step; its own
    calls of the team have every core)."""
    with team.borrowing():
        return _compute(job, cache)


def _compute(job, cache):
    began = time.perf_counter()
    net = Network(**job.settings)
    plane = make_plane(job.kind, net, job.path, job.names, job.seed)
    if job.kind == "pca":
        plane = oriented(plane, cache.planes.get(job.generation), job.path)
        cache.planes = {job.generation: plane}
    surface = compute_surface(cache.get(job, net), plane, job.path, job.grid, job.span)
    pictures = {log: picture(surface, log) for log in (True, False)}
    return surface, job, time.perf_counter() - began, pictures


class SurfaceComputer(QObject):
    """Computes SurfaceJobs one at a time; ``ready(surface, job, seconds, pictures)`` or ``failed(message)`` for
    those of the current ``generation`` (others are dropped). Requests wait while ``hold`` is on."""

    ready = Signal(object, object, float, object)
    failed = Signal(str)
    computed = Signal(float)  # after every surface computed, current or not: the seconds it took

    def __init__(self, parent=None):
        super().__init__(parent)
        self.worker = Worker("surface")
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self._cache = SlicerCache()
        self._running = self._pending = None
        self._held = False
        self.generation = 0

    def request(self, job):
        """Compute ``job`` now, or after the one being computed (replacing any other waiting)."""
        if self._running is not None or self._held:
            self._pending = job
            return
        self._start(job)

    def hold(self):
        """Keep requests waiting (the latest one) until ``release``."""
        self._held = True

    def release(self):
        self._held = False
        if self._running is None:
            self._next()

    def forget_pending(self):
        self._pending = None

    @property
    def busy(self):
        """Whether a surface is being computed or waits its turn."""
        return self._running is not None or self._pending is not None

    def close(self):
        self._pending = None
        return self.worker.close()

    def _start(self, job):
        self._running = job
        self.worker.start(compute, job, self._cache, generation=job.generation)

    def _next(self):
        job, self._pending = self._pending, None
        self._running = None
        if job is not None:
            self._start(job)

    @Slot(object)
    def _on_finished(self, result):
        surface, job, seconds, pictures = result.value
        self._next()
        self.computed.emit(seconds)
        if result.generation == self.generation:
            self.ready.emit(surface, job, seconds, pictures)

    @Slot(object)
    def _on_failed(self, result):
        self._next()
        if result.generation == self.generation:
            self.failed.emit(result.value)
