"""What the window remembers between launches (QSettings): the settings, its layout, whether the lessons were seen."""

import json

from visualtrainer.app.session import settings_from
from visualtrainer.app.settings import Settings


def saved_settings(store):
    """The settings remembered in ``store``, or the defaults when there are none or any value is not one the window
    can use (a learning rate of -5 in a hand-edited file, say)."""
    raw = store.value("session/settings")
    try:
        return settings_from(json.loads(raw)) if raw else Settings()
    except (TypeError, ValueError, RecursionError):
        return Settings()


def remember(store, window, settings):
    """Keep ``settings`` and ``window``'s geometry and docks in ``store``."""
    store.setValue("session/settings", json.dumps(settings.to_dict()))
    store.setValue("window/geometry", window.saveGeometry())
    store.setValue("window/state", window.saveState())
    store.sync()


def restore_layout(store, window):
    """Give ``window`` its remembered geometry and docks (a default size the first time)."""
    geometry, state = store.value("window/geometry"), store.value("window/state")
    if geometry is not None:
        window.restoreGeometry(geometry)
    else:
        window.resize(1400, 860)
    if state is not None:
        window.restoreState(state)


def first_launch(store):
    """True once: on the first launch (which opens on the list of lessons)."""
    if store.value("lessons/seen") is not None:
        return False
    store.setValue("lessons/seen", True)
    return True
