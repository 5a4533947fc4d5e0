"""A process that saves one kind of file and stops, at a chosen point, to be killed there (SIGKILL) by its parent.

``python -m tests.fuzz.save_child KIND POINT PATH``: KIND is model, dataset, session, onnx or script; POINT is
write (part of the file written), fsync (written, not yet synced), rename (synced, not yet renamed) or anywhere
(saving again and again, killed whenever the parent likes). It prints "ready" when it has stopped (or, for
anywhere, before it starts) and then waits on stdin.
"""

import os
import sys

import numpy as np

import visualtrainer.core.files as files
from visualtrainer.core import Network, save_model
from visualtrainer.core.onnx_export import export_onnx
from visualtrainer.core.script import export_run
from visualtrainer.data import Dataset, save_dataset
from visualtrainer.data.session_file import save_session

from .sessions import window_session


def _saver(kind, path, size=300):
    """A function that writes a file of ``kind`` at ``path``: large enough, by default, that a write takes a
    while (``size`` hidden units, ``size`` · 7 pictures)."""
    net = Network((3000, size, 1), random_state=size).initialize()
    if kind == "model":
        return lambda: save_model(net, path)
    if kind == "onnx":
        return lambda: export_onnx(net, path)
    if kind == "script":
        X = np.random.RandomState(size).randint(0, 256, (3000, 4 * size)).astype(np.uint8)
        return lambda: export_run(net, X, (X[:1] > 127).astype(int), 5, path)
    m = 7 * size
    pixels = np.random.RandomState(size).randint(0, 256, (m, 12288)).astype(np.uint8)
    data = Dataset("big", pixels.T, (np.arange(m) % 2).reshape(1, -1), None, None, ("a", "b"), "binary", (64, 64, 3))
    if kind == "dataset":
        return lambda: save_dataset(data, path)
    state, arrays, _ = window_session()
    return lambda: save_session(path, state, arrays, data)


def _stop_here(original):
    def wrapper(*args, **kwargs):
        print("ready", flush=True)
        sys.stdin.readline()  # killed while waiting here
        return original(*args, **kwargs)
    return wrapper


class _Halting:
    """A file that writes half of the first large block it is given, then stops (to be killed)."""

    def __init__(self, handle):
        self._handle = handle

    def write(self, data):
        if len(data) > 4096:
            self._handle.write(bytes(data[: len(data) // 2]))
            self._handle.flush()
            _stop_here(lambda: None)()
        return self._handle.write(data)

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._handle.__exit__(*exc)


def main(kind, point, path):
    save = _saver(kind, path)
    if point == "write":  # killed with part of the file written, the temporary still open
        files.open = lambda *args, **kwargs: _Halting(open(*args, **kwargs))
    elif point == "fsync":
        files.os.fsync = _stop_here(os.fsync)
    elif point == "rename":
        files.os.replace = _stop_here(os.replace)
    else:
        print("ready", flush=True)
        while True:
            save()
    save()
    print("saved without being killed", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
