"""Plain callbacks for observers: the application layer says what changed without knowing who listens."""


class Event:
    """A list of callbacks; ``emit(*args)`` calls each, in the order they were connected."""

    def __init__(self):
        self._callbacks = []

    def connect(self, callback):
        self._callbacks.append(callback)
        return callback

    def disconnect(self, callback):
        self._callbacks.remove(callback)

    def emit(self, *args):
        for callback in list(self._callbacks):
            callback(*args)
